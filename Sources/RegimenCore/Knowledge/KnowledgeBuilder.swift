/// Adds knowledge definitions, written in Regimen, to a knowledge base. The bundled files
/// and a plan's own definitions go through the same builder, so a plan can extend or
/// override what ships with the tool.
struct KnowledgeBuilder {
    var knowledge: KnowledgeBase
    let sources: SourceManager
    var diagnostics: [Diagnostic] = []

    init(knowledge: KnowledgeBase, sources: SourceManager) {
        self.knowledge = knowledge
        self.sources = sources
    }

    mutating func apply(_ definition: KnowledgeSyntax, span: Span) {
        switch definition.kind {
        case .substance, .drug: defineSubstance(definition, span: span)
        case .condition: defineCondition(definition, span: span)
        case .product: defineProduct(definition, span: span)
        case .interaction: defineInteraction(definition, span: span)
        case .contraindication, .caution: defineConditionRule(definition, span: span)
        case .lab: defineLab(definition, span: span)
        }
    }

    // MARK: substance and drug

    private mutating func defineSubstance(_ definition: KnowledgeSyntax, span: Span) {
        let name = definition.subject.text
        var substance = knowledge.substances[name]
            ?? Substance(name: name, kind: definition.kind == .drug ? .drug : .nutrient, span: span)
        for property in definition.properties {
            var atoms = AtomCursor(property.parts)
            switch property.key {
            case "aliases", "alias":
                substance.aliases += property.parts.map(Self.words)
            case "class":
                substance.classes += property.parts.map(Self.words)
            case "form":
                substance.forms[property.name!.text] = form(property)
            case "limit":
                if let limit = limit(property) { substance.limits.append(limit) }
            case "convert":
                // convert 40 IU = 1 mcg
                guard let iu = atoms.quantity(), iu.dimension == .iu, atoms.skip(.assign), let mass = atoms.quantity(), mass.dimension == .mass else {
                    error(property, "write the conversion as `convert 40 IU = 1 mcg`")
                    continue
                }
                substance.mcgPerIU = mass.base * 1000 / iu.base
            case "molar":
                // molar mass 24.305 mg/mmol
                if let mass = molarMass(property, &atoms) { substance.molarMass = mass }
            case "valence":
                if let valence = valence(property, &atoms) { substance.valence = valence }
            case "source":
                substance.sources += strings(property)
            case "note":
                substance.notes += strings(property)
            case "take":
                // take empty stomach, why "…", source "…"
                guard Self.words(property.parts.first ?? []) == "empty stomach" else { error(property, "write `take empty stomach, why \"…\", source \"…\"`"); continue }
                let texts = property.parts.dropFirst().map { AtomCursor([$0]) }
                var why = "it is taken on an empty stomach", source: String?
                for var part in texts {
                    switch part.word() {
                    case "why": why = part.string() ?? why
                    case "source": source = part.string()
                    default: error(property, "`take empty stomach` takes `why` and `source`")
                    }
                }
                substance.emptyStomach = (why, source)
            case "code":
                if let code = medicalCode(property) { substance.codes.append(code) }
            default:
                error(property, "`\(property.key)` is not a property of a \(definition.kind.rawValue)",
                      among: ["aliases", "class", "form", "limit", "convert", "molar", "valence", "source", "note", "take", "code"])
            }
        }
        knowledge.substances[name] = substance
        knowledge.register(name, as: .substance(name, form: nil))
        for alias in substance.aliases { knowledge.register(alias, as: .substance(name, form: nil)) }
        for group in substance.classes where knowledge.names[group] == nil { knowledge.register(group, as: .group(group)) }
        for form in substance.forms.values {
            for standalone in form.names { knowledge.register(standalone, as: .substance(name, form: form.name)) }
        }
    }

    /// form NAME: elemental 60.3% (or `elemental varies`), absorption low, aliases epsom salt, route topical, source "…"
    private mutating func form(_ property: Property) -> Form {
        var form = Form(name: property.name!.text)
        var listKey: String?
        for part in property.parts {
            var atoms = AtomCursor([part])
            // `aliases a, b` and `names a, b` continue over the following comma-separated parts.
            var key = atoms.peekWord()
            if let k = key, ["elemental", "absorption", "aliases", "alias", "names", "name", "route", "source", "note", "basis", "longterm"].contains(k) {
                atoms.advance()
                listKey = ["aliases", "alias", "names", "name"].contains(k) ? k : nil
            } else if let listKey {
                key = listKey
            } else {
                key = nil
                atoms.advance()
            }
            switch key {
            case "elemental":
                if atoms.skipWord("varies") { form.elementalVaries = true; continue }
                guard let fraction = atoms.percent() else { error(property, "write the elemental share as a percentage, `elemental 60.3%`, or `elemental varies`"); continue }
                form.elementalFraction = fraction
            case "absorption": form.absorption = atoms.remainingWords()
            case "basis": form.dosedAsSalt = atoms.remainingWords() == "salt"
            case "longterm": form.longTerm = atoms.string()
            case "aliases", "alias": form.aliases.append(atoms.remainingWords())
            case "names", "name": form.names.append(atoms.remainingWords())
            case "route": form.route = Route.words[atoms.remainingWords()]
            case "source": form.source = atoms.string()
            case "note": atoms.string().map { form.notes.append($0) }
            default: error(property, "a form takes `elemental`, `absorption`, `basis`, `aliases`, `names`, `route`, `source` and `note`")
            }
        }
        return form
    }

    /// limit (supplemental|upper|rda|ai) QTY per day [for SEX] [for age A to B | age A and over] [in pregnancy|lactation], source "…"
    private mutating func limit(_ property: Property) -> Limit? {
        var atoms = AtomCursor(property.parts)
        guard let kind = atoms.word().flatMap(Limit.Kind.init(rawValue:)), let amount = atoms.quantity() else {
            error(property, "write a limit as `limit supplemental 350mg per day for age 9 and over`")
            return nil
        }
        var limit = Limit(kind: kind, amount: amount)
        if amount.dimension == Dimension.mass / Dimension.time || amount.dimension == Dimension.iu / Dimension.time {
            limit.amount = Quantity(base: amount.base * 1440, dimension: amount.dimension * .time)
        } else if atoms.skipWord("per") {
            _ = atoms.word() // day
        }
        while let word = atoms.word() {
            switch word {
            case "for", "and": continue
            case "female", "women", "male", "men": limit.sex = word.hasPrefix("f") || word == "women" ? .female : .male
            case "age", "ages":
                limit.minAge = atoms.number()
                if atoms.skipWord("to") { limit.maxAge = atoms.number() }
                if atoms.skipWord("and") { _ = atoms.word() } // "and over"
            case "in", "during": continue
            case "pregnancy": limit.pregnancy = true
            case "lactation": limit.lactation = true
            case "averaged":
                guard atoms.skipWord("weekly") else { error(property, "write `averaged weekly`"); return nil }
                limit.averagedWeekly = true
            case "source": limit.source = atoms.string()
            default:
                error(property, "`\(word)` is not understood in a limit")
                return nil
            }
        }
        return limit
    }

    // MARK: condition and product

    private mutating func defineCondition(_ definition: KnowledgeSyntax, span: Span) {
        let name = definition.subject.text
        var condition = knowledge.conditions[name] ?? ConditionInfo(name: name, span: span)
        for property in definition.properties {
            switch property.key {
            case "aliases", "alias": condition.aliases += property.parts.map(Self.words)
            case "source": condition.source = strings(property).first
            case "implies":
                for part in property.parts {
                    let words = Self.words(part)
                    guard let implied = knowledge.condition(named: words) else {
                        error(property, "`\(words)` is not a condition defined above this one")
                        continue
                    }
                    condition.implies.append(implied)
                }
            case "egfr":
                // egfr 15 to 29 | egfr below 15 | egfr 90 and over
                var atoms = AtomCursor(property.parts)
                if atoms.skipWord("below"), let max = atoms.number() {
                    condition.egfr = (nil, max)
                } else if let min = atoms.number() {
                    if atoms.skipWord("to"), let max = atoms.number() { condition.egfr = (min, max + 1) }
                    else if atoms.skipWord("and"), atoms.skipWord("over") { condition.egfr = (min, nil) }
                    else { error(property, "write the range as `egfr 15 to 29`, `egfr below 15` or `egfr 90 and over`") }
                } else {
                    error(property, "write the range as `egfr 15 to 29`, `egfr below 15` or `egfr 90 and over`")
                }
            case "code":
                if let code = medicalCode(property) { condition.codes.append(code) }
            default: error(property, "a condition takes `aliases`, `implies`, `egfr`, `code` and `source`")
            }
        }
        knowledge.conditions[name] = condition
        knowledge.conditionNames[name] = name
        for alias in condition.aliases { knowledge.conditionNames[alias] = name }
    }

    /// product "NAME": SUBSTANCE [FORM] AMOUNT {, SUBSTANCE [FORM] AMOUNT} per UNIT [ROUTE]
    private mutating func defineProduct(_ definition: KnowledgeSyntax, span: Span) {
        let items = definition.productItems.isEmpty ? definition.productItem.map { [$0] } ?? [] : definition.productItems
        guard !items.isEmpty else { return }
        let name = definition.subject.text
        let key = name.lowercased()
        var ingredients: [ProductIngredient] = []
        var unit: Unit?, route: Route?
        for item in items {
            var basis: DoseBasis?
            for clause in item.clauses {
                switch clause.kind {
                case .salt: basis = .salt
                case .elemental: basis = .elemental
                default: continue
                }
            }
            guard let ingredient = productIngredient(item, oneOfSeveral: items.count > 1, basis: basis) else { return }
            ingredients.append(ingredient)
            for clause in item.clauses {
                switch clause.kind {
                case .salt, .elemental: continue
                case .perUnit(let perUnit):
                    // `per tablet` is written once, after the last ingredient, and holds for all of them.
                    if let unit, unit != perUnit {
                        diagnostics.append(Diagnostic(.conflictingClause, "a product has one unit: `per \(unit.symbol)` and `per \(perUnit.symbol)` disagree", at: clause.span))
                        return
                    }
                    unit = perUnit
                case .route(let given): route = given
                default: diagnostics.append(Diagnostic(.unknownClause, "a product takes its ingredients' amounts, `per UNIT` and a route", at: clause.span))
                }
            }
        }
        let first = ingredients[0]
        var product = Product(name: name, substance: first.substance, form: first.form, amountPerUnit: first.amount,
                              unit: unit, route: route, span: span, ingredients: ingredients)
        for property in definition.properties {
            switch property.key {
            case "source": product.source = strings(property).joined(separator: "; ")
            case "note": product.note = strings(property).joined(separator: " ")
            default: error(property, "a product's block takes `source` and `note`", among: ["source", "note"])
            }
        }
        knowledge.products[key] = product
        knowledge.register(key, as: .product(key))
    }

    /// One ingredient of a product line: a substance the knowledge base knows, its form, and an
    /// amount that converts to a mass (so it counts toward the substance's totals).
    /// A product of one ingredient may state units the knowledge base cannot weigh (insulin's
    /// `100 units per mL`, for a drug the plan declares); one of several must convert.
    private mutating func productIngredient(_ item: ItemSyntax, oneOfSeveral: Bool, basis: DoseBasis?) -> ProductIngredient? {
        let words = item.name.map(\.word)
        guard let (target, used) = knowledge.longestMatch(words), case .substance(let substance, var form) = target else {
            diagnostics.append(Diagnostic(.unknownSubstance, "`\(words.joined(separator: " "))` is not a substance the knowledge base knows",
                                          at: item.nameSpan, hint: suggestion(for: words.joined(separator: " "), among: knowledge.names.keys)))
            return nil
        }
        let known = knowledge.substances[substance]
        if used < words.count {
            let formName = words[used...].joined(separator: " ")
            guard let named = known?.form(named: formName) else {
                diagnostics.append(Diagnostic(.unknownForm, "`\(formName)` is not a form of \(substance)", at: item.nameSpan))
                return nil
            }
            form = named.name
        }
        guard let dose = item.dose, case .literal(.quantity(let value, let unit)) = dose.kind, unit.dimension.isAmount, !oneOfSeveral || unit.dimension != .count else {
            diagnostics.append(Diagnostic(.doseNotAnAmount, "a product states each ingredient's amount in one unit, such as `120mg per capsule`", at: item.span))
            return nil
        }
        let amount = Quantity(value, unit)
        let formInfo = form.flatMap { known?.forms[$0] }
        if basis == .salt {
            guard amount.dimension == .mass, let fraction = formInfo?.elementalFraction else {
                if formInfo?.elementalVaries == true {
                    let refusal = Form.noFixedCompositionSalt(words.joined(separator: " "), of: substance)
                    diagnostics.append(Diagnostic(.unknownForm, refusal.message, at: item.span, hint: refusal.hint))
                } else {
                    diagnostics.append(Diagnostic(.unknownForm, "`salt` needs a salt's weight in mg and a salt form whose elemental share is known, such as `ferrous sulfate 325mg salt`",
                                                  at: item.span))
                }
                return nil
            }
            return ProductIngredient(substance: substance, form: form, amount: amount, milligrams: amount.base * fraction, basis: .salt)
        }
        if basis == nil, amount.dimension == .mass, used == words.count, let formName = form, let named = known?.forms[formName],
           named.names.contains(words.joined(separator: " ")), !named.dosedAsSalt, let fraction = named.elementalFraction {
            // `ferrous sulfate 325mg` in a product, as in a plan item: read as the element (the label
            // convention), which is five times the iron if it is the salt's weight. Said, never taken in silence.
            let written = words.joined(separator: " ")
            diagnostics.append(Diagnostic(.unstatedDoseBasis,
                "\(written) \(amount.description) is read as \(amount.description) of \(substance) itself (the label convention); if it is the weight of the \(written), it holds \(Quantity.milligrams(amount.base * fraction).description) of \(substance)",
                at: item.span, hint: "write `\(written) \(amount.description.replacingOccurrences(of: " ", with: "")) salt` for the compound's weight, or `elemental` for the \(substance) (as Supplement Facts state it)"))
        }
        if basis == nil, amount.dimension == .mass, formInfo?.elementalVaries == true {
            // Calcium citrate malate in a product: counted as the element, as for a plan item, and said.
            diagnostics.append(Diagnostic(.unstatedDoseBasis, Form.noFixedCompositionReading(words.joined(separator: " "), amount, of: substance),
                at: item.span, hint: "write `elemental` after the amount with the \(substance) the label gives"))
        }
        let milligrams = known?.milligrams(amount)
        guard milligrams != nil || !oneOfSeveral else {
            diagnostics.append(Diagnostic(.noConversion, "the knowledge base does not say how \(amount.displaySymbol) of \(substance) convert to a mass",
                                          at: dose.span, hint: "give the amount as a mass, such as mg or mcg"))
            return nil
        }
        return ProductIngredient(substance: substance, form: form, amount: amount, milligrams: milligrams, basis: basis)
    }

    /// `molar mass 24.305 mg/mmol`: finite and above zero, since amounts are divided by it.
    private mutating func molarMass(_ property: Property, _ atoms: inout AtomCursor) -> Double? {
        guard atoms.word() == "mass", let q = atoms.quantity(), q.dimension == Dimension.mass / Dimension.amount else {
            error(property, "write the molar mass as `molar mass 24.305 mg/mmol`")
            return nil
        }
        guard q.base.isFinite, q.base > 0 else {
            error(property, "a molar mass must be more than zero, such as `molar mass 24.305 mg/mmol`")
            return nil
        }
        return q.base
    }

    /// `valence 2`: a whole number of charges, 1 to 8 (an ion's charge; equivalents are divided by it).
    private mutating func valence(_ property: Property, _ atoms: inout AtomCursor) -> Int? {
        guard let n = atoms.number() else { error(property, "write the valence as a number, `valence 2`"); return nil }
        guard n == n.rounded(), (1...8).contains(n) else {
            error(property, "a valence is a whole number from 1 to 8, such as `valence 2`")
            return nil
        }
        return Int(n)
    }

    // MARK: lab

    /// lab NAME: aliases …, unit "mmol/L", molar mass Q mg/mmol, valence N, source "…", note "…"
    private mutating func defineLab(_ definition: KnowledgeSyntax, span: Span) {
        let name = definition.subject.text
        let known = knowledge.labs.analytes[name]
        var analyte = known ?? LabAnalyte(name: name, span: span)
        var possible: Property?
        for property in definition.properties {
            var atoms = AtomCursor(property.parts)
            // A plan may add aliases and notes to a known result, never change what its numbers
            // mean: the knowledge base's rules read them in that unit.
            let given = ["unit": known?.unit != nil, "molar": known?.molarMass != nil, "valence": known?.valence != nil,
                         "possible": known?.possible != nil]
            if given[property.key] == true {
                diagnostics.append(Diagnostic(.duplicateDefinition, "the lab result \(name) already has its \(property.key == "molar" ? "molar mass" : property.key == "possible" ? "range of possible values" : property.key); it cannot be changed",
                                              at: property.span, hint: "add aliases or notes to it, or define a result of another name"))
                continue
            }
            switch property.key {
            case "aliases", "alias":
                analyte.aliases += property.parts.map(Self.words)
            case "unit":
                guard let text = strings(property).first, let unit = Self.compoundUnit(text) else {
                    error(property, "write the unit in quotes, as results are written: `unit \"mmol/L\"`")
                    continue
                }
                analyte.unit = unit
            case "molar":
                if let mass = molarMass(property, &atoms) { analyte.molarMass = mass }
            case "valence":
                if let valence = valence(property, &atoms) { analyte.valence = valence }
            case "possible":
                possible = property
            case "source":
                analyte.sources += strings(property)
            case "note":
                analyte.notes += strings(property)
            case "code":
                // A LOINC code names one kind of result (moles, or mass, per volume): the one of the analyte's unit.
                if let code = medicalCode(property, systems: [.loinc]) { analyte.codes.append(code) }
            default:
                error(property, "a lab takes `aliases`, `unit`, `molar mass`, `valence`, `possible`, `code`, `source` and `note`",
                      among: ["aliases", "unit", "molar", "valence", "possible", "code", "source", "note"])
            }
        }
        // Read last: its ends convert by the unit, molar mass and valence, whichever line comes first.
        if let possible { analyte.possible = possibleRange(possible, of: analyte) }
        knowledge.labs.analytes[name] = analyte
        for alias in [name] + analyte.aliases {
            if let other = knowledge.labs.names[alias], other != name {
                diagnostics.append(Diagnostic(.duplicateDefinition, "`\(alias)` already names the lab result \(other)", at: definition.subject.span))
                continue
            }
            knowledge.labs.names[alias] = name
        }
    }

    /// `possible 0.9 to 14 mmol/L, source "…"` or `possible up to 1220 ng/mL, source "…"`: the
    /// values a real result can take. A lower end without a unit is in the upper end's; both
    /// convert to the analyte's unit as a result would, and the lower end is not above the upper.
    private mutating func possibleRange(_ property: Property, of analyte: LabAnalyte) -> PossibleRange? {
        let form = "write the range as `possible 0.9 to 14 mmol/L, source \"…\"`, or `possible up to 1220 ng/mL`"
        var atoms = AtomCursor(property.parts)
        var low: Double?, lowUnit: CompoundUnit?
        if atoms.skipWord("up") {
            guard atoms.skipWord("to") else { error(property, form); return nil }
        } else {
            if let number = atoms.number() { low = number }
            else if case .quantity(let n, let unit)? = atoms.token?.value { atoms.advance(); low = n; lowUnit = unit }
            guard low != nil, atoms.skipWord("to") else { error(property, form); return nil }
        }
        var high: Quantity
        if let number = atoms.number() { high = Quantity(base: number, dimension: .none) }
        else if let quantity = atoms.quantity() { high = quantity }
        else { error(property, form); return nil }
        var source: String?
        if atoms.skipWord("source") { source = atoms.string() }
        guard atoms.isAtEnd else { error(property, form); return nil }
        func canonical(_ q: Quantity) -> Double? {
            guard q.base.isFinite else { return nil }
            switch analyte.canonical(q) {
            case .success(let converted): return converted.base
            case .failure(let problem): error(property, "the range of possible values: " + problem.message); return nil
            }
        }
        guard let top = canonical(high) else { return nil }
        var bottom: Double?
        if let low {
            let lowQuantity = lowUnit.map { Quantity(low, $0) } ?? high.unit.map { Quantity(low, $0) } ?? Quantity(base: low, dimension: .none)
            guard let value = canonical(lowQuantity) else { return nil }
            bottom = value
        }
        guard top > 0, (bottom ?? 0) >= 0, (bottom ?? 0) <= top else {
            error(property, "a range of possible values runs from zero or more up to a higher value")
            return nil
        }
        return PossibleRange(low: bottom, high: top, source: source)
    }

    /// `mmol/L`, `ng/mL`, `mIU/L`, `ms`: a unit as the lexer reads one after a number.
    static func compoundUnit(_ text: String) -> CompoundUnit? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let numerator = Unit.named(parts[0]) else { return nil }
        guard parts.count == 2 else { return CompoundUnit(numerator: numerator, denominator: nil) }
        guard let denominator = Unit.named(parts[1]) else { return nil }
        return CompoundUnit(numerator: numerator, denominator: denominator)
    }

    // MARK: interaction, contraindication, caution

    private mutating func defineInteraction(_ definition: KnowledgeSyntax, span: Span) {
        guard let object = definition.object else { return }
        let first = party(definition.subject), second = party(object)
        guard let first, let second else { return }
        var interaction = Interaction(first: first, second: second, severity: .moderate, span: span)
        for property in definition.properties {
            var atoms = AtomCursor(property.parts)
            switch property.key {
            case "severity":
                guard let severity = atoms.word().flatMap(InteractionSeverity.init(rawValue:)) else {
                    error(property, "severity is minor, moderate, major or critical")
                    continue
                }
                interaction.severity = severity
            case "separate":
                guard let q = atoms.quantity(), q.dimension == .time else { error(property, "write `separate 4h`"); continue }
                interaction.separation = Int(q.base)
            case "avoid": interaction.avoid = true
            case "together":
                // `together with food`: the label allows both at the same meal.
                guard atoms.skipWord("with"), atoms.skipWord("food") else { error(property, "write `together with food`"); continue }
                interaction.togetherWithFood = true
            case "why": interaction.why = strings(property).first
            case "source": interaction.source = strings(property).first
            default:
                // `ciprofloxacin 2h before magnesium or 6h after magnesium`
                guard let spacing = directedSpacing(property, parties: [first, second]) else { continue }
                interaction.directed += spacing
            }
        }
        knowledge.interactions.append(interaction)
    }

    private mutating func directedSpacing(_ property: Property, parties: [String]) -> [DirectedSpacing]? {
        var atoms = AtomCursor(property.parts)
        var subjectWords = [property.key]
        while let word = atoms.peekWord() {
            subjectWords.append(word)
            atoms.advance()
        }
        let subject = subjectWords.joined(separator: " ")
        guard parties.contains(subject) else {
            error(property, "`\(property.key)` is not a property of an interaction, nor one of its two parties",
                  among: ["severity", "separate", "avoid", "why", "source"] + parties)
            return nil
        }
        var spacings: [DirectedSpacing] = []
        repeat {
            guard let q = atoms.quantity(), q.dimension == .time,
                  let direction = atoms.word().flatMap({ ["before": Direction.before, "after": .after][$0] }) else {
                error(property, "write spacing as `\(subject) 2h before \(parties.first { $0 != subject } ?? "x") or 6h after …`")
                return nil
            }
            let object = atoms.remainingWords(stoppingAt: "or")
            guard parties.contains(object), object != subject else {
                error(property, "the spacing must refer to the other party of the interaction")
                return nil
            }
            spacings.append(DirectedSpacing(subject: subject, minutes: Int(q.base), direction: direction, object: object))
        } while atoms.skipWord("or")
        return spacings
    }

    private mutating func defineConditionRule(_ definition: KnowledgeSyntax, span: Span) {
        guard let object = definition.object else { return }
        // `magnesium oxide in …`: a rule about one form of a substance.
        var form: String?
        var subjectName = definition.subject
        if knowledge.names[subjectName.text] == nil, let (target, used) = knowledge.longestMatch(subjectName.words),
           case .substance(let substance, nil) = target, used < subjectName.words.count,
           let known = knowledge.substances[substance]?.form(named: subjectName.words[used...].joined(separator: " ")) {
            form = known.name
            subjectName.words = Array(subjectName.words[..<used])
        }
        guard let subject = party(subjectName) else { return }
        guard let condition = knowledge.condition(named: object.text) else {
            diagnostics.append(Diagnostic(.unknownCondition, "`\(object.text)` is not a known condition", at: object.span,
                                          hint: suggestion(for: object.text, among: knowledge.conditionNames.keys)))
            return
        }
        var rule = ConditionRule(kind: definition.kind == .contraindication ? .contraindication : .caution, subject: subject,
                                 form: form, condition: condition, when: definition.condition, severity: .major, span: span)
        for property in definition.properties {
            var atoms = AtomCursor(property.parts)
            switch property.key {
            case "severity":
                guard let severity = atoms.word().flatMap(InteractionSeverity.init(rawValue:)) else {
                    error(property, "severity is minor, moderate, major or critical")
                    continue
                }
                rule.severity = severity
            case "route", "routes": rule.routes += property.parts.compactMap { Route.words[Self.words($0)] }
            case "why": rule.why = strings(property).first
            case "source": rule.source = strings(property).first
            default: error(property, "`\(property.key)` is not a property here", among: ["severity", "route", "why", "source"])
            }
        }
        knowledge.conditionRules.append(rule)
    }

    /// A party of a rule: a substance, drug or class the knowledge base knows.
    private mutating func party(_ name: NameRef) -> String? {
        if let target = knowledge.names[name.text] {
            switch target {
            case .substance(let substance, _): return substance
            case .group(let group): return group
            case .product(let product): return knowledge.products[product]?.substance
            }
        }
        diagnostics.append(Diagnostic(.unknownSubstance, "`\(name.text)` is not a substance, drug or class the knowledge base knows",
                                      at: name.span, hint: suggestion(for: name.text, among: knowledge.names.keys)))
        return nil
    }

    // MARK: Helpers

    /// code rxnorm "2551", source "…": a code must name its system and the table it was read from,
    /// and have the form of its system's codes (a SNOMED CT id its check digit).
    /// A substance or condition is coded in RxNorm, ATC or SNOMED CT; a laboratory result in LOINC.
    private mutating func medicalCode(_ property: Property, systems: [MedicalCode.System] = [.rxnorm, .atc, .snomed]) -> MedicalCode? {
        let example = systems == [.loinc] ? "code loinc \"2823-3\"" : "code rxnorm \"2551\""
        let usage = "write a code as `\(example), source \"…\"` (systems: \(systems.map(\.rawValue).joined(separator: ", ")))"
        var head = AtomCursor(Array(property.parts.prefix(1)))
        guard let word = head.word(), let system = MedicalCode.System(rawValue: word), systems.contains(system), let code = head.string(), head.isAtEnd else {
            error(property, usage)
            return nil
        }
        var source: String?
        for part in property.parts.dropFirst() {
            var atoms = AtomCursor([part])
            guard atoms.word() == "source", let text = atoms.string(), atoms.isAtEnd, source == nil else {
                error(property, usage)
                return nil
            }
            source = text
        }
        guard let source else {
            error(property, "a code needs the table it was read from: `code \(system.rawValue) \"\(code)\", source \"…\"`")
            return nil
        }
        if let problem = MedicalCode.problem(code, in: system) {
            error(property, "`\(code)` is not \(system == .atc ? "an" : "a") \(system.title) code: \(problem)")
            return nil
        }
        return MedicalCode(system: system, code: code, source: source)
    }

    static func words(_ atoms: [Atom]) -> String { atoms.compactMap { $0.token.word ?? $0.token.nameNumber }.joined(separator: " ") }

    private func strings(_ property: Property) -> [String] {
        property.parts.joined().compactMap { if case .string(let s) = $0.token.value { s } else { nil } }
    }

    private mutating func error(_ property: Property, _ message: String, among candidates: [String]? = nil) {
        diagnostics.append(Diagnostic(.unexpectedToken, message, at: property.span,
                                      hint: candidates.flatMap { suggestion(for: property.key, among: $0) }))
    }
}

/// Reads the atoms of a knowledge property one at a time.
struct AtomCursor {
    private var atoms: [Atom]
    private var index = 0

    init(_ parts: [[Atom]]) { atoms = Array(parts.joined()) }

    var token: Token? { index < atoms.count ? atoms[index].token : nil }
    var isAtEnd: Bool { index >= atoms.count }
    mutating func advance() { index += 1 }

    func peekWord() -> String? { token?.word }

    mutating func word() -> String? {
        guard let word = token?.word else { return nil }
        advance()
        return word
    }

    mutating func skipWord(_ word: String) -> Bool {
        guard token?.word == word else { return false }
        advance()
        return true
    }

    mutating func skip(_ kind: TokenKind) -> Bool {
        guard token?.kind == kind else { return false }
        advance()
        return true
    }

    mutating func number() -> Double? {
        guard case .number(let n)? = token?.value, token?.kind == .number else { return nil }
        advance()
        return n
    }

    mutating func percent() -> Double? {
        guard token?.kind == .percent, case .number(let n)? = token?.value else { return nil }
        advance()
        return n / 100
    }

    mutating func quantity() -> Quantity? {
        guard case .quantity(let n, let unit)? = token?.value else { return nil }
        advance()
        return Quantity(n, unit)
    }

    mutating func string() -> String? {
        guard case .string(let s)? = token?.value else { return nil }
        advance()
        return s
    }

    /// The words up to the end (or up to `stop`), joined by spaces.
    mutating func remainingWords(stoppingAt stop: String? = nil) -> String {
        var words: [String] = []
        while let word = token?.word, word != stop {
            words.append(word)
            advance()
        }
        return words.joined(separator: " ")
    }
}
