/// `on days 1-5 of each 28-day cycle`: a treatment cycle that repeats from the item's first day,
/// with doses on the listed days of each cycle (day 1 is the first day of a cycle).
public struct Cycle: Sendable, Equatable {
    public var days: [Int]
    public var length: Int
    /// `for 6 cycles`, when the course is counted in cycles.
    public var count: Int?

    /// Whether a date is one of the cycle's dosing days, counted from the item's first day.
    public func includes(_ date: CivilDate, itemStart: CivilDate) -> Bool {
        let elapsed = date.dayNumber - itemStart.dayNumber
        guard elapsed >= 0 else { return false }
        return days.contains(elapsed % length + 1)
    }

    /// The days as runs: ["1–5"], ["1", "8", "15"], ["1–5", "8–12"].
    public var runs: [String] {
        var runs: [String] = []
        var index = 0
        while index < days.count {
            var end = index
            while end + 1 < days.count, days[end + 1] == days[end] + 1 { end += 1 }
            runs.append(end > index ? "\(days[index])–\(days[end])" : "\(days[index])")
            index = end + 1
        }
        return runs
    }

    /// "days 1–5 of each 28-day cycle", "days 1, 8 and 15 of each 21-day cycle".
    public var text: String {
        let runs = self.runs
        let list = runs.count == 1 ? runs[0] : runs.dropLast().joined(separator: ", ") + " and " + runs.last!
        return "\(days.count == 1 ? "day" : "days") \(list) of each \(length)-day cycle"
    }
}
