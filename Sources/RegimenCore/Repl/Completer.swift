/// Words that complete the last word of a line of plan source: the REPL's Tab and an editor's
/// completion both ask this, so both offer the same words.
public struct Completer: Sendable {
    /// Where a line stands: the patient block's lines name fields, other lines items or statements.
    public enum Context: Sendable { case statement, patientBlock }

    /// Words that start a statement.
    public static let keywords = ["patient", "plan", "let", "if", "else", "define", "use", "include", "rule", "when", "warn",
                           "substance", "drug", "condition", "product", "interaction", "contraindication", "caution", "lab"]
    /// Words of an item's clauses.
    public static let clauseWords = ["daily", "nightly", "twice", "three", "four", "times", "bid", "tid", "qid", "qhs", "qod", "prn",
                              "weekly", "every", "other", "day", "week", "once", "on", "waking", "at", "bedtime", "with", "breakfast",
                              "lunch", "dinner", "meals", "before", "after", "apart", "from", "not", "empty", "stomach", "for",
                              "days", "weeks", "starting", "until", "increase", "decrease", "by", "to", "as", "needed", "max",
                              "per", "salt", "supervised", "note", "iv", "oral", "topical", "sublingual"]
    /// The fields `patient.NAME` reads in an expression.
    static let expressionFields = ["age", "weight", "egfr", "sex", "setting", "timezone", "born", "wake", "breakfast", "lunch", "dinner", "bed"]

    /// The knowledge base the plan sees: the bundled one and the plan's own definitions.
    public var knowledge: KnowledgeBase
    /// Paths that start with a prefix (folders end in `/`), for `include`.
    public var listFiles: @Sendable (_ prefix: String) -> [String]
    /// IANA time zone names, for `timezone`; read lazily, as the database is large.
    public var timeZones: @Sendable () -> [String] = { TimeZones.all }

    public init(knowledge: KnowledgeBase, listFiles: @escaping @Sendable (String) -> [String] = { _ in [] }) {
        self.knowledge = knowledge
        self.listFiles = listFiles
    }

    /// The words that may replace the last word of `text` (the line up to the cursor): include
    /// paths after `include "`, time zones after `timezone "`, patient fields after `patient.` and
    /// at the start of a patient block's line, conditions after `conditions`, a substance's forms
    /// after its name, keywords and names at the start of a line, clause words after a dose. Each
    /// candidate is the whole word (with its opening quote, for a path or a time zone).
    public func completions(for text: String, in context: Context = .statement) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let endsInSpace = text.hasSuffix(" ") || text.isEmpty
        let prefix = endsInSpace ? "" : (words.last ?? "")
        let before = endsInSpace ? words : Array(words.dropLast())
        let lower = before.map { $0.lowercased() }
        if lower == ["include"] {
            let typed = prefix.hasPrefix("\"") ? String(prefix.dropFirst()) : prefix
            return listFiles(typed).map { "\"" + $0 + ($0.hasSuffix("/") ? "" : "\"") }
        }
        if lower == ["timezone"] {
            let typed = (prefix.hasPrefix("\"") ? String(prefix.dropFirst()) : prefix).lowercased()
            return timeZones().filter { $0.lowercased().hasPrefix(typed) }.sorted().map { "\"\($0)\"" }
        }
        // `patient.lab.pot`: the laboratory results a rule may read, by their one-word names.
        if prefix.lowercased().hasPrefix("patient.lab.") {
            return knowledge.labs.names.keys.map { "patient.lab." + $0.replacingOccurrences(of: " ", with: "_") }
                .filter { $0.hasPrefix(prefix.lowercased()) }.sorted()
        }
        if prefix.lowercased().hasPrefix("patient.") {
            return (Self.expressionFields + ["lab"]).map { "patient." + $0 }.filter { $0.hasPrefix(prefix.lowercased()) }
        }
        if context == .patientBlock, lower.isEmpty {
            return Parser.patientFields.filter { $0.hasPrefix(prefix.lowercased()) }.sorted()
        }
        // After `labs`: the analytes, each after its comma; a value follows the name.
        if lower.first == "labs" {
            var typed: [String] = []
            for word in lower.dropFirst() { if word.hasSuffix(",") { typed = [] } else { typed.append(word) } }
            guard !typed.contains(where: { $0.first?.isNumber == true }) else { return [] }
            return matching(Array(knowledge.labs.names.keys), after: typed, prefix: prefix)
        }
        // After `conditions` (or `patient has`): condition names, and after `has` the laboratory results too.
        if let index = lower.lastIndex(where: { $0 == "conditions" || $0 == "has" }) {
            let typed = lower[(index + 1)...].split(separator: ",").last.map(Array.init) ?? []
            let names = Array(knowledge.conditionNames.keys) + (lower[index] == "has" ? Array(knowledge.labs.names.keys) : [])
            return matching(names, after: typed.map { $0.replacingOccurrences(of: ",", with: "") }, prefix: prefix)
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

    /// Every name a plan can mention: substances, drugs, products, forms, conditions, laboratory results.
    public var vocabulary: [String] { Array(knowledge.names.keys) + Array(knowledge.conditionNames.keys) + Array(knowledge.labs.names.keys) }

    /// The next word of each phrase that starts with `typed` words and then `prefix`.
    func matching(_ phrases: [String], after typed: [String], prefix: String) -> [String] {
        var found = Set<String>()
        for phrase in phrases {
            let words = phrase.split(separator: " ").map(String.init)
            guard words.count > typed.count, Array(words.prefix(typed.count)) == typed, words[typed.count].hasPrefix(prefix.lowercased()) else { continue }
            found.insert(words[typed.count])
        }
        return found.sorted()
    }
}
