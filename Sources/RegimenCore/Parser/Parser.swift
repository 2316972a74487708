/// A recursive-descent parser over the lexer's tokens. It reports every error it can:
/// after an error it skips to the end of the line (and parses any block the line opened,
/// so errors inside it are found too), reporting at most one error per line.
public struct Parser {
    var tokens: TokenList
    var index = 0
    var diagnostics: [Diagnostic] = []
    let fileID: FileID
    let limits: Limits
    var expressionDepth = 0
    /// Operators in the chains being parsed (`1mg + 1mg + …`): each one deepens the tree by one,
    /// as a parenthesis does, and the evaluator walks the tree recursively.
    var chainDepth = 0
    /// The line of the last reported error, so one mistake gives one message (panic mode).
    var lastErrorLine: Int?
    /// The clauses of the items being parsed, gathered here and then copied into an array of
    /// their exact size: one allocation per item rather than one per doubling of its array.
    var pendingClauses: [Clause] = []
    /// Inside `product "NAME": …`, where a comma followed by a name starts the next ingredient.
    var readingProductIngredients = false

    /// Whether a word ends an item's name, whether it begins a statement, the route it names and
    /// the clause it begins, once per distinct word.
    var endsName = WordMemo { Parser.nameStoppers.contains($0) || Parser.everyHours($0) != nil }
    var beginsStatement = WordMemo { Parser.statementKeywords.contains($0) }
    var routes = WordMemo { Route.words[$0] }
    var clauseStarts = WordMemo { Parser.clauseStartWords[$0] }

    /// Thrown after a diagnostic was recorded; the caller resynchronises.
    struct Failure: Error {}

    public init(tokens: TokenList, fileID: FileID, limits: Limits = .standard) {
        self.tokens = tokens
        self.fileID = fileID
        self.limits = limits
    }

    /// Parses a whole file into statements.
    public static func parse(_ tokens: TokenList, fileID: FileID, limits: Limits = .standard) -> (statements: [Statement], diagnostics: [Diagnostic]) {
        var parser = Parser(tokens: tokens, fileID: fileID, limits: limits)
        let statements = parser.parseFile()
        return (statements, parser.diagnostics)
    }

    /// True when the input stops in the middle of a statement or block: the REPL asks this
    /// to decide whether to show a continuation prompt.
    public static func isIncomplete(_ tokens: TokenList) -> Bool {
        let meaningful = tokens.filter { $0.kind != .newline && $0.kind != .dedent && $0.kind != .end }
        guard let last = meaningful.last else { return false }
        return last.kind == .colon || last.kind == .comma
    }

    // MARK: File and blocks

    /// file = { statement } ;
    mutating func parseFile() -> [Statement] {
        var statements = parseStatements(in: .top)
        while !at(.end) {
            // A stray dedent or indent at top level: report once and carry on.
            if at(.indent) {
                statements += parseUnexpectedBlock(in: .top)
            } else {
                skip()
            }
            statements += parseStatements(in: .top)
        }
        return statements
    }

    /// Statements up to the end of the enclosing block.
    mutating func parseStatements(in context: Context) -> [Statement] {
        var statements: [Statement] = []
        while !at(.end), !at(.dedent) {
            if accept(.newline) != nil { continue }
            if at(.indent) {
                _ = parseUnexpectedBlock(in: context)
                continue
            }
            // The lexer reported the characters with no meaning on this line: reading the rest of it
            // would only report its consequences.
            if lineHoldsInvalidToken() {
                synchronize(in: context)
                continue
            }
            do {
                statements.append(try parseStatement(in: context))
            } catch {
                synchronize(in: context)
            }
        }
        return statements
    }

    /// block = ":" NEWLINE INDENT { statement } DEDENT ;
    mutating func parseBlock(in context: Context, opener: String) throws(Failure) -> [Statement] {
        try expect(.colon, "`:` at the end of the \(opener) line")
        return try parseBlockBody(in: context, opener: opener)
    }

    /// The part of a block after its `:`.
    mutating func parseBlockBody(in context: Context, opener: String) throws(Failure) -> [Statement] {
        guard accept(.newline) != nil else {
            throw fail(.unexpectedToken, "expected the end of the line after `:`, found \(current.described)", at: current.span)
        }
        guard accept(.indent) != nil else {
            throw fail(.expectedBlock, "the \(opener) line ends in `:` but no indented lines follow it", at: previous.span,
                       hint: "indent the lines that belong to it, or remove the `:`")
        }
        let body = parseStatements(in: context)
        accept(.dedent)
        return body
    }

    /// An indented block where none was opened: reported, then parsed so errors inside are found.
    mutating func parseUnexpectedBlock(in context: Context) -> [Statement] {
        let indent = advance()
        report(.unexpectedIndent, "this line is indented, but the line before it does not open a block",
               at: Span(file: fileID, offset: indent.span.offset, length: max(1, current.span.length)),
               hint: "remove the indentation, or end the line before it with `:`")
        _ = parseStatements(in: context)
        accept(.dedent)
        return []
    }

    /// True when the logical line from here holds a token the lexer could not read.
    private func lineHoldsInvalidToken() -> Bool {
        var i = index
        while i < tokens.count {
            switch tokens.kind(at: i) {
            case .invalid: return true
            case .newline, .end, .indent, .dedent: return false
            default: i += 1
            }
        }
        return false
    }

    /// Skips the rest of a line after an error, and any block that line opened.
    mutating func synchronize(in context: Context) {
        while !at(.newline), !at(.end), !at(.dedent), !at(.indent) { skip() }
        accept(.newline)
        if at(.indent) {
            skip()
            _ = parseStatements(in: context)
            accept(.dedent)
        }
    }

    // MARK: Token cursor

    var current: Token { tokens[index] }
    var currentKind: TokenKind { tokens.kind(at: index) }
    var currentSpan: Span { tokens.span(at: index) }
    var previous: Token { tokens[max(0, index - 1)] }
    var previousSpan: Span { tokens.span(at: max(0, index - 1)) }
    func peek(_ offset: Int = 1) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    /// Moves past the current token without decoding it (most tokens are only looked at by kind).
    mutating func skip() {
        if index < tokens.count - 1 { index += 1 }
    }

    /// Moves past the current token and returns it.
    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func at(_ kind: TokenKind) -> Bool { currentKind == kind }
    func atWord(_ word: String) -> Bool { currentKind == .word && current.isWord(word) }

    @discardableResult
    mutating func accept(_ kind: TokenKind) -> Token? { at(kind) ? advance() : nil }

    @discardableResult
    mutating func acceptWord(_ word: String) -> Token? { atWord(word) ? advance() : nil }

    @discardableResult
    mutating func expect(_ kind: TokenKind, _ what: String) throws(Failure) -> Token {
        if let token = accept(kind) { return token }
        throw fail(.unexpectedToken, "expected \(what), found \(current.described)", at: currentSpan)
    }

    @discardableResult
    mutating func expectWord(_ word: String, _ what: String? = nil) throws(Failure) -> Token {
        if let token = acceptWord(word) { return token }
        throw fail(.unexpectedToken, "expected \(what ?? "`\(word)`"), found \(current.described)", at: currentSpan)
    }

    /// A word token's text, or a failure naming what was expected.
    mutating func expectAnyWord(_ what: String) throws(Failure) -> (String, Span) {
        guard let word = current.word else {
            throw fail(.unexpectedToken, "expected \(what), found \(current.described)", at: currentSpan)
        }
        return (word, advance().span)
    }

    /// Expects the end of the logical line.
    mutating func expectEndOfLine() throws(Failure) {
        if at(.end) || at(.dedent) { return }
        try expect(.newline, "the end of the line")
    }

    // MARK: Diagnostics

    /// Records an error unless this line already has one, and returns the failure to throw.
    mutating func fail(_ code: DiagnosticCode, _ message: String, at span: Span, hint: String? = nil) -> Failure {
        report(code, message, at: span, hint: hint)
        return Failure()
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, at span: Span, hint: String? = nil) {
        let line = lineNumber(of: span)
        guard line != lastErrorLine else { return }
        lastErrorLine = line
        var span = span
        if span.length == 0, currentKind == .newline || currentKind == .end {
            span.length = 1
        }
        diagnostics.append(Diagnostic(code, message, at: span, hint: hint))
    }

    /// The index of the token that ends the current logical line: errors on one line share it.
    private func lineNumber(of span: Span) -> Int {
        var i = index
        while i < tokens.count - 1, tokens.kind(at: i) != .newline { i += 1 }
        return i
    }

    func span(from start: Span) -> Span { start.through(previousSpan) }
}

/// Where a statement stands, which decides what may stand there.
enum Context {
    case top, plan, define, rule, patient

    var allowsItems: Bool { self != .rule && self != .patient }
}
