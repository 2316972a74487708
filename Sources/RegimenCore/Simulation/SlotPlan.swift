/// The clock time of every slot on every dosing day: the plan's preferred times, or an
/// arrangement per kind of day (days with the same doses are arranged alike).
struct SlotPlan {
    /// Per item: minutes of each slot.
    var preferred: [[Int]]
    /// The kind of each dosing day, when arranged.
    var kindOfDay: [Int] = []
    /// Per kind of day: item → minutes of each slot.
    var arranged: [[Int: [Int]]] = []
    /// Per kind of day: item → slot → why it moved.
    var reasons: [[Int: [Int: String]]] = []

    /// Which day's times each day of the horizon has (0: the usual day), when the patient's day
    /// differs by weekday or date; empty when it never does.
    var variantOfDay: [Int] = []
    /// Per such day: item → minutes of each slot, as the plan places them on that day (0 is `preferred`).
    var variantTimes: [[[Int]]] = []

    /// The plan's own times on a day of the horizon, before any arrangement.
    func preferred(day: Int) -> [[Int]] {
        guard day >= 0, day < variantOfDay.count else { return preferred }
        return variantTimes[variantOfDay[day]]
    }

    func times(item: Int, day: Int) -> [Int] {
        guard day >= 0, day < kindOfDay.count, let times = arranged[kindOfDay[day]][item] else {
            guard day >= 0, day < variantOfDay.count else { return preferred[item] }
            return variantTimes[variantOfDay[day]][item]
        }
        return times
    }

    func reason(item: Int, day: Int, slot: Int) -> String? {
        guard day >= 0, day < kindOfDay.count else { return nil }
        return reasons[kindOfDay[day]][item]?[slot]
    }
}
