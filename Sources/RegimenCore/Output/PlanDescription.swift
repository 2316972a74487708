/// Says in plain words what the tool understood from a plan: `regimen show` prints it, so a
/// clinician can read each line back and confirm it means what they meant.
public struct PlanDescription {
    let compilation: Compilation
    var plan: Plan { compilation.plan }
    var anchors: [Anchor: ClockTime] { plan.patient.anchors }

    public init(_ compilation: Compilation) { self.compilation = compilation }

    public func render() -> String {
        var lines = [patientLine(), dayLine()]
        var currentPlan: String?
        for item in plan.items {
            if item.plan != currentPlan {
                currentPlan = item.plan
                lines.append(planHeader(item.plan))
            }
            let line = compilation.sources[item.span.file].location(of: item.span.offset).line
            lines.append("  line \(line): \(sentence(item))")
        }
        if plan.items.isEmpty { lines.append("no items") }
        for rule in plan.rules { lines.append("rule \"\(rule.name)\": \(rule.severity.rawValue) \"\(rule.message)\"") }
        // Names, notes and rule texts come from the plan: shown, never obeyed, by the terminal.
        return lines.map { Printable.escaped($0) }.joined(separator: "\n") + "\n"
    }

    private func patientLine() -> String {
        let p = plan.patient
        var facts: [String] = []
        if let sex = p.sex { facts.append(sex.rawValue) }
        if let age = p.age {
            // A small child's age reads in months, as paediatric doses are given.
            facts.append(age < 2 ? "\(Int((age * 12).rounded(.down))) months" : "\(Quantity.format(age.rounded(.down))) years")
        }
        if let weight = p.weight {
            let kg = Quantity.format(Quantity.clinicallyRounded(weight.base / 1_000_000))
            facts.append(weight.unit?.numerator.symbol == "kg" || weight.unit == nil ? weight.description : "\(weight.description) (\(kg) kg)")
        }
        if let height = p.height {
            facts.append(height.unit?.numerator.symbol == "cm" ? "height \(height.description)"
                         : "height \(Quantity.format(Quantity.clinicallyRounded(height.base))) cm")
        }
        if let implied = p.egfrImpliedBy {
            facts.append("eGFR not given (\(implied))")
        } else if let egfr = p.egfr {
            facts.append("eGFR \(Quantity.format(egfr))")
        }
        if let setting = p.setting { facts.append("setting \(setting)") }
        if let weeks = p.gestationalWeeks { facts.append("pregnant, \(Int(weeks.rounded(.down))) weeks") }
        let unknownConditions = plan.unjudged.filter { $0.reason == .unknownCondition }.map { "\($0.name) (NOT CHECKED: \($0.reason.rawValue))" }
        if !p.conditions.isEmpty || !unknownConditions.isEmpty {
            facts.append("conditions: \((p.conditions + unknownConditions).joined(separator: ", "))")
        }
        for (substance, amount) in p.diet.sorted(by: { $0.key < $1.key }) { facts.append("diet \(substance) \(amount.description)/day") }
        facts += labTexts()
        return "patient: " + (facts.isEmpty ? "no details given" : facts.joined(separator: "; "))
    }

    /// `lab magnesium 1.5 mg/dL (0.62 mmol/L) on 2026-11-20`: as written, in the unit rules compare
    /// it in when that differs, and its date or that none was given.
    private func labTexts() -> [String] {
        plan.labs.values.sorted { $0.analyte < $1.analyte }.map { result in
            guard let analyte = compilation.knowledge.labs.analytes[result.analyte] else { return "lab \(result.analyte)" }
            let written = result.written.unit == nil ? Quantity.format(result.written.base) : result.written.description
            let canonical = analyte.described(result.value)
            let converted = canonical == written ? "" : " (\(canonical))"
            return "lab \(result.analyte) \(written)\(converted) \(result.date.map { "on \($0)" } ?? "undated")"
        }
    }

    private func dayLine() -> String {
        let times = Anchor.allCases.map { "\($0.rawValue) \(anchors[$0]!)" }.joined(separator: ", ")
        return "day: \(times); time zone \(plan.patient.timeZone ?? "of this computer")"
    }

    private func planHeader(_ name: String) -> String {
        guard let info = plan.blocks.first(where: { $0.name == name }) else { return name.isEmpty ? "items:" : "plan \"\(name)\":" }
        var parts = ["plan \"\(name)\""]
        if let start = info.start { parts.append("from \(start)") }
        if let days = info.durationDays { parts.append("for \(days) days") }
        if let until = info.until { parts.append("until \(until)") }
        return parts.joined(separator: " ") + ":"
    }

    /// One item as a sentence: name, dose on its basis, route, frequency, times, relations, course.
    public func describe(_ item: PlanItem) -> String {
        Printable.escaped(sentence(item))
    }

    private func sentence(_ item: PlanItem) -> String {
        var parts = ["\(displayName(item)) \(doseText(item)) \(item.route.rawValue)"]
        parts.append(frequencyText(item.schedule))
        parts += slotTexts(item.schedule)
        if item.schedule.whileAwake { parts.append("while awake (until bedtime, \(anchors[.bed]!))") }
        parts += item.schedule.anchorConstraints.map(constraintText)
        if item.emptyStomach { parts.append("empty stomach") }
        parts += item.relations.map(relationText)
        if !item.holdDuring.isEmpty { parts.append("held on the days \(item.holdDuring.joined(separator: " or ")) is given") }
        parts += courseTexts(item.course)
        if let titration = item.titration { parts.append(titrationText(titration, start: item.dose)) }
        if item.supervised { parts.append("under medical supervision") }
        if item.current { parts.append("already taken") }
        parts += item.notes.map { "note \"\($0)\"" }
        // Said on the line itself, so a read-back never looks as judged as its neighbours.
        let declared = plan.unjudged.first { $0.reason == .declaredInPlan && $0.name == item.substance }?.reason
        if let unjudged = item.unjudged ?? declared { parts.append("NOT CHECKED (\(unjudged.rawValue))") }
        return parts.joined(separator: ", ")
    }

    private func displayName(_ item: PlanItem) -> String {
        if let product = item.product { return "\"\(product)\" (\(item.substance)\(item.form.map { " " + $0 } ?? ""))" }
        return item.substance + (item.form.map { " " + $0 } ?? "")
    }

    private func doseText(_ item: PlanItem) -> String {
        var dose = item.written(item.dose)
        if let active = item.activeMilligrams, item.dose.dimension != .mass { dose += " (\(milligrams(active)))" }
        let element = item.substance
        switch item.basis {
        case .elemental where item.compoundMilligrams != nil:
            return "\(dose) elemental \(element) (≈\(milligrams(item.compoundMilligrams!)) as \(item.form ?? "salt"))"
        case .salt:
            return "\(dose) as \(item.form ?? "salt") (≈\(milligrams(item.activeMilligrams!)) elemental \(element))"
        default:
            return dose
        }
    }

    private func milligrams(_ mg: Double) -> String {
        mg < 10 ? "\(Quantity.format(Quantity.clinicallyRounded(mg * 1000))) mcg" : "\(Quantity.format(mg.rounded())) mg"
    }

    func frequencyText(_ schedule: Schedule) -> String {
        switch schedule.frequency {
        case .timesDaily(1): return "daily"
        case .timesDaily(2): return "twice daily"
        case .timesDaily(3): return "three times daily"
        case .timesDaily(4): return "four times daily"
        case .timesDaily(let n): return "\(n) times daily"
        case .everyMinutes(let m):
            let text = "every \(DurationText.minutes(m))"
            guard let range = schedule.intervalRange, range.lowerBound < m else { return text }
            return text + " (the longer end of every \(DurationText.minutes(range.lowerBound)) to \(DurationText.minutes(range.upperBound)))"
        case .everyDays(2): return "every other day"
        case .everyDays(7): return "weekly"
        case .everyDays(let n): return "every \(n) days"
        case .weekdays(let days):
            let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            return "on " + days.map { names[$0] }.joined(separator: ", ")
        case .once(let day): return "once on day \(day)"
        case .everyMonths(1): return "monthly"
        case .everyMonths(let n): return "every \(n) months"
        case .timesWeekly(let n):
            let days = Simulator.weekOffsets(n).map { String($0 + 1) }
            return "\(n == 2 ? "twice" : "\(n) times") weekly (days \(days.joined(separator: ", ")) of each week from the first dose)"
        case .asNeeded:
            var text = "as needed"
            if let purpose = schedule.asNeededFor { text += " for \(purpose)" }
            if let interval = schedule.asNeededInterval {
                let range = schedule.intervalRange.map { $0.upperBound > interval ? " (written every \(DurationText.minutes(interval)) to \(DurationText.minutes($0.upperBound)))" : "" } ?? ""
                text += ", no more often than every \(DurationText.minutes(interval))\(range)"
            }
            if let most = schedule.maxPerDay { text += ", at most \(most) a day" }
            return text
        }
    }

    private func slotTexts(_ schedule: Schedule) -> [String] {
        let texts = schedule.slots.map { slot -> String in
            switch slot {
            case .clock(let time): return "at \(time)"
            case .anchor(let anchor, let offset): return anchorText(anchor, offset: offset)
            case .period(let period): return "\(period.phrase) (\(ClockTime(minutes: plan.patient.dayMinutes(period) % 1440)))"
            }
        }
        guard !texts.isEmpty else { return [] }
        var lead = schedule.defaultSlots ? "by default " : ""
        if case .everyMinutes = schedule.frequency { lead = "first dose " + lead }
        return [lead + texts.joined(separator: " and ")]
    }

    private func anchorText(_ anchor: Anchor, offset: Int) -> String {
        let time = ClockTime(minutes: anchors[anchor]!.minutes + offset)
        if offset != 0 {
            return "\(DurationText.minutes(abs(offset))) \(offset < 0 ? "before" : "after") \(anchor.phrase) (\(time))"
        }
        switch anchor {
        case .wake: return "on waking (\(time))"
        case .bed: return "at bedtime (\(time))"
        default: return "with \(anchor.rawValue) (\(time))"
        }
    }

    private func constraintText(_ constraint: AnchorConstraint) -> String {
        let time = anchors[constraint.anchor]!
        switch constraint.direction {
        case .with: return "with \(constraint.anchor.phrase) (\(time))"
        default: return "at least \(DurationText.minutes(constraint.minutes)) \(constraint.direction.rawValue) \(constraint.anchor.phrase) (\(time))"
        }
    }

    private func relationText(_ relation: Relation) -> String {
        if relation.notWith { return "not at the same time as \(Set(relation.alternatives.map(\.target)).sorted().joined(separator: " or "))" }
        return Self.relationWords(relation)
    }

    private func courseTexts(_ course: Course) -> [String] {
        var texts: [String] = []
        if let days = course.durationDays { texts.append("for \(days) days") }
        if let day = course.startDay { texts.append("starting day \(day)") }
        if let date = course.startDate { texts.append("from \(date)") }
        if let until = course.until { texts.append("until \(until)") }
        if let months = course.durationMonths {
            texts.append(months % 12 == 0 ? "for \(plural(months / 12, "year"))" : "for \(plural(months, "month"))")
        }
        if let doses = course.doseCount { texts.append("for \(plural(doses, "dose"))") }
        return texts
    }

    private func titrationText(_ titration: Titration, start: Quantity) -> String {
        let steps = titration.steps(from: start).map(\.description).joined(separator: " → ")
        return "\(titration.increasing ? "increasing" : "decreasing") every \(titration.intervalDays) days: \(steps)"
            + (titration.stopsAtZero ? ", then stop" : "")
    }

}

extension Anchor {
    var phrase: String {
        switch self {
        case .wake: "waking"
        case .bed: "bedtime"
        default: rawValue
        }
    }
}
