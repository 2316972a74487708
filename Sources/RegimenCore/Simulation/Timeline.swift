/// One dose on the simulated timeline.
public struct DoseEvent: Sendable, Equatable {
    /// Index into `plan.items`.
    public var item: Int
    /// The dosing day it belongs to, from 0 at the timeline's start (a bedtime dose after
    /// midnight still belongs to the day before).
    public var day: Int
    /// Which of the item's daily slots.
    public var slot: Int
    public var date: CivilDate
    /// Local wall-clock minutes after midnight.
    public var minutes: Int
    /// Seconds since 1970-01-01 UTC: elapsed time between doses is measured on this.
    public var instant: Int
    public var dose: Quantity
    /// Elemental (active) milligrams of this dose, when known.
    public var activeMilligrams: Double?
    /// Why the dose is at this time ("with breakfast", "moved: 4 h after levothyroxine").
    public var reason: String
    public var moved: Bool

    public var time: ClockTime { ClockTime(minutes: minutes) }
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
    public var totals: [DailyTotal]
    public var diagnostics: [Diagnostic]
    public var arranged: Bool

    public var end: CivilDate { start.adding(days: days - 1) }
}

/// What to simulate.
public struct SimulationOptions: Sendable {
    public var start: CivilDate?
    public var days: Int?
    public var arrange = false
    /// Most days simulated; a longer course is cut with a note.
    public var maxDays = 365
    /// Most dose events; past it the simulation stops with a diagnostic.
    public var maxEvents = 2_000_000

    public init(start: CivilDate? = nil, days: Int? = nil, arrange: Bool = false) {
        self.start = start
        self.days = days
        self.arrange = arrange
    }
}
