/// The patient's clock over the horizon: the home time zone, and another on the dates of each
/// stay elsewhere (`timezone "Asia/Tokyo" from 2027-01-10 until 2027-01-17`). A dose of a dosing
/// day in a stay is at that zone's local time; instants stay real, so spacing rules are kept
/// across the change of zone.
struct TravelClock: Sendable {
    let home: ZoneClock
    /// Each stay with its zone, in date order.
    let stays: [(stay: ZoneStay, clock: ZoneClock)]

    init(home identifier: String?, stays: [ZoneStay]) {
        home = ZoneClock(identifier: identifier)
        self.stays = stays.sorted { $0.first < $1.first }.map { ($0, ZoneClock(identifier: $0.zone)) }
    }

    /// The home zone's name.
    var identifier: String { home.identifier }

    /// Which zone a dosing day is in: 0 for home, else 1 + the stay's number.
    func zoneNumber(on date: CivilDate) -> Int {
        guard !stays.isEmpty, let index = stays.firstIndex(where: { date >= $0.stay.first && date <= $0.stay.last }) else { return 0 }
        return index + 1
    }

    /// The zone of a dosing day.
    func zone(on date: CivilDate) -> ZoneClock {
        let number = zoneNumber(on: date)
        return number == 0 ? home : stays[number - 1].clock
    }

    /// The dosing day an instant belongs to, for doses counted in elapsed time: a stay's date when
    /// the instant's local date there is one of the stay's dates, else the home date. A journey
    /// west leaves a gap (the stay's last day has ended there, the next home day has not begun):
    /// the instant still belongs to the stay's last day, as the patient lives it (a long day);
    /// before a stay that starts behind the home zone, to the home day before it.
    func dosingDate(of instant: Int) -> CivilDate {
        for (stay, clock) in stays {
            let date = clock.local(instant).date
            if date >= stay.first && date <= stay.last { return date }
        }
        let date = home.local(instant).date
        let number = zoneNumber(on: date)
        guard number > 0 else { return date }
        let (stay, clock) = stays[number - 1]
        return clock.local(instant).date > stay.last ? stay.last : stay.first.adding(days: -1)
    }

    /// The instant of a local time on a dosing day, in that day's zone.
    func instant(date: CivilDate, minutes: Int) -> (instant: Int, shift: Int) {
        zone(on: date).instant(date: date, minutes: minutes)
    }

}
