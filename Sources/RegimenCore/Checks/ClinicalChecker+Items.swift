extension ClinicalChecker {
    /// Forms that do not suit the course (long-term citrate) or the setting (IV at home).
    /// Form cautions by condition come with the condition rules.
    mutating func checkForms() {
        for (index, item) in plan.items.enumerated() {
            if let form = item.form, let caution = knowledge.substances[item.substance]?.forms[form]?.longTerm {
                let days = courseDays(index)
                if days.map({ $0 > 56 }) ?? true {
                    report(.unsuitableForm, "\(item.substance) \(form) \(days.map { "for \($0) days" } ?? "with no end date"): \(caution)",
                           at: item.nameSpan, notes: ["source: \(knowledge.substances[item.substance]?.forms[form]?.source ?? "the knowledge base")"],
                           subjects: [item.substance])
                }
            }
            if item.route == .iv, plan.patient.setting != "hospital", plan.patient.setting != "clinic" {
                report(.intravenousOutsideClinic, "\(item.name) is given intravenously, but the patient's setting is \(plan.patient.setting ?? "not given")",
                       at: item.span, hint: "IV doses need a clinical setting: add `setting hospital` or `setting clinic` to the patient block",
                       subjects: [item.substance])
            }
        }
    }

    /// The length of an item's course in days, nil when it has no end.
    private func courseDays(_ index: Int) -> Int? {
        guard let range = simulator.itemRange(index, horizonStart: timeline.start), let last = range.last else { return nil }
        return last.dayNumber - range.first.dayNumber + 1
    }

    /// Two or more items of the same substance on the same days, with their combined amount.
    /// As-needed doses have no set time, so a spacing rule with one cannot be verified on the
    /// timeline; it is not dropped either: it becomes an instruction, once per rule and pair of items.
    mutating func checkAsNeededSpacing() {
        let items = plan.items
        let asNeeded = items.map { $0.schedule.frequency == .asNeeded }
        guard asNeeded.contains(true) else { return }
        var said = Set<String>()
        for constraint in timeline.constraints {
            for a in constraint.first {
                for x in constraint.second where x != a && items[a].substance != items[x].substance && !plan.inOneProduct(a, x) && (asNeeded[a] || asNeeded[x]) {
                    let (prn, other) = asNeeded[a] ? (a, x) : (x, a)
                    guard said.insert("\(constraint.rule)|\(a)|\(x)").inserted else { continue }
                    let source: String
                    let severity: Severity
                    switch constraint.origin {
                    case .plan:
                        source = "the plan's own relation"
                        severity = .warning
                    case .knowledge(let interaction):
                        source = interaction.source ?? "the knowledge base"
                        severity = constraint.severity == .note ? .note : .warning
                    }
                    report(.spacingNotVerifiable,
                           "\(items[prn].name) is taken as needed, so its times are not known: take \(items[a].name) \(constraint.rule)",
                           at: items[prn].nameSpan, severity: severity,
                           hint: "tell the patient, or give \(items[prn].name) set times so the rule can be checked",
                           notes: ["rule with \(items[other].name): \(source)"], subjects: [items[a].substance, items[x].substance])
                }
            }
        }
    }

    mutating func checkDuplicates() {
        // Only a substance that two or more items give by mouth can be duplicated: the other items' doses are not looked at.
        let counts = plan.items.map(\.route.countsTowardIntake)
        let oralItems = substances.itemsOf.map { items in items.count { counts[$0] } }
        let candidate = plan.items.indices.map { counts[$0] && oralItems[substances.ofItem[$0]] > 1 }
        guard candidate.contains(true) else { return }
        // Each substance's (date, item) pairs, by dosing day as the totals are: an item's doses
        // come in time order, so a dose on a day the item already has is passed over without a lookup.
        var lastDate = [Int](repeating: .min, count: plan.items.count)
        var datesOf = [[(date: Int, item: Int)]](repeating: [], count: substances.names.count)
        let start = timeline.start.dayNumber
        // Two ingredients of one product with the same substance (calcium carbonate and citrate in
        // one tablet) are one item of it: the line counts once.
        let item = plan.items.indices.map { index -> Int in
            guard let part = plan.items[index].productPart else { return index }
            let first = index - part.index
            return (first..<index).first { plan.items[$0].substance == plan.items[index].substance } ?? index
        }
        for event in timeline.events where candidate[event.item] && lastDate[item[event.item]] != start + event.day {
            lastDate[item[event.item]] = start + event.day
            datesOf[substances.ofItem[event.item]].append((start + event.day, item[event.item]))
        }
        // An as-needed item may be taken on any day of its course, as the totals count it.
        for index in plan.items.indices where candidate[index] && item[index] == index && plan.items[index].schedule.frequency == .asNeeded {
            guard let range = simulator.itemRange(index, horizonStart: timeline.start) else { continue }
            for day in 0..<timeline.days {
                let date = timeline.start.adding(days: day)
                if date >= range.first, date <= (range.last ?? date) { datesOf[substances.ofItem[index]].append((start + day, index)) }
            }
        }
        // Substance numbers follow the names' order, so going through them goes through the names.
        for (number, pairs) in datesOf.enumerated() where !pairs.isEmpty {
            let (sharedDates, sorted) = Self.overlaps(pairs)
            guard !sorted.isEmpty else { continue }
            let substance = substances.names[number]
            // A long list of lines would bury the message: the first few, then how many more.
            let shown = 8
            var lines = sorted.prefix(shown).map { String(line(of: plan.items[$0])) }
            if sorted.count > shown { lines[shown - 1] += " and \(sorted.count - shown) more" }
            // The combined amount at its peak, on the days the items overlap.
            let peak = timeline.totals.filter { $0.substance == substance && sharedDates.contains($0.date.dayNumber) }
                .max { $0.amount.base < $1.amount.base }
            var message = "\(substance) is given by \(sorted.count) items (lines \(lines.joined(separator: ", ")))"
            if let peak { message += ", together up to \(peak.amount.description) a day (\(peak.date))" }
            report(.duplicateTherapy, message, at: plan.items[sorted[1]].nameSpan,
                   hint: "if this is meant, the combined amount is what counts toward the limits", subjects: [substance])
        }
    }

    /// The dates on which two or more items have doses, and those items in plan order.
    private static func overlaps(_ pairs: [(date: Int, item: Int)]) -> (dates: Set<Int>, items: [Int]) {
        let pairs = pairs.sorted { ($0.date, $0.item) < ($1.date, $1.item) }
        var dates = Set<Int>(), items = Set<Int>()
        var start = 0
        while start < pairs.count {
            var end = start + 1
            while end < pairs.count, pairs[end].date == pairs[start].date { end += 1 }
            let onDate = pairs[start..<end].map(\.item)
            // Sorted by item within the date, so a change of item is another item.
            if zip(onDate, onDate.dropFirst()).contains(where: { $0 != $1 }) {
                dates.insert(pairs[start].date)
                items.formUnion(onDate)
            }
            start = end
        }
        return (dates, items.sorted())
    }

    /// Plan hygiene: courses that end before they start, titrations the wrong way, items never
    /// taken, drugs for an empty stomach scheduled with food.
    mutating func checkHygiene() {
        var taken = [Bool](repeating: false, count: plan.items.count)
        for event in timeline.events { taken[event.item] = true }
        for (index, item) in plan.items.enumerated() {
            let range = simulator.itemRange(index, horizonStart: timeline.start)
            if case .once = item.schedule.frequency, let range, let end = range.courseEnd, range.first > end {
                report(.neverTaken, "\(item.name) is never taken: its dose falls on \(range.first), after the course ends on \(end)",
                       at: item.span, subjects: [item.substance])
                continue
            }
            if let range, let last = range.last, last < range.first {
                report(.courseEndsBeforeStart, "\(item.name) starts on \(range.first) but its course ends on \(last)", at: item.span,
                       subjects: [item.substance])
                continue
            }
            if let titration = item.titration, titration.increasing ? titration.target.base < item.dose.base : titration.target.base > item.dose.base {
                report(.titrationWrongWay, "\(item.name) \(titration.increasing ? "increases" : "decreases") from \(item.dose.description) to \(titration.target.description)",
                       at: item.span, hint: "use `\(titration.increasing ? "decrease" : "increase") by`", subjects: [item.substance])
            }
            // Never taken: a course inside the simulated days with no dosing day in it (judged on
            // the item's own course, so a short --days horizon raises no false alarm).
            // When a limit stopped the timeline early, a missing dose proves nothing.
            if !taken[index], item.schedule.frequency != .asNeeded, let range, let last = range.last,
               range.first >= timeline.start, last <= timeline.end, timeline.completeThrough == nil {
                report(.neverTaken, "\(item.name) is never taken: no dose falls within its course from \(range.first) to \(last)",
                       at: item.span, subjects: [item.substance])
            }
            if let rule = knowledge.substances[item.substance]?.emptyStomach,
               let meal = item.schedule.slots.lazy.compactMap({ slot -> Anchor? in
                   if case .anchor(let anchor, 0) = slot, anchor.isMeal { return anchor }
                   return nil
               }).first {
                report(.takenWithFood, "\(item.name) is scheduled with \(meal.rawValue), but \(rule.reason)", at: item.span,
                       hint: "write for example `on waking, 30min before breakfast`",
                       notes: ["source: \(rule.source ?? "the knowledge base")"], subjects: [item.substance])
            }
        }
    }

    /// The plan's own rules and the knowledge base's advice.
    mutating func checkRules() {
        for rule in plan.rules + knowledge.advice {
            guard let condition = rule.condition else { continue }
            let (result, reason, missingLabs) = judge(condition)
            let isAdvice = rule.source != nil && !plan.rules.contains { $0.span == rule.span }
            if result == nil, !isAdvice {
                report(.notJudged, "the rule \"\(rule.name)\" could not be judged: \(reason ?? "a value is missing")", at: rule.span, subjects: [])
            } else if result == nil, !missingLabs.isEmpty {
                // Advice that needs a laboratory result the patient block does not give says so, as a
                // note, where the result would go: the `labs` line, or the patient block.
                let hint = missingLabs.first.flatMap { knowledge.labs.analytes[$0] }.map { analyte in
                    plan.labs[analyte.name] == nil
                        ? "add it to the patient block: `labs \(analyte.name) …\(analyte.unit.map { " " + $0.symbol } ?? "") on DATE`"
                        : "give its date: `\(analyte.name) \(analyte.described(plan.labs[analyte.name]!.value)) on DATE`"
                }
                report(.notJudged, "\"\(rule.name)\" could not be judged: \(reason ?? "a laboratory result is missing")",
                       at: missingLabs.first.flatMap { plan.labs[$0]?.span } ?? plan.labsSpan ?? plan.patientSpan, severity: .note, hint: hint,
                       notes: ["rule: \(rule.name)" + Self.cited(rule.source)], subjects: [])
            }
            guard result == true else { continue }
            // Advice about a laboratory result points at the result it read in the patient block.
            let labs = plan.labs
            let at = isAdvice ? labsRead(by: condition).compactMap { labs[$0]?.span }.first : rule.span
            report(isAdvice ? .advice : .userRule, rule.message, at: at, severity: rule.severity,
                   notes: ["rule: \(rule.name)" + Self.cited(rule.source)], subjects: [])
        }
    }

    /// The laboratory results a condition reads (`patient.lab.potassium`, its `.age`, or `patient
    /// has tsh`), by canonical analyte, in the order written.
    func labsRead(by condition: Expr) -> [String] {
        switch condition.kind {
        case .patientField(let field) where field.hasPrefix("lab."):
            let name = field.dropFirst(4)
            let analyte = knowledge.labs.analyte(named: String(name.hasSuffix(".age") ? name.dropLast(4) : name))
            return analyte.map { [$0.name] } ?? []
        case .patientHas(let name):
            return knowledge.labs.analyte(named: name.text).map { [$0.name] } ?? []
        case .unary(_, let operand):
            return labsRead(by: operand)
        case .binary(_, let left, let right):
            return labsRead(by: left) + labsRead(by: right)
        case .call(_, let arguments):
            return arguments.flatMap(labsRead(by:))
        default:
            return []
        }
    }
}
