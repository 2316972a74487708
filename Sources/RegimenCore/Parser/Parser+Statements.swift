extension Parser {
    static let patientFields: Set<String> = [
        "sex", "age", "born", "weight", "height", "egfr", "conditions", "condition", "diet", "setting",
        "wake", "breakfast", "lunch", "dinner", "bed", "timezone", "pregnant", "breastfeeding", "due",
        "labs",
    ]

    /// A line holding one item.
    private mutating func parseItemLine() throws(Failure) -> ItemSyntax {
        guard currentKind == .word || currentKind == .string else {
            throw fail(.unexpectedToken, "expected a plan item or a statement, found \(current.described)", at: currentSpan)
        }
        let item = try parseItem()
        try expectEndOfLine()
        return item
    }

    /// The words that begin a knowledge definition when a name follows: `drug levothyroxine:`.
    static let knowledgeKeywords: Set<String> = ["substance", "drug", "condition", "interaction", "contraindication", "caution", "lab"]

    /// The words that may begin a statement other than an item.
    static let statementKeywords: Set<String> = knowledgeKeywords.union([
        "patient", "plan", "let", "if", "else", "elif", "define", "use", "include", "rule", "product",
    ])

    /// statement = patient | plan | let | if | define | use | include | rule | knowledge | item ;
    mutating func parseStatement(in context: Context) throws(Failure) -> Statement {
        let start = currentSpan
        if context == .patient { return try parsePatientLine() }
        if context == .rule { return try parseRuleLine() }
        // Most lines are items: a memoised answer sends them past the keyword comparisons below.
        guard let keyword = current.word, beginsStatement.answer(tokens.wordID(at: index)!, keyword) else {
            return Statement(kind: .item(try parseItemLine()), span: span(from: start))
        }
        let kind: StatementKind
        switch keyword {
        case "patient" where peek().kind == .colon:
            try requireTop(context, "a `patient:` block")
            skip()
            kind = .patient(try parseBlock(in: .patient, opener: "patient").flatMap(\.patientFields))
        case "plan" where peek().kind == .string || peek().kind == .colon:
            try requireTop(context, "a `plan` block")
            kind = .plan(try parsePlan())
        case "let":
            kind = try parseLet()
        case "if":
            kind = .conditional(try parseConditional(in: context))
        case "else", "elif":
            throw fail(.unexpectedToken, "`else` without an `if` just before it", at: currentSpan,
                       hint: "`else:` must follow the block of an `if` at the same indentation")
        case "define" where peek().kind == .word:
            try requireTop(context, "a `define` block")
            kind = .define(try parseDefine())
        case "use" where peek().kind == .word:
            kind = .use(try parseUse())
        case "include" where peek().kind == .string:
            try requireTop(context, "an `include`")
            skip()
            let path = advance()
            guard case .string(let text) = path.value else { throw Failure() }
            try expectEndOfLine()
            kind = .include(path: text, pathSpan: path.span)
        case "rule" where peek().kind == .string:
            try requireTop(context, "a `rule` block")
            kind = .rule(try parseRule())
        case _ where Self.knowledgeKeywords.contains(keyword) && peek().kind == .word:
            try requireTop(context, "a knowledge definition")
            kind = .knowledge(try parseKnowledge())
        case "product" where peek().kind == .string:
            try requireTop(context, "a knowledge definition")
            kind = .knowledge(try parseKnowledge())
        default:
            kind = .item(try parseItemLine())
        }
        return Statement(kind: kind, span: span(from: start))
    }

    private mutating func requireTop(_ context: Context, _ what: String) throws(Failure) {
        guard context == .top else {
            throw fail(.misplacedStatement, "\(what) cannot stand inside another block", at: currentSpan,
                       hint: "move it to the top level of the file, without indentation")
        }
    }

    // MARK: patient

    /// patient_line = patient_field { "," patient_field } NEWLINE ;
    /// patient_field = "conditions" name { "," name } | "diet" name expr { "," name expr }
    ///               | "sex" WORD | "setting" WORD | FIELD expr ;
    private mutating func parsePatientLine() throws(Failure) -> Statement {
        let start = currentSpan
        var fields: [PatientField] = []
        repeat {
            let (name, nameSpan) = try expectAnyWord("a patient field such as `age` or `weight`")
            guard Self.patientFields.contains(name) else {
                throw fail(.unknownPatientField, "`\(name)` is not a patient field", at: nameSpan,
                           hint: suggestion(for: name, among: Self.patientFields))
            }
            let value: PatientValue
            switch name {
            case "conditions", "condition":
                var names = [try parseName(stoppingAt: [])]
                while accept(.comma) != nil { names.append(try parseName(stoppingAt: [])) }
                value = .names(names)
            case "diet":
                let substance = try parseName(stoppingAt: [])
                value = .diet(substance, try parseAdditive())
            case "sex", "setting":
                value = .names([try parseName(stoppingAt: [])])
            case "labs":
                value = .labs(try parseLabResults())
            case "timezone" where currentKind == .word:
                value = .expr(try parseZoneName())
            case "height":
                value = .expr(try parseHeight())
            case "pregnant", "breastfeeding":
                // `pregnant`, `pregnant 24 weeks`, `breastfeeding`: a condition, with the weeks when given.
                value = at(.newline) || at(.comma) || at(.end) ? .names([]) : .expr(try parseAdditive())
            default:
                value = .expr(try parseAdditive())
            }
            fields.append(PatientField(name: name, nameSpan: nameSpan, value: value))
        } while accept(.comma) != nil
        try expectEndOfLine()
        return Statement(kind: .patient(fields), span: span(from: start))
    }

    /// labs = lab_result { "," lab_result } ;  lab_result = lab_name additive [ "on" DATE ] ;
    /// A comma followed by a patient field's name (`…, age 40`) ends the list, and the line goes on
    /// with that field.
    private mutating func parseLabResults() throws(Failure) -> [LabResultSyntax] {
        var results = [try parseLabResult()]
        while at(.comma), !(peek().word.map(Self.patientFields.contains) ?? false) {
            skip()
            results.append(try parseLabResult())
        }
        return results
    }

    /// `25-oh vitamin d 18 ng/mL on 2026-11-20`: the name's words (a number joined to a word by a
    /// hyphen is a word of the name, as in `25-oh`), then the value, then its date.
    private mutating func parseLabResult() throws(Failure) -> LabResultSyntax {
        let start = currentSpan
        var words: [String] = []
        while true {
            if atWord("on"), peek().kind == .date { break }
            if let word = current.word {
                words.append(word)
                skip()
            } else if let number = current.nameNumber, peek().kind == .minus, peek(2).kind == .word {
                words.append(number)
                skip()
                skip()
            } else {
                break
            }
        }
        guard !words.isEmpty else {
            throw fail(.unexpectedToken, "expected the name of a laboratory result, such as `potassium`, found \(current.described)", at: currentSpan)
        }
        let name = NameRef(words: words, span: span(from: start))
        guard tokenStartsValue(current) else {
            throw fail(.unexpectedToken, "expected the value of \(words.joined(separator: " ")), such as `5.4 mmol/L`, found \(current.described)",
                       at: currentSpan, hint: "write each result as a name, a value with its unit and, if known, `on DATE`")
        }
        let value = try parseAdditive()
        var date: Expr?
        if acceptWord("on") != nil { date = try parsePrimary() }
        return LabResultSyntax(name: name, value: value, date: date, span: span(from: start))
    }

    private func tokenStartsValue(_ token: Token) -> Bool {
        token.kind == .number || token.kind == .quantity || token.kind == .leftParen || token.kind == .minus
    }

    /// zone_name = WORD { "/" WORD } ;  an unquoted IANA name, `Europe/Berlin`, `America/Port-au-Prince`.
    private mutating func parseZoneName() throws(Failure) -> Expr {
        let start = currentSpan
        var parts = [try expectAnyWord("a time zone name such as Europe/Berlin").0]
        while at(.slash) {
            skip()
            parts.append(try expectAnyWord("the rest of the time zone name, as in Europe/Berlin").0)
        }
        // Words are read in lower case; the evaluator finds the database's spelling.
        return Expr(kind: .literal(.string(parts.joined(separator: "/"))), span: span(from: start))
    }

    /// height = additive [ NUMBER "in" ] ;  `178cm`, `1.78 m`, `5 ft 10 in`.
    private mutating func parseHeight() throws(Failure) -> Expr {
        let start = currentSpan
        let first = try parseAdditive()
        guard currentKind == .number, peek().isWord("in") || peek().isWord("inches"), case .number(let inches) = current.value else { return first }
        skip()
        skip()
        let rest = Expr(kind: .literal(.quantity(inches, CompoundUnit(numerator: Unit.named("inch")!, denominator: nil))), span: span(from: start))
        return Expr(kind: .binary(.add, first, rest), span: span(from: start))
    }

    // MARK: plan

    /// plan = "plan" [STRING] { "from" expr | "for" expr | "until" expr } block ;
    private mutating func parsePlan() throws(Failure) -> PlanBlock {
        let keyword = advance()
        var plan = PlanBlock(name: "", nameSpan: keyword.span, start: nil, duration: nil, until: nil, body: [])
        if case .string(let name) = current.value {
            plan.name = name
            plan.nameSpan = advance().span
        }
        while !at(.colon) {
            if acceptWord("from") != nil {
                plan.start = try parseAdditive()
            } else if acceptWord("for") != nil {
                plan.duration = try parseAdditive()
            } else if acceptWord("until") != nil {
                plan.until = try parseAdditive()
            } else {
                throw fail(.unexpectedToken, "expected `from DATE`, `for DURATION`, `until DATE` or `:`, found \(current.described)",
                           at: currentSpan)
            }
        }
        plan.body = try parseBlock(in: .plan, opener: "plan")
        return plan
    }

    // MARK: scripting

    /// let = "let" WORD "=" expr NEWLINE ;
    private mutating func parseLet() throws(Failure) -> StatementKind {
        skip()
        let (name, nameSpan) = try expectAnyWord("a name after `let`")
        try expect(.assign, "`=` after the name")
        let value = try parseExpression()
        try expectEndOfLine()
        return .letBinding(name: name, nameSpan: nameSpan, value: value)
    }

    /// if = "if" expr block { "else" "if" expr block } [ "else" block ] ;
    private mutating func parseConditional(in context: Context) throws(Failure) -> Conditional {
        skip()
        var branches: [(Expr, [Statement])] = []
        let condition = try parseExpression()
        branches.append((condition, try parseBlock(in: context, opener: "if")))
        var elseBody: [Statement]?
        while atWord("else") || atWord("elif") {
            let isElif = advance().isWord("elif")
            if isElif || acceptWord("if") != nil {
                let condition = try parseExpression()
                branches.append((condition, try parseBlock(in: context, opener: "else if")))
            } else {
                elseBody = try parseBlock(in: context, opener: "else")
                break
            }
        }
        return Conditional(branches: branches, elseBody: elseBody)
    }

    /// define = "define" WORD [ "(" [ param { "," param } ] ")" ] block ;
    /// param = WORD [ "=" expr ] ;
    private mutating func parseDefine() throws(Failure) -> Definition {
        skip()
        let (name, nameSpan) = try expectAnyWord("a name after `define`")
        var parameters: [(String, Span, Expr?)] = []
        if accept(.leftParen) != nil, accept(.rightParen) == nil {
            repeat {
                let (parameter, span) = try expectAnyWord("a parameter name")
                let defaultValue = accept(.assign) != nil ? try parseExpression() : nil
                parameters.append((parameter, span, defaultValue))
            } while accept(.comma) != nil
            try expect(.rightParen, "`)` after the parameters")
        }
        let body = try parseBlock(in: .define, opener: "define")
        return Definition(name: name, nameSpan: nameSpan, parameters: parameters.map { ($0.0, $0.1, $0.2) }, body: body)
    }

    /// use = "use" WORD [ "(" [ argument { "," argument } ] ")" ] NEWLINE ;
    /// argument = [ WORD "=" ] expr ;
    private mutating func parseUse() throws(Failure) -> UseSyntax {
        skip()
        let (name, nameSpan) = try expectAnyWord("the name of a `define`")
        var arguments: [UseArgument] = []
        if accept(.leftParen) != nil, accept(.rightParen) == nil {
            repeat {
                var label: String?
                if currentKind == .word, peek().kind == .assign {
                    label = advance().word
                    skip()
                }
                arguments.append(UseArgument(label: label, value: try parseExpression()))
            } while accept(.comma) != nil
            try expect(.rightParen, "`)` after the arguments")
        }
        try expectEndOfLine()
        return UseSyntax(name: name, nameSpan: nameSpan, arguments: arguments)
    }

    /// rule = "rule" STRING ":" NEWLINE INDENT { rule_line } DEDENT ;
    /// rule_line = ( "when" expr | ("warn"|"warning"|"error"|"note") STRING | "source" STRING ) NEWLINE ;
    private mutating func parseRule() throws(Failure) -> RuleSyntax {
        skip()
        guard case .string(let name) = advance().value else { throw Failure() }
        var rule = RuleSyntax(name: name, condition: nil, severity: .warning, message: "", messageSpan: nil)
        for line in try parseBlock(in: .rule, opener: "rule") {
            guard case .rule(let part) = line.kind else { continue }
            if let condition = part.condition { rule.condition = condition }
            if let source = part.source { rule.source = source }
            if let span = part.messageSpan {
                rule.message = part.message
                rule.messageSpan = span
                rule.severity = part.severity
            }
        }
        return rule
    }

    /// One line inside a rule block, returned as a partial rule.
    private mutating func parseRuleLine() throws(Failure) -> Statement {
        let start = currentSpan
        var part = RuleSyntax(name: "", condition: nil, severity: .warning, message: "", messageSpan: nil)
        if acceptWord("when") != nil {
            part.condition = try parseExpression()
        } else if acceptWord("source") != nil {
            guard case .string(let source) = current.value else {
                throw fail(.unexpectedToken, "expected the source as a string after `source`", at: currentSpan)
            }
            skip()
            part.source = source
        } else if let word = current.word, let severity = ["warn": Severity.warning, "warning": .warning, "error": .error, "note": .note][word] {
            skip()
            guard case .string(let message) = current.value else {
                throw fail(.unexpectedToken, "expected the message as a string after `\(word)`", at: currentSpan)
            }
            part.severity = severity
            part.message = message
            part.messageSpan = advance().span
        } else {
            throw fail(.unexpectedToken, "expected `when CONDITION` or `warn \"MESSAGE\"` in a rule, found \(current.described)",
                       at: currentSpan)
        }
        try expectEndOfLine()
        return Statement(kind: .rule(part), span: span(from: start))
    }

    // MARK: names

    /// name = WORD { WORD } ; stops at a word of `stops` and at anything that is not a word.
    mutating func parseName(stoppingAt stops: Set<String>) throws(Failure) -> NameRef {
        guard let first = current.word, !stops.contains(first) else {
            throw fail(.unexpectedToken, "expected a name, found \(current.described)", at: currentSpan)
        }
        var words = [first]
        let start = advance().span
        // Numbers may stand inside a name after its first word: `type 2 diabetes`.
        while let word = current.word ?? current.nameNumber, !stops.contains(word) {
            words.append(word)
            skip()
        }
        return NameRef(words: words, span: span(from: start))
    }
}

extension Token {
    /// A plain whole number as a word of a name (`2` in `type 2 diabetes`).
    var nameNumber: String? {
        guard kind == .number, case .number(let n) = value, n == n.rounded(), n >= 0, n < 1000 else { return nil }
        return String(Int(n))
    }
}

extension Statement {
    /// The fields of a patient line, for flattening the patient block.
    var patientFields: [PatientField] {
        if case .patient(let fields) = kind { return fields }
        return []
    }
}
