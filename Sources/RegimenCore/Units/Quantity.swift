/// A number with a dimension, held in base units (mg, mL, minutes, IU, mmol, mEq, count),
/// remembering the unit it was written in so output reads as the clinician wrote it.
public struct Quantity: Hashable, Sendable {
    /// The value in base units.
    public var base: Double
    public var dimension: Dimension
    /// The unit to show, when the quantity came from a literal or a conversion.
    public var unit: CompoundUnit?

    public init(base: Double, dimension: Dimension, unit: CompoundUnit? = nil) {
        self.base = base
        self.dimension = dimension
        self.unit = unit
    }

    public init(_ value: Double, _ unit: CompoundUnit) {
        self.init(base: value * unit.factor, dimension: unit.dimension, unit: unit)
    }

    public init(_ value: Double, _ symbol: String) {
        self.init(value, CompoundUnit(numerator: Unit.named(symbol)!, denominator: nil))
    }

    public static func number(_ value: Double) -> Quantity { Quantity(base: value, dimension: .none) }
    public static func milligrams(_ value: Double) -> Quantity { Quantity(value, "mg") }

    public var isNumber: Bool { dimension == .none && unit == nil }

    /// The value in the unit it is shown in.
    public var displayValue: Double { unit.map { base / $0.factor } ?? base }

    /// The unit symbol to show, chosen for readability when the quantity was computed.
    public var displaySymbol: String {
        if let unit { return unit.symbol }
        switch dimension {
        case .mass: return abs(base) < 1 && base != 0 ? "mcg" : "mg"
        case .volume: return "mL"
        case .time: return "min"
        case .iu: return "IU"
        case .amount: return "mmol"
        case .equivalents: return "mEq"
        case .count: return ""
        default: return ""
        }
    }

    /// Value and symbol after choosing a readable unit (`0.5 mg` shows as `500 mcg`).
    public var displayed: (value: Double, symbol: String) {
        if let unit { return (base / unit.factor, unit.symbol) }
        switch dimension {
        case .mass where abs(base) < 1 && base != 0: return (base * 1000, "mcg")
        case .mass where abs(base) >= 10_000: return (base / 1000, "g")
        default: return (base, displaySymbol)
        }
    }

    /// Reads as written: `300 mg`, `5 mg/kg`, `4 h`, `2000 IU`, `40%`.
    /// The value at full precision in its unit (`5.004 mmol/L`): for a laboratory result, whose
    /// digits a threshold may turn on, where `description` rounds as a dose is read.
    public var unroundedDescription: String {
        let (shown, symbol) = displayed
        return symbol.isEmpty ? Quantity.format(shown) : Quantity.format(shown) + " " + symbol
    }

    public var description: String {
        let (shown, symbol) = displayed
        if symbol == "%" { return Quantity.format(shown) + "%" }
        // An amount reads as a clinician writes it (7143 IU, 72.9 mg, not 7142.857 IU or 72.915 mg);
        // computations keep full precision. Doses as written rarely carry more digits than this.
        let value = Quantity.clinicallyRounded(shown)
        if symbol.isEmpty { return Quantity.format(value) }
        // Counted units read as words: `2 cups`, `1 capsule`, `2 patches`.
        let counted = Unit.named(symbol).map { $0.dimension == .count || $0.symbol == "cup" } == true
        return "\(Quantity.format(value)) \(counted ? Unit.word(symbol, count: value) : symbol)"
    }

    /// A computed amount at the precision of a prescription: three significant digits, and whole
    /// numbers from 100 (72.9 mg, 7.29 mg, 0.729 mg, 7143 IU).
    public static func clinicallyRounded(_ value: Double) -> Double {
        let magnitude = abs(value)
        guard magnitude.isFinite, magnitude > 0 else { return value }
        // Scale until three digits stand before the point (at most nine decimals), round, scale back.
        var scale = 1.0
        var scaled = magnitude
        while scaled < 100, scale < 1e9 {
            scale *= 10
            scaled *= 10
        }
        return (value * scale).rounded() / scale
    }

    /// Formats a number with at most three decimals and no trailing zeros.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-∞" : "∞" }
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        var text = String(rounded)
        if text.contains("e") { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// Why two quantities cannot be combined.
public struct DimensionMismatch: Error, Sendable {
    public let left: Dimension
    public let right: Dimension
}

extension Quantity {
    func adding(_ other: Quantity, sign: Double) throws(DimensionMismatch) -> Quantity {
        guard dimension == other.dimension else { throw DimensionMismatch(left: dimension, right: other.dimension) }
        return Quantity(base: base + sign * other.base, dimension: dimension, unit: unit ?? other.unit)
    }

    func multiplied(by other: Quantity) -> Quantity {
        let dimension = self.dimension * other.dimension
        // A plain number keeps the other side's unit: `2 * 150mg` shows as `300 mg`.
        let unit = isNumber ? other.unit : other.isNumber ? self.unit : nil
        return Quantity(base: base * other.base, dimension: dimension, unit: unit)
    }

    func divided(by other: Quantity) -> Quantity {
        let unit = other.isNumber ? self.unit : nil
        return Quantity(base: base / other.base, dimension: dimension / other.dimension, unit: unit)
    }

    func compare(_ other: Quantity) throws(DimensionMismatch) -> Double {
        guard dimension == other.dimension else { throw DimensionMismatch(left: dimension, right: other.dimension) }
        return base - other.base
    }
}
