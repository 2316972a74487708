/// A dose given over time by vein or under the skin: `over 20 min`, `at 2 g/h`, `in 100 mL`.
public struct Infusion: Sendable, Equatable {
    /// How long it runs, in minutes: as written, or from the dose (or volume) and the rate.
    public var minutes: Int?
    /// True when `minutes` was worked out from the rate, not written.
    public var minutesFromRate = false
    /// An amount per time (`2 g/h`, `100 mL/h`).
    public var rate: Quantity?
    /// The volume the dose is given in (`100 mL`).
    public var volume: Quantity?

    public init(minutes: Int? = nil, rate: Quantity? = nil, volume: Quantity? = nil) {
        self.minutes = minutes
        self.rate = rate
        self.volume = volume
    }
}
