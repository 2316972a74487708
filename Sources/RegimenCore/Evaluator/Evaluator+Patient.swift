extension Evaluator {
    /// Applies one `patient:` field, checking that its value is plausible.
    mutating func evaluatePatientField(_ field: PatientField) {
        // Conditions and diets list several names; every other fact is given once.
        let key = field.name == "condition" ? "conditions" : field.name
        if !["conditions", "diet"].contains(key), !field.isDayOrStay, !dryRun {
            if let earlier = patientFactSpans[key] {
                let stay = "keep one; for a stay elsewhere give its dates: `timezone \"Asia/Tokyo\" from 2027-01-10 until 2027-01-17`"
                report(.patientFactTwice, "the patient's `\(field.name)` is given twice; the first is at \(sources.describe(earlier))",
                       at: field.nameSpan, hint: key == "timezone" ? stay : "keep one; the tool does not choose between two facts")
                return
            }
            patientFactSpans[key] = field.nameSpan
        }
        switch (field.name, field.value) {
        case ("pregnant", _), ("breastfeeding", _), ("due", _):
            evaluatePregnancy(field)
        case ("labs", .labs(let results)):
            if !dryRun { plan.labsSpan = field.nameSpan }
            evaluateLabs(results)
        case ("conditions", .names(let names)), ("condition", .names(let names)):
            for name in names {
                guard let condition = resolveCondition(name) else {
                    // Reported as an error; the rest of the plan is still checked, and the summary says this was not.
                    plan.unjudged.append(UnjudgedName(name: name.text, reason: .unknownCondition, span: name.span))
                    continue
                }
                // `ckd stage 4` is also chronic kidney disease, so the broader condition's rules apply.
                for known in [condition] + (knowledge.conditions[condition]?.implies ?? []) where !plan.patient.conditions.contains(known) {
                    plan.patient.conditions.append(known)
                }
            }
        case ("sex", .names(let names)):
            let words: [String: Sex] = ["female": .female, "f": .female, "woman": .female, "male": .male, "m": .male, "man": .male]
            guard let sex = words[names[0].text] else {
                report(.typeMismatch, "sex is `female` or `male`", at: names[0].span)
                return
            }
            plan.patient.sex = sex
        case ("setting", .names(let names)):
            let settings = ["home", "clinic", "hospital"]
            guard settings.contains(names[0].text) else {
                report(.typeMismatch, "the setting is `home`, `clinic` or `hospital`", at: names[0].span,
                       hint: suggestion(for: names[0].text, among: settings))
                return
            }
            plan.patient.setting = names[0].text
        case ("diet", .diet(let name, let amount)):
            guard let substance = resolveSubstance(name), let q = quantity(amount, "the dietary intake") else { return }
            let perDay = Dimension.mass / Dimension.time
            guard q.dimension == .mass || q.dimension == perDay else {
                report(.doseNotAnAmount, "dietary intake must be a mass per day, such as `250 mg/day`", at: amount.span)
                return
            }
            let daily = q.dimension == .mass ? q.base : q.base * 1440
            plan.patient.diet[substance] = Quantity.milligrams(daily)
        case ("age", .expr(let expr)):
            guard let q = quantity(expr, "the age") else { return }
            let years = q.dimension == .time ? q.base / 525_960 : q.base
            guard q.dimension == .none || q.dimension == .time else {
                report(.incompatibleUnits, "the age is a number of years", at: expr.span)
                return
            }
            guard plausible(years, 0...130, expr.span, "an age of \(Quantity.format(years)) years") else { return }
            plan.patient.age = years
        case ("born", .expr(let expr)):
            guard let born = date(expr, "the date of birth") else { return }
            guard born <= today else {
                report(.implausibleValue, "the date of birth \(born) is in the future", at: expr.span)
                return
            }
            plan.patient.born = born
            plan.patient.age = Double(today.dayNumber - born.dayNumber) / 365.2425
        case ("weight", .expr(let expr)), ("height", .expr(let expr)):
            evaluateBodyMeasure(field.name, expr)
        case ("egfr", .expr(let expr)):
            guard let q = quantity(expr, "the eGFR") else { return }
            let perMinute = Dimension.volume / Dimension.time
            guard q.dimension == .none || q.dimension == perMinute else {
                report(.incompatibleUnits, "the eGFR is in mL/min/1.73m², written as a number such as `85`", at: expr.span)
                return
            }
            guard plausible(q.base, 0...250, expr.span, "an eGFR of \(Quantity.format(q.base))") else { return }
            plan.patient.egfr = q.base
        case ("timezone", .expr(let expr)):
            guard let zone = resolveTimeZone(expr) else { return }
            plan.patient.timeZone = zone
        case ("timezone", .zoneStay(let zone, let from, let until)):
            evaluateZoneStay(zone, from: from, until: until, at: field.nameSpan)
        case (_, .day(let days, let fields)):
            evaluateDayVariant(days, fields, at: field.nameSpan)
        case (let name, .expr(let expr)):
            guard let anchor = Anchor(rawValue: name) else { return }
            guard let value = evaluate(expr) else { return }
            guard case .clock(let time) = value else {
                report(.typeMismatch, "`\(name)` takes a clock time such as 07:30", at: expr.span)
                return
            }
            plan.patient.anchors[anchor] = time
            anchorSpans[anchor] = field.nameSpan
        default:
            break
        }
    }

    /// The patient's day, counted from waking, runs wake, breakfast, lunch, dinner, bed. It may
    /// cross midnight (a night shift's lunch at 01:00 is 5 h 30 min after waking at 19:30), but a
    /// meal after bedtime is no day a patient lives, and the simulator would place doses there.
    /// Checked once the whole plan is read, on the day the simulator uses, and reported once, at
    /// the first pair out of order.
    mutating func checkDayOrder() {
        let patient = plan.patient
        let order: [Anchor] = [.wake, .breakfast, .lunch, .dinner, .bed]
        guard let (earlier, later) = zip(order, order.dropFirst()).first(where: { patient.dayMinutes($1) < patient.dayMinutes($0) }) else { return }
        func after(_ anchor: Anchor) -> String {
            let gap = patient.dayMinutes(anchor) - patient.dayMinutes(.wake)
            return "\(anchor.rawValue) at \(patient.anchors[anchor]!) (\(gap == 0 ? "on waking" : DurationText.minutes(gap) + " after waking"))"
        }
        // Where the later anchor was set, else the earlier, else waking: the usual times have no
        // place in the file, and a waking moved alone often brings them out of order. Two usual
        // times are never out of order with each other, so one of these was set.
        let span = anchorSpans[later] ?? anchorSpans[earlier] ?? anchorSpans[.wake]
        let usual = [earlier, later].filter { anchorSpans[$0] == nil }
        let notes = usual.isEmpty ? [] : [
            usual.map { "\($0.rawValue) \(patient.anchors[$0]!)" }.joined(separator: " and ")
                + " \(usual.count == 1 ? "is the usual time" : "are the usual times"), not given in the plan",
        ]
        report(.dayOutOfOrder,
               "the patient's day starts at waking (\(patient.anchors[.wake]!)), and \(after(later)) comes before \(after(earlier))",
               at: span, hint: "give the day in the order wake, breakfast, lunch, dinner, bed; it may run past midnight", notes: notes)
    }

    private mutating func evaluateBodyMeasure(_ name: String, _ expr: Expr) {
        guard let q = quantity(expr, "the \(name)") else { return }
        if name == "height" {
            guard q.dimension == .length else {
                report(.incompatibleUnits, "the height must be a length with its unit, such as `178cm` or `5 ft 10 in`", at: expr.span)
                return
            }
            guard plausible(q.base, 20...280, expr.span, "a height of \(q.description)") else { return }
            plan.patient.height = q
            return
        }
        guard q.dimension == .mass else {
            report(.incompatibleUnits, "the weight must be a mass with its unit, such as `68kg`", at: expr.span)
            return
        }
        guard plausible(q.base / 1_000_000, 0.2...650, expr.span, "a weight of \(q.description)") else { return }
        plan.patient.weight = q
    }

    private mutating func plausible(_ value: Double, _ range: ClosedRange<Double>, _ span: Span, _ described: String) -> Bool {
        guard range.contains(value) else {
            report(.implausibleValue, "\(described) is not possible", at: span)
            return false
        }
        return true
    }
}

extension Evaluator {
    /// `pregnant`, `pregnant 24 weeks`, `due 2027-04-01`: the pregnancy condition, whose limits
    /// then apply (the weeks are checked and shown); `breastfeeding`: lactation.
    private mutating func evaluatePregnancy(_ field: PatientField) {
        let condition = field.name == "breastfeeding" ? "lactation" : "pregnancy"
        if case .expr(let expr) = field.value {
            guard let value = evaluate(expr) else { return }
            switch (field.name, value) {
            case ("pregnant", .quantity(let q)) where q.dimension == .time:
                let weeks = q.base / 10_080
                guard plausible(weeks, 0...43, expr.span, "a pregnancy of \(Quantity.format(weeks)) weeks") else { return }
                plan.patient.gestationalWeeks = weeks
            case ("due", .date(let due)):
                // Term is 40 weeks: the weeks today follow from the due date.
                let weeks = 40 - Double(due.dayNumber - today.dayNumber) / 7
                guard plausible(weeks, 0...43, expr.span, "a due date of \(due)") else { return }
                plan.patient.gestationalWeeks = weeks
            default:
                report(.typeMismatch, field.name == "due" ? "`due` takes the expected date of delivery, such as 2027-04-01"
                       : "`\(field.name)` takes nothing, or the weeks of pregnancy such as `24 weeks`", at: expr.span)
                return
            }
        }
        if !plan.patient.conditions.contains(condition) { plan.patient.conditions.append(condition) }
    }

    /// With no eGFR given, a staged condition (`ckd stage 4`, `dialysis`) stands for the lowest eGFR
    /// of its range: the conservative reading, said wherever it is used.
    mutating func applyImpliedEGFR() {
        guard plan.patient.egfr == nil else { return }
        let staged = plan.patient.conditions.compactMap { name in knowledge.conditions[name].flatMap { info in info.egfr.map { (name, $0) } } }
        guard let (name, range) = staged.min(by: { ($0.1.min ?? 0) < ($1.1.min ?? 0) }) else { return }
        let lowest = range.min ?? 0
        let described = switch (range.min, range.max) {
        case (let min?, let max?): "\(Quantity.format(min))–\(Quantity.format(max - 1))"
        case (nil, let max?): "below \(Quantity.format(max))"
        case (let min?, nil): "\(Quantity.format(min)) and over"
        case (nil, nil): "any"
        }
        plan.patient.egfr = lowest
        plan.patient.egfrImpliedBy = "\(name) means eGFR \(described)"
    }

    /// A condition's canonical name, or a reported error with a suggestion.
    mutating func resolveCondition(_ name: NameRef) -> String? {
        if let condition = knowledge.condition(named: name.text) { return condition }
        report(.unknownCondition, "`\(name.text)` is not a condition the knowledge base knows", at: name.span,
               hint: suggestion(for: name.text, among: knowledge.conditionNames.keys)
                   ?? "no known condition is a safe match for it; the rest of the plan is still checked, but nothing about this condition is")
        return nil
    }

    /// A substance or drug's canonical name (no form allowed).
    mutating func resolveSubstance(_ name: NameRef) -> String? {
        if let (target, used) = knowledge.longestMatch(name.words), used == name.words.count,
           case .substance(let substance, _) = target {
            return substance
        }
        reportUnknownSubstance(name.text, at: name.span)
        return nil
    }

    /// The substances a name stands for: one substance, a product's substance, or a class's members.
    mutating func resolveGroup(_ name: NameRef) -> [String]? {
        if let known = knownParties(name) { return known }
        reportUnknownSubstance(name.text, at: name.span)
        return nil
    }

    /// The knowledge base's substances for a whole name (a substance, a product's substance or a
    /// class's members), or nil when it does not know the name.
    func knownParties(_ name: NameRef) -> [String]? {
        guard let (target, used) = knowledge.longestMatch(name.words), used == name.words.count else { return nil }
        switch target {
        case .substance(let substance, _): return [substance]
        case .product(let product):
            // Every ingredient: `4h after "Cal-Mag-Zinc"` holds for its calcium, magnesium and zinc.
            return knowledge.products[product].map { product in
                var seen = Set<String>()
                return ([product.substance] + product.ingredients.map(\.substance)).filter { seen.insert($0).inserted }
            }
        case .group(let group): return knowledge.members(of: group)
        }
    }

    /// What a relation (`4h after X`, `not with X`) holds against. A name the knowledge base does
    /// not know may be another unknown item of the plan: it stands for itself, and is an error only
    /// when no item has it (`checkRelationTargets`), so the relation is never silently dropped.
    mutating func resolveRelationTarget(_ name: NameRef) -> [String] {
        if let known = knownParties(name) { return known }
        let written = name.text.lowercased()
        unknownTargets.append((written, name.span))
        return [written]
    }

    mutating func reportUnknownSubstance(_ text: String, at span: Span) {
        report(.unknownSubstance, "`\(text)` is not a substance, drug or product the knowledge base knows", at: span,
               hint: suggestion(for: text, among: knowledge.names.keys)
                   ?? text.split(separator: " ").first.flatMap { first in
                       knowledge.names[String(first)] != nil ? "did you mean `\(first)`?" : suggestion(for: String(first), among: knowledge.names.keys)
                   }
                   ?? "no known name is a safe match for it; if the name is right, declare it in the plan (`drug \(text)` or `substance \(text)`), and its interactions and limits will be reported as not checked")
    }
}
