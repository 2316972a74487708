/// A calendar date without a time zone (proleptic Gregorian).
public struct CivilDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Stored as days since 1970-01-01 in four bytes: the simulator compares, steps and subtracts
    // dates for every dose, and reads year, month and day only to show them.
    private let days: Int32

    /// Returns nil when the date does not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        days = Int32(era * 146_097 + doe - 719_468)
    }

    /// Date arithmetic beyond about 5 million years from 1970 stops there.
    public init(dayNumber: Int) { days = Int32(clamping: dayNumber) }

    /// Days since 1970-01-01.
    public var dayNumber: Int { Int(days) }

    public var year: Int { civil.year }
    public var month: Int { civil.month }
    public var day: Int { civil.day }

    /// Year, month and day, worked out together (Howard Hinnant's civil_from_days).
    var civil: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Parses `YYYY-MM-DD`; nil when the text is not a date in the calendar.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard text.count == 10, parts.count == 3 else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    /// 0 = Monday … 6 = Sunday (ISO order).
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// The same day of the month `months` later, or the last day of a shorter month
    /// (2027-01-31 plus one month is 2027-02-28), as a monthly dose falls.
    public func adding(months: Int) -> CivilDate {
        let (year, month, day) = civil
        let total = year * 12 + (month - 1) + months
        let (y, m) = (ZoneRules.floorDiv(total, 12), total - ZoneRules.floorDiv(total, 12) * 12 + 1)
        guard (1...9999).contains(y) else { return CivilDate(dayNumber: dayNumber + months * 30) }
        return CivilDate(year: y, month: m, day: min(day, CivilDate.daysIn(month: m, year: y)))!
    }

    /// Whole months from `self` to `other`, counted as `adding(months:)` counts them.
    func months(until other: CivilDate) -> Int {
        let (a, b) = (civil, other.civil)
        var months = (b.year - a.year) * 12 + (b.month - a.month)
        if adding(months: months) > other { months -= 1 }
        return months
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.days < b.days }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let (year, month, day) = civil
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A time of day in minutes after midnight, shown as HH:MM.
public struct ClockTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let minutes: Int

    public init(minutes: Int) { self.minutes = minutes }
    public init(_ hour: Int, _ minute: Int) { self.minutes = hour * 60 + minute }

    public static func < (a: ClockTime, b: ClockTime) -> Bool { a.minutes < b.minutes }

    public var description: String {
        let m = ((minutes % 1440) + 1440) % 1440
        let h = m / 60, mm = m % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (mm < 10 ? "0" : "") + String(mm)
    }
}
