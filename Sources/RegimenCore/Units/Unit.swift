/// A unit spelling the lexer recognises after a number, with its size in base units
/// (mg, mL, minutes, IU, mmol, mEq, count).
public struct Unit: Hashable, Sendable {
    /// An index into `Unit.all`: a token or quantity carries one byte, not the unit's description.
    private let index: UInt8

    private struct Info: Sendable {
        let symbol: String
        let dimension: Dimension
        let factor: Double
    }

    /// The canonical spelling used in output (`mg`, `mcg`, `IU`, `h`).
    public var symbol: String { Unit.all[Int(index)].symbol }
    public var dimension: Dimension { Unit.all[Int(index)].dimension }
    /// How many base units one of this unit is.
    public var factor: Double { Unit.all[Int(index)].factor }

    /// The UCUM code, for interchange formats.
    public var ucum: String {
        switch symbol {
        case "IU": "[iU]"
        case "mEq": "meq"
        case "cup": "[cup_us]"
        case "tsp": "[tsp_us]"
        case "tbsp": "[tbs_us]"
        case "capsule", "tablet", "softgel", "drop", "sachet", "puff", "spray", "patch", "suppository", "application", "each": "{\(symbol)}"
        case "units": "[U]"
        case "lb": "[lb_av]"
        case "cm", "m": symbol
        case "m²": "m2"
        case "mcg": "ug"
        case "µmol": "umol"
        case "mIU": "m[iU]"
        case "µIU": "u[iU]"
        default: symbol
        }
    }

    /// Every unit, with the spellings that name it (matched exactly first, then in lower case,
    /// so `mL`, `ml` and `ML` all work).
    private static let definitions: [(spellings: [String], info: Info)] = [
        (["mcg", "µg", "μg", "ug", "microgram", "micrograms"], Info(symbol: "mcg", dimension: .mass, factor: 0.001)),
        (["mg", "milligram", "milligrams"], Info(symbol: "mg", dimension: .mass, factor: 1)),
        (["g", "gram", "grams"], Info(symbol: "g", dimension: .mass, factor: 1000)),
        (["kg", "kilogram", "kilograms"], Info(symbol: "kg", dimension: .mass, factor: 1_000_000)),
        (["ml", "mL", "milliliter", "milliliters", "millilitre", "millilitres"], Info(symbol: "mL", dimension: .volume, factor: 1)),
        (["dl", "dL"], Info(symbol: "dL", dimension: .volume, factor: 100)),
        (["l", "L", "liter", "liters", "litre", "litres"], Info(symbol: "L", dimension: .volume, factor: 1000)),
        (["tsp", "teaspoon", "teaspoons"], Info(symbol: "tsp", dimension: .volume, factor: 5)),
        (["tbsp", "tablespoon", "tablespoons"], Info(symbol: "tbsp", dimension: .volume, factor: 15)),
        (["cup", "cups"], Info(symbol: "cup", dimension: .volume, factor: 240)),
        (["min", "mins", "minute", "minutes"], Info(symbol: "min", dimension: .time, factor: 1)),
        (["h", "hr", "hrs", "hour", "hours"], Info(symbol: "h", dimension: .time, factor: 60)),
        (["day", "days"], Info(symbol: "days", dimension: .time, factor: 1440)),
        (["wk", "wks", "week", "weeks"], Info(symbol: "weeks", dimension: .time, factor: 10080)),
        // Calendar months and years: a course or an interval in them counts calendar months
        // (`for 6 months`, `every 3 months`); as a length (an age) they are their average.
        (["mo", "month", "months"], Info(symbol: "months", dimension: .time, factor: 43_830)),
        (["yr", "yrs", "year", "years"], Info(symbol: "years", dimension: .time, factor: 525_960)),
        (["iu", "IU"], Info(symbol: "IU", dimension: .iu, factor: 1)),
        (["mmol"], Info(symbol: "mmol", dimension: .amount, factor: 1)),
        (["meq", "mEq"], Info(symbol: "mEq", dimension: .equivalents, factor: 1)),
        (["capsule", "capsules", "cap", "caps"], Info(symbol: "capsule", dimension: .count, factor: 1)),
        (["tablet", "tablets", "tab", "tabs"], Info(symbol: "tablet", dimension: .count, factor: 1)),
        (["softgel", "softgels"], Info(symbol: "softgel", dimension: .count, factor: 1)),
        (["drop", "drops"], Info(symbol: "drop", dimension: .count, factor: 1)),
        (["sachet", "sachets"], Info(symbol: "sachet", dimension: .count, factor: 1)),
        (["puff", "puffs"], Info(symbol: "puff", dimension: .count, factor: 1)),
        (["spray", "sprays"], Info(symbol: "spray", dimension: .count, factor: 1)),
        (["patch", "patches"], Info(symbol: "patch", dimension: .count, factor: 1)),
        (["suppository", "suppositories", "supp", "supps"], Info(symbol: "suppository", dimension: .count, factor: 1)),
        (["application", "applications"], Info(symbol: "application", dimension: .count, factor: 1)),
        // One of whatever the product comes in, for an instruction that does not name the form ("take 1 twice daily").
        (["each"], Info(symbol: "each", dimension: .count, factor: 1)),
        // Units for medicines dosed in (biological) units, such as insulin and heparin; written `U` or `units`.
        (["U", "unit", "units"], Info(symbol: "units", dimension: .iu, factor: 1)),
        // For the patient block: weight in pounds, height in centimetres or metres.
        (["lb", "lbs", "pound", "pounds"], Info(symbol: "lb", dimension: .mass, factor: 453_592.37)),
        (["cm", "centimetre", "centimetres", "centimeter", "centimeters"], Info(symbol: "cm", dimension: .length, factor: 1)),
        (["m", "metre", "metres", "meter", "meters"], Info(symbol: "m", dimension: .length, factor: 100)),
        // Body surface area, for doses per m² (`375 mg/m2`); `m2` is read as one unit after a number.
        (["m²", "m2"], Info(symbol: "m²", dimension: .area, factor: 10_000)),
        (["ft", "feet", "foot"], Info(symbol: "ft", dimension: .length, factor: 30.48)),
        // `in` is read as inches only in a height (`5 ft 10 in`): after a number elsewhere it is a word.
        (["inch", "inches"], Info(symbol: "inch", dimension: .length, factor: 2.54)),
        // For laboratory results in the patient block (`labs ferritin 12 ng/mL, tsh 3.1 mIU/L, qtc 470 ms`).
        (["ng", "nanogram", "nanograms"], Info(symbol: "ng", dimension: .mass, factor: 1e-6)),
        (["pg", "picogram", "picograms"], Info(symbol: "pg", dimension: .mass, factor: 1e-9)),
        (["umol", "µmol", "μmol"], Info(symbol: "µmol", dimension: .amount, factor: 1e-3)),
        (["nmol"], Info(symbol: "nmol", dimension: .amount, factor: 1e-6)),
        (["pmol"], Info(symbol: "pmol", dimension: .amount, factor: 1e-9)),
        (["mIU", "miu"], Info(symbol: "mIU", dimension: .iu, factor: 1e-3)),
        (["uIU", "µIU", "μIU", "uiu"], Info(symbol: "µIU", dimension: .iu, factor: 1e-6)),
        (["ms", "msec"], Info(symbol: "ms", dimension: .time, factor: 1.0 / 60_000)),
        // Not a spelling the lexer reads after a number: `60.3%` is lexed as a percentage.
        ([], Info(symbol: "%", dimension: .none, factor: 0.01)),
    ]

    private static let all: [Info] = definitions.map(\.info)

    static let table: [String: Unit] = Dictionary(uniqueKeysWithValues: definitions.enumerated().flatMap { index, entry in
        entry.spellings.map { ($0, Unit(index: UInt8(index))) }
    })

    /// Percent: a plain number shown as a percentage (`60.3%` is 0.603).
    public static let percent = Unit(index: UInt8(definitions.count - 1))

    public static func named(_ spelling: some StringProtocol) -> Unit? {
        table[String(spelling)] ?? table[spelling.lowercased()]
    }
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

extension Unit {
    /// The word for `count` of a unit, as written in plans and read-backs: `1 capsule`,
    /// `2 capsules`, `2 patches`, `1 day`; a symbol such as `mg`, `IU` or `each` stays as it is.
    public static func word(_ symbol: String, count: Double) -> String {
        let singular = count <= 1
        switch symbol {
        case "days": return singular ? "day" : "days"
        case "weeks": return singular ? "week" : "weeks"
        case "patch": return singular ? "patch" : "patches"
        case "suppository": return singular ? "suppository" : "suppositories"
        case "cup", "capsule", "tablet", "softgel", "drop", "sachet", "puff", "spray", "application": return singular ? symbol : symbol + "s"
        default: return symbol
        }
    }
}

extension Unit {
    /// The unit's place in the table, as the knowledge image stores it.
    var imageIndex: UInt8 { index }

    init?(imageIndex: UInt8) {
        guard Int(imageIndex) < Unit.all.count else { return nil }
        self.init(index: imageIndex)
    }
}
