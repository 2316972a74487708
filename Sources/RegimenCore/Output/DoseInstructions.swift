/// A spacing rule as a patient reads it, from the plan's relations and the knowledge base's
/// spacing rules (the same `SpacingConstraint`s the simulator verifies), with the words kept
/// apart from the structure so that another renderer (the handout's message catalog) can say
/// it in another language.
public struct DoseRule: Sendable, Hashable {
    /// One alternative of the rule: `4 h after`, `2 h before`, `4 h apart`.
    public struct Part: Sendable, Hashable {
        public var minutes: Int
        public var direction: Direction
    }

    /// The items the rule is about, as the patient knows them (`magnesium`, `Calm Night`).
    public var subject: String
    /// What they must be kept from (`levothyroxine`).
    public var object: String
    /// Any one satisfies the rule; `apart` is either order.
    public var parts: [Part]
    /// `not with X`: not at the same time.
    public var notWith: Bool
    /// Both doses at one meal are fine (a label's `together with food`).
    public var togetherWithFood: Bool
    /// Indices of the plan items on either side of the rule.
    public var items: [Int]
    /// Where the rule comes from: the knowledge base's source, or nil for the plan's own relation.
    public var source: String?

    /// The rule in plain English: "Take magnesium at least 4 hours after levothyroxine."
    public var sentence: String {
        if notWith { return "Do not take \(subject) at the same time as \(object)." }
        var text: String
        if parts.allSatisfy({ $0.direction == .apart }) {
            text = "Take \(subject) and \(object) at least \(DoseRule.duration(parts.map(\.minutes).min() ?? 0)) apart."
        } else {
            let words = parts.map { "\(DoseRule.duration($0.minutes)) \($0.direction == .apart ? "apart from" : $0.direction.rawValue)" }
            text = "Take \(subject) at least \(words.joined(separator: " or ")) \(object)."
        }
        if togetherWithFood { text += " Both with the same meal is fine." }
        return text
    }

    /// Minutes as a patient says them: "4 hours", "1 hour 30 minutes", "30 minutes".
    public static func duration(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        let h = hours == 1 ? "1 hour" : "\(hours) hours", m = rest == 1 ? "1 minute" : "\(rest) minutes"
        if hours == 0 { return m }
        return rest == 0 ? h : "\(h) \(m)"
    }
}

/// What each item's doses come with in plain words: the spacing rules that concern it, and
/// one instruction line for calendars and spreadsheets.
public struct DoseInstructions: Sendable {
    /// Every spacing rule that applies to the plan, without repeats, in plan order.
    public let rules: [DoseRule]
    let plan: Plan

    /// The rules are the timeline's own spacing rules: the ones its simulation verified.
    public init(_ compilation: Compilation, timeline: Timeline) {
        plan = compilation.plan
        var seen = Set<String>()
        var rules: [DoseRule] = []
        for constraint in timeline.constraints {
            guard let rule = Self.rule(constraint, plan: compilation.plan), seen.insert(rule.sentence).inserted else { continue }
            rules.append(rule)
        }
        self.rules = rules
    }

    /// The name a patient knows an item by: the product's name, else the substance.
    public static func patientName(_ item: PlanItem) -> String { item.product ?? item.substance }

    private static func rule(_ constraint: SpacingConstraint, plan: Plan) -> DoseRule? {
        func names(_ indices: [Int]) -> String {
            var seen = Set<String>()
            return indices.map { patientName(plan.items[$0]) }.filter { seen.insert($0).inserted }.joined(separator: " and ")
        }
        let firsts = constraint.first, seconds = constraint.second.filter { !constraint.first.contains($0) }
        guard !firsts.isEmpty, !seconds.isEmpty else { return nil }
        var parts: [DoseRule.Part] = []
        var notWith = false, togetherWithFood = false, source: String?
        switch constraint.origin {
        case .plan(let index, _):
            let relation = plan.items[index].relations.first { relation in
                Set(relation.alternatives.map(\.target)).sorted().joined(separator: " or ") == constraint.secondName
            }
            guard let relation else { return nil }
            notWith = relation.notWith
            parts = relation.alternatives.map { DoseRule.Part(minutes: $0.minutes, direction: $0.direction) }
        case .knowledge(let interaction):
            togetherWithFood = interaction.togetherWithFood
            source = interaction.source
            if let separation = interaction.separation, constraint.lower == -separation, constraint.upper == separation {
                parts = [DoseRule.Part(minutes: separation, direction: .apart)]
            } else {
                parts = interaction.directed.filter { $0.subject == constraint.firstName }
                    .map { DoseRule.Part(minutes: $0.minutes, direction: $0.direction) }
            }
        }
        guard !parts.isEmpty || notWith else { return nil }
        return DoseRule(subject: names(firsts), object: names(seconds), parts: parts, notWith: notWith,
                        togetherWithFood: togetherWithFood, items: firsts + seconds, source: source)
    }

    /// The rules that concern an item, on either side.
    public func rules(for item: Int) -> [DoseRule] { rules.filter { $0.items.contains(item) } }

    /// One line saying how an item is taken, then its rules:
    /// "Take 300 mg magnesium glycinate, at bedtime. Take magnesium at least 4 hours after levothyroxine."
    public func instruction(for index: Int) -> String {
        let item = plan.items[index]
        var sentences = ["Take \(Self.doseWords(item, dose: item.dose, activeMilligrams: item.activeMilligrams)), \(timing(item))."]
        if item.emptyStomach { sentences.append("Take it on an empty stomach.") }
        if item.supervised { sentences.append("Under medical supervision.") }
        sentences += rules(for: index).map(\.sentence)
        return sentences.joined(separator: " ")
    }

    private func timing(_ item: PlanItem) -> String {
        var description = PlanDescription.timingWords(item.schedule, anchors: plan.patient.anchors, variants: plan.patient.dayVariants)
        // A treatment cycle changes which days: said with the timing, so the patient takes no dose on an off day.
        if let cycle = item.course.cycle { description += ", only on \(cycle.text) (day 1 is the first dose)" }
        if item.route == .oral { return description }
        return item.route.phrase + ", " + description
    }

    /// A dose in words: "1 capsule (120 mg magnesium)", "300 mg magnesium glycinate", "2000 IU vitamin d3".
    public static func doseWords(_ item: PlanItem, dose: Quantity, activeMilligrams: Double?) -> String {
        if dose.dimension == .count || dose.displaySymbol.isEmpty, let mg = activeMilligrams {
            return "\(dose.description) (\(Quantity.format(Quantity.clinicallyRounded(mg))) mg \(item.substance))"
        }
        return "\(dose.description) \(item.product ?? item.name)"
    }
}

extension PlanDescription {
    /// How often and when, in words: "twice daily, with breakfast (07:30) and with dinner (18:30)".
    static func timingWords(_ schedule: Schedule, anchors: [Anchor: ClockTime], variants: [DayVariant] = []) -> String {
        let description = PlanDescription.frequencyOnly(schedule)
        // " (09:30 on weekends)": the time on the days whose times differ (`on weekends: …`).
        func otherDays(_ minutes: ([Anchor: ClockTime]) -> Int) -> String {
            let usual = minutes(anchors)
            let others = variants.compactMap { variant -> String? in
                let day = anchors.merging(variant.anchors) { _, new in new }
                let time = minutes(day)
                return time == usual ? nil : "\(ClockTime(minutes: ((time % 1440) + 1440) % 1440)) on \(variant.daysText)"
            }
            return others.map { "; " + $0 }.joined()
        }
        let slots = schedule.slots.map { slot -> String in
            switch slot {
            case .clock(let time): return "at \(time)"
            case .anchor(let anchor, let offset):
                let time = "\(ClockTime(minutes: anchors[anchor]!.minutes + offset))" + otherDays { $0[anchor]!.minutes + offset }
                if offset != 0 { return "\(DoseRule.duration(abs(offset))) \(offset < 0 ? "before" : "after") \(anchor.phrase) (\(time))" }
                switch anchor {
                case .wake: return "on waking (\(time))"
                case .bed: return "at bedtime (\(time))"
                default: return "with \(anchor.rawValue) (\(time))"
                }
            case .period(let period):
                func minutes(_ day: [Anchor: ClockTime]) -> Int {
                    var patient = Patient()
                    patient.anchors = day
                    return patient.dayMinutes(period)
                }
                return "\(period.phrase) (\(ClockTime(minutes: minutes(anchors) % 1440))\(otherDays(minutes)))"
            }
        }
        return slots.isEmpty ? description : description + ", " + slots.joined(separator: " and ")
    }

    static func frequencyOnly(_ schedule: Schedule) -> String {
        switch schedule.frequency {
        case .timesDaily(1): "daily"
        case .timesDaily(2): "twice daily"
        case .timesDaily(3): "three times daily"
        case .timesDaily(let n): "\(n) times daily"
        case .everyMinutes(let m): m % 60 == 0 ? "every \(m / 60) hours" : "every \(m) minutes"
        case .everyDays(2): "every other day"
        case .everyDays(7): "once a week"
        case .everyDays(let n): "every \(n) days"
        case .weekdays(let days):
            "on " + days.map { ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][$0] }.joined(separator: ", ")
        case .once(let day): "once, on day \(day)"
        case .asNeeded:
            "if needed" + (schedule.asNeededFor.map { " for \($0)" } ?? "")
                + (schedule.asNeededInterval.map { ", no more often than every \(DoseRule.duration($0))" } ?? "")
                + (schedule.maxInARow.map { ", at most \($0) doses in a row" } ?? "")
                + (schedule.maxPerDay.map { ", at most \($0 == 1 ? "once" : "\($0) times") a day" } ?? "")
        case .everyMonths(1): "once a month"
        case .everyMonths(let n): "every \(n) months"
        case .timesWeekly(2): "twice a week"
        case .timesWeekly(let n): "\(n) times a week"
        }
    }
}
