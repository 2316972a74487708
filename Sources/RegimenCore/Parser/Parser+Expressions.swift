extension Parser {
    /// expr = or ;  or = and { "or" and } ;
    mutating func parseExpression() throws(Failure) -> Expr {
        try nested { (parser: inout Parser) throws(Failure) in
            var left = try parser.parseAnd()
            let chainStart = parser.chainDepth
            defer { parser.chainDepth = chainStart }
            while parser.acceptWord("or") != nil {
                try parser.deepenChain()
                let right = try parser.parseAnd()
                left = Expr(kind: .binary(.or, left, right), span: left.span.through(right.span))
            }
            return left
        }
    }

    /// and = not { "and" not } ;
    private mutating func parseAnd() throws(Failure) -> Expr {
        var left = try parseNot()
        let chainStart = chainDepth
        defer { chainDepth = chainStart }
        while acceptWord("and") != nil {
            try deepenChain()
            let right = try parseNot()
            left = Expr(kind: .binary(.and, left, right), span: left.span.through(right.span))
        }
        return left
    }

    /// not = "not" not | comparison ;
    private mutating func parseNot() throws(Failure) -> Expr {
        if let keyword = acceptWord("not") {
            let operand = try nested { (parser: inout Parser) throws(Failure) in try parser.parseNot() }
            return Expr(kind: .unary(.not, operand), span: keyword.span.through(operand.span))
        }
        return try parseComparison()
    }

    /// comparison = additive [ ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) additive ] ;
    private mutating func parseComparison() throws(Failure) -> Expr {
        let left = try parseAdditive()
        let op: BinaryOperator
        switch currentKind {
        case .less: op = .less
        case .lessEqual: op = .lessEqual
        case .greater: op = .greater
        case .greaterEqual: op = .greaterEqual
        case .equalEqual, .assign: op = .equal
        case .notEqual: op = .notEqual
        default: return left
        }
        skip()
        let right = try parseAdditive()
        return Expr(kind: .binary(op, left, right), span: left.span.through(right.span))
    }

    /// additive = term { ( "+" | "-" ) term } ;
    mutating func parseAdditive() throws(Failure) -> Expr {
        var left = try parseTerm()
        let chainStart = chainDepth
        defer { chainDepth = chainStart }
        while at(.plus) || at(.minus) {
            try deepenChain()
            let op: BinaryOperator = advance().kind == .plus ? .add : .subtract
            let right = try parseTerm()
            left = Expr(kind: .binary(op, left, right), span: left.span.through(right.span))
        }
        return left
    }

    /// term = unary { ( "*" | "/" ) unary } ;
    private mutating func parseTerm() throws(Failure) -> Expr {
        var left = try parseUnary()
        let chainStart = chainDepth
        defer { chainDepth = chainStart }
        while at(.star) || at(.slash) {
            try deepenChain()
            let op: BinaryOperator = advance().kind == .star ? .multiply : .divide
            let right = try parseUnary()
            left = Expr(kind: .binary(op, left, right), span: left.span.through(right.span))
        }
        return left
    }

    /// unary = "-" unary | primary ;
    private mutating func parseUnary() throws(Failure) -> Expr {
        if let minus = accept(.minus) {
            let operand = try nested { (parser: inout Parser) throws(Failure) in try parser.parseUnary() }
            return Expr(kind: .unary(.negate, operand), span: minus.span.through(operand.span))
        }
        return try parsePrimary()
    }

    /// primary = NUMBER | QUANTITY | PERCENT | CLOCK | DATE | STRING | "true" | "false"
    ///         | "patient" "." WORD | "patient" "has" name | "plan" "has" name | "daily" name
    ///         | WORD "(" [ expr { "," expr } ] ")" | WORD | "(" expr ")" ;
    mutating func parsePrimary() throws(Failure) -> Expr {
        let token = current
        switch token.kind {
        case .number, .quantity, .percent, .clock, .date, .string:
            skip()
            return Expr(kind: literal(of: token), span: token.span)
        case .leftParen:
            skip()
            let inner = try parseExpression()
            try expect(.rightParen, "`)`")
            return Expr(kind: inner.kind, span: token.span.through(previous.span))
        case .word:
            return try parseWordPrimary()
        default:
            throw fail(.unexpectedToken, "expected a value, found \(token.described)", at: token.span)
        }
    }

    /// Words that end a name inside an expression (`patient has ms and ...`).
    static let expressionStops: Set<String> = ["and", "or", "not"]

    private mutating func parseWordPrimary() throws(Failure) -> Expr {
        let token = advance()
        let word = token.word!
        let stops = Self.expressionStops
        switch word {
        case "true", "false":
            return Expr(kind: .literal(.bool(word == "true")), span: token.span)
        case "patient" where at(.dot):
            skip()
            let (field, fieldSpan) = try expectAnyWord("a patient field after `patient.`")
            // `patient.lab.potassium`, `patient.lab.tsh.age`: a laboratory result, and how old it is.
            if field == "lab", at(.dot) {
                skip()
                var (path, pathSpan) = try expectAnyWord("the name of a laboratory result after `patient.lab.`, such as `potassium`")
                if at(.dot), peek().isWord("age") {
                    skip()
                    pathSpan = advance().span
                    path += ".age"
                }
                return Expr(kind: .patientField("lab." + path), span: token.span.through(pathSpan))
            }
            return Expr(kind: .patientField(field), span: token.span.through(fieldSpan))
        case "patient" where atWord("has"):
            skip()
            let name = try parseName(stoppingAt: stops)
            return Expr(kind: .patientHas(name), span: token.span.through(name.span))
        case "plan" where atWord("has"):
            skip()
            let name = try parseName(stoppingAt: stops)
            return Expr(kind: .planHas(name), span: token.span.through(name.span))
        case "daily" where currentKind == .word:
            let name = try parseName(stoppingAt: stops)
            return Expr(kind: .dailyTotal(name), span: token.span.through(name.span))
        default:
            guard accept(.leftParen) != nil else { return Expr(kind: .variable(word), span: token.span) }
            var arguments: [Expr] = []
            if accept(.rightParen) == nil {
                repeat { arguments.append(try parseExpression()) } while accept(.comma) != nil
                try expect(.rightParen, "`)` after the arguments")
            }
            return Expr(kind: .call(word, arguments), span: token.span.through(previous.span))
        }
    }

    private func literal(of token: Token) -> ExprKind {
        switch (token.kind, token.value) {
        case (.number, .number(let v)) where !v.isNaN: .literal(.number(v))
        case (.quantity, .quantity(let v, let unit)) where !v.isNaN: .literal(.quantity(v, unit))
        case (.percent, .number(let v)) where !v.isNaN: .literal(.percent(v))
        case (.clock, .clock(let minutes)): .literal(.clock(ClockTime(minutes: minutes)))
        case (.date, .date(let date)): .literal(.date(date))
        case (.string, .string(let text)): .literal(.string(text))
        default: .invalid // the lexer has reported it
        }
    }

    /// Runs `body` one level deeper, failing cleanly past the nesting limit instead of overflowing the stack.
    /// One more operator in a chain; past the limit the expression is refused, so a 40 KB line of
    /// `1mg + 1mg + …` cannot build a tree deep enough to overflow the stack when evaluated.
    private mutating func deepenChain() throws(Failure) {
        chainDepth += 1
        guard expressionDepth + chainDepth <= limits.maxExpressionDepth else {
            throw fail(.nestingTooDeep, "this expression has more than \(limits.maxExpressionDepth) operators in a row", at: currentSpan,
                       hint: "split it with `let`, for example `let part = a + b`")
        }
    }

    private mutating func nested(_ body: (inout Parser) throws(Failure) -> Expr) throws(Failure) -> Expr {
        guard expressionDepth < limits.maxNesting else {
            // The lexer has already reported parentheses nested too deep.
            if at(.leftParen) { throw Failure() }
            throw fail(.nestingTooDeep, "this expression is nested more than \(limits.maxNesting) deep", at: currentSpan)
        }
        expressionDepth += 1
        defer { expressionDepth -= 1 }
        return try body(&self)
    }
}
