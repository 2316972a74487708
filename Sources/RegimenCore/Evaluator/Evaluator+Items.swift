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
        let dose = evaluateDose(doseExpr)
        guard let resolved, let dose else {
            evaluateClausesForDiagnostics(syntax)
            return []
        }
        var builder = ItemBuilder(syntax: syntax, name: resolved, dose: dose)
        if let lowExpr = syntax.doseLow {
            guard let low = evaluateDose(lowExpr) else { return [] }
            guard low.dimension == dose.dimension, low.base < dose.base else {
                report(.conflictingClause, "a dose range runs from a smaller to a larger amount of the same kind, as in `1-2 capsules`", at: lowExpr.span)
                return []
            }
            builder.doseLow = low
        }
        let failuresBefore = failures
        for clause in syntax.clauses { apply(clause, to: &builder) }
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
        case .perUnit:
            report(.unknownClause, "`per` belongs in a product definition, not in a plan item", at: clause.span)
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
            guard minutes * limits.maxDosesPerDay >= 1440 else {
                report(.tooManyDoses, "every \(minutes) min is more than \(limits.maxDosesPerDay) doses a day", at: expr.span,
                       hint: "the shortest interval is \(1440 / limits.maxDosesPerDay) min; a continuous infusion or a pump is not a dosing schedule")
                return
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
        return Int(q.base.rounded())
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
}
