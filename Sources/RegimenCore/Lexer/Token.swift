/// The kinds of token the lexer produces.
public enum TokenKind: Hashable, Sendable {
    case word, number, quantity, percent, clock, date, string
    case colon, comma, dot, leftParen, rightParen
    case plus, minus, star, slash
    case less, lessEqual, greater, greaterEqual, equalEqual, notEqual, assign
    /// The end of a logical line.
    case newline
    /// A line indented deeper than the one before: a block opens.
    case indent
    /// A line indented less: a block closes.
    case dedent
    case end
}

/// The value a literal token carries, decoded once by the lexer.
public enum TokenValue: Hashable, Sendable {
    case none
    /// A word in lower case (names are case-insensitive).
    case word(String)
    case number(Double)
    case quantity(Double, CompoundUnit)
    case clock(minutes: Int)
    case date(CivilDate)
    case string(String)
}

/// One token with its place in the source.
public struct Token: Hashable, Sendable {
    public var kind: TokenKind
    public var span: Span
    public var value: TokenValue

    /// The lower-case word, when this is a word token.
    public var word: String? {
        if case .word(let w) = value { return w }
        return nil
    }

    /// True when this token is the given word (keywords are words, matched case-insensitively).
    public func isWord(_ keyword: String) -> Bool {
        // Lengths first: most words differ in length, and comparing them is far cheaper than comparing text.
        guard case .word(let w) = value, w.utf8.count == keyword.utf8.count else { return false }
        return w == keyword
    }

    /// A description for "expected …, found …" messages.
    public var described: String {
        switch kind {
        case .word: "`\(word ?? "")`"
        case .number: "a number"
        case .quantity: "a quantity"
        case .percent: "a percentage"
        case .clock: "a clock time"
        case .date: "a date"
        case .string: "a string"
        case .colon: "`:`"
        case .comma: "`,`"
        case .dot: "`.`"
        case .leftParen: "`(`"
        case .rightParen: "`)`"
        case .plus: "`+`"
        case .minus: "`-`"
        case .star: "`*`"
        case .slash: "`/`"
        case .less: "`<`"
        case .lessEqual: "`<=`"
        case .greater: "`>`"
        case .greaterEqual: "`>=`"
        case .equalEqual: "`==`"
        case .notEqual: "`!=`"
        case .assign: "`=`"
        case .newline: "the end of the line"
        case .indent: "an indented block"
        case .dedent: "the end of the block"
        case .end: "the end of the file"
        }
    }
}
