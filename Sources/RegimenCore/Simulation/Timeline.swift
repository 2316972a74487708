/// One dose on the simulated timeline.
public struct DoseEvent: Sendable {
    // A large plan's week holds hundreds of thousands of doses, and every check passes over
    // them: they are stored in 40 bytes with nothing to count references to (not 120 bytes with
    // a string), so they stay in the cache longer and are copied as plain bytes. What many doses
    // share, their amount and the reason for their time, is kept once in the timeline. The
    // public properties read as plain integers.

    /// Seconds since 1970-01-01 UTC: elapsed time between doses is measured on this.
    public var instant: Int
    private var itemNumber: Int32
    /// Index into the timeline's `amounts`.
    public var amountNumber: Int32
    private var dayNumber: Int32
    public var date: CivilDate
    /// Index into the timeline's `reasons`.
    public var reasonNumber: Int32
    private var slotNumber: Int32
    private var minuteOfDay: Int16
    public var moved: Bool

    public init(item: Int, day: Int, slot: Int, date: CivilDate, minutes: Int, instant: Int, amountNumber: Int32,
                reasonNumber: Int32, moved: Bool) {
        self.instant = instant
        self.itemNumber = Int32(item)
        self.amountNumber = amountNumber
        self.dayNumber = Int32(day)
        self.date = date
        self.reasonNumber = reasonNumber
        self.slotNumber = Int32(slot)
        self.minuteOfDay = Int16(minutes)
        self.moved = moved
    }

    /// Index into `plan.items` (a 16 MB file holds fewer than 2^22 items).
    public var item: Int {
        get { Int(itemNumber) }
        set { itemNumber = Int32(newValue) }
    }
    /// The dosing day it belongs to, from 0 at the timeline's start (a bedtime dose after
    /// midnight still belongs to the day before).
    public var day: Int {
        get { Int(dayNumber) }
        set { dayNumber = Int32(newValue) }
    }
    /// Which of the item's daily slots (an item's clock times may continue over many lines).
    public var slot: Int {
        get { Int(slotNumber) }
        set { slotNumber = Int32(newValue) }
    }
    /// Local wall-clock minutes after midnight.
    public var minutes: Int { Int(minuteOfDay) }

    public var time: ClockTime { ClockTime(minutes: minutes) }
}

/// How much a dose is: as written, or the titration step reached, and its elemental milligrams.
public struct DoseAmount: Sendable {
    public var dose: Quantity
    /// Elemental (active) milligrams, when known.
    public var activeMilligrams: Double?
}

/// Why doses are at their times ("with breakfast", "moved: 4 h after levothyroxine"), each
/// worded once: a timeline's doses refer to them by number.
struct ReasonTable {
    private(set) var texts: [String] = []
    private var numbers: [String: Int32] = [:]

    mutating func number(of text: String) -> Int32 {
        if let known = numbers[text] { return known }
        let number = Int32(texts.count)
        texts.append(text)
        numbers[text] = number
        return number
    }
}

/// A day's total of one substance, with the limit that applies to this patient.
public struct DailyTotal: Sendable {
    public var date: CivilDate
    public var substance: String
    /// In IU for substances dosed in IU (vitamin D), otherwise milligrams.
    public var amount: Quantity
    public var limit: Limit?
    /// True when as-needed doses are counted at their most per day.
    public var includesAsNeeded: Bool
    /// True when an item counted in the total is under medical supervision.
    public var supervised: Bool
}

/// The result of simulating a plan over a horizon.
public struct Timeline: Sendable {
    public var start: CivilDate
    public var days: Int
    public var timeZone: String
    /// In time order.
    public var events: [DoseEvent]
    /// How much doses are, by `DoseEvent.amountNumber`.
    public var amounts: [DoseAmount]
    /// Why doses are at their times, by `DoseEvent.reasonNumber`.
    public var reasons: [String]
    public var totals: [DailyTotal]
    public var diagnostics: [Diagnostic]
    public var arranged: Bool
    /// With `--arrange`: how each kind of dosing day was arranged, in the order they first occur.
    public var arrangement: [ArrangedDay] = []
    /// The last date with every dose, when a limit stopped the simulation before its end: the
    /// doses after it are missing, so totals are lower bounds and silence proves nothing.
    public var completeThrough: CivilDate?
    /// The plan's substances by number, as the simulation numbered them; the checks read the same.
    let substances: SubstanceIndex
    /// The spacing rules the simulation verified (and arranged by): the checks and the plain-words rules read the same.
    var constraints: [SpacingConstraint] = []

    public var end: CivilDate { start.adding(days: days - 1) }

    /// Why a dose is at its time ("with breakfast", "moved: 4 h after levothyroxine").
    public func reason(of event: DoseEvent) -> String { reasons[Int(event.reasonNumber)] }
    /// The dose as written, or the titration step reached.
    public func dose(of event: DoseEvent) -> Quantity { amounts[Int(event.amountNumber)].dose }
    /// Elemental (active) milligrams of a dose, when known.
    public func activeMilligrams(of event: DoseEvent) -> Double? { amounts[Int(event.amountNumber)].activeMilligrams }
    /// The date of the dosing day a dose belongs to: the day before its own date when it falls after midnight.
    public func dosingDate(of event: DoseEvent) -> CivilDate { start.adding(days: event.day) }
}

/// What to simulate.
public struct SimulationOptions: Sendable {
    public var start: CivilDate?
    public var days: Int?
    public var arrange = false
    /// Most days simulated; a longer course is cut with a note.
    public var maxDays = Limits.standard.maxSimulatedDays
    /// Most dose events; past it the simulation stops with a diagnostic.
    public var maxEvents = Limits.standard.maxEvents

    public init(start: CivilDate? = nil, days: Int? = nil, arrange: Bool = false) {
        self.start = start
        self.days = days
        self.arrange = arrange
    }
}

/// How one kind of dosing day was arranged (`--arrange`): days with the same doses are arranged alike.
public struct ArrangedDay: Sendable {
    public enum Status: String, Sendable {
        /// Every rule holds, and no arrangement moves the doses less: proven.
        case optimal
        /// No arrangement keeps every rule: the fewest rules were set aside, the rest arranged.
        case relaxed
        /// The search stopped at a limit with an arrangement that is not proven the best.
        case stopped
        /// No arrangement was made: the doses stay at their preferred times.
        case notArranged = "not-arranged"
    }

    /// The first day of this kind, and how many days are of it.
    public var date: CivilDate
    public var days: Int
    public var status: Status
    /// Minutes moved in all, summed over the day's doses, and how many doses moved.
    public var deviation: Int
    public var moved: Int
    /// Rules set aside (a rule as it binds one item), and whether no fewer would do, proven.
    public var relaxed: Int
    public var relaxedProven: Bool
    /// The least total movement any arrangement can have, as far as the search proved.
    public var bound: Int?
    /// The limit the search stopped at, if any.
    public var limit: String?
}

extension Timeline {
    /// The schedule's heading words for the arrangement: "arranged", "arranged with 1 rule set aside", "not arranged".
    public var arrangementHeadline: String? {
        guard arranged else { return nil }
        let failed = arrangement.filter { $0.status == .notArranged }
        let relaxed = arrangement.map(\.relaxed).reduce(0, +)
        let stopped = arrangement.contains { $0.status == .stopped }
        if !failed.isEmpty {
            return failed.count == arrangement.count ? "not arranged" : "not arranged on \(failed.map(\.days).reduce(0, +)) days"
        }
        var words = "arranged"
        if relaxed > 0 {
            let days = arrangement.filter { $0.relaxed > 0 }.map(\.days).reduce(0, +)
            words += " with the fewest rules set aside on \(days == 1 ? "1 day" : "\(days) days") (no arrangement keeps them all)"
        }
        if stopped { words += " (not proven the best: the search stopped at a limit)" }
        return words
    }
}

extension Timeline {
    /// The doses a patient takes: a product with several ingredients is one dose, shown by its
    /// first ingredient's item, not one per ingredient.
    public func takingEachProductOnce(_ plan: Plan) -> Timeline {
        var taken = self
        taken.events = events.filter { plan.items[$0.item].productPart?.isFirst != false }
        return taken
    }
}
