/// Laboratory results: the analytes the knowledge base knows (`lab potassium:` in a knowledge
/// file), and the results a patient block gives (`labs potassium 5.4 mmol/L on 2026-11-20`).

/// An analyte: its canonical unit, and what a result in another unit converts by. A mass and an
/// amount of substance convert only by the analyte's molar mass, equivalents only by its valence,
/// each from a source; nothing else converts.
public struct LabAnalyte: Sendable {
    public var name: String
    public var aliases: [String] = []
    /// The unit results are compared and shown in (`mmol/L`); nil for a ratio such as the INR.
    public var unit: CompoundUnit?
    /// mg per mmol.
    public var molarMass: Double?
    public var valence: Int?
    public var sources: [String] = []
    public var notes: [String] = []
    public var span: Span?
    /// The values a real result can take (`possible 0.9 to 14 mmol/L`): a value outside is a slip
    /// of the number or the unit, refused where it is written and never used by a rule.
    public var possible: PossibleRange?

    /// The dimension of the canonical unit (none for a plain ratio).
    public var dimension: Dimension { unit?.dimension ?? .none }

    /// A value in the canonical unit (in base units of its dimension), or a sentence saying why it
    /// does not convert.
    public func canonical(_ value: Quantity) -> Result<Quantity, LabConversionError> {
        let ratio = value.dimension / dimension
        let base: Double
        switch ratio {
        case .none:
            base = value.base
        case Dimension.mass / Dimension.amount, Dimension.amount / Dimension.mass:
            guard let molarMass else { return .failure(LabConversionError(analyte: self, value: value, missing: "a molar mass")) }
            base = ratio == Dimension.mass / Dimension.amount ? value.base / molarMass : value.base * molarMass
        case Dimension.equivalents / Dimension.amount, Dimension.amount / Dimension.equivalents:
            guard let valence else { return .failure(LabConversionError(analyte: self, value: value, missing: "a valence")) }
            base = ratio == Dimension.equivalents / Dimension.amount ? value.base / Double(valence) : value.base * Double(valence)
        case Dimension.mass / Dimension.equivalents, Dimension.equivalents / Dimension.mass:
            guard let molarMass, let valence else { return .failure(LabConversionError(analyte: self, value: value, missing: "a molar mass and a valence")) }
            base = ratio == Dimension.mass / Dimension.equivalents ? value.base / molarMass * Double(valence) : value.base / Double(valence) * molarMass
        default:
            return .failure(LabConversionError(analyte: self, value: value, missing: nil))
        }
        return .success(Quantity(base: base, dimension: dimension, unit: unit))
    }

    /// `0.62 mmol/L`, `2.4` (a ratio): a canonical value as results are written.
    public func described(_ value: Quantity) -> String {
        guard let unit else { return Quantity.format(Quantity.clinicallyRounded(value.base)) }
        return Quantity.format(Quantity.clinicallyRounded(value.base / unit.factor)) + " " + unit.symbol
    }
}

/// The range of values a real result can take, in the analyte's canonical unit (base units of its
/// dimension), with the source of its ends: the most extreme results reported, as the knowledge
/// base writes them. No lower end when the source gives none (a result may be below detection).
public struct PossibleRange: Sendable {
    public var low: Double?
    public var high: Double
    public var source: String?

    public func contains(_ base: Double) -> Bool { (low.map { base >= $0 } ?? true) && base <= high }

    /// `0.9 to 14 mmol/L`, `up to 1220 ng/mL`.
    public func described(in analyte: LabAnalyte) -> String {
        func number(_ base: Double) -> String { Quantity.format(base / (analyte.unit?.factor ?? 1)) }
        let unit = analyte.unit.map { " " + $0.symbol } ?? ""
        return (low.map { "\(number($0)) to " } ?? "up to ") + number(high) + unit
    }
}

public struct LabConversionError: Error, Sendable {
    public var analyte: LabAnalyte
    public var value: Quantity
    /// What the knowledge base would need to convert it (nil: the kinds never convert).
    public var missing: String?

    public var message: String {
        let wanted = analyte.unit.map { "in \($0.symbol)" } ?? "as a plain number"
        let given = value.unit.map { "in \($0.symbol)" } ?? (value.dimension == .none ? "as a plain number" : "as \(value.dimension.describedForClinicians)")
        if let missing { return "\(analyte.name) is given \(given); converting it to \(analyte.unit?.symbol ?? "a number") needs \(missing), which the knowledge base does not give" }
        return "\(analyte.name) is given \(given), which does not convert to a result \(wanted)"
    }
}

/// One result in the patient block.
public struct LabResult: Sendable {
    public var analyte: String
    /// In the analyte's canonical unit.
    public var value: Quantity
    /// As written (`1.5 mg/dL`), for the read-back.
    public var written: Quantity
    public var date: CivilDate?
    public var span: Span
}

/// Every analyte and its aliases.
public struct LabTable: Sendable {
    public var analytes: [String: LabAnalyte] = [:]
    /// Names and aliases (lower case, words joined by one space; `vitamin_d` in a rule reads as `vitamin d`) → analyte.
    public var names: [String: String] = [:]

    public init() {}

    public func analyte(named text: String) -> LabAnalyte? {
        let key = text.lowercased().replacingOccurrences(of: "_", with: " ")
        return names[key].flatMap { analytes[$0] }
    }
}
