/// A dose written per kg of body weight (`15 mg/kg`), per m² of body surface (`375 mg/m2`) or
/// per day (`1200 mg/day`, `5 mg/kg/day divided twice daily`): worked out for this patient,
/// with each step of the arithmetic kept for the read-back.
struct ScaledDose {
    /// The amount one dose is (or, per day, the whole day's) in the numerator's unit.
    var amount: Quantity
    /// What the written number is multiplied by (weight, body surface area, or 1).
    var factor: Double
    var perDay: Bool
    var steps: [String]
}

extension Evaluator {
    /// Whether the dose is written per weight, per body surface or per day, and so is worked out here.
    func isScaledDose(_ expr: Expr, perDay: Bool) -> Bool {
        guard case .literal(.quantity(_, let unit)) = expr.kind, let denominator = unit.denominator,
              unit.numerator.dimension.isAmount else { return false }
        return perDay || [Dimension.mass, .area, .time].contains(denominator.dimension) && (denominator.dimension != .time || denominator.symbol == "days")
    }

    /// The dose for this patient; nil with an error when a fact it needs is not given (never a guess).
    mutating func scaledDose(_ expr: Expr, perDay writtenPerDay: Bool) -> ScaledDose? {
        guard case .literal(.quantity(let value, let unit)) = expr.kind, let denominator = unit.denominator else { return nil }
        let numerator = CompoundUnit(numerator: unit.numerator, denominator: nil)
        let written = Quantity.format(value) + " " + unit.symbol + (writtenPerDay ? "/day" : "")
        var factor = 1.0
        var steps: [String] = []
        var perDay = writtenPerDay
        func amount(_ x: Double) -> String { Quantity.format(Quantity.clinicallyRounded(x)) + " " + numerator.symbol }
        switch denominator.dimension {
        case .mass:
            guard let weight = needed(plan.patient.weight, "weight", "`weight 20kg`", for: written, at: expr.span) else { return nil }
            let kg = weight.base / 1_000_000
            // Per kg or per lb, as written; the weight in the unit the dose names.
            factor = weight.base / denominator.factor
            // Two decimals, so the product shown follows from the figures shown (44 lb is 19.96 kg).
            let shown = Quantity.format((factor * 100).rounded() / 100) + " " + denominator.symbol
            let note = denominator.symbol == "kg" && weight.unit?.numerator.symbol != "kg" && weight.unit != nil
                ? " (\(weight.description))" : denominator.symbol != "kg" ? " (\(Quantity.format((kg * 100).rounded() / 100)) kg)" : ""
            steps.append("\(written) × \(shown)\(note) = \(amount(value * factor))\(perDay ? " a day" : "")")
        case .area:
            guard let height = needed(plan.patient.height, "height", "`height 178cm`", for: written, at: expr.span),
                  let weight = needed(plan.patient.weight, "weight", "`weight 70kg`", for: written, at: expr.span) else { return nil }
            let cm = height.base, kg = weight.base / 1_000_000
            // Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098:
            // BSA (m²) = √(height (cm) × weight (kg) / 3600), here to two decimals, as charts give it.
            let bsa = ((cm * kg / 3600).squareRoot() * 100).rounded() / 100
            factor = bsa * 10_000 / denominator.factor
            steps.append("body surface area \(Quantity.format(bsa)) m² (Mosteller: √(\(Quantity.format((cm * 10).rounded() / 10)) cm × \(Quantity.format((kg * 100).rounded() / 100)) kg / 3600))")
            steps.append("\(written) × \(Quantity.format(bsa)) m² = \(amount(value * factor))\(perDay ? " a day" : "")")
        case .time where denominator.symbol == "days" && !writtenPerDay:
            perDay = true
        default:
            report(.doseNotAnAmount, "a dose per \(denominator.symbol) is not an amount this tool can work out", at: expr.span,
                   hint: "write a dose per kg (`15 mg/kg`), per m² (`375 mg/m2`) or per day (`1200 mg/day`)")
            return nil
        }
        let total = Quantity(value * factor, numerator)
        guard total.base > 0 else {
            report(.nonPositiveDose, "the dose must be more than zero", at: expr.span)
            return nil
        }
        return ScaledDose(amount: total, factor: factor, perDay: perDay, steps: steps)
    }

    /// A patient fact the dose needs, or an error saying which and why.
    private mutating func needed(_ fact: Quantity?, _ field: String, _ example: String, for written: String, at span: Span) -> Quantity? {
        if let fact { return fact }
        report(.unknownVariable, "\(written) needs the patient's \(field), and the patient block does not give it", at: span,
               hint: "add \(example) to the `patient:` block above this line; the dose is never guessed")
        return nil
    }

    /// `5 mg/kg/day divided twice daily`: the day's total split evenly among the day's doses. The
    /// doses a day come from the frequency (`twice daily`, `every 8h`) or `divided into 3 doses`.
    mutating func divideDailyDose(_ scaled: ScaledDose, _ item: inout ItemBuilder, at span: Span) -> Bool {
        var steps = scaled.steps
        guard scaled.perDay else {
            if let dividedSpan = item.dividedSpan {
                report(.conflictingClause, "`divided` splits a dose per day, such as `5 mg/kg/day`, but this dose is one dose", at: dividedSpan,
                       hint: "write the day's total with `/day`, or leave out `divided`")
                return false
            }
            item.dose = scaled.amount
            item.computation = steps
            return true
        }
        let namedTimes = max(item.clockTimes.count, item.periods.count, item.anchors.filter { $0.direction == .with }.count, item.mealTimes.count)
        var count: Int?
        switch item.frequency {
        case .timesDaily(let n)?: count = n
        case .everyMinutes(let m)? where 1440 % m == 0: count = 1440 / m
        case nil: count = item.dividedInto ?? max(1, namedTimes)
        default: count = nil
        }
        guard let doses = count else {
            report(.conflictingClause, "a dose per day is divided among the doses of each day, but this item is not taken a set number of times every day",
                   at: item.frequencySpan ?? span, hint: "give the doses a day, as in `twice daily` or `every 8h`")
            return false
        }
        if let into = item.dividedInto, into != doses {
            report(.conflictingClause, "`divided into \(into) doses` does not match the item's \(doses) doses a day", at: item.dividedSpan ?? span)
            return false
        }
        if item.frequency == nil, item.dividedInto != nil { item.frequency = .timesDaily(doses) }
        var each = scaled.amount
        each.base /= Double(doses)
        let total = Quantity.format(Quantity.clinicallyRounded(scaled.amount.base / (scaled.amount.unit?.factor ?? 1)))
        let symbol = scaled.amount.unit?.symbol ?? ""
        if steps.isEmpty { steps.append("\(total) \(symbol) a day") }
        steps.append(doses == 1 ? "taken as one dose" : "divided into \(doses) doses of \(Quantity.format(Quantity.clinicallyRounded(each.base / (each.unit?.factor ?? 1)))) \(symbol)")
        item.dose = each
        item.computation = steps
        return true
    }
}
