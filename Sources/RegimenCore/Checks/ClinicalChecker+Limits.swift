extension ClinicalChecker {
    /// Daily totals over the upper limit (summed over all items of the substance, on the days
    /// it happens), and daily amounts with the diet far below the recommended allowance.
    mutating func checkLimits() {
        let implausible = Set(diagnostics.filter { $0.code == .implausibleDose }.flatMap(\.subjects))
        let bySubstance = Dictionary(grouping: timeline.totals, by: \.substance)
        for (substance, totals) in bySubstance.sorted(by: { $0.key < $1.key }) {
            guard let limit = totals.first?.limit else { continue }
            let itemIndices = substances.items(of: [substance]).filter { plan.items[$0].route.countsTowardIntake }
            guard let first = itemIndices.first else { continue }
            let supervised = itemIndices.allSatisfy { plan.items[$0].supervised }
            let diet = plan.patient.diet[substance]
            // A weekly-averaged limit (vitamin D) compares the mean over each 7 days; others each day.
            // The average runs over a week, or over the longest dosing interval when that is longer:
            // 50,000 IU once a month is about 1,667 IU a day, not 7,143.
            let window = max(7, itemIndices.map { dosingIntervalDays(plan.items[$0]) }.max() ?? 7)
            let amounts: [(CivilDate, Double)] = limit.averagedWeekly ? averages(totals, over: window) : totals.map { ($0.date, $0.amount.base) }
            // A total-intake limit counts food as well: the stated diet is added to every day's supplements.
            let food = limit.kind == .upper ? diet.flatMap { $0.dimension.isAmount && $0.dimension == totals[0].amount.dimension ? $0.base : nil } : nil
            let over = amounts.filter { $0.1 + (food ?? 0) > limit.amount.base + 1e-9 }
            // An implausible single dose is reported as such; its totals would only add noise.
            if let peak = over.max(by: { $0.1 < $1.1 }), !implausible.contains(substance) {
                let unit = totals[0].amount
                func shown(_ base: Double) -> String { Quantity(base: base, dimension: unit.dimension).description }
                // "Throughout" only when it is every day of the horizon: `every other day` is over on
                // the days it is taken, and says so.
                let days = over.count == amounts.count && (limit.averagedWeekly || amounts.count == timeline.days) ? "throughout"
                    : over.count == amounts.count ? "on every day it is taken (\(Verifier.datesText(over.map(\.0)).dropFirst(3)))"
                    : over.count == 1 ? "on \(over[0].0)" : "on \(over.count) days from \(over[0].0)"
                let kind = limit.kind == .supplemental ? "supplemental upper limit" : "upper limit for total intake"
                let averaged = limit.averagedWeekly ? (window == 7 ? " (weekly average)" : " (averaged over \(window) days)") : ""
                let counted = food.map { " (\(shown(peak.1)) from the plan and \(shown($0)) from the diet)" } ?? ""
                var message = "\(substance) reaches \(shown(peak.1 + (food ?? 0))) a day\(averaged) \(days)\(counted), over the \(kind) of \(limit.amount.description) a day for this patient"
                if supervised { message += "; the plan marks it supervised" }
                // Each limit says what it counts, so a reader knows what the total is made of.
                let countedNote = switch (limit.kind, diet) {
                case (.supplemental, .some): "food is not counted toward the supplemental limit"
                case (.supplemental, nil): "the limit is for supplements and medicines only"
                case (_, .some): "the limit is for total intake: food and supplements"
                case (_, nil): "the limit is for total intake, but the plan gives no diet: food is not counted, so the real total is higher"
                }
                report(.overUpperLimit, message, at: plan.items[first].nameSpan, severity: supervised ? .note : .warning,
                       hint: supervised ? nil : "lower the dose, or mark the item `supervised` if a clinician oversees it",
                       notes: ["source: \(limit.source ?? "the knowledge base")", countedNote],
                       subjects: [substance])
            }
            // Only with the diet given: without it the total intake is unknown, and "too little" could mislead.
            if let diet, let rda = knowledge.recommendedIntake(of: substance, for: plan.patient), rda.amount.dimension == totals[0].amount.dimension {
                let most = (amounts.map(\.1).max() ?? 0) + diet.base
                if most < rda.amount.base / 2 {
                    report(.belowRecommended, "\(substance) from the plan and the diet is at most \(Quantity(base: most, dimension: rda.amount.dimension).description) a day, under half the recommended \(rda.amount.description)",
                           at: plan.items[first].nameSpan, notes: ["source: \(rda.source ?? "the knowledge base")"], subjects: [substance])
                }
            }
        }
    }

    /// Days from one dose of an item to its next: a month counts as 30 days.
    private func dosingIntervalDays(_ item: PlanItem) -> Int {
        switch item.schedule.frequency {
        case .everyDays(let k): k
        case .everyMonths(let k): 30 * k
        case .weekdays, .timesWeekly: 7
        default: 1
        }
    }

    /// The mean daily amount over each run of `window` days (fewer at the end of a short horizon), by start date.
    private func averages(_ totals: [DailyTotal], over window: Int) -> [(CivilDate, Double)] {
        var byDay: [Int: Double] = [:]
        for total in totals { byDay[total.date.dayNumber - timeline.start.dayNumber, default: 0] += total.amount.base }
        let span = min(window, timeline.days)
        return (0...(timeline.days - span)).map { start in
            (timeline.start.adding(days: start), (start..<start + span).map { byDay[$0] ?? 0 }.reduce(0, +) / Double(span))
        }
    }

    /// Single doses far beyond anything used: more than 50 g, or more than ten times the daily
    /// upper limit for each day the dose has to last.
    mutating func checkImplausibleDoses() {
        for item in plan.items {
            let doses = item.titration.map { $0.steps(from: item.dose) } ?? [item.dose]
            guard let largest = doses.max(by: { $0.base < $1.base }) else { continue }
            let mg = item.activeMilligrams.map { $0 * largest.base / item.dose.base }
            let compound = item.compoundMilligrams.map { $0 * largest.base / item.dose.base } ?? mg
            if let compound, compound > 50_000 {
                report(.implausibleDose, "one dose of \(item.name) is \(largest.description), more than any dose in use", at: item.span,
                       hint: "check the amount and its unit", subjects: [item.substance])
                continue
            }
            guard let limit = knowledge.upperLimit(of: item.substance, for: plan.patient), let mg else { continue }
            let daysPerDose: Double = switch item.schedule.frequency {
            case .everyDays(let k): Double(k)
            case .everyMonths(let k): Double(30 * k)
            case .timesWeekly(let n): 7 / Double(max(1, n))
            case .weekdays(let days): 7 / Double(max(1, days.count))
            default: 1
            }
            let amount = limit.amount.dimension == .iu ? knowledge.substances[item.substance]?.mcgPerIU.map { mg * 1000 / $0 } ?? mg : mg
            if amount > 10 * limit.amount.base * daysPerDose {
                report(.implausibleDose, "one dose of \(item.name) is \(largest.description), more than ten times the upper limit of \(limit.amount.description) a day",
                       at: item.span, hint: "check the amount and its unit", notes: ["source: \(limit.source ?? "the knowledge base")"],
                       subjects: [item.substance])
            }
        }
    }
}
