extension ReplSession {
    /// Words that complete the last word of `text` (the line up to the cursor): commands, file
    /// paths after `:load`/`:save`, and otherwise what `Completer` offers for plan source, with
    /// the session's own definitions. Each candidate is the whole word.
    public func completions(for text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let endsInSpace = text.hasSuffix(" ") || text.isEmpty
        let prefix = endsInSpace ? "" : (words.last ?? "")
        let before = endsInSpace ? words : Array(words.dropLast())
        let completer = Completer(knowledge: compile(statements).knowledge, listFiles: listFiles)
        if let first = words.first, first.hasPrefix(":") {
            if before.isEmpty { return Self.commands.filter { $0.hasPrefix(prefix) } }
            if [":load", ":save", ":save!"].contains(first) { return listFiles(prefix) }
            if first == ":explain" {
                return completer.matching(completer.vocabulary + DiagnosticCode.catalog.map(\.id),
                                          after: Array(before.dropFirst()), prefix: prefix)
            }
            return []
        }
        return completer.completions(for: text)
    }
}
