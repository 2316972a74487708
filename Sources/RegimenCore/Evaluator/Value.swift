/// A value an expression evaluates to.
public enum Value: Sendable {
    case quantity(Quantity)
    case bool(Bool)
    case string(String)
    case clock(ClockTime)
    case date(CivilDate)

    /// How the REPL and messages show a value: `340 mg`, `true`, `07:30`.
    public var description: String {
        switch self {
        case .quantity(let q): q.description
        case .bool(let b): b ? "true" : "false"
        case .string(let s): "\"\(s)\""
        case .clock(let c): c.description
        case .date(let d): d.description
        }
    }

    /// The kind of value, for messages.
    var kindDescription: String {
        switch self {
        case .quantity(let q): q.dimension.describedForClinicians
        case .bool: "a yes/no value"
        case .string: "a text"
        case .clock: "a clock time"
        case .date: "a date"
        }
    }
}

/// Variables visible at one point of evaluation; inner scopes see outer ones.
struct Scope {
    private var frames: [[String: Value]] = [[:]]

    func lookup(_ name: String) -> Value? {
        for frame in frames.reversed() {
            if let value = frame[name] { return value }
        }
        return nil
    }

    mutating func bind(_ name: String, _ value: Value) { frames[frames.count - 1][name] = value }
    mutating func push() { frames.append([:]) }
    mutating func pop() { frames.removeLast() }

    var names: [String] { frames.flatMap(\.keys) }
}
