/// Gives a plan file one canonical layout, keeping its comments and its meaning: two spaces per
/// block level (four more for a continued line), single spaces between words, none before `,`
/// `:` `)` or after `(` `.`, spaces around operators, canonical unit spellings (`300mg`, `4h`,
/// `2000 IU`, `7 days`, `5 mg/kg`), at most one blank line in a row, one newline at the end.
/// Line breaks and clause order stay as written: the first timing clause names the slot.
public enum Formatter {
    /// The formatted text, or the syntax errors that stop formatting.
    public static func format(_ bytes: [UInt8], name: String = "plan.regimen") -> Result<String, FormatError> {
        let file = SourceFile(name: name, bytes: bytes)
        let id = FileID(0)
        let (tokens, lexErrors, comments) = Lexer.tokenizeKeepingComments(file, id: id)
        let parseErrors = Parser.parse(tokens, fileID: id).diagnostics
        let errors = (lexErrors + parseErrors).filter { $0.severity == .error }
        guard errors.isEmpty else {
            var sources = SourceManager()
            _ = sources.add(file)
            return .failure(FormatError(diagnostics: errors, sources: sources))
        }
        return .success(render(file, tokens, comments))
    }

    private static func render(_ file: SourceFile, _ tokens: TokenList, _ comments: [Span]) -> String {
        var byLine: [Int: [Token]] = [:]
        var depthAtLine: [Int: Int] = [:]
        var continued = Set<Int>()
        var depth = 0
        var previousLine = -1
        var openAtEndOfPrevious = false
        for token in tokens {
            switch token.kind {
            case .indent: depth += 1
            case .dedent: depth -= 1
            case .newline, .end: openAtEndOfPrevious = false
            default:
                let line = file.lineIndex(of: token.span.offset)
                if byLine[line] == nil {
                    depthAtLine[line] = depth
                    if openAtEndOfPrevious, line != previousLine { continued.insert(line) }
                }
                byLine[line, default: []].append(token)
                previousLine = line
                openAtEndOfPrevious = true
            }
        }
        let commentAt = Dictionary(comments.map { (file.lineIndex(of: $0.offset), $0) }, uniquingKeysWith: { a, _ in a })
        var out: [(code: String, comment: String?)] = []
        var lastDepth = 0
        for line in 0..<file.lineStarts.count {
            let comment = commentAt[line].map { file.text($0).trimmingTrailingSpaces() }
            guard let lineTokens = byLine[line] else {
                if let comment {
                    // A comment line takes the indentation of the code it stands with.
                    let indent = String(repeating: "  ", count: min(lastDepth, indentation(of: file, line) / 2))
                    out.append((indent + comment, nil))
                } else if out.last.map({ !$0.code.isEmpty }) ?? false {
                    out.append(("", nil))
                }
                continue
            }
            let depth = depthAtLine[line] ?? 0
            lastDepth = depth
            let code = String(repeating: "  ", count: depth + (continued.contains(line) ? 2 : 0)) + join(lineTokens, file)
            out.append((code, comment))
        }
        while out.last?.code == "" { out.removeLast() }
        return out.isEmpty ? "" : alignComments(out).joined(separator: "\n") + "\n"
    }

    /// Trailing comments of a paragraph (lines between blank lines) line up one column past the
    /// longest commented line of code, as gofmt does; alone, a comment stands two spaces after its code.
    private static func alignComments(_ lines: [(code: String, comment: String?)]) -> [String] {
        var result: [String] = []
        var start = 0
        while start < lines.count {
            var end = start
            while end < lines.count, !lines[end].code.isEmpty { end += 1 }
            let paragraph = lines[start..<end]
            let commented = paragraph.filter { $0.comment != nil }
            let column = (commented.map(\.code.count).max() ?? 0) + 2
            for line in paragraph {
                guard let comment = line.comment else { result.append(line.code); continue }
                let pad = commented.count > 1 ? column - line.code.count : 2
                result.append(line.code + String(repeating: " ", count: pad) + comment)
            }
            if end < lines.count { result.append("") }
            start = end + 1
        }
        return result
    }

    private static func indentation(of file: SourceFile, _ line: Int) -> Int {
        file.lineBytes(line).prefix { $0 == UInt8(ascii: " ") }.count
    }

    /// The tokens of one line with canonical spacing.
    private static func join(_ tokens: [Token], _ file: SourceFile) -> String {
        var text = ""
        // `on days 1-5 of each 28-day cycle`: the ranges and the length stay as one word each.
        let cycle = cycleClause(tokens)
        for (index, token) in tokens.enumerated() {
            let previous = index > 0 ? tokens[index - 1] : nil
            if let cycle, cycle.contains(index), token.kind == .minus || previous?.kind == .minus {
                text += spelling(token, file)
                continue
            }
            if let cycle, cycle.contains(index), index + 1 < tokens.count, tokens[index + 1].isWord("cycle"),
               case .quantity(let value, let unit) = token.value, unit.denominator == nil, unit.numerator.symbol == "days" {
                text += " " + Quantity.format(value) + " day"
                continue
            }
            let perDay = token.kind == .slash && index + 1 < tokens.count && (tokens[index + 1].isWord("day") || tokens[index + 1].isWord("d"))
                && { if case .quantity(_, let unit) = previous?.value, unit.denominator != nil { true } else { false } }()
            if let previous, !perDay, !inHyphenatedName(tokens, at: index), spaced(previous, token, before: index > 1 ? tokens[index - 2] : nil) { text += " " }
            text += spelling(token, file)
        }
        return text
    }

    /// The tokens from `days` to `cycle` of an `on days … of each N-day cycle` clause, if the line has one.
    private static func cycleClause(_ tokens: [Token]) -> ClosedRange<Int>? {
        guard let days = tokens.indices.first(where: { $0 > 0 && tokens[$0].isWord("days") && tokens[$0 - 1].isWord("on")
                && $0 + 1 < tokens.count && tokens[$0 + 1].kind == .number }),
              let end = tokens.indices.first(where: { $0 > days && tokens[$0].isWord("cycle") }) else { return nil }
        return days...end
    }

    /// `25-oh vitamin d`: a whole number, a hyphen and a word written together are one word of a
    /// name (a laboratory result's), not a subtraction, and stay together.
    private static func inHyphenatedName(_ tokens: [Token], at index: Int) -> Bool {
        func adjacent(_ a: Int, _ b: Int) -> Bool { tokens[a].span.end == tokens[b].span.offset }
        func hyphenated(_ minus: Int) -> Bool {
            minus > 0 && minus + 1 < tokens.count && tokens[minus].kind == .minus && tokens[minus - 1].kind == .number
                && tokens[minus + 1].kind == .word && adjacent(minus - 1, minus) && adjacent(minus, minus + 1)
        }
        return hyphenated(index) || hyphenated(index - 1)
    }

    private static func spaced(_ previous: Token, _ token: Token, before: Token?) -> Bool {
        // `Europe/Berlin`: a slash between words (a time-zone name) stays tight.
        if token.kind == .slash, previous.kind == .word { return false }
        if previous.kind == .slash, token.kind == .word, before?.kind == .word { return false }
        // `5 mg/kg/day`: a dose per weight or area, then per day, is one unit as written.
        if previous.kind == .slash, token.isWord("day") || token.isWord("d"), case .quantity(_, let unit)? = before.map(\.value), unit.denominator != nil {
            return false
        }
        // `ckd stage 3a`: a number written against a word is one word of a name (a stage or a
        // category), and stays as written.
        if previous.kind == .number, token.kind == .word, previous.span.end == token.span.offset { return false }
        switch token.kind {
        case .comma, .colon, .rightParen, .dot: return false
        // `round(x)` and `use thyroid(75mcg)` are calls; `iron (ferrous sulfate)` is a form in parentheses.
        case .leftParen:
            guard previous.kind == .word else { return true }
            return !builtinFunctions.contains(previous.word ?? "") && !["use", "define"].contains(before?.word ?? "")
        default: break
        }
        switch previous.kind {
        case .leftParen, .dot: return false
        case .minus: return !isUnary(previous: before)
        default: return true
        }
    }

    /// A minus is unary at the start, after an operator, `(`, `,` or `=`, or after a keyword.
    private static func isUnary(previous: Token?) -> Bool {
        guard let previous else { return true }
        switch previous.kind {
        case .number, .quantity, .percent, .rightParen, .string, .clock, .date: return false
        case .word: return ["and", "or", "not", "by", "to", "from"].contains(previous.word ?? "")
        default: return true
        }
    }

    /// How a token is written: quantities with their canonical unit, the rest as in the source.
    private static func spelling(_ token: Token, _ file: SourceFile) -> String {
        let source = file.text(token.span)
        guard case .quantity(let value, let unit) = token.value else { return source }
        // The number as written: `50,000`, `1/2`, `1½` keep their separators and fractions.
        let digits = source.prefix { $0.isNumber || $0 == "." || $0 == "," || $0 == "/" }
        func name(_ unit: Unit) -> String { Unit.word(unit.symbol, count: value) }
        guard let denominator = unit.denominator else {
            let symbol = name(unit.numerator)
            let tight = ["mg", "mcg", "g", "kg", "mL", "dL", "L", "h", "min"].contains(symbol)
            return digits + (tight ? "" : " ") + symbol
        }
        let per = denominator.symbol == "days" ? "day" : denominator.symbol == "weeks" ? "week" : denominator.symbol
        return "\(digits) \(unit.numerator.symbol)/\(per)"
    }
}

/// Formatting stopped at syntax errors.
public struct FormatError: Error, Sendable {
    public let diagnostics: [Diagnostic]
    public let sources: SourceManager
}
