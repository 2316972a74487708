extension Evaluator {
    /// What an item's name resolved to.
    struct ResolvedName {
        var substance: String
        var form: String?
        var product: String?
        /// Set when the knowledge base does not know the name or the form: the item is kept and
        /// simulated, but its facts cannot be checked.
        var unjudged: UnjudgedName.Reason?
        /// Named by the compound alone (`ferrous sulfate`), as prescriptions write it, not as
        /// the substance and its form (`iron ferrous sulfate`), as labels list it.
        var byCompoundName = false
    }

    /// Evaluates one item line into its plan items: one, or one per ingredient of a product with
    /// several; none when its name or dose cannot be understood.
    mutating func evaluateItem(_ syntax: ItemSyntax) -> [PlanItem] {
        var syntax = syntax
        // `magnesium glycinate dose nightly`: a trailing name word bound to a value is the dose.
        if syntax.dose == nil, let last = syntax.name.last, syntax.name.count > 1, scope.lookup(last.word) != nil {
            syntax.name.removeLast()
            syntax.dose = Expr(kind: .variable(last.word), span: last.span)
        }
        let resolved = resolveItemName(syntax)
        guard let doseExpr = syntax.dose else {
            if let resolved, resolved.unjudged == nil {
                report(.unexpectedToken, "this item has no dose", at: syntax.nameSpan,
                       hint: "write the amount after the name, for example `\(itemName(syntax)) 300mg daily`")
            }
            return []
        }
        // `15 mg/kg`, `375 mg/m2`, `5 mg/kg/day`: worked out from the patient's facts.
        let scaled = isScaledDose(doseExpr, perDay: syntax.dosePerDay) ? scaledDose(doseExpr, perDay: syntax.dosePerDay) : nil
        if syntax.dosePerDay, scaled == nil, !isScaledDose(doseExpr, perDay: true) {
            report(.doseNotAnAmount, "a dose per day is written as an amount per day, such as `5 mg/kg/day` or `1200 mg/day`", at: doseExpr.span)
        }
        let dose = isScaledDose(doseExpr, perDay: syntax.dosePerDay) ? scaled?.amount : evaluateDose(doseExpr)
        guard let resolved, let dose else {
            evaluateClausesForDiagnostics(syntax)
            return []
        }
        var builder = ItemBuilder(syntax: syntax, name: resolved, dose: dose)
        if let lowExpr = syntax.doseLow {
            guard let low = scaled.map({ scaled in
                // `10-15 mg/kg`: the lower end scaled by the same weight or surface.
                guard case .literal(.quantity(let value, _)) = lowExpr.kind, let unit = scaled.amount.unit else { return nil }
                return Quantity(value * scaled.factor, unit)
            }) ?? evaluateDose(lowExpr) else { return [] }
            guard low.dimension == dose.dimension, low.base < dose.base else {
                report(.conflictingClause, "a dose range runs from a smaller to a larger amount of the same kind, as in `1-2 capsules`", at: lowExpr.span)
                return []
            }
            builder.doseLow = low
        }
        let failuresBefore = failures
        for clause in syntax.clauses { apply(clause, to: &builder) }
        applyCycleCount(&builder)
        checkShortInterval(builder)
        if let scaled {
            guard divideDailyDose(scaled, &builder, at: doseExpr.span) else { return [] }
            if let low = builder.doseLow, scaled.perDay, let doses = builder.dose.base > 0 ? scaled.amount.base / builder.dose.base : nil {
                builder.doseLow = Quantity(base: low.base / doses, dimension: low.dimension, unit: low.unit)
            }
        } else if let span = builder.dividedSpan {
            report(.conflictingClause, "`divided` splits a dose per day, such as `5 mg/kg/day`, but this dose is one dose", at: span,
                   hint: "write the day's total with `/day`, or leave out `divided`")
        }
        // An item with a clause in error is left out: simulating it without that clause would mislead.
        guard failures == failuresBefore else { return [] }
        if let name = resolved.product, let product = knowledge.products[name.lowercased()], product.hasSeveralIngredients,
           resolved.unjudged == nil {
            return finishProduct(builder, product, doseSpan: doseExpr.span)
        }
        return finish(builder, doseSpan: doseExpr.span).map { [$0] } ?? []
    }

    /// An item whose name the knowledge base does not know: kept under the name as written, so its
    /// schedule and spacing relations are still checked and nothing else in the plan is hidden.
    private func unknown(_ written: String) -> ResolvedName {
        ResolvedName(substance: written.lowercased(), unjudged: .unknownName)
    }

    private func itemName(_ syntax: ItemSyntax) -> String {
        syntax.quotedName.map { "\"\($0.0)\"" } ?? syntax.name.map(\.word).joined(separator: " ")
    }

    /// Resolves `magnesium glycinate` to substance and form, `"Calm Night"` to a product.
    mutating func resolveItemName(_ syntax: ItemSyntax) -> ResolvedName? {
        if let (quoted, span) = syntax.quotedName {
            guard let product = knowledge.products[quoted.lowercased()] else {
                report(.unknownSubstance, "no product is called \"\(quoted)\"", at: span,
                       hint: suggestion(for: quoted.lowercased(), among: knowledge.products.keys) ?? "define it with `product \"\(quoted)\": …`")
                return unknown(quoted)
            }
            return ResolvedName(substance: product.substance, form: product.form, product: product.name)
        }
        let words = syntax.name.map(\.word)
        guard let (target, used) = knowledge.longestMatch(words) else {
            reportUnknownSubstance(words.joined(separator: " "), at: syntax.nameSpan)
            return unknown(words.joined(separator: " "))
        }
        var resolved: ResolvedName
        switch target {
        case .substance(let substance, let form):
            resolved = ResolvedName(substance: substance, form: form, byCompoundName: form != nil)
        case .product(let name):
            let product = knowledge.products[name]!
            resolved = ResolvedName(substance: product.substance, form: product.form, product: product.name)
        case .group where used < words.count:
            reportUnknownSubstance(words.joined(separator: " "), at: syntax.nameSpan)
            return unknown(words.joined(separator: " "))
        case .group(let group):
            report(.ambiguousName, "`\(group)` is a group of substances, not one substance", at: syntax.nameSpan,
                   hint: "name the substance itself: \(knowledge.members(of: group).prefix(4).joined(separator: ", "))")
            return unknown(words.joined(separator: " "))
        }
        let rest = syntax.name[used...]
        guard !rest.isEmpty else { return resolved }
        let formName = rest.map(\.word).joined(separator: " ")
        let formSpan = rest.first!.span.through(rest.last!.span)
        guard resolved.form == nil, resolved.product == nil, let substance = knowledge.substances[resolved.substance] else {
            report(.unknownForm, "`\(formName)` after `\(words[..<used].joined(separator: " "))` is not understood", at: formSpan)
            return unknown(words.joined(separator: " "))
        }
        guard let form = substance.form(named: formName) else {
            let known = substance.forms.values.flatMap { [$0.name] + $0.aliases }
            report(.unknownForm, "`\(formName)` is not a form of \(substance.name) the knowledge base knows", at: formSpan,
                   hint: suggestion(for: formName, among: known)
                       ?? (known.isEmpty ? "\(substance.name) has no forms" : "known forms: \(substance.forms.keys.sorted().joined(separator: ", "))"),
                   subjects: [substance.name])
            // The substance's own rules still apply; only the form's share of it is unknown.
            resolved.unjudged = .unknownForm
            return resolved
        }
        resolved.form = form.name
        return resolved
    }

    private mutating func evaluateDose(_ expr: Expr) -> Quantity? {
        guard let q = quantity(expr, "the dose") else { return nil }
        guard q.dimension.isAmount else {
            report(.doseNotAnAmount, "the dose is \(q.dimension.describedForClinicians), not an amount", at: expr.span,
                   hint: q.dimension == .none ? "give the unit, for example `\(Quantity.format(q.base))mg`" : nil)
            return nil
        }
        guard q.base > 0 else {
            report(.nonPositiveDose, "the dose must be more than zero", at: expr.span)
            return nil
        }
        return q
    }

    /// After a failed name or dose, the clauses are still evaluated so their mistakes are found too.
    private mutating func evaluateClausesForDiagnostics(_ syntax: ItemSyntax) {
        var builder = ItemBuilder(syntax: syntax, name: ResolvedName(substance: "", form: nil), dose: .milligrams(1))
        for clause in syntax.clauses { apply(clause, to: &builder) }
    }

    // MARK: Clauses

    private mutating func apply(_ clause: Clause, to item: inout ItemBuilder) {
        switch clause.kind {
        case .frequency(let frequency):
            setFrequency(frequency, clause.span, &item)
        case .clockTimes(let times):
            for time in times {
                guard let value = evaluate(time) else { continue }
                guard case .clock(let clock) = value else {
                    report(.typeMismatch, "`at` takes a clock time such as 21:00, but this is \(value.kindDescription)", at: time.span)
                    continue
                }
                item.clockTimes.append(clock)
            }
            item.timingSpan = item.timingSpan ?? clause.span
        case .anchored(let anchor, let offsetExpr, let direction):
            var minutes = direction == .with ? 0 : 30
            if let offsetExpr {
                guard let offset = self.minutes(offsetExpr, "the time before or after \(anchor.rawValue)") else { return }
                minutes = offset
            }
            item.anchors.append(AnchorConstraint(anchor: anchor, minutes: minutes, direction: direction))
            item.timingSpan = item.timingSpan ?? clause.span
        case .withMeals:
            item.withMeals = true
        case .aroundMeals(let direction):
            item.withMeals = true
            item.mealsDirection = direction
        case .meals(let meals):
            item.anchors += meals.map { AnchorConstraint(anchor: $0, minutes: 0, direction: .with) }
            item.timingSpan = item.timingSpan ?? clause.span
        case .mealsApart(let meals, let offsetExpr, let direction):
            var minutes = 30
            if let offsetExpr {
                guard let offset = self.minutes(offsetExpr, "the time \(direction.rawValue) meals") else { return }
                minutes = offset
            }
            item.mealTimes += meals.map { AnchorConstraint(anchor: $0, minutes: minutes, direction: direction) }
            item.timingSpan = item.timingSpan ?? clause.span
        case .period(let period):
            item.periods.append(period)
            item.timingSpan = item.timingSpan ?? clause.span
        case .whileAwake:
            item.whileAwake = true
        case .asNeededFor(let purpose):
            item.asNeededFor = purpose
        case .durationMonths(let months):
            set(&item.course.durationMonths, months, "length of course", clause.span)
        case .doseCount(let count):
            set(&item.course.doseCount, count, "number of doses", clause.span)
        case .cycle(let days, let length):
            set(&item.course.cycle, Cycle(days: days, length: length), "treatment cycle", clause.span)
        case .cycleCount(let count):
            set(&item.cycleCount, count, "number of cycles", clause.span)
            item.cycleCountSpan = clause.span
        case .emptyStomach:
            item.emptyStomach = true
        case .relation(let alternatives):
            var converted: [Relation.Alternative] = []
            for alternative in alternatives {
                guard let minutes = self.minutes(alternative.offset, "the spacing") else { return }
                let targets = resolveRelationTarget(alternative.target)
                for target in targets {
                    converted.append(Relation.Alternative(minutes: minutes, direction: alternative.direction, target: target, span: alternative.span))
                }
            }
            item.relations.append(Relation(alternatives: converted, notWith: false))
        case .notWith(let name):
            let targets = resolveRelationTarget(name)
            item.relations.append(Relation(alternatives: targets.map {
                Relation.Alternative(minutes: 0, direction: .apart, target: $0, span: clause.span)
            }, notWith: true))
        case .infusionDuration, .infusionRate, .infusionVolume:
            applyInfusion(clause.kind, clause.span, &item)
        case .divided(let count):
            item.dividedSpan = clause.span
            item.dividedInto = count
        case .holdIf(let expr):
            evaluateHoldIf(expr, clause.span, &item)
        case .holdDuring(let name):
            item.holdDuring += resolveRelationTarget(name).filter { !item.holdDuring.contains($0) }
        case .duration(let expr):
            set(&item.course.durationDays, days(expr, "the course's length"), "length of course", clause.span)
        case .startDay(let expr):
            set(&item.course.startDay, count(expr, "the starting day"), "starting day", clause.span)
        case .startDate(let expr):
            set(&item.course.startDate, date(expr, "the start date"), "start date", clause.span)
        case .untilDate(let expr):
            set(&item.course.until, date(expr, "the end date"), "end date", clause.span)
        case .onDay(let expr):
            set(&item.onceDay, count(expr, "the day"), "day", clause.span)
        case .titration(let titration):
            evaluateTitration(titration, clause.span, &item)
        case .route(let route):
            set(&item.route, route, "route", clause.span)
        case .salt:
            set(&item.basis, .salt, "dose basis", clause.span)
        case .elemental:
            set(&item.basis, .elemental, "dose basis", clause.span)
        case .supervised:
            item.supervised = true
        case .current:
            item.current = true
        case .note(let text):
            item.notes.append(text)
        case .maxPerDay(let expr):
            item.maxPerDay = count(expr, "the most doses a day")
        case .maxDoses(let expr):
            item.maxInARow = count(expr, "the most doses in a row")
            item.maxInARowSpan = clause.span
        case .perUnit:
            report(.unknownClause, "`per` belongs in a product definition, not in a plan item", at: clause.span)
        }
    }

    /// `for 6 cycles`: a course of so many whole cycles, from the item's first day.
    private mutating func applyCycleCount(_ item: inout ItemBuilder) {
        guard let count = item.cycleCount, let span = item.cycleCountSpan else { return }
        guard let cycle = item.course.cycle else {
            report(.conflictingClause, "`for \(count) cycles` needs the cycle it counts", at: span,
                   hint: "give the cycle, as in `on days 1-5 of each 28-day cycle, for 6 cycles`")
            return
        }
        item.course.cycle?.count = count
        set(&item.course.durationDays, count * cycle.length, "length of course", span)
    }

    /// `hold if patient.egfr < 30`: a yes/no question about the patient, answered now. A fact the
    /// patient block does not give is an error (R204), never a guess either way.
    private mutating func evaluateHoldIf(_ expr: Expr, _ span: Span, _ item: inout ItemBuilder) {
        guard let value = evaluate(expr) else { return }
        guard case .bool(let holds) = value else {
            report(.typeMismatch, "`hold if` takes a yes/no condition, such as `patient.egfr < 30`, but this is \(value.kindDescription)", at: expr.span)
            return
        }
        var facts: [String] = []
        func collect(_ e: Expr) {
            switch e.kind {
            case .patientField(let name):
                if let v = evaluate(e), !facts.contains("patient.\(name) = \(v.description)") { facts.append("patient.\(name) = \(v.description)") }
            case .patientHas(let name):
                let text = "the patient \(plan.patient.conditions.contains(where: { $0 == knowledge.condition(named: name.text) }) ? "has" : "does not have") \(name.text)"
                if !facts.contains(text) { facts.append(text) }
            case .unary(_, let a): collect(a)
            case .binary(_, let a, let b): collect(a); collect(b)
            case .call(_, let arguments): arguments.forEach(collect)
            default: break
            }
        }
        collect(expr)
        if item.holdIf != nil {
            report(.conflictingClause, "the item gives `hold if` twice", at: span, hint: "join the conditions with `or`")
            return
        }
        let text = sources[expr.span.file].text(expr.span).split(whereSeparator: \.isNewline).joined(separator: " ")
        item.holdIf = HoldCondition(condition: text, holds: holds, facts: facts)
    }

    /// `every 5 min` is more doses than a day holds when scheduled, and the shortest time between
    /// doses when as needed; `max 3 doses` (in a row) is for as-needed items only.
    private mutating func checkShortInterval(_ item: ItemBuilder) {
        if let (minutes, span) = item.shortInterval, item.frequency != .asNeeded {
            report(.tooManyDoses, "every \(DurationText.minutes(minutes)) is more than \(limits.maxDosesPerDay) doses a day", at: span,
                   hint: "the shortest scheduled interval is \(1440 / limits.maxDosesPerDay) min; as needed, a shorter one is allowed, as in `every 5 min as needed, max 3 doses`")
        }
        if let span = item.maxInARowSpan, item.frequency != .asNeeded {
            report(.conflictingClause, "`max … doses` limits the doses in a row of an as-needed item, but this item is scheduled", at: span,
                   hint: "for a scheduled course counted in doses, write `for 3 doses`")
        }
    }

    /// Sets a clause value once; a second, different one is a conflict.
    private mutating func set<T: Equatable>(_ slot: inout T?, _ value: T?, _ what: String, _ span: Span) {
        guard let value else { return }
        if let existing = slot, existing != value {
            report(.conflictingClause, "the item gives its \(what) twice", at: span)
            return
        }
        slot = value
    }

    private mutating func setFrequency(_ frequency: FrequencySyntax, _ span: Span, _ item: inout ItemBuilder) {
        let resolved: Frequency
        switch frequency {
        case .timesDaily(let n):
            guard n <= limits.maxDosesPerDay else {
                report(.tooManyDoses, "\(n) times a day is more than \(limits.maxDosesPerDay) doses a day", at: span,
                       hint: "a continuous infusion or a pump is not a dosing schedule; write the doses a person takes")
                return
            }
            resolved = .timesDaily(n)
        case .nightly:
            resolved = .timesDaily(1)
            item.nightly = true
        case .everyOtherDay: resolved = .everyDays(2)
        case .weekly: resolved = .everyDays(7)
        case .weekdays(let days):
            // `weekly on sunday` narrows `weekly` to a weekday.
            if item.frequency == .everyDays(7) { item.frequency = nil }
            resolved = .weekdays(days.sorted())
        case .once: resolved = .once(day: 1)
        case .asNeeded: resolved = .asNeeded
        case .everyMonths(let n): resolved = .everyMonths(n)
        case .timesWeekly(let n): resolved = n == 7 ? .timesDaily(1) : .timesWeekly(n)
        case .every(let expr):
            guard let minutes = minutes(expr, "the interval") else { return }
            guard minutes > 0 else {
                report(.invalidCount, "the interval must be longer than zero", at: expr.span)
                return
            }
            if minutes * limits.maxDosesPerDay < 1440 {
                // Scheduled, that is more doses than a day holds; as needed (`every 5 min as needed,
                // max 3 doses`), it is the shortest time between doses. Which one is known once the
                // whole item is read (`checkShortInterval`).
                item.shortInterval = (minutes, expr.span)
            }
            resolved = minutes % 1440 == 0 ? (minutes == 1440 ? .timesDaily(1) : .everyDays(minutes / 1440)) : .everyMinutes(minutes)
        case .everyRange(let low, let high):
            guard let shortest = minutes(low, "the shorter interval"), let longest = minutes(high, "the longer interval") else { return }
            guard shortest > 0, longest >= shortest, longest < 1440 else {
                report(.invalidCount, "an interval range runs from a shorter to a longer time within a day, as in `every 4 to 6 hours`", at: span)
                return
            }
            // Scheduled, the range is taken at its longer end (the lower frequency); as needed, the
            // shorter end bounds how often a dose may be taken. Both ends travel to FHIR.
            item.intervalRange = shortest...longest
            resolved = .everyMinutes(longest)
        }
        // `every 6h as needed`, `q6h prn`: an as-needed item with the shortest time between doses.
        if case .everyMinutes(let interval) = resolved, item.frequency == .asNeeded {
            item.asNeededInterval = item.intervalRange?.lowerBound ?? interval
            return
        }
        if resolved == .asNeeded, case .everyMinutes(let interval) = item.frequency {
            item.asNeededInterval = item.intervalRange?.lowerBound ?? interval
            item.frequency = .asNeeded
            item.frequencySpan = span
            return
        }
        if case .weekdays = resolved, item.frequency == .everyDays(7) { item.frequency = nil }
        if item.frequency == nil || item.frequency == resolved {
            item.frequency = resolved
            item.frequencySpan = span
        } else {
            report(.conflictingClause, "the item gives two frequencies", at: span,
                   hint: "keep one frequency, for example `twice daily` or `every 12h`")
        }
    }

    private mutating func evaluateTitration(_ titration: TitrationSyntax, _ span: Span, _ item: inout ItemBuilder) {
        guard let step = quantity(titration.step, "the titration step"),
              let target = quantity(titration.target, "the titration's final dose"),
              let interval = days(titration.interval, "the titration interval") else { return }
        guard step.dimension == item.dose.dimension, target.dimension == item.dose.dimension else {
            report(.incompatibleUnits, "the titration's step and final dose must be the same kind of amount as the first dose", at: span)
            return
        }
        guard step.base > 0 else {
            report(.nonPositiveDose, "the titration step must be more than zero", at: titration.step.span)
            return
        }
        item.titration = Titration(step: step, intervalDays: interval, target: target, increasing: titration.increasing)
    }

    /// Evaluates a time span to whole minutes.
    mutating func minutes(_ expr: Expr, _ what: String) -> Int? {
        guard let q = quantity(expr, what) else { return nil }
        guard q.dimension == .time else {
            report(.expectedDuration, "\(what) must be a time span such as `4h` or `30min`, but this is \(q.dimension.describedForClinicians)",
                   at: expr.span)
            return nil
        }
        guard q.base >= 0, q.base < 5_256_000 else {
            report(.expectedDuration, "\(what) must be between zero and ten years", at: expr.span)
            return nil
        }
        // Schedules are kept in whole minutes: `30 ms` (a lab unit) or `20 s` would round to
        // nothing, or to another time, without a word.
        guard q.base == q.base.rounded() else {
            report(.expectedDuration, "\(what) must be a whole number of minutes, such as `30min` or `4h`", at: expr.span)
            return nil
        }
        return Int(q.base)
    }
}

/// The pieces of an item gathered from its clauses before they are put together.
struct ItemBuilder {
    var syntax: ItemSyntax
    var name: Evaluator.ResolvedName
    var dose: Quantity
    var frequency: Frequency?
    var frequencySpan: Span?
    var nightly = false
    var clockTimes: [ClockTime] = []
    var anchors: [AnchorConstraint] = []
    var timingSpan: Span?
    var withMeals = false
    /// `before meals` / `after meals`: the meal doses 30 minutes before or after.
    var mealsDirection: Direction = .with
    var periods: [DayPeriod] = []
    var whileAwake = false
    /// The lower end of a dose range; the dose is its upper end, which limits count.
    var doseLow: Quantity?
    var asNeededFor: String?
    var asNeededInterval: Int?
    var intervalRange: ClosedRange<Int>?
    var emptyStomach = false
    var relations: [Relation] = []
    /// `hold during X`: the substances on whose days this item is not taken.
    var holdDuring: [String] = []
    var course = Course()
    var onceDay: Int?
    var titration: Titration?
    var route: Route?
    var basis: DoseBasis?
    /// `before breakfast and dinner`: one dose at each of these meals, on its side.
    var mealTimes: [AnchorConstraint] = []
    var supervised = false
    var current = false
    var notes: [String] = []
    var maxPerDay: Int?
    var holdIf: HoldCondition?
    /// An interval below the scheduled minimum (`every 5 min`): allowed only as needed.
    var shortInterval: (minutes: Int, span: Span)?
    /// `max 3 doses`, and where it was written.
    var maxInARow: Int?
    var maxInARowSpan: Span?
    /// `over 20 min`, `at 2 g/h`, `in 100 mL`, and where the first was written.
    var infusion: Infusion?
    var infusionSpan: Span?
    /// `divided`, `divided into 3 doses`: where it was written, and the count when given.
    var dividedSpan: Span?
    var dividedInto: Int?
    /// How a dose per kg, per m² or per day was worked out, step by step.
    var computation: [String] = []
    /// `for 6 cycles`, and where it was written.
    var cycleCount: Int?
    var cycleCountSpan: Span?
}
