/// A unit spelling the lexer recognises after a number, with its size in base units
/// (mg, mL, minutes, IU, mmol, mEq, count).
public struct Unit: Hashable, Sendable {
    /// The canonical spelling used in output (`mg`, `mcg`, `IU`, `h`).
    public let symbol: String
    public let dimension: Dimension
    /// How many base units one of this unit is.
    public let factor: Double

    /// The UCUM code, for interchange formats.
    public var ucum: String {
        switch symbol {
        case "IU": "[iU]"
        case "mEq": "meq"
        case "cup": "[cup_us]"
        case "tsp": "[tsp_us]"
        case "tbsp": "[tbs_us]"
        case "capsule", "tablet", "softgel", "drop", "sachet": "{\(symbol)}"
        case "mcg": "ug"
        default: symbol
        }
    }

    /// Percent: a plain number shown as a percentage (`60.3%` is 0.603).
    public static let percent = Unit(symbol: "%", dimension: .none, factor: 0.01)

    public static func named(_ spelling: some StringProtocol) -> Unit? {
        table[String(spelling)] ?? table[spelling.lowercased()]
    }

    private static func entries(_ spellings: [String], _ symbol: String, _ dimension: Dimension, _ factor: Double) -> [(String, Unit)] {
        let unit = Unit(symbol: symbol, dimension: dimension, factor: factor)
        return spellings.map { ($0, unit) }
    }

    /// Spellings are matched exactly first, then in lower case, so `mL`, `ml` and `ML` all work.
    static let table: [String: Unit] = Dictionary(uniqueKeysWithValues: [
        entries(["mcg", "µg", "μg", "ug", "microgram", "micrograms"], "mcg", .mass, 0.001),
        entries(["mg", "milligram", "milligrams"], "mg", .mass, 1),
        entries(["g", "gram", "grams"], "g", .mass, 1000),
        entries(["kg", "kilogram", "kilograms"], "kg", .mass, 1_000_000),
        entries(["ml", "mL", "milliliter", "milliliters", "millilitre", "millilitres"], "mL", .volume, 1),
        entries(["dl", "dL"], "dL", .volume, 100),
        entries(["l", "L", "liter", "liters", "litre", "litres"], "L", .volume, 1000),
        entries(["tsp", "teaspoon", "teaspoons"], "tsp", .volume, 5),
        entries(["tbsp", "tablespoon", "tablespoons"], "tbsp", .volume, 15),
        entries(["cup", "cups"], "cup", .volume, 240),
        entries(["min", "mins", "minute", "minutes"], "min", .time, 1),
        entries(["h", "hr", "hrs", "hour", "hours"], "h", .time, 60),
        entries(["day", "days"], "days", .time, 1440),
        entries(["wk", "wks", "week", "weeks"], "weeks", .time, 10080),
        entries(["iu", "IU"], "IU", .iu, 1),
        entries(["mmol"], "mmol", .amount, 1),
        entries(["meq", "mEq"], "mEq", .equivalents, 1),
        entries(["capsule", "capsules", "cap", "caps"], "capsule", .count, 1),
        entries(["tablet", "tablets", "tab", "tabs"], "tablet", .count, 1),
        entries(["softgel", "softgels"], "softgel", .count, 1),
        entries(["drop", "drops"], "drop", .count, 1),
        entries(["sachet", "sachets"], "sachet", .count, 1),
    ].joined().map { $0 })
}

/// A unit as written after a number: one unit, or a ratio such as `mg/kg` or `mL/min`.
public struct CompoundUnit: Hashable, Sendable {
    public let numerator: Unit
    public let denominator: Unit?

    public var dimension: Dimension { denominator.map { numerator.dimension / $0.dimension } ?? numerator.dimension }
    public var factor: Double { numerator.factor / (denominator?.factor ?? 1) }
    public var symbol: String { denominator.map { "\(numerator.symbol)/\(singular($0.symbol))" } ?? numerator.symbol }

    private func singular(_ symbol: String) -> String {
        switch symbol {
        case "days": "day"
        case "weeks": "week"
        default: symbol
        }
    }
}
