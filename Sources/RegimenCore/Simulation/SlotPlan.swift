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

    func times(item: Int, day: Int) -> [Int] {
        guard day >= 0, day < kindOfDay.count, let times = arranged[kindOfDay[day]][item] else { return preferred[item] }
        return times
    }

    func reason(item: Int, day: Int, slot: Int) -> String? {
        guard day >= 0, day < kindOfDay.count else { return nil }
        return reasons[kindOfDay[day]][item]?[slot]
    }
}
