/// What a plan file means, after evaluation: the patient, the items, and user rules.
public struct Plan: Sendable {
    public var patient = Patient()
    public var blocks: [PlanInfo] = []
    public var items: [PlanItem] = []
    /// Items left out by their own `hold if …` (its condition holds for this patient): read back
    /// and reported, never simulated or checked.
    public var heldItems: [PlanItem] = []
    public var rules: [UserRule] = []
    /// The patient block's laboratory results, by canonical analyte.
    public var labs: [String: LabResult] = [:]
    /// Where the patient block gives its results (the `labs` word), and where the block begins:
    /// a finding about a result that is missing points there.
    public var labsSpan: Span?
    /// Results refused as impossible (outside their analyte's range), by analyte: not in `labs`,
    /// so no rule reads them, and a rule that needs one says why it has none.
    public var labsRefused: [String: Span] = [:]
    public var patientSpan: Span?
    /// Names the knowledge base could not judge, in source order: what `check` says it did not check.
    public var unjudged: [UnjudgedName] = []
    public init() {}
}

/// A name in the plan that the bundled knowledge base has no facts about. Its item is still
/// simulated, but no interaction, limit or caution of it could be checked.
public struct UnjudgedName: Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// Not a substance, drug or product the knowledge base knows (an error).
        case unknownName = "not in the knowledge base"
        /// A known substance in a form the knowledge base does not know: the substance's rules apply,
        /// but its amount is not counted toward the totals (an error).
        case unknownForm = "form not in the knowledge base; amount not counted in totals"
        /// Not a condition the knowledge base knows (an error).
        case unknownCondition = "condition not in the knowledge base"
        /// Declared by the plan (`drug warfarin`) with no facts in the bundled knowledge base (a warning).
        case declaredInPlan = "declared in the plan; the knowledge base has no facts about it"
    }

    public var name: String
    public var reason: Reason
    public var span: Span
}

/// The plan's substances in name order, each item's number among them, and each substance's
/// items. Passes over every item or dose compare these numbers, not the names in items
/// scattered through memory, and a rule finds its substances' items without reading every item.
struct SubstanceIndex {
    let names: [String]
    /// Each item's substance, by number into `names`.
    let ofItem: [Int]
    /// Each substance's items, in plan order.
    let itemsOf: [[Int]]
    private let numbers: [String: Int]

    init(_ plan: Plan) {
        let names = Set(plan.items.map(\.substance)).sorted()
        let numbers = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let ofItem = plan.items.map { numbers[$0.substance]! }
        var itemsOf = [[Int]](repeating: [], count: names.count)
        for (item, substance) in ofItem.enumerated() { itemsOf[substance].append(item) }
        (self.names, self.numbers, self.ofItem, self.itemsOf) = (names, numbers, ofItem, itemsOf)
    }

    /// The items whose substance is one of `substances`, in plan order.
    func items(of substances: some Sequence<String>) -> [Int] {
        let lists = Set(substances).compactMap { numbers[$0] }.map { itemsOf[$0] }
        return lists.count == 1 ? lists[0] : lists.joined().sorted()
    }
}

/// A `plan "NAME" from DATE for DURATION:` block's header.
public struct PlanInfo: Sendable {
    public var name: String
    public var start: CivilDate?
    public var durationDays: Int?
    public var until: CivilDate?
    public var span: Span
}

public enum Sex: String, Sendable { case female, male }

/// The patient block: facts the checks and the day model use.
public struct Patient: Sendable {
    public var sex: Sex?
    /// Age in years (from `age`, or from `born` and today's date as given to the evaluator).
    public var age: Double?
    public var born: CivilDate?
    public var weight: Quantity?
    public var height: Quantity?
    /// eGFR in mL/min/1.73m².
    public var egfr: Double?
    /// When no eGFR is given but a condition's name implies a range (`ckd stage 4`), the eGFR above is
    /// that range's lowest value, and this says where it came from, so every finding can say so.
    public var egfrImpliedBy: String?
    /// Canonical condition names.
    public var conditions: [String] = []
    /// Weeks of pregnancy, from `pregnant 24 weeks` or `due DATE`.
    public var gestationalWeeks: Double?
    /// Daily intake from food, per canonical substance, in base units per day.
    public var diet: [String: Quantity] = [:]
    /// home, clinic or hospital: where doses are given.
    public var setting: String?
    public var anchors: [Anchor: ClockTime] = Patient.defaultAnchors
    public var timeZone: String?
    /// Days whose times differ from the usual day (`on weekends: wake 09:00`), in the order written.
    public var dayVariants: [DayVariant] = []
    /// Stays in other time zones (`timezone "Asia/Tokyo" from … until …`), in date order.
    public var zoneStays: [ZoneStay] = []

    public init() {}

    /// Sensible day anchors when the patient block does not give them.
    public static let defaultAnchors: [Anchor: ClockTime] = [
        .wake: ClockTime(7, 0), .breakfast: ClockTime(7, 30), .lunch: ClockTime(12, 30),
        .dinner: ClockTime(18, 30), .bed: ClockTime(22, 30),
    ]

    /// An anchor's minutes on its dosing day, which runs from waking to the next waking: a time
    /// earlier on the clock than waking (a bedtime, or a night shift's lunch, after midnight)
    /// falls on the next calendar date, 1440 minutes on.
    public func dayMinutes(_ anchor: Anchor) -> Int {
        let wake = anchors[.wake]!.minutes, minutes = anchors[anchor]!.minutes
        return minutes < wake ? minutes + 1440 : minutes
    }

    /// A part of the day in the patient's own day: the morning at breakfast time, noon at lunch,
    /// the afternoon halfway from lunch to dinner, the evening at dinner, the night at bedtime.
    public func dayMinutes(_ period: DayPeriod) -> Int {
        switch period {
        case .morning: dayMinutes(.breakfast)
        case .noon: dayMinutes(.lunch)
        case .afternoon: (dayMinutes(.lunch) + dayMinutes(.dinner)) / 2
        case .evening: dayMinutes(.dinner)
        case .night: dayMinutes(.bed)
        }
    }
}

/// How the dose amount relates to the substance: as labels state minerals (elemental), or
/// the weight of the whole compound (`salt`).
public enum DoseBasis: String, Sendable { case elemental, salt, asWritten = "as written" }

/// One evaluated plan item.
public struct PlanItem: Sendable {
    /// The name as written (`magnesium glycinate`, `Calm Night`).
    public var name: String
    /// The canonical substance or drug.
    public var substance: String
    public var form: String?
    public var product: String?
    /// The dose as written, per administration (the first step of a titration).
    public var dose: Quantity
    public var basis: DoseBasis
    /// The elemental (or active) mass per dose in mg, when it can be known.
    public var activeMilligrams: Double?
    /// The weight of the compound per dose in mg, for a mineral salt.
    public var compoundMilligrams: Double?
    public var route: Route
    public var schedule: Schedule
    public var relations: [Relation]
    public var course: Course
    public var titration: Titration?
    public var supervised: Bool
    /// The patient already takes it.
    public var current: Bool
    public var emptyStomach: Bool
    public var notes: [String]
    /// The `plan` block the item belongs to ("" outside one).
    public var plan: String
    public var span: Span
    public var nameSpan: Span
    /// Why the knowledge base could not judge this item, when it could not.
    public var unjudged: UnjudgedName.Reason? = nil
    /// The lower end of a dose range (`1-2 capsules`); `dose` is the upper end, which totals and
    /// limits count.
    public var doseLow: Quantity? = nil
    /// `hold during ciprofloxacin`: no dose on the days an item of these substances is given.
    public var holdDuring: [String] = []
    /// `hold if patient.egfr < 30`: the condition, and what it found.
    public var holdIf: HoldCondition? = nil
    /// A dose per kg, per m² or per day, worked out for this patient: each step of the arithmetic.
    public var computation: [String] = []
    /// `over 20 min`, `at 2 g/h`, `in 100 mL`.
    public var infusion: Infusion? = nil
    /// One ingredient of a product with several: the line gives one item per ingredient, so each
    /// counts toward its own totals and rules, and a patient's list shows the line once.
    public var productPart: ProductPart? = nil
}

extension Plan {
    /// True when two items are ingredients of one product line: one tablet, so no spacing rule
    /// between them can be kept or broken.
    public func inOneProduct(_ a: Int, _ b: Int) -> Bool {
        guard let first = items[a].productPart, let second = items[b].productPart else { return false }
        return a - first.index == b - second.index
    }

    /// The items one line gives: a product's ingredients, or the item alone.
    public func itemsOfLine(_ item: Int) -> Range<Int> {
        guard let part = items[item].productPart else { return item..<item + 1 }
        return item - part.index..<item - part.index + part.count
    }
}

/// Which of a product's ingredients an item is: the first one (`index` 0) stands for the line
/// where the product is shown once, in a handout, a calendar or an order.
public struct ProductPart: Sendable, Equatable {
    public var index: Int
    public var count: Int
    public var isFirst: Bool { index == 0 }

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }
}

/// `hold if …` with a patient fact: the condition as written, whether it holds, and the facts it read.
public struct HoldCondition: Sendable {
    /// The condition as written (`patient.egfr < 30`).
    public var condition: String
    public var holds: Bool
    /// The patient's facts the condition read, as values (`patient.egfr = 25`).
    public var facts: [String]
}

extension PlanItem {
    /// The name a patient's list shows: a product with several ingredients by its own name (the
    /// findings name the ingredient too, `Cal-Mag-Zinc (magnesium oxide)`).
    public var listedName: String {
        if productPart != nil, let product { return product }
        return name
    }

    /// A dose as written: `1–2 capsules` for a range (its upper end is the dose), else the dose.
    public func written(_ dose: Quantity) -> String {
        guard let low = doseLow, dose.base == self.dose.base else { return dose.description }
        let lowText = Quantity.format(Quantity.clinicallyRounded(low.base / (dose.unit?.factor ?? 1)))
        return lowText + "–" + dose.description
    }
}

/// When an item's doses fall.
public struct Schedule: Sendable {
    public var frequency: Frequency
    /// The dose slots of a dosing day.
    public var slots: [Slot]
    /// True when the slots came from the Universal Medication Schedule, not from the plan.
    public var defaultSlots: Bool
    /// Further timing limits against the day's anchors (`30min before breakfast` beside `on waking`).
    public var anchorConstraints: [AnchorConstraint]
    public var maxPerDay: Int?
    /// `max 3 doses` on an as-needed item: at most so many in a row (one episode, as
    /// `nitroglycerin 0.4mg sl every 5 min as needed, max 3 doses`).
    public var maxInARow: Int?
    /// `while awake`: doses every few hours fall only between waking and bed.
    public var whileAwake = false
    /// For an as-needed item: the shortest time between doses (`every 6h as needed`, the shorter end
    /// of `every 4 to 6 hours`), which bounds how many can be taken a day.
    public var asNeededInterval: Int?
    /// An interval range as written (`q4-6h`: 240...360 minutes). Scheduled, doses follow its
    /// longer end; as needed, its shorter end bounds how often.
    public var intervalRange: ClosedRange<Int>?
    /// What an as-needed item is for (`as needed for pain`).
    public var asNeededFor: String?
}

public enum Frequency: Sendable, Equatable {
    case timesDaily(Int)
    case everyMinutes(Int)
    case everyDays(Int)
    case weekdays([Int])
    case once(day: Int)
    case asNeeded
    /// On the same day of the month as the first dose (the month's last day when it is shorter).
    case everyMonths(Int)
    /// So many days a week, spread evenly from the item's first day (`twice weekly`: days 1 and 4).
    case timesWeekly(Int)
}

/// A dose's place in the day.
public enum Slot: Sendable, Equatable {
    case clock(ClockTime)
    /// At an anchor, shifted by minutes (negative = before).
    case anchor(Anchor, offset: Int)
    /// A part of the day, placed in the patient's day (`in the morning` at breakfast time, but
    /// with no meal implied).
    case period(DayPeriod)
}

public struct AnchorConstraint: Sendable, Equatable {
    public var anchor: Anchor
    public var minutes: Int
    public var direction: Direction
}

/// A spacing relation to another item; any one alternative satisfies it.
public struct Relation: Sendable {
    public struct Alternative: Sendable {
        public var minutes: Int
        public var direction: Direction
        /// The canonical substance or drug the relation refers to.
        public var target: String
        public var span: Span
    }

    public var alternatives: [Alternative]
    /// `not with X`: no dose of X at the same time.
    public var notWith: Bool
}

/// An item's course relative to the plan's start.
public struct Course: Sendable {
    /// First day, counted from 1 as day 1 of the plan (`starting day 10`).
    public var startDay: Int?
    public var startDate: CivilDate?
    public var durationDays: Int?
    /// `for 6 months`: a course in calendar months from its first day.
    public var durationMonths: Int?
    public var until: CivilDate?
    /// `x 10 doses`: the course ends after so many doses.
    public var doseCount: Int?
    /// `on days 1-5 of each 28-day cycle`: doses only on those days of each cycle.
    public var cycle: Cycle?
}

/// `from A, increase by B every D to C` (or decrease).
public struct Titration: Sendable {
    public var step: Quantity
    public var intervalDays: Int
    public var target: Quantity
    public var increasing: Bool

    /// A taper to zero stops the item: its last step is the last dose above zero.
    public var stopsAtZero: Bool { !increasing && target.base <= 0 }

    /// The doses in order, from the first to the target; never a dose of zero (a taper to zero
    /// ends with its last step above it, and the item stops after that step's interval).
    public func steps(from start: Quantity) -> [Quantity] {
        doses(from: start).filter { $0.base > 0 }
    }

    private func doses(from start: Quantity) -> [Quantity] {
        guard step.base > 0 else { return [start] }
        var doses = [start]
        var current = start
        for _ in 0..<1000 {
            let next = current.base + (increasing ? step.base : -step.base)
            let reached = increasing ? next >= target.base : next <= target.base
            current = Quantity(base: reached ? target.base : next, dimension: start.dimension, unit: start.unit)
            doses.append(current)
            if reached { break }
        }
        return doses
    }
}

/// A `rule` block, run beside the built-in checks.
public struct UserRule: Sendable {
    public var name: String
    public var condition: Expr?
    public var severity: Severity
    public var message: String
    public var span: Span
    /// Where a knowledge-base rule's advice comes from.
    public var source: String?
}
