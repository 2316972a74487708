/// Renders diagnostics as text: a title line, the location, the source line with the span
/// underlined, then hint and notes. Colour is a decoration that tests leave off.
public struct DiagnosticRenderer: Sendable {
    public var colour: Bool

    public init(colour: Bool = false) { self.colour = colour }

    public func render(_ diagnostic: Diagnostic, sources: SourceManager) -> String {
        var out = paint("\(diagnostic.severity.rawValue)[\(diagnostic.code.id)]", severityColour(diagnostic.severity))
        out += paint(": \(Printable.escaped(diagnostic.message))", "1") + "\n"
        guard let span = diagnostic.span else {
            appendFooter(diagnostic, gutter: "", to: &out)
            return out
        }
        let file = sources[span.file]
        let start = file.location(of: span.offset)
        let lineNumber = String(start.line)
        let gutter = String(repeating: " ", count: lineNumber.count)
        out += "\(gutter)\(paint("-->", "34")) \(Printable.escaped(file.name)):\(start.line):\(start.column)\n"
        out += "\(gutter) \(paint("|", "34"))\n"
        let lineIndex = start.line - 1
        let lineBytes = file.lineBytes(lineIndex)
        let shownLine = printable(lineBytes)
        out += "\(paint(lineNumber, "34")) \(paint("|", "34")) \(shownLine)\n"
        // Underline within the first line of the span; a span running on is cut at the line's end.
        // Widths are those of the text as shown, control characters written out as `\u{1B}`.
        let lineStart = file.lineStarts[lineIndex]
        let lineEnd = lineStart + lineBytes.count
        let underlineStart = max(lineStart, min(span.offset, lineEnd))
        let underlineEnd = max(underlineStart, min(span.end, lineEnd))
        let indent = Self.shown(file.bytes[lineStart..<underlineStart]).count
        let width = max(1, Self.shown(file.bytes[underlineStart..<underlineEnd]).count)
        let carets = String(repeating: " ", count: indent) + String(repeating: "^", count: width)
        let label = diagnostic.label.map { " " + Printable.escaped($0) } ?? ""
        out += "\(gutter) \(paint("|", "34")) \(paint(carets + label, severityColour(diagnostic.severity)))\n"
        appendFooter(diagnostic, gutter: gutter + " ", to: &out)
        return out
    }

    /// Renders all diagnostics followed by a one-line summary.
    public func render(_ diagnostics: [Diagnostic], sources: SourceManager) -> String {
        var out = diagnostics.map { render($0, sources: sources) }.joined(separator: "\n")
        if !diagnostics.isEmpty { out += "\n" }
        out += Self.summary(diagnostics) + "\n"
        return out
    }

    /// "2 errors, 1 warning, no notes" style summary.
    public static func summary(_ diagnostics: [Diagnostic]) -> String {
        func count(_ severity: Severity, _ word: String) -> String {
            let n = diagnostics.filter { $0.severity == severity }.count
            return n == 0 ? "no \(word)s" : n == 1 ? "1 \(word)" : "\(n) \(word)s"
        }
        return "\(count(.error, "error")), \(count(.warning, "warning")), \(count(.note, "note"))"
    }

    private func appendFooter(_ diagnostic: Diagnostic, gutter: String, to out: inout String) {
        if let hint = diagnostic.hint {
            out += "\(gutter)= \(paint("hint", "32")): \(Printable.escaped(hint))\n"
        }
        for note in diagnostic.notes {
            out += "\(gutter)= note: \(Printable.escaped(note))\n"
        }
    }

    /// Shows a source line as text: tabs as one space so the underline stays aligned, invalid
    /// bytes as U+FFFD, control characters and bidi controls written out (`Printable`).
    private func printable(_ bytes: ArraySlice<UInt8>) -> String {
        // Long lines are cut so a 10 MB line does not flood the terminal.
        guard bytes.count > 200 else { return Self.shown(bytes) }
        return Self.shown(bytes.prefix(200)) + " …"
    }

    /// Source bytes as shown in an excerpt: a tab as one space, invalid UTF-8 as U+FFFD.
    static func shown(_ bytes: ArraySlice<UInt8>) -> String {
        Printable.escaped(String(decoding: bytes.map { $0 == 9 ? 32 : $0 }, as: UTF8.self))
    }

    private func severityColour(_ severity: Severity) -> String {
        switch severity {
        case .error: "1;31"
        case .warning: "1;33"
        case .note: "1;36"
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

extension Diagnostic {
    /// The JSON object that `--format json` prints for this diagnostic.
    public func json(sources: SourceManager) -> JSON {
        var fields: [(String, JSON)] = [
            ("code", .string(code.id)),
            ("severity", .string(severity.rawValue)),
            ("category", .string(category.rawValue)),
            ("message", .string(message)),
        ]
        if let span {
            let file = sources[span.file]
            let location = file.location(of: span.offset)
            fields += [("file", .string(file.name)), ("line", .int(location.line)), ("column", .int(location.column))]
        }
        fields.append(("subjects", .array(subjects.map(JSON.string))))
        if let hint { fields.append(("hint", .string(hint))) }
        if !notes.isEmpty { fields.append(("notes", .array(notes.map(JSON.string)))) }
        return .object(fields)
    }
}
