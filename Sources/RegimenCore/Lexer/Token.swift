/// The kinds of token the lexer produces.
public enum TokenKind: Hashable, Sendable {
    case word, number, quantity, percent, clock, date, string
    case colon, comma, dot, leftParen, rightParen
    case plus, minus, star, slash
    case less, lessEqual, greater, greaterEqual, equalEqual, notEqual, assign
    /// The end of a logical line.
    /// Characters with no meaning, already reported: the statement holding them is passed over.
    case invalid
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
        case .invalid: "characters with no meaning"
        case .newline: "the end of the line"
        case .indent: "an indented block"
        case .dedent: "the end of the block"
        case .end: "the end of the file"
        }
    }
}

/// The lexer's output: tokens stored compactly (20 bytes each, no references) with their values
/// in a side table where each distinct word appears once. A 5 MB plan's tokens then take about
/// a third of the memory they would as `[Token]`, which is what keeps lexing and parsing linear
/// in the file's size. Reading an element gives the full `Token`.
public struct TokenList: RandomAccessCollection, Sendable {
    struct Packed: Sendable {
        var span: Span
        var kind: TokenKind
        /// An index into `values`, or `noValue`.
        var value: UInt32
    }

    static let noValue = UInt32.max

    private var packed: [Packed] = []
    private var values: [TokenValue] = []
    /// Open-addressing hash table from a word's bytes to its index in `values` (-1: empty slot).
    private var wordSlots = [Int32](repeating: -1, count: 1024)
    private var wordCount = 0

    init(reservingCapacity capacity: Int) {
        packed.reserveCapacity(capacity)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { packed.count }

    public subscript(index: Int) -> Token {
        let token = packed[index]
        return Token(kind: token.kind, span: token.span, value: token.value == Self.noValue ? .none : values[Int(token.value)])
    }

    /// The kind alone, without decoding the value: the parser's most frequent question.
    func kind(at index: Int) -> TokenKind { packed[index].kind }
    func span(at index: Int) -> Span { packed[index].span }

    /// A word token's identity: equal words have equal identities within one list.
    func wordID(at index: Int) -> Int? { packed[index].kind == .word ? Int(packed[index].value) : nil }

    mutating func append(_ kind: TokenKind, _ span: Span, _ value: TokenValue = .none) {
        var index = Self.noValue
        if case .none = value {} else {
            index = UInt32(values.count)
            values.append(value)
        }
        packed.append(Packed(span: span, kind: kind, value: index))
    }

    /// Appends a word token, storing each distinct (lower-case) word once.
    mutating func appendWord(_ bytes: ArraySlice<UInt8>, _ span: Span) {
        let mask = wordSlots.count - 1
        var slot = Int(Self.hash(bytes)) & mask
        while wordSlots[slot] >= 0 {
            let existing = Int(wordSlots[slot])
            if case .word(let word) = values[existing], word.utf8.elementsEqual(bytes) {
                packed.append(Packed(span: span, kind: .word, value: UInt32(existing)))
                return
            }
            slot = (slot + 1) & mask
        }
        wordSlots[slot] = Int32(values.count)
        wordCount += 1
        append(.word, span, .word(String(decoding: bytes, as: UTF8.self)))
        if wordCount * 2 > wordSlots.count { growWordSlots() }
    }

    private mutating func growWordSlots() {
        var slots = [Int32](repeating: -1, count: wordSlots.count * 2)
        let mask = slots.count - 1
        for index in wordSlots where index >= 0 {
            guard case .word(let word) = values[Int(index)] else { continue }
            var slot = Int(Self.hash(word.utf8)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = index
        }
        wordSlots = slots
    }

    /// FNV-1a: quick on the short words of a plan, and good enough for a table kept half empty.
    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}

/// A question about words, answered once per distinct word of a token list rather than once per
/// occurrence: the parser asks several of them of every word of every line.
struct WordMemo<Answer: Sendable> {
    private var answers: [Answer?] = []
    private let question: @Sendable (String) -> Answer

    init(_ question: @escaping @Sendable (String) -> Answer) { self.question = question }

    mutating func answer(_ id: Int, _ word: String) -> Answer {
        if id >= answers.count { answers += [Answer?](repeating: nil, count: id + 1 - answers.count + answers.count / 2) }
        if let known = answers[id] { return known }
        let answer = question(word)
        answers[id] = answer
        return answer
    }
}
