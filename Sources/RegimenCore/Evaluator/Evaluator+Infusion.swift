extension Evaluator {
    /// `over 20 min`, `at 2 g/h`, `in 100 mL`: one clause of an infusion, checked for its kind.
    mutating func applyInfusion(_ kind: ClauseKind, _ span: Span, _ item: inout ItemBuilder) {
        var infusion = item.infusion ?? Infusion()
        switch kind {
        case .infusionDuration(let expr):
            guard let minutes = minutes(expr, "the infusion's length") else { return }
            guard minutes > 0, minutes <= 1440 else {
                report(.implausibleValue, "an infusion runs for more than zero minutes and at most a day", at: expr.span)
                return
            }
            guard infusion.minutes == nil else { return report(.conflictingClause, "the item gives its infusion's length twice", at: span) }
            infusion.minutes = minutes
        case .infusionRate(let expr):
            guard let rate = quantity(expr, "the infusion rate") else { return }
            let perTime = [Dimension.mass, .volume, .iu, .amount, .equivalents].map { $0 / .time }
            guard perTime.contains(rate.dimension), rate.base > 0 else {
                report(.incompatibleUnits, "an infusion rate is an amount per time, such as `2 g/h` or `100 mL/h`", at: expr.span)
                return
            }
            guard infusion.rate == nil else { return report(.conflictingClause, "the item gives its infusion rate twice", at: span) }
            infusion.rate = rate
        case .infusionVolume(let expr):
            guard let volume = quantity(expr, "the infusion volume") else { return }
            guard volume.dimension == .volume, volume.base > 0 else {
                report(.incompatibleUnits, "the volume a dose is given in is a volume, such as `100 mL`", at: expr.span)
                return
            }
            guard infusion.volume == nil else { return report(.conflictingClause, "the item gives its infusion volume twice", at: span) }
            infusion.volume = volume
        default:
            return
        }
        item.infusion = infusion
        item.infusionSpan = item.infusionSpan ?? span
    }

    /// The infusion as a whole, once the route is known: given by vein, under the skin or into a
    /// muscle, and with a length that the rate and the length, when both are given, agree on.
    /// False, with an error, when the infusion cannot be given as written.
    mutating func finishInfusion(_ item: ItemBuilder, route: Route, into result: inout Infusion?) -> Bool {
        guard var infusion = item.infusion, let span = item.infusionSpan else { return true }
        guard [.iv, .subcutaneous, .im].contains(route) else {
            report(.conflictingClause, "an infusion (`over`, `at … /h`, `in … mL`) is given by vein or under the skin, but this item is \(route.phrase)",
                   at: span, hint: "give the route, as in `magnesium sulfate 2g iv over 20 min`")
            return false
        }
        result = infusion
        guard let rate = infusion.rate else { return true }
        // The length the rate gives: the dose (or the volume) at that rate.
        let numerator = rate.dimension * .time
        let given: Quantity? = numerator == item.dose.dimension ? item.dose : numerator == .volume ? infusion.volume : nil
        guard let given else { return true }
        let minutes = Int((given.base / rate.base).rounded())
        if let written = infusion.minutes {
            guard abs(written - minutes) <= 1 else {
                report(.conflictingClause,
                       "at \(rate.description), \(given.description) takes \(DurationText.minutes(minutes)), but the item says over \(DurationText.minutes(written))",
                       at: span, hint: "keep the rate or the length, or make them agree")
                return false
            }
            return true
        }
        guard minutes > 0, minutes <= 1440 else {
            report(.implausibleValue, "at \(rate.description), \(given.description) would take \(DurationText.minutes(minutes)); an infusion runs at most a day", at: span)
            return false
        }
        infusion.minutes = minutes
        infusion.minutesFromRate = true
        result = infusion
        return true
    }
}
