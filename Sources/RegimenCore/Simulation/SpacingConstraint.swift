/// A spacing rule between the doses of two groups of items, as a forbidden window on
/// `d = t(first) − t(second)` in minutes: the pair is in breach when `lower < d < upper`.
///
/// - `4h apart`: (−240, 240).
/// - `A 2h before X or 6h after X`: (−120, 360).
/// - A plan's one-way `A 4h after X`: (−∞, 240), and `A 2h before X`: (−120, +∞), checked only
///   within one dosing day, since the next day's X always follows today's A.
/// - A label's one-way `A 2h after X`: [0, 120), an A dose in the two hours after X.
struct SpacingConstraint: Sendable {
    enum Origin: Sendable {
        /// A relation written on a plan item.
        case plan(item: Int, span: Span)
        /// A spacing rule of the knowledge base.
        case knowledge(Interaction)
    }

    var first: [Int]
    var second: [Int]
    /// Names the set `second` stands for, so constraints over the same set share its doses.
    var secondKey: String
    /// Bounds of the forbidden window, exclusive; nil is unbounded.
    var lower: Int?
    var upper: Int?
    var sameDayOnly: Bool
    var origin: Origin
    /// The rule in words, from the first item's side: "at least 4 h after levothyroxine".
    var rule: String
    var firstName: String
    var secondName: String

    /// True when a difference breaches the rule.
    func breached(by difference: Int) -> Bool {
        difference < (upper ?? Int.max) && difference > (lower ?? Int.min)
    }

    var severity: Severity {
        guard case .knowledge(let interaction) = origin else { return .error }
        switch interaction.severity {
        case .critical, .major: return .error
        case .moderate: return .warning
        case .minor: return .note
        }
    }

    /// Every spacing rule that applies to the plan's items.
    static func build(plan: Plan, substances: SubstanceIndex, knowledge: KnowledgeBase, sources: SourceManager) -> [SpacingConstraint] {
        var constraints: [SpacingConstraint] = []
        let items = plan.items
        func indices(of names: [String], orally: Bool) -> [Int] {
            let covered = substances.items(of: names)
            return orally ? covered.filter { items[$0].route.countsTowardIntake } : covered
        }
        for (index, item) in items.enumerated() {
            for relation in item.relations {
                let targets = indices(of: relation.alternatives.map(\.target), orally: false).filter { $0 != index }
                guard !targets.isEmpty, let first = relation.alternatives.first else { continue }
                let after = relation.alternatives.filter { $0.direction == .after || $0.direction == .apart }.map(\.minutes).min()
                let before = relation.alternatives.filter { $0.direction == .before || $0.direction == .apart }.map(\.minutes).min()
                let notWith = relation.notWith ? 60 : nil
                let targetName = Set(relation.alternatives.map(\.target)).sorted().joined(separator: " or ")
                constraints.append(SpacingConstraint(
                    first: [index], second: targets, secondKey: "plan:" + targetName,
                    lower: notWith.map { -$0 } ?? before.map { -$0 },
                    upper: notWith ?? after,
                    sameDayOnly: notWith == nil && (after == nil || before == nil),
                    origin: .plan(item: index, span: first.span),
                    rule: relation.notWith ? "not within 1 h of \(targetName)" : PlanDescription.relationWords(relation),
                    firstName: item.name, secondName: targetName))
            }
        }
        for interaction in knowledge.interactions where interaction.separation != nil || !interaction.directed.isEmpty {
            let firstMembers = knowledge.members(of: interaction.first), secondMembers = knowledge.members(of: interaction.second)
            // One constraint per rule over every item it covers (pairs of the same substance are skipped when checking).
            if let separation = interaction.separation {
                let a = indices(of: firstMembers, orally: true), x = indices(of: secondMembers, orally: true)
                if !a.isEmpty, !x.isEmpty {
                    constraints.append(SpacingConstraint(
                        first: a, second: x, secondKey: "kb:" + interaction.second, lower: -separation, upper: separation, sameDayOnly: false,
                        origin: .knowledge(interaction), rule: "at least \(DurationText.minutes(separation)) apart from \(interaction.second)",
                        firstName: interaction.first, secondName: interaction.second))
                }
            }
            // Directed rules, grouped by their subject: `cipro 2h before Mg or 6h after Mg`.
            for subject in Set(interaction.directed.map(\.subject)).sorted() {
                let rules = interaction.directed.filter { $0.subject == subject }
                let object = rules[0].object
                let subjects = knowledge.members(of: subject), objects = knowledge.members(of: object)
                let after = rules.filter { $0.direction == .after }.map(\.minutes).min()
                let before = rules.filter { $0.direction == .before }.map(\.minutes).min()
                let words = rules.map { "at least \(DurationText.minutes($0.minutes)) \($0.direction.rawValue) \($0.object)" }.joined(separator: " or ")
                let a = indices(of: subjects, orally: true), x = indices(of: objects, orally: true)
                guard !a.isEmpty, !x.isEmpty else { continue }
                constraints.append(SpacingConstraint(
                    first: a, second: x, secondKey: "kb:" + object,
                    lower: before.map { -$0 } ?? (after != nil ? -1 : nil),
                    upper: after ?? 1,
                    sameDayOnly: false, origin: .knowledge(interaction), rule: words,
                    firstName: subject, secondName: object))
            }
        }
        return constraints
    }
}

extension PlanDescription {
    /// A relation in words: "at least 4 h after levothyroxine".
    static func relationWords(_ relation: Relation) -> String {
        relation.alternatives.map { alternative in
            let direction = alternative.direction == .apart ? "apart from" : alternative.direction.rawValue
            return "at least \(DurationText.minutes(alternative.minutes)) \(direction) \(alternative.target)"
        }.joined(separator: " or ")
    }
}
