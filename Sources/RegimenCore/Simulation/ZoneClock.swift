/// Converts between local wall-clock times in an IANA time zone and absolute instants,
/// the only place the simulator touches time-zone rules.
struct ZoneClock: Sendable {
    let rules: ZoneRules

    /// The named zone, or this computer's when the plan gives none (or names one the
    /// evaluator has already reported as unknown).
    init(identifier: String?) {
        rules = identifier.flatMap(TimeZoneDatabase.rules(named:)) ?? TimeZoneDatabase.local()
    }

    var identifier: String { rules.name }

    /// Seconds east of UTC at an instant.
    func offset(at instant: Int) -> Int { rules.type(at: instant).offset }

    /// The instant of a local date and time. A time that does not exist (clocks go forward)
    /// moves forward by the gap, reported in `shift`; an ambiguous time (clocks go back)
    /// takes its first occurrence.
    func instant(date: CivilDate, minutes: Int) -> (instant: Int, shift: Int) {
        let local = (date.dayNumber * 1440 + minutes) * 60
        let before = offset(at: local - 86_400), after = offset(at: local + 86_400)
        let candidates = Set([before, after]).map { local - $0 }.filter { local - offset(at: $0) == $0 }
        if let first = candidates.min() { return (first, 0) }
        // In the gap: read the time with the offset before the change, which lands after it.
        return (local - before, (after - before) / 60)
    }

    /// The local date and minutes after midnight of an instant.
    func local(_ instant: Int) -> (date: CivilDate, minutes: Int) {
        let seconds = instant + offset(at: instant)
        let day = ZoneRules.floorDiv(seconds, 86_400)
        return (CivilDate(dayNumber: day), (seconds - day * 86_400) / 60)
    }
}
