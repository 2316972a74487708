/// Turns a source file into tokens, line by line. Indentation becomes `indent`/`dedent`
/// tokens; a line ending in `,` (or inside parentheses) continues on the next line.
/// The lexer never stops: a bad character is reported and skipped.
public struct Lexer {
    private let file: SourceFile
    private let fileID: FileID
    private let limits: Limits
    private var bytes: [UInt8] { file.bytes }

    private var tokens: TokenList
    private var diagnostics: [Diagnostic] = []
    /// Comments, from `#` to the end of their line: the formatter keeps them.
    private var comments: [Span] = []
    private var repeatCount: [DiagnosticCode: Int] = [:]
    private var indentStack = [0]
    private var parenDepth = 0
    /// Past the nesting limit, lines indented deeper than this are skipped, reported once.
    private var skippingDeeperThan: Int?

    public init(file: SourceFile, id: FileID, limits: Limits = .standard) {
        self.file = file
        self.fileID = id
        self.limits = limits
        // About one token per four bytes of plan text: reserving avoids copying a growing array.
        self.tokens = TokenList(reservingCapacity: file.bytes.count / 4 + 16)
    }

    /// Lexes the whole file.
    public static func tokenize(_ file: SourceFile, id: FileID, limits: Limits = .standard) -> (tokens: TokenList, diagnostics: [Diagnostic]) {
        let result = tokenizeKeepingComments(file, id: id, limits: limits)
        return (result.tokens, result.diagnostics)
    }

    /// Lexes the whole file and also returns where its comments are.
    public static func tokenizeKeepingComments(_ file: SourceFile, id: FileID, limits: Limits = .standard)
        -> (tokens: TokenList, diagnostics: [Diagnostic], comments: [Span])
    {
        var lexer = Lexer(file: file, id: id, limits: limits)
        lexer.run()
        return (lexer.tokens, lexer.diagnostics, lexer.comments)
    }

    private mutating func run() {
        var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var continuing = false
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = lineEnd + 1
            if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            continuing = lexLine(from: lineStart, to: lineEnd, continuing: continuing)
            lineStart = next
        }
        if tokens.last.map({ $0.kind != .newline && $0.kind != .dedent && $0.kind != .indent }) ?? false {
            emit(.newline, at: bytes.count, length: 0)
        }
        while indentStack.count > 1 {
            indentStack.removeLast()
            emit(.dedent, at: bytes.count, length: 0)
        }
        emit(.end, at: bytes.count, length: 0)
    }

    /// Lexes one physical line; returns whether the logical line continues on the next.
    private mutating func lexLine(from start: Int, to end: Int, continuing: Bool) -> Bool {
        if end - start > limits.maxLineBytes {
            report(.lineTooLong, "this line is \(end - start) bytes long; the limit is \(limits.maxLineBytes)", at: start, length: 1)
            return continuing
        }
        var i = start
        var indent = 0
        var firstTab: Int?
        while i < end, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") {
            if bytes[i] == UInt8(ascii: "\t"), firstTab == nil { firstTab = i }
            indent += 1
            i += 1
        }
        if let firstTab {
            report(.tabIndentation, "a tab in the indentation", at: firstTab, length: i - firstTab,
                   hint: "indent with spaces only, for example two per level")
        }
        if i < end, bytes[i] == UInt8(ascii: "#") {
            comments.append(span(i, end - i))
            reportControls(from: i, to: end, in: "comment")
        }
        if i == end || bytes[i] == UInt8(ascii: "#") { return continuing }
        if let level = skippingDeeperThan {
            if indent > level { return false }
            skippingDeeperThan = nil
        }
        if !continuing, !applyIndentation(indent, at: i) { return false }
        let tokenCountBefore = tokens.count
        lexTokens(from: i, to: end)
        let endsWithComma = tokens.count > tokenCountBefore && tokens.last?.kind == .comma
        // `nightly ,,`: two commas at the end are an empty clause (the parser says so), not a
        // continuation that would read the next line into this one.
        let endsWithTwoCommas = endsWithComma && tokens.count > tokenCountBefore + 1 && tokens.kind(at: tokens.count - 2) == .comma
        if parenDepth > 0 || (endsWithComma && !endsWithTwoCommas) { return true }
        emit(.newline, at: end, length: 0)
        return false
    }

    /// Emits indent and dedent tokens for a line's indentation; false when the line is too deep to keep.
    private mutating func applyIndentation(_ indent: Int, at offset: Int) -> Bool {
        if indent > indentStack.last! {
            guard indentStack.count <= limits.maxNesting else {
                report(.nestingTooDeep, "blocks are nested more than \(limits.maxNesting) deep; the deeper lines are skipped",
                       at: offset, length: 1)
                skippingDeeperThan = indentStack.last!
                return false
            }
            indentStack.append(indent)
            emit(.indent, at: offset, length: 0)
            return true
        }
        while indent < indentStack.last! {
            indentStack.removeLast()
            emit(.dedent, at: offset, length: 0)
        }
        if indent != indentStack.last! {
            report(.inconsistentIndentation, "this line's indentation does not match any enclosing block", at: offset, length: 1,
                   hint: "line it up with the lines of the block it belongs to")
            indentStack.append(indent)
        }
        return true
    }

    // MARK: Tokens within a line

    private mutating func lexTokens(from start: Int, to end: Int) {
        var i = start
        while i < end {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                i += 1
            case UInt8(ascii: "#"):
                comments.append(span(i, end - i))
                reportControls(from: i, to: end, in: "comment")
                return
            case UInt8(ascii: "\""):
                i = lexString(from: i, to: end)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                i = lexNumber(from: i, to: end)
            case _ where isWordStart(byte):
                i = lexWord(from: i, to: end)
            case 0x80...:
                if let (value, length) = vulgarFraction(at: i, end: end) {
                    i = lexNumber(from: i, to: end, fractionOnly: (value, length))
                } else if let length = utf8Length(at: i, end: end) {
                    i = lexWord(from: i, to: end, firstLength: length)
                } else {
                    var j = i + 1
                    while j < end, bytes[j] >= 0x80, utf8Length(at: j, end: end) == nil { j += 1 }
                    report(.invalidUTF8, "these bytes are not valid UTF-8 text", at: i, length: j - i,
                           hint: "save the file as UTF-8")
                    i = j
                }
            case 0:
                var j = i + 1
                while j < end, bytes[j] == 0 { j += 1 }
                report(.nulByte, j - i == 1 ? "a NUL byte in the text" : "\(j - i) NUL bytes in the text", at: i, length: j - i)
                i = j
            default:
                i = lexPunctuation(from: i, to: end)
            }
        }
    }

    private mutating func lexPunctuation(from i: Int, to end: Int) -> Int {
        let next: UInt8 = i + 1 < end ? bytes[i + 1] : 0
        let (kind, length): (TokenKind?, Int) = switch bytes[i] {
        case UInt8(ascii: ":"): (.colon, 1)
        case UInt8(ascii: ","): (.comma, 1)
        case UInt8(ascii: "."): (.dot, 1)
        case UInt8(ascii: "("): (.leftParen, 1)
        case UInt8(ascii: ")"): (.rightParen, 1)
        case UInt8(ascii: "+"): (.plus, 1)
        case UInt8(ascii: "-"): (.minus, 1)
        case UInt8(ascii: "*"): (.star, 1)
        case UInt8(ascii: "/"): (.slash, 1)
        case UInt8(ascii: "<"): next == UInt8(ascii: "=") ? (.lessEqual, 2) : (.less, 1)
        case UInt8(ascii: ">"): next == UInt8(ascii: "=") ? (.greaterEqual, 2) : (.greater, 1)
        case UInt8(ascii: "="): next == UInt8(ascii: "=") ? (.equalEqual, 2) : (.assign, 1)
        case UInt8(ascii: "!") where next == UInt8(ascii: "="): (.notEqual, 2)
        default: (nil, 1)
        }
        guard let kind else {
            // A run of such characters is one mistake: one error, and an `invalid` token that makes
            // the parser pass over the rest of the statement instead of misreading it.
            var j = i + 1
            while j < end, bytes[j] == bytes[i] { j += 1 }
            let shown = bytes[i] < 32 || bytes[i] == 127 ? "a control character"
                : "`\(String(repeating: Character(UnicodeScalar(bytes[i])), count: j - i))`"
            report(.invalidCharacter, "unexpected \(shown)", at: i, length: j - i,
                   hint: bytes[i] == UInt8(ascii: "@") ? "write `at 08:00` for a time, or `with breakfast` for a meal" : nil)
            tokens.append(.invalid, span(i, j - i))
            return j
        }
        if kind == .leftParen {
            parenDepth += 1
            if parenDepth == limits.maxNesting + 1 {
                report(.nestingTooDeep, "parentheses are nested more than \(limits.maxNesting) deep", at: i, length: 1)
            }
        } else if kind == .rightParen, parenDepth > 0 {
            parenDepth -= 1
        }
        emit(kind, at: i, length: length)
        return i + length
    }

    private mutating func lexString(from start: Int, to end: Int) -> Int {
        var i = start + 1
        var text = [UInt8]()
        while i < end, bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\"), i + 1 < end {
                let escaped = bytes[i + 1]
                text.append(escaped == UInt8(ascii: "n") ? 10 : escaped == UInt8(ascii: "t") ? 9 : escaped)
                i += 2
            } else if bytes[i] >= 0x80 {
                guard let length = utf8Length(at: i, end: end) else {
                    report(.invalidUTF8, "these bytes are not valid UTF-8 text", at: i, length: 1, hint: "save the file as UTF-8")
                    i += 1
                    continue
                }
                text += bytes[i..<i + length]
                i += length
            } else {
                if bytes[i] == 0 { report(.nulByte, "a NUL byte in the text", at: i, length: 1) }
                text.append(bytes[i])
                i += 1
            }
        }
        if i >= end {
            report(.unterminatedString, "this string is not closed", at: start, length: end - start,
                   hint: "add a `\"` where the text ends")
        } else {
            i += 1
        }
        tokens.append(.string, span(start, i - start), .string(String(decoding: text, as: UTF8.self)))
        reportControls(from: start, to: i, in: "string")
        return i
    }

    /// `b.i.d.`, `p.o.`, `q.h.s.`: single letters joined by dots are one abbreviation, read as
    /// the word without its dots (`bid`). Two letters at least, each but the last followed by a dot.
    private mutating func lexDottedAbbreviation(from start: Int, to end: Int) -> Int? {
        var letters: [UInt8] = []
        var i = start
        while i < end, isWordStart(bytes[i]) {
            // One letter at a time: a longer word (`st.` in `st. john's wort`) is not an abbreviation.
            if i + 1 < end, isWordStart(bytes[i + 1]) || isDigit(bytes[i + 1]) { break }
            letters.append(bytes[i] | 0x20)
            i += 1
            guard i < end, bytes[i] == UInt8(ascii: ".") else { break }
            i += 1
        }
        guard letters.count >= 2, i <= end, bytes[start + 1] == UInt8(ascii: ".") else { return nil }
        // The last letter needs no dot, but one that is there belongs to the abbreviation.
        tokens.appendWord(letters[...], span(start, i - start))
        return i
    }

    /// A warning at the first control character or bidi control written raw in a string or a
    /// comment (the `\n` and `\t` escapes are written visibly, and are not reported): a terminal,
    /// an editor or a calendar could obey what the tool only shows. Tabs are allowed.
    private mutating func reportControls(from start: Int, to end: Int, in what: String) {
        var i = start
        var first: (offset: Int, length: Int, scalar: Unicode.Scalar)?
        var count = 0
        while i < end {
            let byte = bytes[i]
            var length = 1
            var scalar: Unicode.Scalar?
            if byte < 0x80 {
                if byte != 9 && byte != 0 && (byte < 0x20 || byte == 0x7F) { scalar = Unicode.Scalar(byte) }
            } else if let size = utf8Length(at: i, end: end) {
                length = size
                if let decoded = String(validating: bytes[i..<i + size], as: UTF8.self)?.unicodeScalars.first,
                   Printable.isHostile(decoded) { scalar = decoded }
            }
            if let scalar {
                count += 1
                if first == nil { first = (i, length, scalar) }
            }
            i += length
        }
        guard let first else { return }
        let name = Printable.isBidiControl(first.scalar) ? "a bidirectional control" : "a control character"
        let shown = Printable.escaped(String(first.scalar))
        let more = count > 1 ? " (and \(count - 1) more)" : ""
        report(.controlCharacter, "this \(what) holds \(name), \(shown)\(more), that a terminal or an editor may obey", at: first.offset,
               length: first.length, hint: "delete it; the tool shows such characters written out, as \(shown)")
    }

    private mutating func lexWord(from start: Int, to end: Int, firstLength: Int = 1) -> Int {
        if firstLength == 1, start + 2 < end, bytes[start + 1] == UInt8(ascii: "."), isWordStart(bytes[start + 2]),
           let next = lexDottedAbbreviation(from: start, to: end) { return next }
        var i = start + firstLength
        while i < end {
            let byte = bytes[i]
            if isWordStart(byte) || isDigit(byte) || byte == UInt8(ascii: "'") {
                i += 1
            } else if byte == UInt8(ascii: "-"), i + 1 < end, isWordStart(bytes[i + 1]) {
                i += 1
            } else if byte == UInt8(ascii: "-"), let next = numberedNameEnd(wordStart: start, hyphen: i, end: end) {
                i = next
            } else if byte >= 0x80, let length = utf8Length(at: i, end: end) {
                i += length
            } else {
                break
            }
        }
        // `st. john's wort`: the abbreviation's dot belongs to the word, which is `st`.
        if i - start == 2, i + 1 < end, bytes[i] == UInt8(ascii: "."), bytes[i + 1] == UInt8(ascii: " "),
           bytes[start] | 0x20 == UInt8(ascii: "s"), bytes[start + 1] | 0x20 == UInt8(ascii: "t") {
            tokens.appendWord(Array("st".utf8)[...], span(start, 3))
            return i + 1
        }
        // Most words are lower-case ASCII already: lower-case a copy only when needed.
        let needsLowering = bytes[start..<i].contains { ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || $0 >= 0x80 }
        if needsLowering {
            tokens.appendWord(Array(String(decoding: bytes[start..<i], as: UTF8.self).lowercased().utf8)[...], span(start, i - start))
        } else {
            tokens.appendWord(bytes[start..<i], span(start, i - start))
        }
        return i
    }

    /// `omega-3`, `alpha-1`: a hyphen and digits that end a name belong to it, when the word
    /// before holds no digit (`q4-6h` is a range, and `dose-50mg` a subtraction, both unchanged).
    /// The end of the word, or nil.
    private func numberedNameEnd(wordStart: Int, hyphen: Int, end: Int) -> Int? {
        var j = hyphen + 1
        while j < end, isDigit(bytes[j]) { j += 1 }
        guard j > hyphen + 1, j == end || !(isWordStart(bytes[j]) || bytes[j] == UInt8(ascii: ".") || bytes[j] >= 0x80),
              !bytes[wordStart..<hyphen].contains(where: isDigit) else { return nil }
        return j
    }

    // MARK: Numbers, quantities, clock times and dates

    /// `½`, `¼`, `¾`, `⅓`, `⅔` at `i`: the value and the character's length in bytes.
    private func vulgarFraction(at i: Int, end: Int) -> (Double, Int)? {
        let fractions: [([UInt8], Double)] = [
            (Array("½".utf8), 0.5), (Array("¼".utf8), 0.25), (Array("¾".utf8), 0.75), (Array("⅓".utf8), 1.0 / 3), (Array("⅔".utf8), 2.0 / 3),
        ]
        for (spelling, value) in fractions where bytes[i..<end].starts(with: spelling) { return (value, spelling.count) }
        return nil
    }

    private mutating func lexNumber(from start: Int, to end: Int, fractionOnly: (Double, Int)? = nil) -> Int {
        let digits = fractionOnly == nil ? digitRun(from: start, to: end) : 0
        if digits == 4, let next = lexDate(from: start, to: end) { return next }
        if (1...2).contains(digits), let next = lexClock(from: start, to: end, hourDigits: digits) { return next }
        if (1...2).contains(digits), let (half, next) = meridiem(from: start + digits, to: end) {
            return appendTwelveHourClock(hour: number(start, digits), minute: 0, half: half, start: start, end: next)
        }
        var i = start + digits
        var text = String(decoding: bytes[start..<i], as: UTF8.self)
        // `50,000 IU`: thousands separators, in groups of exactly three digits.
        while (1...3).contains(digits), text.count <= 12, i < end, bytes[i] == UInt8(ascii: ","), digitRun(from: i + 1, to: end) == 3 {
            text += String(decoding: bytes[i + 1..<i + 4], as: UTF8.self)
            i += 4
        }
        if i + 1 < end, bytes[i] == UInt8(ascii: "."), isDigit(bytes[i + 1]) {
            let fraction = digitRun(from: i + 1, to: end)
            text += String(decoding: bytes[i..<i + 1 + fraction], as: UTF8.self)
            i += 1 + fraction
        }
        var value = Double(text.isEmpty ? "0" : text) ?? .infinity
        // `1/2 tablet`: a fraction of whole numbers; `1½`, `½`: a vulgar fraction.
        let denominatorDigits = i + 1 < end && bytes[i] == UInt8(ascii: "/") ? digitRun(from: i + 1, to: end) : 0
        let afterDenominator = i + 1 + denominatorDigits
        if digits > 0, text.count == digits, (1...2).contains(denominatorDigits),
           afterDenominator >= end || ![UInt8(ascii: "."), UInt8(ascii: ":")].contains(bytes[afterDenominator]),
           number(i + 1, denominatorDigits) > 0 {
            value /= Double(number(i + 1, denominatorDigits))
            i = afterDenominator
        } else if let (fraction, length) = fractionOnly ?? (i < end ? vulgarFraction(at: i, end: end) : nil) {
            value += fraction
            i += length
        }
        let numberEnd = i
        if digits > 15 || !value.isFinite {
            report(.numberTooLarge, "this number is too large", at: start, length: numberEnd - start)
            value = .nan
        }
        if i < end, bytes[i] == UInt8(ascii: "%") {
            tokens.append(.percent, span(start, i + 1 - start), .number(value))
            return i + 1
        }
        if let (unit, unitEnd) = lexUnit(from: numberEnd, to: end) {
            tokens.append(.quantity, span(start, unitEnd - start), .quantity(value, unit))
            return unitEnd
        }
        tokens.append(.number, span(start, numberEnd - start), .number(value))
        return numberEnd
    }

    /// A unit right after a number, with or without a space: `300mg`, `300 mg`, `5 mg/kg`.
    private func lexUnit(from start: Int, to end: Int) -> (CompoundUnit, Int)? {
        var i = start
        while i < end, bytes[i] == UInt8(ascii: " ") { i += 1 }
        guard let (numerator, afterNumerator) = unitWord(from: i, to: end) else { return nil }
        var unit = CompoundUnit(numerator: numerator, denominator: nil)
        var unitEnd = afterNumerator
        if afterNumerator < end, bytes[afterNumerator] == UInt8(ascii: "/"),
           let (denominator, afterDenominator) = unitWord(from: afterNumerator + 1, to: end) {
            unit = CompoundUnit(numerator: numerator, denominator: denominator)
            unitEnd = afterDenominator
            // eGFR is normalised to body surface: `mL/min/1.73m²` reads as mL/min.
            for suffix in ["/1.73m²", "/1.73 m²", "/1.73m2", "/1.73 m2"] where bytes[unitEnd..<end].starts(with: suffix.utf8) {
                unitEnd += suffix.utf8.count
                break
            }
        }
        return (unit, unitEnd)
    }

    /// A whole word that is a unit spelling, ending at a non-word character.
    private func unitWord(from start: Int, to end: Int) -> (Unit, Int)? {
        var i = start
        while i < end {
            if isWordStart(bytes[i]) { i += 1; continue }
            if bytes[i] >= 0x80, let length = utf8Length(at: i, end: end) { i += length; continue }
            break
        }
        // `m2`, square metres (`375 mg/m2`): the one unit spelt with a digit.
        if i == start + 1, bytes[start] == UInt8(ascii: "m"), i < end, bytes[i] == UInt8(ascii: "2"),
           i + 1 == end || !(isDigit(bytes[i + 1]) || isWordStart(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: "'")) {
            return (Unit.named("m2")!, i + 1)
        }
        guard i > start, i == end || !(isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "'")) else { return nil }
        guard let unit = Unit.named(String(decoding: bytes[start..<i], as: UTF8.self)) else { return nil }
        return (unit, i)
    }

    private mutating func lexDate(from start: Int, to end: Int) -> Int? {
        // YYYY-MM-DD
        guard start + 10 <= end, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
              digitRun(from: start + 5, to: end) == 2, digitRun(from: start + 8, to: end) == 2 else { return nil }
        let year = number(start, 4), month = number(start + 5, 2), day = number(start + 8, 2)
        if let date = CivilDate(year: year, month: month, day: day) {
            tokens.append(.date, span(start, 10), .date(date))
        } else {
            report(.invalidDate, "\(String(decoding: bytes[start..<start + 10], as: UTF8.self)) is not a date in the calendar",
                   at: start, length: 10, hint: month > 12 ? "dates are written year-month-day" : nil)
            tokens.append(.date, span(start, 10), .none)
        }
        return start + 10
    }

    private mutating func lexClock(from start: Int, to end: Int, hourDigits: Int) -> Int? {
        // H:MM or HH:MM
        let colon = start + hourDigits
        guard colon + 3 <= end, bytes[colon] == UInt8(ascii: ":"), digitRun(from: colon + 1, to: end) == 2 else { return nil }
        let hour = number(start, hourDigits), minute = number(colon + 1, 2)
        if let (half, next) = meridiem(from: colon + 3, to: end) {
            return appendTwelveHourClock(hour: hour, minute: minute, half: half, start: start, end: next)
        }
        let length = colon + 3 - start
        if hour < 24, minute < 60 {
            tokens.append(.clock, span(start, length), .clock(minutes: hour * 60 + minute))
        } else {
            report(.invalidTime, "\(String(decoding: bytes[start..<start + length], as: UTF8.self)) is not a time of day",
                   at: start, length: length, hint: "use a 24-hour clock from 00:00 to 23:59")
            tokens.append(.clock, span(start, length), .none)
        }
        return start + length
    }

    /// `am`, `pm`, `a.m.` or `p.m.` after a time, with or without a space: whether it is the
    /// afternoon half, and where the time ends.
    private func meridiem(from start: Int, to end: Int) -> (pm: Bool, end: Int)? {
        var i = start
        if i < end, bytes[i] == UInt8(ascii: " ") { i += 1 }
        func lower(_ k: Int) -> UInt8 { k < end ? bytes[k] | 0x20 : 0 }
        guard lower(i) == UInt8(ascii: "a") || lower(i) == UInt8(ascii: "p") else { return nil }
        let pm = lower(i) == UInt8(ascii: "p")
        var j = i + 1
        if j < end, bytes[j] == UInt8(ascii: ".") { j += 1 }
        guard lower(j) == UInt8(ascii: "m") else { return nil }
        j += 1
        if j < end, bytes[j] == UInt8(ascii: "."), bytes[j - 2] == UInt8(ascii: ".") { j += 1 }
        // A whole word only: `8 amps` is not a time.
        if j < end, isWordStart(bytes[j]) || isDigit(bytes[j]) { return nil }
        return (pm, j)
    }

    /// `8am`, `9:30 pm`, `12am` (midnight), `12pm` (noon), as a 24-hour clock time.
    private mutating func appendTwelveHourClock(hour: Int, minute: Int, half pm: Bool, start: Int, end: Int) -> Int {
        let length = end - start
        guard (1...12).contains(hour), minute < 60 else {
            report(.invalidTime, "\(String(decoding: bytes[start..<end], as: UTF8.self)) is not a time of day",
                   at: start, length: length, hint: "a 12-hour time runs from 12am to 11:59pm; or use a 24-hour clock, such as 13:00")
            tokens.append(.clock, span(start, length), .none)
            return end
        }
        let hour24 = hour % 12 + (pm ? 12 : 0)
        tokens.append(.clock, span(start, length), .clock(minutes: hour24 * 60 + minute))
        return end
    }

    // MARK: Helpers

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    private func digitRun(from start: Int, to end: Int) -> Int {
        var i = start
        while i < end, isDigit(bytes[i]) { i += 1 }
        return i - start
    }

    private func number(_ start: Int, _ count: Int) -> Int {
        bytes[start..<start + count].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// The length of the valid UTF-8 sequence at `i`, or nil when the bytes there are invalid.
    private func utf8Length(at i: Int, end: Int) -> Int? {
        let lead = bytes[i]
        let (length, low, high): (Int, UInt8, UInt8) = switch lead {
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: (0, 0, 0)
        }
        guard length > 0, i + length <= end, (low...high).contains(bytes[i + 1]) else { return nil }
        for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return nil }
        return length
    }

    private func span(_ offset: Int, _ length: Int) -> Span { Span(file: fileID, offset: offset, length: length) }

    private mutating func emit(_ kind: TokenKind, at offset: Int, length: Int) {
        tokens.append(kind, span(offset, length))
    }

    private mutating func report(_ code: DiagnosticCode, _ message: String, at offset: Int, length: Int, hint: String? = nil) {
        let count = repeatCount[code, default: 0]
        repeatCount[code] = count + 1
        guard count < limits.maxRepeatedLexerErrors else { return }
        diagnostics.append(Diagnostic(code, message, at: span(offset, length), hint: hint))
    }
}
