import Synchronization

/// Clinical knowledge: substances and drugs with their forms and limits, conditions,
/// products, interactions, contraindications and cautions. Built from `.regimen` files.
public struct KnowledgeBase: Sendable {
    public var substances: [String: Substance] = [:] { didSet { classMembers = ClassMembers() } }
    /// Each class's members, worked out once from `substances` when first asked: checks ask for
    /// the members of every interaction's classes, and a scan of every substance each time was a
    /// share of every check.
    private var classMembers = ClassMembers()
    public var conditions: [String: ConditionInfo] = [:]
    public var products: [String: Product] = [:]
    public var interactions: [Interaction] = []
    public var conditionRules: [ConditionRule] = []
    /// Advice from the sources, written as `rule` blocks in the knowledge files; checked like a plan's own rules.
    public var advice: [UserRule] = []
    /// Every name and alias (lower case, words joined by one space) → what it names.
    public var names: [String: NameTarget] = [:]
    /// Condition names and aliases → canonical condition.
    public var conditionNames: [String: String] = [:]
    /// The longest name in words, to bound the longest-prefix search.
    var longestName = 1
    /// Laboratory analytes (`lab potassium:`), in their own namespace: `potassium` is a supplement
    /// in a plan and a serum result in a patient block.
    public var labs = LabTable()

    public init() {}

    public enum NameTarget: Sendable, Equatable {
        case substance(String, form: String?)
        case product(String)
        /// A drug class or substance class such as `fluoroquinolone`.
        case group(String)
    }

    /// Looks up the longest run of leading words that names something; returns it and how many words it took.
    public func longestMatch(_ words: [String]) -> (NameTarget, Int)? {
        for count in stride(from: min(words.count, longestName), through: 1, by: -1) {
            if let target = names[words[0..<count].joined(separator: " ")] { return (target, count) }
        }
        return nil
    }

    public func condition(named name: String) -> String? { conditionNames[name] }

    /// The substance or drug that carries `code` of `system` (an RxNorm, ATC or SNOMED CT code in a record).
    public func substance(coded code: String, in system: MedicalCode.System) -> String? {
        substances.values.first { $0.codes.contains { $0.system == system && $0.code == code } }?.name
    }

    /// The condition that carries SNOMED CT code `code`.
    public func condition(coded code: String) -> String? {
        conditions.values.first { $0.codes.contains { $0.system == .snomed && $0.code == code } }?.name
    }

    /// Substances and drugs in a class (or the substance itself when `name` is one).
    public func members(of name: String) -> [String] {
        if substances[name] != nil { return [name] }
        return classMembers.members(of: name, in: substances)
    }

    /// The class index, shared by the copies of one knowledge base (the bundled one is read from
    /// every thread of the language server), and replaced whenever its substances change.
    private final class ClassMembers: Sendable {
        private let index = Mutex<[String: [String]]?>(nil)

        func members(of name: String, in substances: [String: Substance]) -> [String] {
            index.withLock { index in
                if index == nil {
                    var built: [String: [String]] = [:]
                    for substance in substances.values {
                        for group in substance.classes { built[group, default: []].append(substance.name) }
                    }
                    index = built.mapValues { $0.sorted() }
                }
                return index![name] ?? []
            }
        }
    }

    mutating func register(_ name: String, as target: NameTarget) {
        names[name] = target
        longestName = max(longestName, name.split(separator: " ").count)
    }
}

public enum SubstanceKind: String, Sendable { case nutrient, drug }

public struct Substance: Sendable {
    public var name: String
    public var kind: SubstanceKind
    public var aliases: [String] = []
    public var classes: [String] = []
    public var forms: [String: Form] = [:]
    public var limits: [Limit] = []
    /// Micrograms per IU (vitamin D: 0.025).
    public var mcgPerIU: Double?
    /// Milligrams per millimole (magnesium: 24.305).
    public var molarMass: Double?
    public var valence: Int?
    public var sources: [String] = []
    public var notes: [String] = []
    /// `take empty stomach, source "…"`: doses with food lower absorption.
    public var emptyStomach: (reason: String, source: String?)?
    /// Its codes (RxNorm ingredient, ATC; SNOMED CT for a substance RxNorm lacks), each with its source.
    public var codes: [MedicalCode] = []
    public var span: Span?
}

extension Substance {
    /// An amount of the substance as its mass in mg, where the knowledge base says how it converts:
    /// IU by `convert`, millimoles by the molar mass, milliequivalents by it and the valence.
    public func milligrams(_ amount: Quantity) -> Double? {
        switch amount.dimension {
        case .mass: amount.base
        case .iu: mcgPerIU.map { amount.base * $0 / 1000 }
        case .amount: molarMass.map { amount.base * $0 }
        case .equivalents: molarMass.flatMap { mass in valence.map { amount.base * mass / Double($0) } }
        default: nil
        }
    }
}

public struct Form: Sendable {
    public var name: String
    /// Other names of the form, said after the substance (`magnesium bisglycinate`).
    public var aliases: [String] = []
    /// Names that stand alone for the substance in this form (`epsom salt`).
    public var names: [String] = []
    /// Share of the compound's weight that is the element (magnesium oxide: 0.603).
    public var elementalFraction: Double?
    /// `elemental varies`: the compound has no fixed composition (calcium citrate malate,
    /// polysaccharide-iron complex), so only the label's elemental amount can be counted.
    public var elementalVaries = false
    public var absorption: String?
    /// True when doses of this form are conventionally written as the compound's weight.
    public var dosedAsSalt = false
    public var route: Route?
    public var source: String?
    public var notes: [String] = []
    /// `longterm "…"`: a caution for courses longer than eight weeks.
    public var longTerm: String?
}

extension Form {
    /// What a dose of a form with no fixed composition (`elemental varies`) is taken to mean when it
    /// does not say `elemental`: one wording for a plan's item and a product's ingredient alike.
    static func noFixedCompositionReading(_ named: String, _ amount: Quantity, of substance: String) -> String {
        "\(named) \(amount.description) is read as \(amount.description) of \(substance) itself (the label convention); the compound has no fixed composition, so if \(amount.description) is its weight, the \(substance) in it cannot be worked out"
    }

    /// Why `salt` is refused for a form with no fixed composition, and what to write instead.
    static func noFixedCompositionSalt(_ named: String, of substance: String) -> (message: String, hint: String) {
        ("\(named) has no fixed composition, so the compound's weight cannot be turned into \(substance)",
         "write the \(substance) the label gives, with `elemental`")
    }
}

public struct Limit: Sendable {
    public enum Kind: String, Sendable { case supplemental, upper, rda, ai }
    public var kind: Kind
    /// Per day, in base units.
    public var amount: Quantity
    public var sex: Sex?
    public var minAge: Double?
    public var maxAge: Double?
    public var pregnancy = false
    public var lactation = false
    /// The limit concerns intake averaged over a week (fat-soluble vitamins), not any single day.
    public var averagedWeekly = false
    public var source: String?
}

public struct ConditionInfo: Sendable {
    public var name: String
    public var aliases: [String] = []
    /// Broader conditions this one is a case of (`ckd stage 4` is chronic kidney disease), whose rules apply too.
    public var implies: [String] = []
    /// The eGFR range the condition's name implies (`ckd stage 4`: 15 to 29), used when no eGFR is given.
    public var egfr: (min: Double?, max: Double?)?
    public var source: String?
    /// Its SNOMED CT codes, each with its source.
    public var codes: [MedicalCode] = []
    /// Where the condition is first defined (an editor's "go to definition").
    public var span: Span?
}

public struct Product: Sendable {
    public var name: String
    /// The first ingredient's substance, form and amount (the only one of most products).
    public var substance: String
    public var form: String?
    /// The amount of the substance in one unit (capsule, tablet, mL), in base units.
    public var amountPerUnit: Quantity
    public var unit: Unit?
    public var route: Route?
    public var span: Span?
    /// Every ingredient, the first one included, in the order the label lists them.
    public var ingredients: [ProductIngredient] = []
    public var source: String?
    public var note: String?

    /// Each of several ingredients counts toward its own totals and rules.
    public var hasSeveralIngredients: Bool { ingredients.count > 1 }
}

/// One ingredient of a product: `magnesium oxide 133mg` in `… per tablet`.
public struct ProductIngredient: Sendable {
    public var substance: String
    public var form: String?
    /// The amount in one unit of the product, as the label states it (mg, mcg, IU, mmol).
    public var amount: Quantity
    /// The amount as a mass of the substance itself, where the knowledge base says how it
    /// converts (IU, mmol, mEq; a salt's weight by its elemental share).
    public var milligrams: Double?
    /// `salt` or `elemental` when the product line says which the amount is; nil: as a plan item
    /// reads it (the element, or the salt for a form dosed as the salt).
    public var basis: DoseBasis?

    /// `calcium carbonate`, `vitamin d`: the substance and its form.
    public var name: String { substance + (form.map { " " + $0 } ?? "") }
}

public enum InteractionSeverity: String, Sendable { case minor, moderate, major, critical }

/// A spacing rule between two parties (substances, drugs or classes).
public struct Interaction: Sendable {
    public var first: String
    public var second: String
    public var severity: InteractionSeverity
    /// `separate 4h`: at least this many minutes apart, either order.
    public var separation: Int?
    /// `ciprofloxacin 2h before magnesium or 6h after magnesium`: directed alternatives.
    public var directed: [DirectedSpacing] = []
    /// `avoid`: not to be combined at all.
    public var avoid = false
    /// `together with food`: the spacing is for fasting doses; both taken at the same meal is fine.
    public var togetherWithFood = false
    public var why: String?
    public var source: String?
    public var span: Span?
}

/// `SUBJECT N before|after OBJECT`.
public struct DirectedSpacing: Sendable {
    public var subject: String
    public var minutes: Int
    public var direction: Direction
    public var object: String
}

/// A contraindication or caution of a substance in a condition.
public struct ConditionRule: Sendable {
    public enum Kind: String, Sendable { case contraindication, caution }
    public var kind: Kind
    public var subject: String
    /// A rule about one form only (`magnesium oxide in peripheral neuropathy`).
    public var form: String?
    public var condition: String
    public var when: Expr?
    public var severity: InteractionSeverity
    public var routes: [Route] = []
    public var why: String?
    public var source: String?
    public var span: Span?
}
