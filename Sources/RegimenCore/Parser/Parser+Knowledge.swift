extension Parser {
    /// knowledge = ( "substance" | "drug" | "condition" ) name [ block_of_properties ]
    ///           | "product" STRING ":" item { "," item }
    ///           | "interaction" name "with" name block_of_properties
    ///           | ( "contraindication" | "caution" ) name "in" name [ "when" expr ] block_of_properties ;
    mutating func parseKnowledge() throws(Failure) -> KnowledgeSyntax {
        let keyword = advance()
        let kind = KnowledgeSyntax.Kind(rawValue: keyword.word!)!
        var definition: KnowledgeSyntax
        if kind == .product {
            guard case .string(let name) = current.value else { throw Failure() }
            let nameSpan = advance().span
            definition = KnowledgeSyntax(kind: kind, subject: NameRef(words: [name], span: nameSpan), properties: [])
            try expect(.colon, "`:` after the product's name")
            // One ingredient or several, each with its amount in one unit of the product.
            readingProductIngredients = true
            defer { readingProductIngredients = false }
            definition.productItems = [try parseItem()]
            while accept(.comma) != nil { definition.productItems.append(try parseItem()) }
            definition.productItem = definition.productItems.first
            // An indented block after the line holds the product's `source` and `note`.
            if at(.newline), peek().kind == .indent {
                readingProductIngredients = false
                definition.properties = try parsePropertyBlock(opener: "product")
            } else {
                try expectEndOfLine()
            }
            return definition
        }
        let subject = try parseName(stoppingAt: ["with", "in", "when"])
        definition = KnowledgeSyntax(kind: kind, subject: subject, properties: [])
        switch kind {
        case .interaction:
            try expectWord("with", "`with` and the other substance or drug")
            definition.object = try parseName(stoppingAt: ["when"])
        case .contraindication, .caution:
            try expectWord("in", "`in` and the condition")
            definition.object = try parseName(stoppingAt: ["when"])
            if acceptWord("when") != nil { definition.condition = try parseExpression() }
        default:
            break
        }
        if accept(.colon) != nil {
            definition.properties = try parsePropertyBlock(opener: kind.rawValue)
        } else {
            try expectEndOfLine()
        }
        return definition
    }

    /// block_of_properties = NEWLINE INDENT { property NEWLINE } DEDENT ;
    private mutating func parsePropertyBlock(opener: String) throws(Failure) -> [Property] {
        try expect(.newline, "the end of the line after `:`")
        guard accept(.indent) != nil else {
            throw fail(.expectedBlock, "the \(opener) line ends in `:` but no indented lines follow it", at: previous.span)
        }
        var properties: [Property] = []
        while !at(.dedent), !at(.end) {
            if accept(.newline) != nil { continue }
            do {
                properties.append(try parseProperty())
            } catch {
                synchronize(in: .top)
            }
        }
        accept(.dedent)
        return properties
    }

    /// property = WORD [ name ":" ] atoms { "," atoms } ;  atoms = ATOM { ATOM } ;
    private mutating func parseProperty() throws(Failure) -> Property {
        let start = currentSpan
        let (key, keySpan) = try expectAnyWord("a property such as `aliases`, `form`, `limit` or `source`")
        var property = Property(key: key, keySpan: keySpan, name: nil, parts: [], span: start)
        if key == "form" {
            property.name = try parseName(stoppingAt: [])
            try expect(.colon, "`:` after the form's name")
        }
        var part: [Atom] = []
        while !at(.newline), !at(.end), !at(.dedent), !at(.indent) {
            let token = advance()
            if token.kind == .comma {
                property.parts.append(part)
                part = []
            } else {
                part.append(Atom(token: token))
            }
        }
        if !part.isEmpty || !property.parts.isEmpty { property.parts.append(part) }
        accept(.newline)
        property.span = span(from: start)
        return property
    }
}
