extension Evaluator {
    /// `prednisone 40mg daily for 5 days, then 20mg daily for 5 days, then stop`: one item per
    /// step, each starting the day after the step before ends. A step without its own frequency or
    /// timing keeps the step before's; `then stop` ends the item with the step before, and without
    /// it the last step runs to the end of the plan.
    mutating func evaluateSequence(_ syntax: ItemSyntax) {
        var first = syntax
        first.steps = []
        var segments = [first]
        var stops = false
        for step in syntax.steps {
            guard !stops else {
                report(.unexpectedToken, "nothing can follow `then stop`", at: step.span, hint: "end the line after `then stop`")
                return
            }
            if step.stop {
                stops = true
                continue
            }
            let previous = segments[segments.count - 1]
            var next = previous
            if let dose = step.dose {
                next.dose = dose
                next.doseLow = step.doseLow
            }
            // The schedule carries on unless the step says another; the course never does.
            let timing = step.clauses.filter(Self.isScheduleClause)
            next.clauses = (timing.isEmpty ? previous.clauses.filter(Self.isScheduleClause) : []) + step.clauses
            segments.append(next)
        }
        // Where each step starts: the day (or date) after the one before ends.
        var startDay = Self.first(in: segments[0].clauses) { if case .startDay(let e) = $0 { e } else { nil } }
            .flatMap { count($0, "the starting day") } ?? 1
        var startDate = Self.first(in: segments[0].clauses) { if case .startDate(let e) = $0 { e } else { nil } }
            .flatMap { date($0, "the start date") }
        for index in segments.indices {
            let isLast = index == segments.count - 1
            var segment = segments[index]
            if index > 0 {
                let span = syntax.steps[min(index - 1, syntax.steps.count - 1)].span
                // The step's start, written as the clause a clinician would write.
                segment.clauses.removeAll { if case .startDay = $0.kind { true } else if case .startDate = $0.kind { true } else { false } }
                let start: ClauseKind = startDate.map { .startDate(Expr(kind: .literal(.date($0)), span: span)) }
                    ?? .startDay(Expr(kind: .literal(.number(Double(startDay))), span: span))
                segment.clauses.append(Clause(kind: start, span: span))
            }
            let length = Self.first(in: segment.clauses) { if case .duration(let e) = $0 { e } else { nil } }
            if !isLast || stops {
                guard let length, let days = days(length, "the step's length") else {
                    report(.conflictingClause, "a step followed by `then` needs its length, as in `for 5 days`", at: segment.span,
                           hint: "say how long each step lasts; the next starts the day after")
                    return
                }
                startDay += days
                startDate = startDate?.adding(days: days)
            }
            for item in evaluateItem(segment) { keep(item) }
        }
    }

    /// The expression of the first clause `pick` takes (`for 5 days` → `5 days`).
    static func first(in clauses: [Clause], _ pick: (ClauseKind) -> Expr?) -> Expr? {
        for clause in clauses { if let expr = pick(clause.kind) { return expr } }
        return nil
    }

    /// A frequency or timing clause: what a step after `then` keeps from the step before.
    static func isScheduleClause(_ clause: Clause) -> Bool {
        switch clause.kind {
        case .frequency, .clockTimes, .anchored, .withMeals, .aroundMeals, .meals, .period, .whileAwake, .emptyStomach, .route, .maxPerDay, .asNeededFor:
            true
        default:
            false
        }
    }
}

extension Evaluator {
    /// `warfarin 5mg on mon-fri, 2.5mg on sat, sun, with dinner`: one item per dose, each on its own
    /// weekdays; every other clause, wherever it stands on the line, is the whole item's (the
    /// clinician's "with dinner" is for every day, not only the weekend). `levothyroxine 75mcg and
    /// 100mcg on alternate days`: two items every other day, the second starting the day after.
    mutating func evaluateDayDoses(_ syntax: ItemSyntax) {
        var first = syntax
        first.dayDoses = []
        var segments = [first]
        if syntax.dosesAlternate {
            guard syntax.dayDoses.count == 1 else {
                report(.conflictingClause, "doses take turns two at a time", at: syntax.dayDoses[1].span,
                       hint: "write `75mcg and 100mcg on alternate days`, or give each dose its weekdays")
                return
            }
            guard first.clauses.contains(where: { if case .frequency(.everyOtherDay) = $0.kind { true } else { false } }) else {
                report(.conflictingClause, "two doses joined by `and` take turns, but the item does not say how", at: syntax.dayDoses[0].span,
                       hint: "write `on alternate days`")
                return
            }
            var second = first
            second.dose = syntax.dayDoses[0].dose
            second.doseLow = syntax.dayDoses[0].doseLow
            let span = syntax.dayDoses[0].span
            let startDate = Self.first(in: first.clauses) { if case .startDate(let e) = $0 { e } else { nil } }.flatMap { date($0, "the start date") }
            let startDay = Self.first(in: first.clauses) { if case .startDay(let e) = $0 { e } else { nil } }.flatMap { count($0, "the starting day") } ?? 1
            second.clauses.removeAll { if case .startDay = $0.kind { true } else if case .startDate = $0.kind { true } else { false } }
            let start: ClauseKind = startDate.map { .startDate(Expr(kind: .literal(.date($0.adding(days: 1))), span: span)) }
                ?? .startDay(Expr(kind: .literal(.number(Double(startDay + 1))), span: span))
            second.clauses.append(Clause(kind: start, span: span))
            segments.append(second)
        } else {
            func weekdays(_ clauses: [Clause]) -> [Int]? {
                for clause in clauses { if case .frequency(.weekdays(let days)) = clause.kind { return days } }
                return nil
            }
            let shared = first.clauses.filter { !Self.isFrequency($0) } + syntax.dayDoses.flatMap { $0.clauses.filter { !Self.isFrequency($0) } }
            segments[0].clauses = first.clauses.filter(Self.isFrequency) + shared
            guard var taken = weekdays(first.clauses).map(Set.init) else {
                report(.conflictingClause, "a dose for other days needs the first dose's weekdays", at: syntax.dayDoses[0].span,
                       hint: "write `5mg on mon-fri, 2.5mg on sat, sun`")
                return
            }
            for part in syntax.dayDoses {
                guard let days = weekdays(part.clauses) else {
                    report(.conflictingClause, "this dose for other days does not say which days", at: part.span,
                           hint: "give its weekdays, as in `2.5mg on sat, sun`")
                    return
                }
                let twice = taken.intersection(days)
                guard twice.isEmpty else {
                    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                    report(.conflictingClause, "two doses are given for \(twice.sorted().map { names[$0] }.joined(separator: ", "))", at: part.span,
                           hint: "give each weekday one dose")
                    return
                }
                taken.formUnion(days)
                var next = first
                next.dose = part.dose
                next.doseLow = part.doseLow
                next.clauses = part.clauses.filter(Self.isFrequency) + shared
                segments.append(next)
            }
        }
        for segment in segments {
            for item in evaluateItem(segment) { keep(item) }
        }
    }

    static func isFrequency(_ clause: Clause) -> Bool {
        if case .frequency = clause.kind { true } else { false }
    }
}
