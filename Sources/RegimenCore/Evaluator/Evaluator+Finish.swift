extension Evaluator {
    /// Puts an item together: the dose on its basis, the route, the schedule and the course.
    mutating func finish(_ item: ItemBuilder, doseSpan: Span) -> PlanItem? {
        // A name the knowledge base does not know stands for itself, with no facts.
        let substance = knowledge.substances[item.name.substance]
            ?? Substance(name: item.name.substance, kind: .drug)
        let form = item.name.form.flatMap { substance.forms[$0] }
        let product = item.name.product.flatMap { knowledge.products[$0.lowercased()] }
        let amounts: (basis: DoseBasis, active: Double?, compound: Double?)
        if item.name.unjudged != nil {
            // Without its facts the amount cannot be converted; it is never guessed, so an unjudged
            // item counts toward no total.
            amounts = (.asWritten, nil, nil)
        } else {
            guard let known = doseAmounts(item, substance: substance, form: form, product: product, doseSpan: doseSpan) else { return nil }
            amounts = known
        }
        guard let schedule = schedule(for: item) else { return nil }
        let route = item.route ?? form?.route ?? product?.route ?? .oral
        var infusion: Infusion?
        guard finishInfusion(item, route: route, into: &infusion) else { return nil }
        var course = item.course
        if let titration = item.titration, titration.stopsAtZero {
            // `decrease by 300mg every week to 0mg`: the item ends when its last step above zero does.
            let days = titration.steps(from: item.dose).count * titration.intervalDays
            course.durationDays = min(course.durationDays ?? days, days)
        }
        return PlanItem(
            name: item.syntax.quotedName?.0 ?? item.syntax.name.map(\.word).joined(separator: " "),
            substance: substance.name, form: form?.name, product: product?.name,
            dose: item.dose, basis: amounts.basis, activeMilligrams: amounts.active, compoundMilligrams: amounts.compound,
            route: route,
            schedule: schedule, relations: item.relations, course: course, titration: item.titration,
            supervised: item.supervised, current: item.current, emptyStomach: item.emptyStomach, notes: item.notes,
            plan: currentPlan?.name ?? "", span: item.syntax.span, nameSpan: item.syntax.nameSpan, unjudged: item.name.unjudged,
            doseLow: item.doseLow, holdDuring: item.holdDuring, holdIf: item.holdIf, computation: item.computation, infusion: infusion)
    }

    /// `"Cal-Mag-Zinc" 2 tablets daily`: one item per ingredient, each with the ingredient's amount
    /// in that many units, so each counts toward its own totals and triggers its own rules. Each
    /// is named by the product and the ingredient, so a finding says which of them it is about.
    mutating func finishProduct(_ item: ItemBuilder, _ product: Product, doseSpan: Span) -> [PlanItem] {
        guard item.dose.dimension == .count else {
            report(.doseNotAnAmount, "\"\(product.name)\" holds \(product.ingredients.count) ingredients, so its dose is a number of its units, such as `1 \(product.unit?.symbol ?? "tablet")`",
                   at: doseSpan, hint: "write how many are taken, such as `\"\(product.name)\" 1 \(product.unit?.symbol ?? "tablet") daily`; each ingredient's amount follows from the product")
            return []
        }
        guard let lead = finish(item, doseSpan: doseSpan) else { return [] }
        var parts: [PlanItem] = []
        for (index, ingredient) in product.ingredients.enumerated() {
            guard let substance = knowledge.substances[ingredient.substance] else { return [] }
            let form = ingredient.form.flatMap { substance.forms[$0] }
            // The ingredient's amount in all the units taken, weighed as a single item of it would be.
            var part = item
            part.name = ResolvedName(substance: substance.name, form: form?.name)
            part.dose = Quantity(base: ingredient.amount.base * item.dose.base, dimension: ingredient.amount.dimension, unit: ingredient.amount.unit)
            part.basis = ingredient.basis
            guard let amounts = doseAmounts(part, substance: substance, form: form, product: nil, ingredientOfProduct: true, doseSpan: doseSpan) else { return [] }
            var planItem = lead
            planItem.name = "\(product.name) (\(ingredient.name))"
            planItem.substance = substance.name
            planItem.form = form?.name
            planItem.basis = amounts.basis
            planItem.activeMilligrams = amounts.active
            planItem.compoundMilligrams = amounts.compound
            planItem.route = item.route ?? product.route ?? form?.route ?? .oral
            planItem.productPart = ProductPart(index: index, count: product.ingredients.count)
            parts.append(planItem)
        }
        return parts
    }

    /// The dose as active (elemental) and compound mass, following the label convention that a
    /// mineral salt's dose is elemental unless written `salt`.
    private mutating func doseAmounts(_ item: ItemBuilder, substance: Substance, form: Form?, product: Product?,
                                      ingredientOfProduct: Bool = false, doseSpan: Span)
        -> (basis: DoseBasis, active: Double?, compound: Double?)?
    {
        let dose = item.dose
        let fraction = form?.elementalFraction
        var active: Double?
        switch dose.dimension {
        case .mass:
            active = dose.base
        case .count where product != nil:
            // The strength as a mass (`1000 IU per capsule` is 0.025 mg); a strength in units the
            // knowledge base cannot weigh counts toward no total.
            let first = product!.ingredients.first
            let perUnit = first?.milligrams ?? (product!.amountPerUnit.dimension == .mass ? product!.amountPerUnit.base : nil)
            active = perUnit.map { dose.base * $0 }
        case .iu where substance.mcgPerIU == nil
            && plan.unjudged.contains(where: { $0.reason == .declaredInPlan && $0.name.lowercased() == substance.name.lowercased() }):
            active = nil // a drug the plan declares, dosed in units (insulin 20 U): counted in units, never as a mass
        case .iu:
            guard let mass = substance.milligrams(dose) else {
                report(.noConversion, "the knowledge base does not say how international units of \(substance.name) convert to a mass",
                       at: doseSpan, hint: "give the dose as a mass, such as mg or mcg", subjects: [substance.name])
                return nil
            }
            active = mass
        case .amount, .equivalents:
            guard let mass = substance.milligrams(dose) else {
                report(.noConversion, "the knowledge base does not say how \(dose.displaySymbol) of \(substance.name) convert to a mass",
                       at: doseSpan, hint: "give the dose as a mass, such as mg", subjects: [substance.name])
                return nil
            }
            active = mass
        default:
            active = nil // volumes and unit counts without a product: strength unknown
        }
        // Millimoles and milliequivalents count the element itself (the cation), whatever salt
        // carries it: `magnesium sulfate 10 mmol` is 243 mg of magnesium, never a tenth of that.
        let countsTheElement = dose.dimension == .amount || dose.dimension == .equivalents
        if countsTheElement, item.basis == .salt {
            report(.conflictingClause, "a dose in \(dose.displaySymbol) counts the \(substance.name) itself, so it cannot be the salt's weight",
                   at: doseSpan, hint: "remove `salt`, or give the salt's weight in mg", subjects: [substance.name])
            return nil
        }
        // A product that says `salt` or `elemental` for its ingredient has said how its strength reads.
        if item.basis == .salt || (item.basis == nil && product?.ingredients.first?.basis == nil && form?.dosedAsSalt == true && active != nil && !countsTheElement) {
            guard let fraction, let compound = active else {
                if let form, form.elementalVaries {
                    let refusal = Form.noFixedCompositionSalt(item.syntax.name.map(\.word).joined(separator: " "), of: substance.name)
                    report(.unknownForm, refusal.message, at: item.syntax.nameSpan, hint: refusal.hint, subjects: [substance.name])
                } else {
                    report(.unknownForm, "`salt` needs a salt form whose elemental share is known, such as `magnesium oxide 400mg salt`",
                           at: item.syntax.nameSpan, subjects: [substance.name])
                }
                return nil
            }
            return (.salt, compound * fraction, compound)
        }
        if let form, form.elementalVaries, let active, product == nil, dose.dimension == .mass {
            // Calcium citrate malate, polysaccharide-iron complex: no share turns a compound's weight
            // into the element, so the dose counts as the element only, and says so unless written so.
            // A product's ingredient was said where the product is defined (KnowledgeBuilder).
            if item.basis == nil, !ingredientOfProduct {
                report(.unstatedDoseBasis, Form.noFixedCompositionReading(item.syntax.name.map(\.word).joined(separator: " "), dose, of: substance.name),
                       at: doseSpan, hint: "write `\(dose.description.replacingOccurrences(of: " ", with: "")) elemental` with the \(substance.name) the label gives",
                       subjects: [substance.name])
            }
            return (.elemental, active, nil)
        }
        if let fraction, let active, product == nil || dose.dimension == .mass {
            if item.basis == nil, item.name.byCompoundName || item.syntax.formInParentheses, product == nil, dose.dimension == .mass,
               let form, let compoundName = form.names.first {
                // `ferrous sulfate 325mg`: the label's reading and the prescription's differ fivefold. The
                // language's rule holds, and both readings are shown, so neither is taken in silence.
                let element = Quantity.milligrams(active).description
                let compound = Quantity.milligrams(active * fraction).description
                let written = dose.description
                let named = item.syntax.formInParentheses ? compoundName : item.syntax.name.map(\.word).joined(separator: " ")
                report(.unstatedDoseBasis,
                       "\(named) \(written) is read as \(element) of \(substance.name) itself (the label convention); if it is the weight of the \(named), as prescriptions write it, it holds \(compound) of \(substance.name)",
                       at: doseSpan, hint: "write `\(written.replacingOccurrences(of: " ", with: "")) salt` for the compound's weight, or `\(written.replacingOccurrences(of: " ", with: "")) elemental` for the \(substance.name)",
                       subjects: [substance.name])
            }
            return (.elemental, active, active / fraction)
        }
        return (fraction == nil ? .asWritten : .elemental, active, nil)
    }

    /// Resolves frequency and timing clauses into dose slots, with Universal Medication
    /// Schedule defaults where the plan gives no time.
    private mutating func schedule(for item: ItemBuilder) -> Schedule? {
        var frequency = item.frequency
        if let day = item.onceDay {
            if frequency == nil || frequency == .once(day: 1) {
                frequency = .once(day: day)
            } else {
                report(.conflictingClause, "`on day \(day)` is for a single dose, but the item also repeats", at: item.frequencySpan ?? item.syntax.span,
                       hint: "write `once on day \(day)`")
                return nil
            }
        }
        let clockCount = item.clockTimes.count
        // Without a frequency, the times the item names say how often: `with lunch and dinner` is twice a day.
        let namedTimes = max(clockCount, item.periods.count, item.anchors.filter { $0.direction == .with }.count, item.mealTimes.count)
        let resolvedFrequency = frequency ?? .timesDaily(max(1, namedTimes))
        var schedule = Schedule(frequency: resolvedFrequency, slots: [], defaultSlots: false, anchorConstraints: [], maxPerDay: item.maxPerDay)
        schedule.asNeededInterval = item.asNeededInterval
        schedule.maxInARow = item.maxInARow
        schedule.intervalRange = item.intervalRange
        schedule.asNeededFor = item.asNeededFor
        if item.asNeededFor != nil, resolvedFrequency != .asNeeded {
            report(.conflictingClause, "`for \(item.asNeededFor!)` says what an as-needed item is for, but this item is not as needed",
                   at: item.syntax.span, hint: "write `as needed for \(item.asNeededFor!)`")
            return nil
        }
        if item.whileAwake {
            guard case .everyMinutes = resolvedFrequency else {
                report(.conflictingClause, "`while awake` is for doses every few hours, such as `every 4h while awake`", at: item.syntax.span)
                return nil
            }
            schedule.whileAwake = true
        }
        if item.whileAwake, clockCount == 0, item.anchors.isEmpty, item.periods.isEmpty {
            // The waking day starts at waking: so does its first dose.
            schedule.slots = [.anchor(.wake, offset: 0)]
            return schedule
        }
        let perDay: Int = if case .timesDaily(let n) = resolvedFrequency { n } else { 1 }
        let conflictSpan = item.timingSpan ?? item.syntax.span

        if !item.mealTimes.isEmpty {
            guard clockCount == 0, item.periods.isEmpty, item.anchors.allSatisfy({ $0.direction != .with }), !item.withMeals, !item.nightly else {
                report(.conflictingClause, "the item gives its time of day twice (its meals and another timing)", at: conflictSpan)
                return nil
            }
            if case .timesDaily = resolvedFrequency, item.mealTimes.count != perDay {
                report(.conflictingClause, "the item is taken \(timesText(perDay)) a day, but \(plural(item.mealTimes.count, "meal")) \(item.mealTimes.count == 1 ? "is" : "are") given",
                       at: conflictSpan)
                return nil
            }
            // Each dose on its side of its meal; the side is a limit the arrangement keeps, as for one meal.
            schedule.slots = item.mealTimes.map { .anchor($0.anchor, offset: $0.direction == .before ? -$0.minutes : $0.minutes) }
            schedule.anchorConstraints = item.anchors
        } else if !item.periods.isEmpty {
            guard clockCount == 0, item.anchors.allSatisfy({ $0.direction != .with }), !item.withMeals, !item.nightly else {
                report(.conflictingClause, "the item gives its time of day twice (a part of the day and another timing)", at: conflictSpan)
                return nil
            }
            if case .timesDaily = resolvedFrequency, item.periods.count != perDay {
                report(.conflictingClause, "the item is taken \(timesText(perDay)) a day, but \(plural(item.periods.count, "time of day")) \(item.periods.count == 1 ? "is" : "are") given",
                       at: conflictSpan)
                return nil
            }
            schedule.slots = item.periods.map(Slot.period)
            schedule.anchorConstraints = item.anchors
        } else if clockCount > 0 {
            if case .timesDaily = resolvedFrequency, clockCount != perDay {
                report(.conflictingClause, "the item is taken \(timesText(perDay)) a day, but \(plural(clockCount, "clock time")) \(clockCount == 1 ? "is" : "are") given", at: conflictSpan)
                return nil
            }
            if case .everyMinutes = resolvedFrequency, clockCount > 1 {
                report(.conflictingClause, "a dose every few hours takes one clock time, its first", at: conflictSpan)
                return nil
            }
            schedule.slots = item.clockTimes.map(Slot.clock)
            schedule.anchorConstraints = item.anchors
        } else if !item.anchors.isEmpty {
            let placing = item.anchors.filter { $0.direction == .with }
            if perDay > 1, placing.count == perDay {
                schedule.slots = placing.map { .anchor($0.anchor, offset: 0) }
                schedule.anchorConstraints = item.anchors.filter { $0.direction != .with }
            } else if perDay > 1 {
                report(.conflictingClause, "the item is taken \(timesText(perDay)) a day, but its timing names one time", at: conflictSpan,
                       hint: "use `with meals`, or give each time, such as `at 08:00 and 20:00`")
                return nil
            } else {
                let first = item.anchors[0]
                schedule.slots = [.anchor(first.anchor, offset: first.direction == .before ? -first.minutes : first.direction == .after ? first.minutes : 0)]
                schedule.anchorConstraints = Array(item.anchors.dropFirst())
            }
        } else if item.withMeals {
            // `before meals` (ac) and `after meals` (pc) are half an hour from the meal.
            let offset = item.mealsDirection == .before ? -30 : item.mealsDirection == .after ? 30 : 0
            schedule.slots = Array(([Anchor.breakfast, .dinner, .lunch, .bed].prefix(perDay == 1 ? 1 : perDay == 2 ? 2 : perDay)))
                .sorted { $0.order < $1.order }.map { .anchor($0, offset: $0.isMeal ? offset : 0) }
        } else if item.nightly {
            schedule.slots = [.anchor(.bed, offset: 0)]
        } else if resolvedFrequency != .asNeeded {
            schedule.slots = defaultSlots(perDay)
            schedule.defaultSlots = true
        }
        return schedule
    }

    /// Universal Medication Schedule: morning (breakfast), noon, evening, bedtime; more than four
    /// doses a day are spread evenly over the waking day.
    private func defaultSlots(_ count: Int) -> [Slot] {
        switch count {
        case 1: return [.anchor(.breakfast, offset: 0)]
        case 2: return [.anchor(.breakfast, offset: 0), .anchor(.dinner, offset: 0)]
        case 3: return [.anchor(.breakfast, offset: 0), .anchor(.lunch, offset: 0), .anchor(.dinner, offset: 0)]
        case 4: return [.anchor(.breakfast, offset: 0), .anchor(.lunch, offset: 0), .anchor(.dinner, offset: 0), .anchor(.bed, offset: 0)]
        default:
            let wake = plan.patient.anchors[.wake]!.minutes
            var bed = plan.patient.anchors[.bed]!.minutes
            if bed <= wake { bed += 1440 }
            let gap = Double(bed - wake) / Double(count - 1)
            return (0..<count).map { .clock(ClockTime(minutes: (wake + Int((Double($0) * gap).rounded())) % 1440)) }
        }
    }

    /// Relations that name a substance no item in the plan has get a warning.
    /// A relation target the knowledge base does not know is an error unless an item has it.
    mutating func checkRelationTargets() {
        let present = Set(plan.items.map(\.substance))
        var reported = Set<String>()
        for (name, span) in unknownTargets where !present.contains(name) {
            reportUnknownSubstance(name, at: span)
            reported.insert(name)
        }
        for item in plan.items {
            for relation in item.relations {
                let targets = Set(relation.alternatives.map(\.target))
                if targets.isDisjoint(with: present), targets.isDisjoint(with: reported), let first = relation.alternatives.first {
                    report(.unknownRelationTarget, "nothing in the plan is \(targets.sorted().joined(separator: " or "))", at: first.span,
                           hint: "add the item it refers to, or remove the relation", subjects: [item.substance] + targets.sorted())
                }
            }
            // `hold during X` with no X, or an X whose days are not known, holds nothing: said, not silent.
            guard !item.holdDuring.isEmpty, reported.isDisjoint(with: item.holdDuring) else { continue }
            let names = item.holdDuring.joined(separator: " or ")
            let givers = plan.items.filter { item.holdDuring.contains($0.substance) }
            if givers.isEmpty {
                report(.unknownRelationTarget, "`hold during \(names)`: nothing in the plan is \(names), so \(item.name) is never held", at: item.span,
                       hint: "add the item it refers to, or remove the clause", subjects: [item.substance] + item.holdDuring)
            } else if givers.allSatisfy({ $0.schedule.frequency == .asNeeded }) {
                report(.unknownRelationTarget, "`hold during \(names)`: \(names) is taken as needed, so the days it is given are not known and \(item.name) is never held",
                       at: item.span, hint: "hold it by hand on those days, or give \(names) a schedule", subjects: [item.substance] + item.holdDuring)
            }
        }
    }
}

extension Anchor {
    /// Order through the day.
    var order: Int { Anchor.allCases.firstIndex(of: self)! }
}

extension Substance {
    /// A form by its name, an alias, or the compound's own name (`iron ferrous bisglycinate`, as
    /// labels list "iron (as ferrous bisglycinate)").
    func form(named name: String) -> Form? {
        forms[name] ?? forms.values.first { $0.aliases.contains(name) } ?? forms.values.first { $0.names.contains(name) }
    }
}
