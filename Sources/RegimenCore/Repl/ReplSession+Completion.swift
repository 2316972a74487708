extension ReplSession {
    static let keywords = ["patient", "plan", "let", "if", "else", "define", "use", "include", "rule", "when", "warn",
                           "substance", "drug", "condition", "product", "interaction", "contraindication", "caution"]
    static let clauseWords = ["daily", "nightly", "twice", "three", "four", "times", "bid", "tid", "qid", "qhs", "qod", "prn",
                              "weekly", "every", "other", "day", "week", "once", "on", "waking", "at", "bedtime", "with", "breakfast",
                              "lunch", "dinner", "meals", "before", "after", "apart", "from", "not", "empty", "stomach", "for",
                              "days", "weeks", "starting", "until", "increase", "decrease", "by", "to", "as", "needed", "max",
                              "per", "salt", "supervised", "note", "iv", "oral", "topical", "sublingual"]

    /// Words that complete the last word of `text` (the line up to the cursor): commands, file
    /// paths after `:load`/`:save`, patient fields after `patient.`, conditions after
    /// `conditions`, a substance's forms after its name, keywords and names at the start of a
    /// line, clause words after a dose. Each candidate is the whole word.
    public func completions(for text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let endsInSpace = text.hasSuffix(" ") || text.isEmpty
        let prefix = endsInSpace ? "" : (words.last ?? "")
        let before = endsInSpace ? words : Array(words.dropLast())
        if let first = words.first, first.hasPrefix(":") {
            if before.isEmpty { return Self.commands.filter { $0.hasPrefix(prefix) } }
            if [":load", ":save", ":save!"].contains(first) { return listFiles(prefix) }
            if first == ":explain" { return matching(vocabulary(), after: Array(before.dropFirst()), prefix: prefix) }
            return []
        }
        if prefix.lowercased().hasPrefix("patient.") {
            let fields = ["age", "weight", "egfr", "sex", "setting", "timezone", "born", "wake", "breakfast", "lunch", "dinner", "bed"]
            return fields.map { "patient." + $0 }.filter { $0.hasPrefix(prefix.lowercased()) }
        }
        let knowledge = compile(statements).knowledge
        let lower = before.map { $0.lowercased() }
        // After `conditions` (or `patient has`): condition names.
        if let index = lower.lastIndex(where: { $0 == "conditions" || $0 == "has" }) {
            let typed = lower[(index + 1)...].split(separator: ",").last.map(Array.init) ?? []
            return matching(Array(knowledge.conditionNames.keys), after: typed.map { $0.replacingOccurrences(of: ",", with: "") }, prefix: prefix)
        }
        // After a substance's name: its forms.
        if let (target, used) = knowledge.longestMatch(lower), used == lower.count,
           case .substance(let name, nil) = target, let forms = knowledge.substances[name]?.forms, !forms.isEmpty {
            let candidates = forms.values.flatMap { [$0.name] + $0.aliases }.filter { $0.hasPrefix(prefix.lowercased()) }.sorted()
            if !candidates.isEmpty { return candidates }
        }
        // The start of a line: keywords and names.
        let typedSoFar = lower.joined(separator: " ")
        if knowledge.names.keys.contains(where: { $0.hasPrefix(typedSoFar) }) && !lower.contains(where: { $0.first?.isNumber == true }) {
            let names = matching(Array(knowledge.names.keys), after: lower, prefix: prefix)
            let keywords = lower.isEmpty ? Self.keywords.filter { $0.hasPrefix(prefix.lowercased()) } : []
            if !(keywords + names).isEmpty { return Array(Set(keywords + names)).sorted() }
        }
        return Self.clauseWords.filter { $0.hasPrefix(prefix.lowercased()) }
    }

    /// The next word of each phrase that starts with `typed` words and then `prefix`.
    private func matching(_ phrases: [String], after typed: [String], prefix: String) -> [String] {
        var found = Set<String>()
        for phrase in phrases {
            let words = phrase.split(separator: " ").map(String.init)
            guard words.count > typed.count, Array(words.prefix(typed.count)) == typed, words[typed.count].hasPrefix(prefix.lowercased()) else { continue }
            found.insert(words[typed.count])
        }
        return found.sorted()
    }

    private func vocabulary() -> [String] {
        let knowledge = compile(statements).knowledge
        return Array(knowledge.names.keys) + Array(knowledge.conditionNames.keys) + DiagnosticCode.catalog.map(\.id)
    }
}
