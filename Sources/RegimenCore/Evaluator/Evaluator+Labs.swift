extension Evaluator {
    /// `labs potassium 5.4 mmol/L on 2026-11-20, inr 2.4`: each result converted to its analyte's
    /// canonical unit (by the knowledge base's molar mass or valence, never guessed) and kept with
    /// its date. A result for an analyte the knowledge base does not know is an error, as an
    /// unknown condition is.
    mutating func evaluateLabs(_ results: [LabResultSyntax]) {
        for result in results {
            guard let analyte = knowledge.labs.analyte(named: result.name.text) else {
                report(.unknownPatientAttribute, "`\(result.name.text)` is not a laboratory result the knowledge base knows", at: result.name.span,
                       hint: suggestion(for: result.name.text, among: knowledge.labs.names.keys)
                           ?? "known results: \(knowledge.labs.analytes.keys.sorted().joined(separator: ", "))")
                continue
            }
            if let earlier = plan.labs[analyte.name], !dryRun {
                report(.patientFactTwice, "the patient's \(analyte.name) result is given twice; the first is at \(sources.describe(earlier.span))",
                       at: result.name.span, hint: "keep the latest; the tool does not choose between two results")
                continue
            }
            guard let written = evaluate(result.value) else { continue }
            guard case .quantity(let value) = written else {
                report(.typeMismatch, "a laboratory result is a number with its unit, such as `5.4 mmol/L`", at: result.value.span)
                continue
            }
            let canonical: Quantity
            switch analyte.canonical(value) {
            case .success(let converted): canonical = converted
            case .failure(let problem):
                report(.incompatibleUnits, problem.message, at: result.value.span,
                       hint: analyte.unit.map { "give it in \($0.symbol)\(analyte.molarMass != nil ? ", or in a unit of mass or amount per volume" : "")" })
                continue
            }
            guard canonical.base >= 0 else {
                report(.implausibleValue, "a \(analyte.name) result of \(value.description) is not possible", at: result.value.span)
                continue
            }
            if let possible = analyte.possible, !possible.contains(canonical.base) {
                // A slip of the number or the unit (540 for 5.40): refused, so no rule reads it.
                let converted = value.unit == analyte.unit ? "" : " (\(analyte.described(canonical)))"
                report(.implausibleValue,
                       "a \(analyte.name) result of \(value.description)\(converted) is outside the results that have been reported (\(possible.described(in: analyte))): it is taken for a slip and not used",
                       at: result.value.span,
                       hint: "check the number and its unit" + (possible.source.map { "; the range's source: \($0)" } ?? ""))
                if !dryRun { plan.labsRefused[analyte.name] = result.span }
                continue
            }
            var date: CivilDate?
            if let expr = result.date {
                guard let given = self.date(expr, "the date of the result") else { continue }
                guard given <= today else {
                    report(.implausibleValue, "the \(analyte.name) result is dated \(given), after today (\(today))", at: expr.span)
                    continue
                }
                date = given
            }
            plan.labs[analyte.name] = LabResult(analyte: analyte.name, value: canonical, written: value, date: date, span: result.span)
        }
    }

    /// `patient.lab.potassium` is the result in its canonical unit; `patient.lab.potassium.age`
    /// the days from its date to `today` (for the checks: the plan's start, or today once it has begun). A missing result (or date) cannot
    /// be judged, and says which.
    mutating func labField(_ path: String, at span: Span) -> Value? {
        let wantsAge = path.hasSuffix(".age")
        let name = wantsAge ? String(path.dropLast(4)) : path
        guard let analyte = knowledge.labs.analyte(named: name) else {
            report(.unknownPatientAttribute, "`\(name)` is not a laboratory result the knowledge base knows", at: span,
                   hint: suggestion(for: name, among: knowledge.labs.names.keys.filter { !$0.contains(" ") }))
            return nil
        }
        guard let result = plan.labs[analyte.name] else {
            missingLabs.append(analyte.name)
            if plan.labsRefused[analyte.name] != nil {
                report(.unknownVariable, "the patient's \(analyte.name) result is not used: it is outside the values a real result can take", at: span,
                       hint: "correct the result in the patient block")
                return nil
            }
            report(.unknownVariable, "the patient block gives no \(analyte.name) result", at: span,
                   hint: "add it to the patient block: `labs \(analyte.name) …\(analyte.unit.map { " " + $0.symbol } ?? "") on DATE`")
            return nil
        }
        guard wantsAge else { return .quantity(result.value) }
        guard let date = result.date else {
            missingLabs.append(analyte.name)
            report(.unknownVariable, "the \(analyte.name) result has no date, so how recent it is is not known", at: span,
                   hint: "give its date: `\(analyte.name) \(analyte.described(result.value)) on DATE`")
            return nil
        }
        return .quantity(Quantity(Double(today.dayNumber - date.dayNumber), "days"))
    }

    /// The analyte an expression reads, when it is `patient.lab.NAME` (not its age).
    func labAnalyte(of expr: Expr) -> LabAnalyte? {
        guard case .patientField(let field) = expr.kind, field.hasPrefix("lab."), !field.hasSuffix(".age") else { return nil }
        return knowledge.labs.analyte(named: String(field.dropFirst(4)))
    }

    /// `patient.lab.potassium > 5.0`: a plain number beside a result is in the analyte's canonical
    /// unit, and a quantity in another unit converts as a result would (`> 2.2 mg/dL` for magnesium).
    mutating func compareWithLab(_ op: BinaryOperator, _ left: Expr, _ right: Expr, span: Span) -> Value? {
        guard let l = evaluate(left), let r = evaluate(right) else { return nil }
        guard case .quantity(var a) = l, case .quantity(var b) = r else {
            report(.typeMismatch, "a laboratory result compares with a number or a quantity", at: span)
            return nil
        }
        func inUnitsOf(_ analyte: LabAnalyte, _ q: Quantity, at span: Span) -> Quantity? {
            if q.isNumber { return Quantity(base: q.base * (analyte.unit?.factor ?? 1), dimension: analyte.dimension, unit: analyte.unit) }
            switch analyte.canonical(q) {
            case .success(let converted): return converted
            case .failure(let problem):
                report(.incompatibleUnits, problem.message, at: span)
                return nil
            }
        }
        if let analyte = labAnalyte(of: left), labAnalyte(of: right) == nil {
            guard let converted = inUnitsOf(analyte, b, at: right.span) else { return nil }
            b = converted
        } else if let analyte = labAnalyte(of: right), labAnalyte(of: left) == nil {
            guard let converted = inUnitsOf(analyte, a, at: left.span) else { return nil }
            a = converted
        }
        do {
            return .bool(op.compare(try a.compare(b)))
        } catch {
            report(.incompatibleUnits, "cannot compare \(error.left.describedForClinicians) and \(error.right.describedForClinicians)", at: span)
            return nil
        }
    }
}
