import RegimenCore

extension Features {
    // MARK: Hover

    /// On a diagnostic code, its explanation; on a patient field, its value; on an item, its
    /// read-back and what the knowledge base holds; on another known name, what is known of it.
    static func hover(_ analysis: Analysis, _ params: JSON) -> JSON {
        guard let position = TextPosition(params["position"]) else { return .null }
        let file = analysis.file, offset = file.offset(of: position)
        let compilation = analysis.compilation
        guard let wordSpan = file.word(at: offset, in: analysis.mainFile) else { return .null }
        let word = file.text(wordSpan)
        func answer(_ markdown: String, _ span: Span) -> JSON {
            .fields(("contents", .fields(("kind", .string("markdown")), ("value", .string(markdown)))), ("range", file.range(of: span)))
        }
        if word.count == 4, word.first == "R" || word.first == "r", let code = DiagnosticCode.lookup(word) {
            return answer("**\(code.id)** \(code.name) (\(code.category.rawValue), \(code.severity.rawValue))\n\n\(code.explanation)", wordSpan)
        }
        if word.lowercased().hasPrefix("patient."), let value = patientValue(String(word.dropFirst("patient.".count)).lowercased(), compilation.plan) {
            return answer("`\(word)` is **\(value)**", wordSpan)
        }
        var field: PatientField?
        Analysis.walk(analysis.statements) { statement in
            if case .patient(let fields) = statement.kind, let hit = fields.first(where: { $0.nameSpan.touches(offset) }) { field = hit }
        }
        if let field, let value = patientValue(field.name, compilation.plan) {
            return answer("patient's \(field.name): **\(value)**", field.nameSpan)
        }
        if let item = compilation.plan.items.first(where: { $0.nameSpan.file == analysis.mainFile && $0.nameSpan.touches(offset) }) {
            var text = "```text\n\(PlanDescription(compilation).describe(item))\n```"
            let known = Explanation.explain(item.name, knowledge: compilation.knowledge, sources: compilation.sources)
                ?? Explanation.explain(item.substance, knowledge: compilation.knowledge, sources: compilation.sources)
            if let known { text += "\n\n---\n\n```text\n\(known.trimmedTrailingNewlines)\n```" }
            return answer(text, item.nameSpan)
        }
        if let known = Explanation.explain(word, knowledge: compilation.knowledge, sources: compilation.sources), DiagnosticCode.lookup(word) == nil, word != "limits" {
            return answer("```text\n\(known.trimmedTrailingNewlines)\n```", wordSpan)
        }
        return .null
    }

    /// A patient field's value as the plan's evaluation left it.
    static func patientValue(_ field: String, _ plan: Plan) -> String? {
        let patient = plan.patient
        switch field {
        case "sex": return patient.sex?.rawValue
        case "age": return patient.age.map { "\(Quantity.format($0.rounded(.down))) years" }
        case "born": return patient.born.map { "\($0)" }
        case "weight": return patient.weight?.description
        case "height": return patient.height?.description
        case "egfr":
            if let implied = patient.egfrImpliedBy { return "not given (\(implied))" }
            return patient.egfr.map { "\(Quantity.format($0)) mL/min/1.73m²" }
        case "conditions", "condition":
            let unknown = plan.unjudged.filter { $0.reason == .unknownCondition }.map { "\($0.name) (not checked)" }
            let all = patient.conditions + unknown
            return all.isEmpty ? nil : all.joined(separator: ", ")
        case "diet":
            let intake = patient.diet.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.description)/day" }
            return intake.isEmpty ? nil : intake.joined(separator: ", ")
        case "setting": return patient.setting
        case "timezone": return patient.timeZone ?? "not given (this computer's)"
        default:
            guard let anchor = Anchor(rawValue: field) else { return nil }
            return patient.anchors[anchor].map { "\($0)" }
        }
    }

    // MARK: Definition

    /// On an `include` path, the file; on a `define`d name, its definition (here or in an include);
    /// on a substance, drug, product or condition, its definition in the plan, an include or the
    /// bundled knowledge base (written out as a read-only file by `knowledgeFiles`).
    static func definition(_ analysis: Analysis, _ params: JSON, _ knowledgeFiles: KnowledgeFiles) -> JSON {
        guard let position = TextPosition(params["position"]) else { return .null }
        let file = analysis.file, offset = file.offset(of: position)
        if let include = analysis.includes.first(where: { $0.span.touches(offset) }) {
            return .fields(("uri", .string(FileURI.uri(of: include.resolved))), ("range", fileStartRange))
        }
        guard let wordSpan = file.word(at: offset, in: analysis.mainFile) else { return .null }
        let name = file.text(wordSpan)
        let sources = analysis.compilation.sources
        let bundledCount = BundledKnowledge.shared.sources.files.count
        // The document first, then the files it includes, in the order they were read.
        let files = [analysis.mainFile] + (bundledCount..<sources.files.count).map(FileID.init).filter { $0 != analysis.mainFile }
        for id in files {
            let statements = id == analysis.mainFile ? analysis.statements
                : Parser.parse(Lexer.tokenize(sources[id], id: id).tokens, fileID: id).statements
            var found: Span?
            Analysis.walk(statements) { statement in
                if case .define(let definition) = statement.kind, definition.name == name, found == nil { found = definition.nameSpan }
            }
            if let found, let location = location(found, sources, main: analysis) { return location }
        }
        guard let definition = knowledgeDefinition(analysis, offset: offset, word: name) else { return .null }
        // The definition's first line (`drug levothyroxine:`), not its whole block, is what an editor shows.
        let definitionFile = sources[definition.file]
        let lineEnd = definitionFile.bytes[definition.offset...].firstIndex(of: UInt8(ascii: "\n")) ?? definitionFile.bytes.count
        let span = Span(file: definition.file, offset: definition.offset, length: min(definition.end, lineEnd) - definition.offset)
        if let location = location(span, sources, main: analysis) { return location }
        guard let path = knowledgeFiles.path(of: definitionFile.name) else { return .null }
        return .fields(("uri", .string(FileURI.uri(of: path))), ("range", definitionFile.range(of: span)))
    }

    /// Where the knowledge the name at `offset` refers to is defined: an item's product or
    /// substance, a patient's condition, the target of `4h after X` or `not with X`, else the word.
    static func knowledgeDefinition(_ analysis: Analysis, offset: Int, word: String) -> Span? {
        let knowledge = analysis.compilation.knowledge
        func named(_ words: [String]) -> Span? {
            let text = words.joined(separator: " ").lowercased()
            if let condition = knowledge.condition(named: text) { return knowledge.conditions[condition]?.span }
            switch knowledge.longestMatch(text.split(separator: " ").map(String.init))?.0 {
            case .substance(let name, _): return knowledge.substances[name]?.span
            case .product(let name): return knowledge.products[name]?.span
            case .group, nil: return nil
            }
        }
        if let item = analysis.compilation.plan.items.first(where: { $0.nameSpan.file == analysis.mainFile && $0.nameSpan.touches(offset) }) {
            // Products are kept by their name in lower case; the item holds it as written.
            if let product = item.product, let span = knowledge.products[product.lowercased()]?.span { return span }
            return knowledge.substances[item.substance]?.span
        }
        var reference: NameRef?
        Analysis.walk(analysis.statements) { statement in
            switch statement.kind {
            case .patient(let fields):
                for field in fields {
                    if case .names(let names) = field.value, let hit = names.first(where: { $0.span.touches(offset) }) { reference = hit }
                }
            case .item(let item):
                for clause in item.clauses {
                    switch clause.kind {
                    case .relation(let relations):
                        if let hit = relations.first(where: { $0.target.span.touches(offset) }) { reference = hit.target }
                    case .notWith(let target) where target.span.touches(offset): reference = target
                    default: break
                    }
                }
            default: break
            }
        }
        if let reference, let span = named(reference.words) { return span }
        return named([word])
    }

    // MARK: Symbols

    /// The outline: the patient block and its fields, plans with their items, defines, rules,
    /// lets, includes and knowledge definitions.
    static func symbols(_ analysis: Analysis) -> JSON {
        .array(symbols(analysis.statements, analysis.file))
    }

    private static func symbols(_ statements: [Statement], _ file: SourceFile) -> [JSON] {
        statements.flatMap { statement -> [JSON] in
            func symbol(_ name: String, _ kind: Int, _ selection: Span, children: [JSON] = []) -> JSON {
                let inside = selection.offset >= statement.span.offset && selection.end <= statement.span.end
                let range = inside ? statement.span : statement.span.through(selection)
                return .fields(("name", .string(name.isEmpty ? "(unnamed)" : name)), ("kind", .int(kind)),
                               ("range", file.range(of: range)), ("selectionRange", file.range(of: selection)),
                               ("children", children.isEmpty ? nil : .array(children)))
            }
            switch statement.kind {
            case .patient(let fields):
                let children = fields.map { field in
                    JSON.fields(("name", .string(field.name)), ("kind", .int(8)),
                                ("range", file.range(of: field.nameSpan)), ("selectionRange", file.range(of: field.nameSpan)))
                }
                return [symbol("patient", 23, statement.span, children: children)]
            case .plan(let block):
                return [symbol("plan \"\(block.name)\"", 3, block.nameSpan, children: symbols(block.body, file))]
            case .item(let item):
                let name = item.quotedName.map { "\"\($0.0)\"" } ?? item.name.map(\.word).joined(separator: " ")
                return [symbol(name, 24, item.nameSpan)]
            case .define(let definition):
                return [symbol(definition.name, 12, definition.nameSpan, children: symbols(definition.body, file))]
            case .rule(let rule):
                return [symbol("rule \"\(rule.name)\"", 20, statement.span)]
            case .letBinding(let name, let nameSpan, _):
                return [symbol(name, 13, nameSpan)]
            case .include(let path, let pathSpan):
                return [symbol("include \"\(path)\"", 1, pathSpan)]
            case .knowledge(let knowledge):
                return [symbol("\(knowledge.kind.rawValue) \(knowledge.subject.text)", 5, knowledge.subject.span)]
            case .conditional(let conditional):
                return conditional.branches.flatMap { symbols($0.body, file) } + symbols(conditional.elseBody ?? [], file)
            case .use(let use):
                return [symbol("use \(use.name)", 12, use.nameSpan)]
            }
        }
    }
}

extension SourceFile {
    /// The word around a byte offset: letters (any script), digits, `_`, `.` and `-` inside a word.
    func word(at offset: Int, in id: FileID) -> Span? {
        func isWordByte(_ byte: UInt8) -> Bool {
            byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F || byte == 0x2E
        }
        let clamped = max(0, min(offset, bytes.count))
        var start = clamped, end = clamped
        while start > 0, isWordByte(bytes[start - 1]) { start -= 1 }
        while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
        // A trailing full stop ends a sentence in a comment; it is not part of the word.
        while end > start, bytes[end - 1] == 0x2E { end -= 1 }
        return end > start ? Span(file: id, offset: start, length: end - start) : nil
    }
}

extension String {
    var trimmedTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
