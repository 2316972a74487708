/// Times of the patient's day that differ on some days: `on weekends: wake 09:00, breakfast 09:30`,
/// or the dates of a night shift, `from 2026-12-10 until 2026-12-14: wake 18:00, bed 10:00`.
public struct DayVariant: Sendable {
    public enum Days: Sendable, Equatable {
        /// Weekdays, Monday 0.
        case weekdays([Int])
        /// From the first date through the last, both included.
        case dates(CivilDate, CivilDate)
    }

    public var days: Days
    /// Only the anchors the line gives; the others are the usual day's.
    public var anchors: [Anchor: ClockTime]
    public var span: Span

    /// Whether the variant is about the dosing day that starts on `date`.
    public func applies(on date: CivilDate) -> Bool {
        switch days {
        case .weekdays(let list): list.contains(date.weekday)
        case .dates(let first, let last): date >= first && date <= last
        }
    }

    /// Whether some day could be both this variant's and the other's.
    func overlaps(_ other: DayVariant) -> Bool {
        switch (days, other.days) {
        case (.weekdays(let a), .weekdays(let b)): !Set(a).isDisjoint(with: b)
        case (.dates(let a1, let a2), .dates(let b1, let b2)): a1 <= b2 && b1 <= a2
        default: false // a date range and weekdays: the dates win, by design (see `Patient.anchors(on:)`)
        }
    }

    /// "weekends", "Mondays and Wednesdays", "2026-12-10 to 2026-12-14".
    public var daysText: String {
        switch days {
        case .weekdays(let list):
            let names = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]
            let sorted = list.sorted()
            if sorted == [0, 1, 2, 3, 4] { return "weekdays" }
            if sorted == [5, 6] { return "weekends" }
            let words = sorted.map { names[$0] }
            return words.count == 1 ? words[0] : words.dropLast().joined(separator: ", ") + " and " + words.last!
        case .dates(let first, let last):
            return first == last ? "\(first)" : "\(first) to \(last)"
        }
    }
}

/// A stay in another time zone, from the first date through the last: doses follow the local clock there.
public struct ZoneStay: Sendable, Equatable {
    public var zone: String
    public var first: CivilDate
    public var last: CivilDate
}

extension Patient {
    /// The day's times on the dosing day that starts on `date`: the usual day, then the weekday
    /// lines that apply, then the date lines (a night shift on a Saturday keeps its own times).
    public func anchors(on date: CivilDate) -> [Anchor: ClockTime] {
        guard !dayVariants.isEmpty else { return anchors }
        var result = anchors
        for pass in 0..<2 {
            for variant in dayVariants where variant.applies(on: date) {
                let isDates = if case .dates = variant.days { true } else { false }
                guard isDates == (pass == 1) else { continue }
                result.merge(variant.anchors) { _, new in new }
            }
        }
        return result
    }

    /// The patient as of the dosing day that starts on `date`: the same facts, with that day's times.
    public func on(_ date: CivilDate) -> Patient {
        guard !dayVariants.isEmpty else { return self }
        var day = self
        day.anchors = anchors(on: date)
        return day
    }

    /// Which day lines apply on `date`, as their indices: days with the same answer have the same times.
    public func variantKey(on date: CivilDate) -> [Int] {
        dayVariants.indices.filter { dayVariants[$0].applies(on: date) }
    }
}
