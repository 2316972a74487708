/// Says in plain words what the tool understood from a plan: `regimen show` prints it, so a
/// clinician can read each line back and confirm it means what they meant.
public struct PlanDescription {
    let compilation: Compilation
    var plan: Plan { compilation.plan }
    var anchors: [Anchor: ClockTime] { plan.patient.anchors }

    public init(_ compilation: Compilation) { self.compilation = compilation }

    public func render() -> String {
        var lines = [patientLine(), dayLine()] + dayVariantLines()
        var currentPlan: String?
        // Held items (`hold if …` holds) stand in their place in the file, said to be held.
        let all = plan.heldItems.isEmpty ? plan.items
            : (plan.items + plan.heldItems).sorted { ($0.span.file.rawValue, $0.span.offset) < ($1.span.file.rawValue, $1.span.offset) }
        for item in all {
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
            let written = result.written.unit == nil ? Quantity.format(result.written.base) : result.written.unroundedDescription
            // Converted from another unit, it reads as a clinician would round it; in the rules' own
            // unit it is the written value itself, every digit kept.
            let sameUnit = result.written.unit?.symbol == analyte.unit?.symbol
            let converted = sameUnit ? "" : " (\(analyte.described(result.value)))"
            return "lab \(result.analyte) \(written)\(converted) \(result.date.map { "on \($0)" } ?? "undated")"
        }
    }

    private func dayLine() -> String {
        let times = Anchor.allCases.map { "\($0.rawValue) \(anchors[$0]!)" }.joined(separator: ", ")
        let stays = plan.patient.zoneStays.map { "; \($0.zone) from \($0.first) to \($0.last) (doses at local clock time there)" }
        return "day: \(times); time zone \(plan.patient.timeZone ?? "of this computer")" + stays.joined()
    }

    /// `on weekends: wake 09:00`: one line per day line, with the whole day as it then is.
    private func dayVariantLines() -> [String] {
        plan.patient.dayVariants.map { variant in
            var day = plan.patient
            day.anchors.merge(variant.anchors) { _, new in new }
            let times = Anchor.allCases.map { anchor in
                let time = "\(anchor.rawValue) \(day.anchors[anchor]!)"
                if variant.anchors[anchor] == nil { return time + " (usual)" }
                return day.dayMinutes(anchor) >= 1440 ? time + " (next morning)" : time
            }
            // Said only where a weekday line also falls on one of the dates.
            var note = ""
            if case .dates(let first, let last) = variant.days {
                let dates = (0...min(6, last.dayNumber - first.dayNumber)).map { first.adding(days: $0) }
                let weekdayLines = plan.patient.dayVariants.filter { if case .weekdays = $0.days { true } else { false } }
                if let other = weekdayLines.first(where: { line in dates.contains(where: line.applies(on:)) }) {
                    note = " (on these dates, before the \(other.daysText) line's times)"
                }
            }
            return "day on \(variant.daysText): \(times.joined(separator: ", "))\(note)"
        }
    }

    /// " (09:30 on weekends)" beside a dose's usual time, for each day line that moves it.
    private func otherDays(_ minutes: (Patient) -> Int) -> String {
        let usual = minutes(plan.patient)
        let others = plan.patient.dayVariants.compactMap { variant -> String? in
            var day = plan.patient
            day.anchors.merge(variant.anchors) { _, new in new }
            let time = minutes(day)
            return time == usual ? nil : "\(ClockTime(minutes: ((time % 1440) + 1440) % 1440)) on \(variant.daysText)"
        }
        return others.isEmpty ? "" : "; " + others.joined(separator: "; ")
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
        if item.schedule.whileAwake { parts.append("while awake (until bedtime, \(anchors[.bed]!)\(otherDays { $0.anchors[.bed]!.minutes }))") }
        if let infusion = item.infusion { parts.append(infusionText(infusion)) }
        parts += item.schedule.anchorConstraints.map(constraintText)
        if item.emptyStomach { parts.append("empty stomach") }
        parts += item.relations.map(relationText)
        if !item.holdDuring.isEmpty { parts.append("held on the days \(item.holdDuring.joined(separator: " or ")) is given") }
        if let hold = item.holdIf {
            let facts = hold.facts.isEmpty ? "" : ": " + hold.facts.joined(separator: "; ")
            parts.append(hold.holds ? "HELD, NOT SCHEDULED (hold if \(hold.condition)\(facts))" : "held if \(hold.condition) (not now\(facts))")
        }
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

    /// "infused over 20 min in 100 mL", "at 2 g/h (so over 2 h)".
    private func infusionText(_ infusion: Infusion) -> String {
        var words: [String] = []
        if let rate = infusion.rate {
            words.append("infused at \(rate.description)" + (infusion.minutesFromRate ? " (so over \(DurationText.minutes(infusion.minutes!)))" : ""))
            if let minutes = infusion.minutes, !infusion.minutesFromRate { words.append("over \(DurationText.minutes(minutes))") }
        } else if let minutes = infusion.minutes {
            words.append("infused over \(DurationText.minutes(minutes))")
        }
        if let volume = infusion.volume { words.append((words.isEmpty ? "given " : "") + "in \(volume.description)") }
        return words.joined(separator: " ")
    }

    private func displayName(_ item: PlanItem) -> String {
        if let product = item.product { return "\"\(product)\" (\(item.substance)\(item.form.map { " " + $0 } ?? ""))" }
        return item.substance + (item.form.map { " " + $0 } ?? "")
    }

    private func doseText(_ item: PlanItem) -> String {
        var dose = item.written(item.dose)
        // `5 mg/kg/day divided twice daily`: the arithmetic, so the clinician can check it.
        if !item.computation.isEmpty { dose += " (\(item.computation.joined(separator: "; ")))" }
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
            if let row = schedule.maxInARow { text += ", at most \(row) in a row" }
            if let most = schedule.maxPerDay { text += ", at most \(most) a day" }
            // A short interval with no daily maximum: the totals count what the interval allows (conservative).
            if schedule.maxPerDay == nil, let interval = schedule.asNeededInterval, interval < 30 {
                text += " (no daily maximum given: totals count the \(1440 / max(1, interval)) a day the interval allows)"
            }
            return text
        }
    }

    private func slotTexts(_ schedule: Schedule) -> [String] {
        let texts = schedule.slots.map { slot -> String in
            switch slot {
            case .clock(let time): return "at \(time)"
            case .anchor(let anchor, let offset): return anchorText(anchor, offset: offset)
            case .period(let period):
                return "\(period.phrase) (\(ClockTime(minutes: plan.patient.dayMinutes(period) % 1440))\(otherDays { $0.dayMinutes(period) }))"
            }
        }
        guard !texts.isEmpty else { return [] }
        var lead = schedule.defaultSlots ? "by default " : ""
        if case .everyMinutes = schedule.frequency { lead = "first dose " + lead }
        return [lead + texts.joined(separator: " and ")]
    }

    private func anchorText(_ anchor: Anchor, offset: Int) -> String {
        let time = "\(ClockTime(minutes: anchors[anchor]!.minutes + offset))" + otherDays { $0.anchors[anchor]!.minutes + offset }
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
        // A course counted in cycles reads as cycles, with their days, beside the cycle.
        if let days = course.durationDays, course.cycle?.count == nil { texts.append("for \(days) days") }
        if let day = course.startDay { texts.append("starting day \(day)") }
        if let date = course.startDate { texts.append("from \(date)") }
        if let until = course.until { texts.append("until \(until)") }
        if let months = course.durationMonths {
            texts.append(months % 12 == 0 ? "for \(plural(months / 12, "year"))" : "for \(plural(months, "month"))")
        }
        if let doses = course.doseCount { texts.append("for \(plural(doses, "dose"))") }
        if let cycle = course.cycle {
            texts.append("on \(cycle.text), from the first dose"
                         + (cycle.count.map { ", for \(plural($0, "cycle")) (\(plural($0 * cycle.length, "day")))" } ?? ""))
        }
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
