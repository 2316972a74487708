/// The physical kind of a quantity, as exponents of the base kinds.
/// `mg/kg` is mass/mass (dimensionless), so `5 mg/kg * 68kg` is a mass.
public struct Dimension: Hashable, Sendable {
    /// Exponents of mass, volume, time, IU, mmol, mEq and count, in that order.
    /// IU, mmol and mEq convert to mass only per substance; counts (capsules) only per product.
    private var exponents: SIMD8<Int8>

    private init(_ exponents: SIMD8<Int8>) { self.exponents = exponents }
    private init(axis: Int) {
        var exponents = SIMD8<Int8>()
        exponents[axis] = 1
        self.exponents = exponents
    }

    public static let none = Dimension(SIMD8<Int8>())
    public static let mass = Dimension(axis: 0)
    public static let volume = Dimension(axis: 1)
    public static let time = Dimension(axis: 2)
    public static let iu = Dimension(axis: 3)
    public static let amount = Dimension(axis: 4)
    public static let equivalents = Dimension(axis: 5)
    public static let count = Dimension(axis: 6)
    /// A body length (height), in centimetres.
    public static let length = Dimension(axis: 7)
    /// A body surface area (`mg/m2` doses), in square centimetres.
    public static let area = Dimension(axis: 7) * Dimension(axis: 7)

    static func * (a: Dimension, b: Dimension) -> Dimension { Dimension(a.exponents &+ b.exponents) }
    static func / (a: Dimension, b: Dimension) -> Dimension { Dimension(a.exponents &- b.exponents) }

    /// Dimensions a dose may have.
    public var isAmount: Bool { [.mass, .iu, .volume, .amount, .equivalents, .count].contains(self) }

    /// A description for messages: "a mass", "a time", "mass per time".
    public var describedForClinicians: String {
        switch self {
        case .none: return "a plain number"
        case .mass: return "a mass"
        case .volume: return "a volume"
        case .time: return "a time span"
        case .iu: return "international units"
        case .amount: return "an amount in mmol"
        case .equivalents: return "an amount in mEq"
        case .count: return "a count of units"
        case .length: return "a length"
        case .area: return "an area"
        case Dimension.mass / Dimension.time: return "a mass per time"
        case Dimension.volume / Dimension.time: return "a volume per time"
        default: return "a compound quantity"
        }
    }
}

extension Dimension {
    /// The eight exponents in one word, as the knowledge image stores them.
    var packed: UInt64 { unsafeBitCast(exponents, to: UInt64.self) }

    init(packed: UInt64) { self.init(unsafeBitCast(packed, to: SIMD8<Int8>.self)) }
}
