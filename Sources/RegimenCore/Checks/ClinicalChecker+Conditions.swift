extension ClinicalChecker {
    /// Contraindications and cautions by condition or laboratory value. For one item and one
    /// condition the most specific rule wins (a form or a route named), then the most severe.
    mutating func checkConditions() {
        var best: [String: (rule: ConditionRule, item: Int)] = [:]
        var notJudged: [String: (ConditionRule, String)] = [:]
        for rule in knowledge.conditionRules {
            let applies: Bool
            if let when = rule.when {
                let (result, reason) = holds(when)
                if result == nil, plan.patient.conditions.contains(rule.condition), let reason, !items(of: rule.subject).isEmpty {
                    notJudged["\(rule.subject)|\(rule.condition)"] = (rule, reason)
                }
                applies = result == true
            } else {
                applies = plan.patient.conditions.contains(rule.condition)
            }
            guard applies else { continue }
            for index in items(of: rule.subject) {
                let item = plan.items[index]
                if let form = rule.form, item.form != form { continue }
                if !rule.routes.isEmpty, !rule.routes.contains(item.route) { continue }
                let key = "\(index)|\(rule.condition)|\(rule.form == nil ? "" : "form")"
                if let current = best[key], rank(current.rule) >= rank(rule) { continue }
                best[key] = (rule, index)
            }
        }
        for (_, found) in best.sorted(by: { ($0.value.item, $0.key) < ($1.value.item, $1.key) }) {
            report(found.rule, item: found.item)
        }
        for (_, (rule, reason)) in notJudged.sorted(by: { $0.key < $1.key }) where !best.values.contains(where: { $0.rule.condition == rule.condition }) {
            // The patient has the condition, so silence here would read as an all-clear: a warning.
            report(.notJudged, "\(rule.subject) in \(rule.condition) could not be judged: \(reason)",
                   at: plan.items[items(of: rule.subject)[0]].nameSpan, severity: .warning,
                   hint: "give the value in the patient block (for kidney disease, `egfr 45`); until then, treat the plan as not checked for it",
                   subjects: [rule.subject, rule.condition])
        }
    }

    /// Specificity first (route, form), then severity.
    private func rank(_ rule: ConditionRule) -> Int {
        let severity = [InteractionSeverity.minor: 0, .moderate: 1, .major: 2, .critical: 3][rule.severity]!
        return (rule.routes.isEmpty ? 0 : 10) + (rule.form == nil ? 0 : 10) + severity
    }

    private mutating func report(_ rule: ConditionRule, item index: Int) {
        let item = plan.items[index]
        let what = item.form.map { "\(item.substance) \($0)" } ?? item.name
        let route = rule.routes.isEmpty ? "" : " given \(item.route.phrase)"
        let verb = rule.kind == .contraindication ? "is contraindicated" : "needs caution"
        var message = "\(what)\(route) \(verb) in \(rule.condition)"
        if let why = rule.why { message += ": \(why)" }
        let code: DiagnosticCode = rule.kind == .contraindication ? .contraindicated : rule.form != nil ? .unsuitableForm : .conditionCaution
        var notes = ["source: \(rule.source ?? "the knowledge base")"]
        if rule.when != nil, let implied = plan.patient.egfrImpliedBy {
            notes.append("eGFR not given: \(implied), and the lowest value of that range was used")
        }
        report(code, message, at: item.nameSpan, severity: Self.severity(rule.severity), notes: notes, subjects: [item.substance, rule.condition])
    }

    /// Combinations the sources say to watch (interactions with no spacing rule, and `avoid`).
    mutating func checkCombinations() {
        for interaction in knowledge.interactions where interaction.avoid || (interaction.separation == nil && interaction.directed.isEmpty) {
            let first = items(of: interaction.first), second = items(of: interaction.second)
            guard let a = first.first, let b = second.first(where: { plan.items[$0].substance != plan.items[a].substance }) else { continue }
            let (x, y) = (plan.items[a], plan.items[b])
            let verb = interaction.avoid ? "should not be combined with" : "with"
            var message = "\(x.name) \(verb) \(y.name)"
            if let why = interaction.why { message += ": \(why)" }
            report(.combinationCaution, message, at: y.nameSpan, severity: Self.severity(interaction.severity),
                   notes: ["source: \(interaction.source ?? "the knowledge base")"], subjects: [x.substance, y.substance])
        }
    }
}
