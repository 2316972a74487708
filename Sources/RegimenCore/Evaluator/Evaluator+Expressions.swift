extension Evaluator {
    /// Evaluates an expression; nil when it failed (the reason is already reported).
    mutating func evaluate(_ expr: Expr) -> Value? {
        guard step(at: expr.span) else { return nil }
        switch expr.kind {
        case .invalid:
            failures += 1 // already reported by the lexer or parser
            return nil
        case .literal(let literal):
            return value(of: literal)
        case .variable(let name):
            if let value = scope.lookup(name) { return value }
            report(.unknownVariable, "`\(name)` has no value here", at: expr.span,
                   hint: suggestion(for: name, among: scope.names) ?? "give it one with `let \(name) = …` above this line")
            return nil
        case .patientField(let field):
            return patientField(field, at: expr.span)
        case .unary(let op, let operand):
            return unary(op, operand)
        case .binary(let op, let left, let right):
            return binary(op, left, right, span: expr.span)
        case .call(let name, let arguments):
            return call(name, arguments, span: expr.span)
        case .patientHas(let name):
            // `patient has tsh`: a result is given (a name that is no condition but a laboratory analyte).
            if knowledge.condition(named: name.text) == nil, let analyte = knowledge.labs.analyte(named: name.text) {
                return .bool(plan.labs[analyte.name] != nil)
            }
            guard let condition = resolveCondition(name) else { return nil }
            return .bool(plan.patient.conditions.contains(condition))
        case .planHas(let name):
            guard let targets = resolveGroup(name) else { return nil }
            return .bool(plan.items.contains { targets.contains($0.substance) })
        case .dailyTotal(let name):
            guard let totals = dailyTotals else {
                report(.typeMismatch, "`daily` totals come from the simulated schedule and can be used only in a `rule`", at: expr.span)
                return nil
            }
            guard let targets = resolveGroup(name) else { return nil }
            let amounts = targets.compactMap { totals[$0] }
            return .quantity(amounts.max { $0.base < $1.base } ?? Quantity(base: 0, dimension: .mass))
        }
    }

    private func value(of literal: Literal) -> Value {
        switch literal {
        case .number(let n): .quantity(.number(n))
        case .quantity(let n, let unit): .quantity(Quantity(n, unit))
        case .percent(let n): .quantity(Quantity(n, CompoundUnit(numerator: .percent, denominator: nil)))
        case .clock(let c): .clock(c)
        case .date(let d): .date(d)
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        }
    }

    /// Evaluates to a quantity, or reports what was found instead.
    mutating func quantity(_ expr: Expr, _ what: String) -> Quantity? {
        guard let value = evaluate(expr) else { return nil }
        guard case .quantity(let q) = value else {
            report(.typeMismatch, "\(what) must be a number or quantity, but this is \(value.kindDescription)", at: expr.span)
            return nil
        }
        return q
    }

    mutating func boolean(_ expr: Expr) -> Bool? {
        guard let value = evaluate(expr) else { return nil }
        guard case .bool(let b) = value else {
            report(.typeMismatch, "a condition must be true or false, but this is \(value.kindDescription)", at: expr.span,
                   hint: "compare it with something, for example `patient.egfr < 30`")
            return nil
        }
        return b
    }

    private mutating func unary(_ op: UnaryOperator, _ operand: Expr) -> Value? {
        switch op {
        case .negate:
            guard let q = quantity(operand, "the value after `-`") else { return nil }
            return .quantity(Quantity(base: -q.base, dimension: q.dimension, unit: q.unit))
        case .not:
            return boolean(operand).map { .bool(!$0) }
        }
    }

    private mutating func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, span: Span) -> Value? {
        switch op {
        case .and, .or:
            guard let l = boolean(left) else { return nil }
            // Short-circuit, so `patient has ckd and patient.egfr < 30` needs no eGFR without CKD.
            if op == .and, !l { return .bool(false) }
            if op == .or, l { return .bool(true) }
            return boolean(right).map { .bool($0) }
        case .equal, .notEqual:
            guard let l = evaluate(left), let r = evaluate(right) else { return nil }
            guard let same = equal(l, r, span: span) else { return nil }
            return .bool(op == .equal ? same : !same)
        default:
            break
        }
        if op.isComparison, labAnalyte(of: left) != nil || labAnalyte(of: right) != nil {
            return compareWithLab(op, left, right, span: span)
        }
        guard let l = evaluate(left), let r = evaluate(right) else { return nil }
        switch (l, r) {
        case (.quantity(let a), .quantity(let b)):
            return arithmetic(op, a, b, span: span, rightSpan: right.span)
        case (.clock(let a), .clock(let b)) where op.isComparison:
            return .bool(op.compare(Double(a.minutes - b.minutes)))
        case (.date(let a), .date(let b)) where op.isComparison:
            return .bool(op.compare(Double(a.dayNumber - b.dayNumber)))
        case (.clock(let a), .quantity(let b)) where (op == .add || op == .subtract) && b.dimension == .time:
            return .clock(ClockTime(minutes: a.minutes + Int((op == .add ? b.base : -b.base).rounded())))
        default:
            report(.typeMismatch, "`\(op.rawValue)` cannot combine \(l.kindDescription) with \(r.kindDescription)", at: span)
            return nil
        }
    }

    private mutating func arithmetic(_ op: BinaryOperator, _ a: Quantity, _ b: Quantity, span: Span, rightSpan: Span) -> Value? {
        do {
            switch op {
            case .add: return .quantity(try a.adding(b, sign: 1))
            case .subtract: return .quantity(try a.adding(b, sign: -1))
            case .multiply: return .quantity(a.multiplied(by: b))
            case .divide:
                guard b.base != 0 else {
                    report(.divisionByZero, "this divides by zero", at: rightSpan)
                    return nil
                }
                return .quantity(a.divided(by: b))
            default: return .bool(op.compare(try a.compare(b)))
            }
        } catch {
            report(.incompatibleUnits, "cannot \(op.verb) \(error.left.describedForClinicians) and \(error.right.describedForClinicians)",
                   at: span, hint: "only quantities of the same kind can be \(op.isComparison ? "compared" : "added or subtracted")")
            return nil
        }
    }

    private mutating func equal(_ l: Value, _ r: Value, span: Span) -> Bool? {
        switch (l, r) {
        case (.quantity(let a), .quantity(let b)):
            guard a.dimension == b.dimension else {
                report(.incompatibleUnits, "cannot compare \(a.dimension.describedForClinicians) and \(b.dimension.describedForClinicians)", at: span)
                return nil
            }
            return abs(a.base - b.base) <= 1e-9 * max(1, abs(a.base))
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a.lowercased() == b.lowercased()
        case (.clock(let a), .clock(let b)): return a == b
        case (.date(let a), .date(let b)): return a == b
        default:
            report(.typeMismatch, "cannot compare \(l.kindDescription) with \(r.kindDescription)", at: span)
            return nil
        }
    }

    private mutating func call(_ name: String, _ arguments: [Expr], span: Span) -> Value? {
        let functions = builtinFunctions.sorted()
        guard functions.contains(name) else {
            report(.unknownFunction, "there is no function `\(name)`", at: span,
                   hint: suggestion(for: name, among: functions) ?? "the functions are min, max and round")
            return nil
        }
        let values = arguments.map { quantity($0, "an argument of `\(name)`") }
        guard values.allSatisfy({ $0 != nil }) else { return nil }
        let quantities = values.compactMap { $0 }
        if name == "round" {
            guard quantities.count == 1 else {
                report(.wrongArguments, "`round` takes one value", at: span)
                return nil
            }
            var q = quantities[0]
            let (shown, _) = q.displayed
            q.base = q.base / (shown == 0 ? 1 : shown) * shown.rounded()
            return .quantity(q)
        }
        guard let first = quantities.first else {
            report(.wrongArguments, "`\(name)` needs at least one value", at: span)
            return nil
        }
        guard quantities.allSatisfy({ $0.dimension == first.dimension }) else {
            report(.incompatibleUnits, "`\(name)` compares quantities of different kinds", at: span)
            return nil
        }
        let pick = name == "min" ? quantities.min { $0.base < $1.base } : quantities.max { $0.base < $1.base }
        return pick.map(Value.quantity)
    }

    private mutating func patientField(_ field: String, at span: Span) -> Value? {
        if field.hasPrefix("lab.") { return labField(String(field.dropFirst(4)), at: span) }
        let patient = plan.patient
        let value: Value?
        switch field {
        case "age": value = patient.age.map { .quantity(.number($0)) }
        case "weight": value = patient.weight.map(Value.quantity)
        case "egfr": value = patient.egfr.map { .quantity(.number($0)) }
        case "sex": value = patient.sex.map { .string($0.rawValue) }
        case "setting": value = patient.setting.map(Value.string)
        case "timezone": value = patient.timeZone.map(Value.string)
        case "born": value = patient.born.map(Value.date)
        default:
            if let anchor = Anchor(rawValue: field) {
                value = patient.anchors[anchor].map(Value.clock)
            } else {
                report(.unknownPatientAttribute, "the patient has no field `\(field)`", at: span,
                       hint: suggestion(for: field, among: ["age", "weight", "egfr", "sex", "setting", "timezone", "born"] + Anchor.allCases.map(\.rawValue)))
                return nil
            }
        }
        if value == nil {
            report(.unknownVariable, "the patient block does not give `\(field)`", at: span,
                   hint: "add `\(field) …` to the `patient:` block above this line")
        }
        return value
    }
}

extension BinaryOperator {
    var isComparison: Bool { [.less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual].contains(self) }

    /// Applies a comparison to the difference `left - right`.
    func compare(_ difference: Double) -> Bool {
        switch self {
        case .less: difference < 0
        case .lessEqual: difference <= 0
        case .greater: difference > 0
        case .greaterEqual: difference >= 0
        case .equal: difference == 0
        case .notEqual: difference != 0
        default: false
        }
    }

    var verb: String {
        switch self {
        case .add: "add"
        case .subtract: "subtract"
        default: "compare"
        }
    }
}
