/// A name written as one or more words (`magnesium glycinate`, `multiple sclerosis`).
public struct NameRef: Hashable, Sendable {
    public var words: [String]
    public var span: Span
    /// The words joined by single spaces, in lower case.
    public var text: String { words.joined(separator: " ") }
}

/// One statement of a file: a line, or a line that opens a block.
public struct Statement: Sendable {
    public var kind: StatementKind
    public var span: Span
}

/// The rarer, larger statements are boxed (`indirect`), so a statement in a block's array costs
/// what an item costs, not what the largest statement would.
public enum StatementKind: Sendable {
    case patient([PatientField])
    indirect case plan(PlanBlock)
    case item(ItemSyntax)
    indirect case letBinding(name: String, nameSpan: Span, value: Expr)
    indirect case conditional(Conditional)
    indirect case define(Definition)
    indirect case use(UseSyntax)
    indirect case include(path: String, pathSpan: Span)
    indirect case rule(RuleSyntax)
    indirect case knowledge(KnowledgeSyntax)
}

/// `patient:` block field: `age 42`, `conditions ms, hashimoto`, `wake 06:30`.
public struct PatientField: Sendable {
    public var name: String
    public var nameSpan: Span
    public var value: PatientValue
}

public enum PatientValue: Sendable {
    case expr(Expr)
    case names([NameRef])
    case diet(NameRef, Expr)
    /// `labs potassium 5.4 mmol/L on 2026-11-20, inr 2.4`
    case labs([LabResultSyntax])
}

/// One laboratory result as written: the analyte, its value with a unit, and its date when given.
public struct LabResultSyntax: Sendable {
    public var name: NameRef
    public var value: Expr
    public var date: Expr?
    public var span: Span
}

/// `plan "NAME" [from DATE] [for DURATION] [until DATE]:` and its statements.
public struct PlanBlock: Sendable {
    public var name: String
    public var nameSpan: Span
    public var start: Expr?
    public var duration: Expr?
    public var until: Expr?
    public var body: [Statement]
}

/// `if COND:` … `else if COND:` … `else:` …
public struct Conditional: Sendable {
    public var branches: [(condition: Expr, body: [Statement])]
    public var elseBody: [Statement]?
}

/// `define NAME(PARAM [= DEFAULT], …):` and its statements.
public struct Definition: Sendable {
    public var name: String
    public var nameSpan: Span
    public var parameters: [(name: String, span: Span, defaultValue: Expr?)]
    public var body: [Statement]
}

/// `use NAME(ARG, NAME = ARG, …)`.
public struct UseSyntax: Sendable {
    public var name: String
    public var nameSpan: Span
    public var arguments: [UseArgument]
}

public struct UseArgument: Sendable {
    public var label: String?
    public var value: Expr
}

/// `rule "NAME":` with `when COND` and `warn|error|note "MESSAGE"`.
public struct RuleSyntax: Sendable {
    public var name: String
    public var condition: Expr?
    public var severity: Severity
    public var message: String
    public var messageSpan: Span?
    public var source: String?
}

// MARK: Items

/// One plan item: names, an optional dose, then clauses.
/// The functions an expression can call: `min(a, b)`, `max(a, b)`, `round(x)`.
let builtinFunctions: Set<String> = ["min", "max", "round"]

public struct ItemSyntax: Sendable {
    /// The words before the dose; a trailing word that names a variable is the dose.
    public var name: [(word: String, span: Span)]
    /// A quoted product name, `"Calm Night" 2 capsules nightly`.
    public var quotedName: (String, Span)?
    public var dose: Expr?
    /// The lower end of a dose range (`1-2 capsules`): `dose` is then the upper end.
    public var doseLow: Expr? = nil
    /// `…, then 20mg daily for 5 days, then stop`: the steps that follow the first, in order.
    public var steps: [ItemStep] = []
    /// True when written `from DOSE` (a titration's first step).
    public var doseIsTitrationStart: Bool
    public var clauses: [Clause]
    public var span: Span
    /// `iron (ferrous sulfate) 325mg`: the form written in parentheses, as prescriptions and
    /// labels print it; its dose may be either the element's weight or the compound's.
    public var formInParentheses = false
    /// Doses for other days: `5mg on mon-fri, 2.5mg on sat, sun` (each with its weekdays), or
    /// `75mcg and 100mcg on alternate days` (taking turns, with `dosesAlternate`).
    public var dayDoses: [ItemStep] = []
    public var dosesAlternate = false

    public var nameSpan: Span {
        if let quotedName { return quotedName.1 }
        guard let first = name.first, let last = name.last else { return span }
        return first.span.through(last.span)
    }
}

public struct Clause: Sendable {
    public var kind: ClauseKind
    public var span: Span
}

/// The meal and day anchors a dose can be timed by.
public enum Anchor: String, Sendable, CaseIterable {
    case wake, breakfast, lunch, dinner, bed

    /// Words that name the anchor.
    static let words: [String: Anchor] = [
        "wake": .wake, "waking": .wake, "breakfast": .breakfast, "lunch": .lunch, "dinner": .dinner,
        "supper": .dinner, "bed": .bed, "bedtime": .bed,
    ]

    public var isMeal: Bool { self == .breakfast || self == .lunch || self == .dinner }
}

/// A part of the day as prescriptions name it (`in the morning`, `at noon`, `at night`): a time
/// in the patient's own day, with no meal implied (FHIR's MORN, NOON, AFT, EVE, NIGHT).
public enum DayPeriod: String, Sendable, CaseIterable {
    case morning, noon, afternoon, evening, night

    /// The FHIR `Timing.repeat.when` event code.
    public var fhirCode: String {
        switch self {
        case .morning: "MORN"
        case .noon: "NOON"
        case .afternoon: "AFT"
        case .evening: "EVE"
        case .night: "NIGHT"
        }
    }

    /// The words after `in the` or `at` that name it.
    static let words: [String: DayPeriod] = [
        "morning": .morning, "noon": .noon, "midday": .noon, "afternoon": .afternoon, "evening": .evening, "night": .night,
    ]

    /// As said in a read-back: "in the morning", "at noon", "at night".
    public var phrase: String {
        switch self {
        case .noon, .night: "at \(rawValue)"
        default: "in the \(rawValue)"
        }
    }
}

public enum Route: String, Sendable {
    case oral, iv, im, subcutaneous, topical, sublingual
    /// Not by mouth: none of these counts toward an oral intake limit (`countsTowardIntake`).
    case inhaled, nasal, ophthalmic, otic, rectal, vaginal, transdermal

    static let words: [String: Route] = [
        "oral": .oral, "po": .oral, "iv": .iv, "intravenous": .iv, "im": .im, "intramuscular": .im,
        "sc": .subcutaneous, "subcutaneous": .subcutaneous, "topical": .topical, "sublingual": .sublingual, "sl": .sublingual,
        "inhaled": .inhaled, "inhalation": .inhaled, "nasal": .nasal, "intranasal": .nasal, "ophthalmic": .ophthalmic,
        "otic": .otic, "rectal": .rectal, "vaginal": .vaginal, "transdermal": .transdermal,
    ]

    /// The route in a sentence: "magnesium sulfate given intravenously".
    public var phrase: String {
        switch self {
        case .oral: "by mouth"
        case .iv: "intravenously"
        case .im: "intramuscularly"
        case .subcutaneous: "under the skin"
        case .topical: "on the skin"
        case .sublingual: "under the tongue"
        case .inhaled: "inhaled"
        case .nasal: "in the nose"
        case .ophthalmic: "in the eye"
        case .otic: "in the ear"
        case .rectal: "rectally"
        case .vaginal: "vaginally"
        case .transdermal: "through the skin"
        }
    }
}

/// The two large, rare clauses are boxed so that an item's clauses stay small.
public enum ClauseKind: Sendable {
    case frequency(FrequencySyntax)
    /// `at 08:00 and 20:00`, `at time` (a variable holding a clock time)
    case clockTimes([Expr])
    /// `with breakfast`, `at bedtime`, `on waking`, `30min before breakfast`; offset in the written direction.
    case anchored(Anchor, offset: Expr?, direction: Direction)
    /// `with meals` (direction `with`), `before meals`/`ac`, `after meals`/`pc`.
    case withMeals
    case aroundMeals(Direction)
    /// `with lunch and dinner`: several meals in one clause.
    case meals([Anchor])
    /// `before breakfast and dinner`, `30min after lunch and dinner`: a dose at each meal, each on
    /// the same side of it (offset in the written direction; half an hour when none is written).
    case mealsApart([Anchor], offset: Expr?, direction: Direction)
    /// `in the morning`, `at noon`, `in the evening`, `at night`.
    case period(DayPeriod)
    /// `while awake`: doses every few hours only between waking and bed.
    case whileAwake
    /// `as needed for pain`: what an as-needed item is for.
    case asNeededFor(String)
    /// `for 6 months`, `for 1 year`: a course in calendar months.
    case durationMonths(Int)
    /// `x 10 doses`, `for 3 doses`: a course that ends after so many doses.
    case doseCount(Int)
    case emptyStomach
    /// `4h after X`, `2h before X or 6h after X`, `4h apart from X`
    case relation([RelationSyntax])
    /// `not with X`
    indirect case notWith(NameRef)
    /// `hold during X`: no dose on the days another item, X, is given.
    indirect case holdDuring(NameRef)
    case duration(Expr)
    case startDay(Expr)
    case startDate(Expr)
    case untilDate(Expr)
    /// `on day N` (with `once`)
    case onDay(Expr)
    indirect case titration(TitrationSyntax)
    case route(Route)
    case salt
    case elemental
    case supervised
    /// The patient already takes it (a FHIR MedicationStatement rather than a request).
    case current
    case note(String)
    case maxPerDay(Expr)
    /// `per capsule` in a product definition.
    case perUnit(Unit)
}

public enum Direction: String, Sendable {
    case before, after, apart, with
}

public enum FrequencySyntax: Sendable {
    /// daily (1), bid (2), tid (3), qid (4), `N times daily`
    case timesDaily(Int)
    case nightly
    /// `every 8h`, `q8h`, `every 2 days`, `every week`
    case every(Expr)
    /// `every 4 to 6 hours`, `q4-6h`: the shorter and the longer interval.
    case everyRange(Expr, Expr)
    case everyOtherDay
    case weekly
    case weekdays([Int])
    case once
    case asNeeded
    /// `monthly`, `every 3 months`
    case everyMonths(Int)
    /// `twice weekly`, `3 times a week`, `2x weekly`
    case timesWeekly(Int)
}

/// One step of a sequence after `then`: its own dose (or the step before's), clauses, or `stop`.
public struct ItemStep: Sendable {
    public var dose: Expr?
    public var doseLow: Expr?
    public var clauses: [Clause]
    /// `then stop`: the sequence ends with the step before.
    public var stop: Bool
    /// The `then` word, for messages.
    public var span: Span
}

public struct RelationSyntax: Sendable {
    public var offset: Expr
    public var direction: Direction
    public var target: NameRef
    public var span: Span
}

public struct TitrationSyntax: Sendable {
    public var increasing: Bool
    public var step: Expr
    public var interval: Expr
    public var target: Expr
}

// MARK: Knowledge definitions

/// `substance NAME:`, `drug NAME:`, `condition NAME:`, `product "NAME": …`,
/// `interaction A with B:`, `contraindication A in C:`, `caution A in C [when COND]:`.
public struct KnowledgeSyntax: Sendable {
    public enum Kind: String, Sendable {
        case substance, drug, condition, product, interaction, contraindication, caution
        /// `lab potassium:` an analyte of laboratory results, with its unit and conversions.
        case lab
    }

    public var kind: Kind
    public var subject: NameRef
    /// The second name: the other party of an interaction, the condition of a caution.
    public var object: NameRef?
    public var condition: Expr?
    /// For `product`: the item-like definition after the colon.
    public var productItem: ItemSyntax?
    /// For `product`: every ingredient, the first one included (`productItem`).
    public var productItems: [ItemSyntax] = []
    public var properties: [Property]
}

/// A knowledge property line: a key and comma-separated parts of atoms
/// (`limit supplemental 350mg per day for age 9 and over, source "NIH ODS"`).
public struct Property: Sendable {
    public var key: String
    public var keySpan: Span
    /// For `form NAME: …`, the form's name.
    public var name: NameRef?
    public var parts: [[Atom]]
    public var span: Span
}

public struct Atom: Sendable {
    public var token: Token
    public var span: Span { token.span }
}

// MARK: Expressions

/// Only the recursive cases are boxed: a literal or a variable, most of a plan's expressions,
/// is stored inline rather than allocated.
public enum ExprKind: Sendable {
    case literal(Literal)
    case variable(String)
    case patientField(String)
    indirect case unary(UnaryOperator, Expr)
    indirect case binary(BinaryOperator, Expr, Expr)
    case call(String, [Expr])
    indirect case patientHas(NameRef)
    indirect case planHas(NameRef)
    indirect case dailyTotal(NameRef)
    /// Already reported by the lexer or parser; evaluates to nothing, silently.
    case invalid
}

public enum Literal: Sendable {
    case number(Double)
    case quantity(Double, CompoundUnit)
    case percent(Double)
    case clock(ClockTime)
    case date(CivilDate)
    case string(String)
    case bool(Bool)
}

public enum UnaryOperator: String, Sendable { case negate = "-", not }
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case and, or
}

public struct Expr: Sendable {
    public var kind: ExprKind
    public var span: Span
}
