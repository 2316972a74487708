/// The text of `regimen explain`: a diagnostic code, the limits, or a knowledge-base entry with sources.
public enum Explanation {
    /// `sources` holds the knowledge files, so a rule's condition can be shown as written.
    public static func explain(_ topic: String, knowledge: KnowledgeBase, sources: SourceManager? = nil) -> String? {
        let key = topic.lowercased().trimmingSpaces()
        if let code = DiagnosticCode.lookup(key) {
            return "\(code.id) \(code.name) (\(code.category.rawValue), \(code.severity.rawValue))\n\n\(code.explanation)\n"
        }
        if key == "limits" { return Limits.standard.described + "\n" }
        let words = key.split(separator: " ").map(String.init)
        if let (target, used) = knowledge.longestMatch(words) {
            switch target {
            case .substance(let name, let form) where used == words.count:
                return form.map { formText(name, $0, knowledge, sources) } ?? substance(knowledge.substances[name]!, knowledge, sources)
            case .substance(let name, nil):
                // `magnesium oxide`: one form of a substance.
                if let form = knowledge.substances[name]?.form(named: words[used...].joined(separator: " ")) {
                    return formText(name, form.name, knowledge, sources)
                }
            case .product(let name) where used == words.count: return product(knowledge.products[name]!)
            case .group(let name) where used == words.count:
                return "\(name): a class of \(knowledge.members(of: name).joined(separator: ", "))\n"
            default: break
            }
        }
        if let condition = knowledge.condition(named: key).flatMap({ knowledge.conditions[$0] }) {
            return conditionText(condition, knowledge, sources)
        }
        // `lab potassium`, or `tsh` where no substance has the name: a laboratory analyte.
        if let analyte = knowledge.labs.analyte(named: key.hasPrefix("lab ") ? String(key.dropFirst(4)) : key) {
            return labText(analyte)
        }
        return nil
    }

    private static func labText(_ a: LabAnalyte) -> String {
        var lines = ["\(a.name) (laboratory result)"]
        if !a.aliases.isEmpty { lines.append("  also: \(a.aliases.joined(separator: ", "))") }
        lines.append("  unit: \(a.unit?.symbol ?? "a plain number (a ratio)")")
        if let m = a.molarMass { lines.append("  molar mass: \(Quantity.format(m)) mg/mmol (mass and amount of substance convert by it)") }
        if let v = a.valence { lines.append("  valence: \(v) (mEq convert by it)") }
        if let possible = a.possible {
            lines.append("  possible: \(possible.described(in: a)) (a result outside is refused)" + (possible.source.map { "; source: \($0)" } ?? ""))
        }
        lines += codeLines(a.codes)
        for note in a.notes { lines.append("  note: \(note)") }
        for source in a.sources { lines.append("  source: \(source)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What `regimen explain --list` lists.
    public enum ListKind: String, CaseIterable, Sendable {
        case nutrients, drugs, conditions, products, classes, codes, labs
    }

    /// Every name of one kind, sorted, one a line, with its aliases (`magnesium: mg`), the forms
    /// of a nutrient (`  forms: oxide, glycinate, …`) and the codes (`  codes: RxNorm 2551`); a count at the end.
    public static func list(_ kind: ListKind, knowledge: KnowledgeBase) -> String {
        var lines: [String] = []
        switch kind {
        case .nutrients, .drugs:
            let wanted: SubstanceKind = kind == .nutrients ? .nutrient : .drug
            for substance in knowledge.substances.values.filter({ $0.kind == wanted }).sorted(by: { $0.name < $1.name }) {
                lines.append(substance.name + (substance.aliases.isEmpty ? "" : ": " + substance.aliases.joined(separator: ", ")))
                if !substance.forms.isEmpty { lines.append("  forms: " + substance.forms.keys.sorted().joined(separator: ", ")) }
                lines += codeSummary(substance.codes)
            }
        case .conditions:
            for condition in knowledge.conditions.values.sorted(by: { $0.name < $1.name }) {
                lines.append(condition.name + (condition.aliases.isEmpty ? "" : ": " + condition.aliases.joined(separator: ", ")))
                lines += codeSummary(condition.codes)
            }
        case .products:
            lines = knowledge.products.values.map(\.name).sorted()
        case .classes:
            let classes = Set(knowledge.substances.values.flatMap(\.classes))
            lines = classes.sorted().map { "\($0): " + knowledge.members(of: $0).joined(separator: ", ") }
        case .codes:
            lines = DiagnosticCode.catalog.map { "\($0.id) \($0.name) (\($0.severity.rawValue))" }
        case .labs:
            lines = knowledge.labs.analytes.values.sorted { $0.name < $1.name }.map { analyte in
                ([analyte.name + " (\(analyte.unit?.symbol ?? "ratio"))" + (analyte.aliases.isEmpty ? "" : ": " + analyte.aliases.joined(separator: ", "))]
                    + codeSummary(analyte.codes)).joined(separator: "\n")
            }
        }
        let count = lines.filter { !$0.hasPrefix("  ") }.count
        return (lines + ["", "\(count) \(kind.rawValue)"]).joined(separator: "\n") + "\n"
    }

    private static func formText(_ substance: String, _ name: String, _ knowledge: KnowledgeBase, _ sources: SourceManager?) -> String {
        let form = knowledge.substances[substance]!.forms[name]!
        var lines = ["\(substance) \(name) (a form of \(substance))"]
        if let f = form.elementalFraction { lines.append("  elemental \(substance): \(Quantity.format(f * 100))% of the compound's weight") }
        if form.elementalVaries {
            lines.append("  elemental \(substance): varies by product (no fixed composition); write the label's \(substance) with `elemental`")
        }
        if form.dosedAsSalt { lines.append("  doses are written as the compound's weight") }
        if let a = form.absorption { lines.append("  absorption: \(a)") }
        if let r = form.route { lines.append("  route: \(r.rawValue)") }
        for note in form.notes { lines.append("  note: \(note)") }
        if let longTerm = form.longTerm { lines.append("  long-term: \(longTerm)") }
        if let source = form.source { lines.append("  source: \(source)") }
        for rule in knowledge.conditionRules where rule.form == name && knowledge.members(of: rule.subject).contains(substance) {
            lines.append("  " + ruleText(rule, sources))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func ruleText(_ r: ConditionRule, _ sources: SourceManager?) -> String {
        let routes = r.routes.isEmpty ? "" : " (\(r.routes.map(\.rawValue).joined(separator: ", ")))"
        let form = r.form.map { " \($0)" } ?? ""
        let when = r.when.flatMap { expr in sources.map { " when " + $0[expr.span.file].text(expr.span) } } ?? ""
        return "\(r.kind.rawValue): \(r.subject)\(form)\(routes) in \(r.condition)\(when), \(r.severity.rawValue)"
            + (r.why.map { ": \($0)" } ?? "") + (r.source.map { " [\($0)]" } ?? "")
    }

    private static func substance(_ s: Substance, _ knowledge: KnowledgeBase, _ sources: SourceManager?) -> String {
        var lines = ["\(s.name) (\(s.kind.rawValue))"]
        if !s.aliases.isEmpty { lines.append("  also: \(s.aliases.joined(separator: ", "))") }
        if !s.classes.isEmpty { lines.append("  class: \(s.classes.joined(separator: ", "))") }
        if let mcgPerIU = s.mcgPerIU { lines.append("  1 IU = \(Quantity.format(mcgPerIU)) mcg") }
        if let molar = s.molarMass { lines.append("  1 mmol = \(Quantity.format(molar)) mg" + (s.valence.map { " = \($0) mEq" } ?? "")) }
        for note in s.notes { lines.append("  note: \(note)") }
        if let rule = s.emptyStomach { lines.append("  taken on an empty stomach: \(rule.reason)" + (rule.source.map { " [\($0)]" } ?? "")) }
        lines += codeLines(s.codes)
        for source in s.sources { lines.append("  source: \(source)") }
        if !s.forms.isEmpty {
            lines.append("forms:")
            for form in s.forms.values.sorted(by: { $0.name < $1.name }) {
                var facts: [String] = []
                if let f = form.elementalFraction { facts.append("elemental \(Quantity.format(f * 100))%") }
                if let a = form.absorption { facts.append("absorption \(a)") }
                if let r = form.route { facts.append("route \(r.rawValue)") }
                facts += form.notes
                lines.append("  \(form.name): \(facts.joined(separator: ", "))" + (form.source.map { " [\($0)]" } ?? ""))
            }
        }
        if !s.limits.isEmpty {
            lines.append("limits per day:")
            for limit in s.limits {
                var who: [String] = []
                if let sex = limit.sex { who.append(sex.rawValue) }
                if let min = limit.minAge { who.append(limit.maxAge.map { "age \(Quantity.format(min))–\(Quantity.format($0))" } ?? "age \(Quantity.format(min))+") }
                if limit.pregnancy { who.append("pregnancy") }
                if limit.lactation { who.append("lactation") }
                lines.append("  \(limit.kind.rawValue) \(limit.amount.description) \(who.joined(separator: " "))" + (limit.source.map { " [\($0)]" } ?? ""))
            }
        }
        let related = knowledge.interactions.filter { knowledge.members(of: $0.first).contains(s.name) || knowledge.members(of: $0.second).contains(s.name) }
        if !related.isEmpty {
            lines.append("interactions:")
            for i in related {
                var rule = i.avoid ? "avoid the combination" : i.separation.map { "at least \($0 / 60) h apart" } ?? "a combination to watch"
                if !i.directed.isEmpty {
                    rule = i.directed.map { "\($0.subject) \(Quantity.format(Double($0.minutes) / 60)) h \($0.direction.rawValue) \($0.object)" }.joined(separator: " or ")
                }
                lines.append("  \(i.first) with \(i.second) (\(i.severity.rawValue)): \(rule)" + (i.why.map { "; \($0)" } ?? "") + (i.source.map { " [\($0)]" } ?? ""))
            }
        }
        let rules = knowledge.conditionRules.filter { knowledge.members(of: $0.subject).contains(s.name) }
        if !rules.isEmpty {
            lines.append("contraindications and cautions:")
            for r in rules { lines.append("  " + ruleText(r, sources)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func product(_ p: Product) -> String {
        let per = " per \(p.unit?.symbol ?? "unit")"
        guard p.hasSeveralIngredients || p.source != nil || p.note != nil else {
            return "\(p.name): \(p.substance)\(p.form.map { " " + $0 } ?? "") \(p.amountPerUnit.description)\(per)\n"
        }
        var lines = ["\(p.name) (product)"]
        lines += p.ingredients.map { "  \($0.name) \($0.amount.description)\(per)" }
        if let note = p.note { lines.append("  note: \(note)") }
        if let source = p.source { lines.append("  source: \(source)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `  code: RxNorm 2551 [CPIC drug table]`, one a line.
    private static func codeLines(_ codes: [MedicalCode]) -> [String] {
        codes.map { "  code: \($0.system.title) \($0.code) [\($0.source)]" }
    }

    /// `  codes: RxNorm 2551, ATC J01MA02` for the lists.
    private static func codeSummary(_ codes: [MedicalCode]) -> [String] {
        codes.isEmpty ? [] : ["  codes: " + codes.map { "\($0.system.title) \($0.code)" }.joined(separator: ", ")]
    }

    private static func conditionText(_ c: ConditionInfo, _ knowledge: KnowledgeBase, _ sources: SourceManager?) -> String {
        var lines = ["\(c.name) (condition)"]
        if !c.aliases.isEmpty { lines.append("  also: \(c.aliases.joined(separator: ", "))") }
        lines += codeLines(c.codes)
        if let source = c.source { lines.append("  source: \(source)") }
        for r in knowledge.conditionRules where r.condition == c.name { lines.append("  " + ruleText(r, sources)) }
        return lines.joined(separator: "\n") + "\n"
    }
}
