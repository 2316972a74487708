/// Arranges the movable doses of each kind of dosing day so that every spacing rule holds,
/// as close as possible to each dose's preferred time. Doses at a written clock time stay
/// put; meal-anchored doses stay within their meal window; other doses may move within the
/// waking day. Rules become difference constraints; two-sided rules ("4h apart", "2h before
/// or 6h after") become choices, searched depth-first with pruning. When no arrangement
/// exists, a deletion search finds the smallest set of rules that conflict.
struct Arranger {
    let simulator: Simulator
    let constraints: [SpacingConstraint]
    let start: CivilDate
    let days: Int
    var plan: Plan { simulator.plan }
    /// Most search nodes per kind of day before giving up.
    static let searchLimit = 20_000
    /// Most work for the whole arrangement, conflict searches included, counted in network
    /// updates (a search node over n doses costs n²): a bound on one run, whatever the plan.
    static let totalWorkLimit = 50_000_000
    /// Most doses in one day that are arranged (each search step costs the square of this).
    static let maxDosesPerDay = 200

    /// Work left for this arrangement, shared by every search (a box, so the non-mutating
    /// searches can draw on it).
    final class Budget: @unchecked Sendable { var remaining = Arranger.totalWorkLimit }
    let budget = Budget()
    /// Most independent conflicts named per kind of day.
    static let maxConflicts = 8

    struct Outcome {
        var plan: SlotPlan?
        var diagnostics: [Diagnostic]
    }

    /// One dose of the day.
    struct Node {
        var item: Int
        var slot: Int
        var preferred: Int
        var window: ClosedRange<Int>
        var fixed: Bool
        var why: String
    }

    /// `t[to] − t[from] ≤ weight`.
    struct Edge {
        var from: Int
        var to: Int
        var weight: Int
    }

    /// Any one alternative must hold. `unit` names the rule as it binds one item
    /// (`constraint × items + item`; −1: the item's own dose spacing): conflicts are sets of units.
    struct Choice {
        var alternatives: [Edge]
        var unit: Int
    }

    /// The rule and the item a unit stands for.
    func unitParts(_ unit: Int) -> (constraint: SpacingConstraint, item: Int) {
        (constraints[unit / plan.items.count], unit % plan.items.count)
    }

    struct DayProblem {
        var nodes: [Node]
        var choices: [Choice]
    }

    init(simulator: Simulator, constraints: [SpacingConstraint], start: CivilDate, days: Int) {
        self.simulator = simulator
        self.constraints = constraints
        self.start = start
        self.days = days
    }

    // MARK: Arrange

    mutating func arrange(preferred: [[Int]]) -> Outcome {
        var slotPlan = SlotPlan(preferred: preferred)
        var kinds: [String: Int] = [:]
        var problems: [[(item: Int, slot: Int)]] = []
        var firstDay: [Int] = []
        for day in 0..<days {
            let doses = dosesOn(day: day, preferred: preferred)
            let key = doses.map { "\($0.item).\($0.slot)" }.joined(separator: ",")
            if kinds[key] == nil {
                kinds[key] = problems.count
                problems.append(doses)
                firstDay.append(day)
            }
            slotPlan.kindOfDay.append(kinds[key]!)
        }
        var diagnostics: [Diagnostic] = []
        var reportedConflicts = Set<[Int]>()
        for (kind, doses) in problems.enumerated() {
            guard doses.count <= Self.maxDosesPerDay else {
                diagnostics.append(Diagnostic(.noArrangement,
                    "\(doses.count) doses fall on \(start.adding(days: firstDay[kind])); arranging handles at most \(Self.maxDosesPerDay) a day",
                    at: nil, hint: "give most doses a clock time, or split the plan"))
                slotPlan.arranged.append([:])
                slotPlan.reasons.append([:])
                continue
            }
            let problem = build(doses, preferred: preferred, excluding: [])
            switch solve(problem) {
            case .solved(let times):
                let (arranged, reasons) = record(times, problem, preferred: preferred)
                slotPlan.arranged.append(arranged)
                slotPlan.reasons.append(reasons)
            case .unsolvable:
                // Name each independent conflict (at most a few), then arrange everything else,
                // so the conflicts are the only things left to fix.
                var excluded = Set<Int>()
                var rest = problem
                for _ in 0..<Self.maxConflicts where budget.remaining > 0 {
                    let (diagnostic, conflicting) = conflict(doses, preferred: preferred, day: firstDay[kind], alreadyExcluded: excluded)
                    guard !conflicting.isEmpty else { break }
                    if reportedConflicts.insert(conflicting.sorted()).inserted { diagnostics.append(diagnostic) }
                    excluded.formUnion(conflicting)
                    rest = build(doses, preferred: preferred, excluding: excluded)
                    if case .solved = solve(rest) { break }
                }
                if case .solved(let times) = solve(rest) {
                    let (arranged, reasons) = record(times, rest, preferred: preferred)
                    slotPlan.arranged.append(arranged)
                    slotPlan.reasons.append(reasons)
                } else {
                    slotPlan.arranged.append([:])
                    slotPlan.reasons.append([:])
                }
            case .gaveUp:
                let limit = budget.remaining <= 0 ? "the arrangement's work limit (spent on the days before)" : "the search limit (\(Self.searchLimit) steps)"
                diagnostics.append(Diagnostic(.noArrangement,
                    "no arrangement of the doses on \(start.adding(days: firstDay[kind])) was found within \(limit)",
                    at: nil, hint: "resolve the conflicts named for earlier days, give some doses a clock time, or use fewer relations"))
                slotPlan.arranged.append([:])
                slotPlan.reasons.append([:])
            }
        }
        return Outcome(plan: slotPlan, diagnostics: diagnostics)
    }

    /// The solved times per item and slot, with the reason for each move.
    private func record(_ times: [Int], _ problem: DayProblem, preferred: [[Int]]) -> ([Int: [Int]], [Int: [Int: String]]) {
        var arranged: [Int: [Int]] = [:]
        var reasons: [Int: [Int: String]] = [:]
        for (index, node) in problem.nodes.enumerated() {
            // Doses every few hours never move; their times come from the interval, not from slots.
            if case .everyMinutes = plan.items[node.item].schedule.frequency { continue }
            arranged[node.item, default: preferred[node.item]][node.slot] = times[index]
            if times[index] != node.preferred {
                reasons[node.item, default: [:]][node.slot] = movedReason(index, problem)
            }
        }
        return (arranged, reasons)
    }

    /// The (item, slot) doses of one dosing day that take part in arranging.
    private func dosesOn(day: Int, preferred: [[Int]]) -> [(item: Int, slot: Int)] {
        let date = start.adding(days: day)
        var doses: [(Int, Int)] = []
        for (index, item) in plan.items.enumerated() {
            guard let range = simulator.itemRange(index, horizonStart: start), date >= range.first, date <= (range.last ?? date) else { continue }
            switch item.schedule.frequency {
            case .asNeeded: continue
            case .everyMinutes(let interval):
                guard 1440 % interval == 0 else { continue } // not the same every day: verified, not arranged
                for slot in 0..<(1440 / interval) { doses.append((index, slot)) }
            default:
                guard simulator.takes(item.schedule.frequency, on: date, itemStart: range.first) else { continue }
                for slot in preferred[index].indices { doses.append((index, slot)) }
            }
        }
        return doses
    }

    // MARK: The problem of one kind of day

    /// Nodes with their windows, and the choices every rule gives; constraints in `excluding` are left out.
    func build(_ doses: [(item: Int, slot: Int)], preferred: [[Int]], excluding: Set<Int>) -> DayProblem {
        var nodes: [Node] = []
        for (itemIndex, slot) in doses {
            let item = plan.items[itemIndex]
            var minutes = preferred[itemIndex].first ?? simulator.anchorMinutes(.breakfast)
            if case .everyMinutes(let interval) = item.schedule.frequency {
                minutes += slot * interval
            } else if slot < preferred[itemIndex].count {
                minutes = preferred[itemIndex][slot]
            }
            let (window, fixed, why) = self.window(item, slot: slot, preferred: minutes)
            nodes.append(Node(item: itemIndex, slot: slot, preferred: minutes, window: window, fixed: fixed, why: why))
        }
        var choices: [Choice] = []
        // An item's own doses keep their order and stay apart (half their planned gap, at least 1 h).
        for i in nodes.indices {
            for j in nodes.indices where nodes[j].item == nodes[i].item && nodes[j].slot == nodes[i].slot + 1 {
                let gap = max(60, (nodes[j].preferred - nodes[i].preferred) / 2)
                choices.append(Choice(alternatives: [Edge(from: j + 1, to: i + 1, weight: -gap)], unit: -1))
            }
        }
        for (index, constraint) in constraints.enumerated() {
            let firsts = Set(constraint.first), seconds = Set(constraint.second)
            for (a, aNode) in nodes.enumerated() where firsts.contains(aNode.item) {
                let unit = index * plan.items.count + aNode.item
                if excluding.contains(unit) { continue }
                let substance = plan.items[aNode.item].substance
                for (x, xNode) in nodes.enumerated() where seconds.contains(xNode.item) && x != a && plan.items[xNode.item].substance != substance {
                    for shift in constraint.sameDayOnly ? [0] : [0, 1440, -1440] {
                        // d = t_a − (t_x + shift) must leave (lower, upper): a rule on t_a − t_x, shifted.
                        let lower = constraint.lower.map { $0 + shift }, upper = constraint.upper.map { $0 + shift }
                        let lowest = aNode.window.lowerBound - xNode.window.upperBound
                        let highest = aNode.window.upperBound - xNode.window.lowerBound
                        if let lower, highest <= lower { continue }
                        if let upper, lowest >= upper { continue }
                        var alternatives: [Edge] = []
                        if let upper { alternatives.append(Edge(from: a + 1, to: x + 1, weight: -upper)) }   // t_a − t_x ≥ upper
                        if let lower { alternatives.append(Edge(from: x + 1, to: a + 1, weight: lower)) }    // t_a − t_x ≤ lower
                        choices.append(Choice(alternatives: alternatives, unit: unit))
                    }
                }
            }
        }
        return DayProblem(nodes: nodes, choices: choices)
    }

    /// Where a dose may go: fixed at a clock time, within its meal window, or anywhere in the waking day,
    /// narrowed by the plan's timing limits (`30min before breakfast`).
    private func window(_ item: PlanItem, slot: Int, preferred: Int) -> (ClosedRange<Int>, Bool, String) {
        let wake = simulator.anchorMinutes(.wake), bed = simulator.anchorMinutes(.bed)
        var low = preferred, high = preferred
        var fixed = true
        var why = "stays at \(ClockTime(minutes: preferred)), a clock time the plan gives"
        if case .everyMinutes(let interval) = item.schedule.frequency {
            why = "stays at \(ClockTime(minutes: preferred)), as doses every \(DurationText.minutes(interval)) keep their times"
        } else if slot < item.schedule.slots.count {
            if item.schedule.defaultSlots {
                (low, high, fixed, why) = (wake, bed, false, "may move within the waking day")
            } else if case .anchor(let anchor, _) = item.schedule.slots[slot] {
                switch anchor {
                case .wake: (low, high) = (preferred, preferred + 60)
                case .bed: (low, high) = (preferred - 60, preferred)
                default: (low, high) = (preferred - 30, preferred + 60)
                }
                fixed = false
                why = "may move only within its \(anchor.phrase) window"
            } else if case .period(let period) = item.schedule.slots[slot] {
                // A part of the day is a window, not a moment: an hour either way.
                (low, high, fixed) = (preferred - 60, preferred + 60, false)
                why = "may move only within \(period.phrase)"
            }
        }
        for limit in item.schedule.anchorConstraints where limit.direction != .with {
            let anchor = simulator.anchorMinutes(limit.anchor)
            if limit.direction == .before { high = min(high, anchor - limit.minutes) } else { low = max(low, anchor + limit.minutes) }
        }
        if low > high { (low, high) = (preferred, preferred) } // the plan's own timing cannot hold: verified and reported
        let range = low...high
        return (range, fixed, fixed ? why : why + ", \(ClockTime(minutes: low))–\(ClockTime(minutes: high))")
    }

    // MARK: Search

    enum Solution {
        case solved([Int])
        case unsolvable
        case gaveUp
    }

    func solve(_ problem: DayProblem) -> Solution {
        // Windows and forced choices go in at once, closed in O(n³); the budget pays for it.
        let n = problem.nodes.count + 1
        guard budget.remaining >= n * n * n else {
            budget.remaining = 0
            return .gaveUp
        }
        budget.remaining -= n * n * n
        var edges: [(from: Int, to: Int, weight: Int)] = []
        for (index, node) in problem.nodes.enumerated() {
            edges.append((0, index + 1, node.window.upperBound))
            edges.append((index + 1, 0, -node.window.lowerBound))
        }
        var open: [Choice] = []
        for choice in problem.choices {
            if choice.alternatives.count == 1 {
                let edge = choice.alternatives[0]
                edges.append((edge.from, edge.to, edge.weight))
            } else {
                open.append(choice)
            }
        }
        guard let network = TemporalNetwork.closed(variables: problem.nodes.count, edges: edges) else { return .unsolvable }
        let preferredTimes = [0] + problem.nodes.map(\.preferred)
        let cost = max(1, network.count * network.count)
        var budget = min(Self.searchLimit, self.budget.remaining / cost)
        let before = budget
        let solved = budget > 0 ? search(network, open, preferredTimes, &budget) : nil
        self.budget.remaining -= (before - budget) * cost
        guard let solved else { return budget <= 0 ? .gaveUp : .unsolvable }
        return .solved(place(solved, problem))
    }

    /// Depth-first over the choices, with propagation after every decision: a choice already
    /// implied is dropped, a choice left with one possible alternative is forced, a choice with
    /// none fails at once. Branches try first the alternative the preferred times keep.
    private func search(_ network: TemporalNetwork, _ choices: [Choice], _ preferred: [Int], _ budget: inout Int) -> TemporalNetwork? {
        budget -= 1
        guard budget > 0 else { return nil }
        var network = network
        var open = choices
        var forced = true
        while forced {
            forced = false
            var next: [Choice] = []
            next.reserveCapacity(open.count)
            for choice in open {
                if choice.alternatives.contains(where: { network.d($0.from, $0.to) <= $0.weight }) { continue }
                let possible = choice.alternatives.filter { network.allows(from: $0.from, to: $0.to, $0.weight) }
                if possible.isEmpty { return nil }
                if possible.count == 1 {
                    network.add(from: possible[0].from, to: possible[0].to, possible[0].weight)
                    forced = true
                } else {
                    next.append(choice)
                }
            }
            open = next
        }
        guard let choice = open.first else { return network }
        let rest = Array(open.dropFirst())
        let ordered = choice.alternatives.sorted { a, b in
            let keptA = preferred[a.to] - preferred[a.from] <= a.weight, keptB = preferred[b.to] - preferred[b.from] <= b.weight
            return keptA && !keptB
        }
        for edge in ordered {
            var next = network
            guard next.add(from: edge.from, to: edge.to, edge.weight) else { continue }
            if let found = search(next, rest, preferred, &budget) { return found }
            if budget <= 0 { return nil }
        }
        return nil
    }

    /// Gives each dose a time: fixed doses first, then meal doses, then the rest, each as near its
    /// preferred time as the decided constraints allow (every value in the feasible range keeps
    /// the network consistent).
    private func place(_ solved: TemporalNetwork, _ problem: DayProblem) -> [Int] {
        var network = solved
        var times = problem.nodes.map(\.preferred)
        let order = problem.nodes.indices.sorted { a, b in
            let (na, nb) = (problem.nodes[a], problem.nodes[b])
            return (na.fixed ? 0 : na.window.count < 200 ? 1 : 2, a) < (nb.fixed ? 0 : nb.window.count < 200 ? 1 : 2, b)
        }
        for index in order {
            let range = network.range(index + 1)
            let time = min(max(problem.nodes[index].preferred, range.lowerBound), range.upperBound)
            network.bound(index + 1, time, time)
            times[index] = time
        }
        return times
    }

    /// Why a dose moved: the rules its preferred time would break.
    private func movedReason(_ index: Int, _ problem: DayProblem) -> String {
        let node = problem.nodes[index]
        let preferred = [0] + problem.nodes.map(\.preferred)
        var rules: [String] = []
        for choice in problem.choices where choice.unit >= 0 {
            guard choice.alternatives.contains(where: { $0.from == index + 1 || $0.to == index + 1 }),
                  !choice.alternatives.contains(where: { preferred[$0.to] - preferred[$0.from] <= $0.weight }) else { continue }
            let (constraint, owner) = unitParts(choice.unit)
            let words = owner == node.item ? constraint.rule : "\(plan.items[owner].name) \(constraint.rule)"
            if !rules.contains(words) { rules.append(words) }
        }
        let from = "moved from \(ClockTime(minutes: node.preferred))"
        guard !rules.isEmpty else { return "\(from) to keep the spacing rules" }
        let shown = rules.prefix(2).joined(separator: "; ")
        return "\(from): \(shown)" + (rules.count > 2 ? "; and \(rules.count - 2) more" : "")
    }

    // MARK: Conflicts

    /// The smallest set of rules that cannot all hold on that kind of day, found by leaving each
    /// rule out in turn and keeping it only when the rest can then be arranged.
    private func conflict(_ doses: [(item: Int, slot: Int)], preferred: [[Int]], day: Int, alreadyExcluded: Set<Int>)
        -> (Diagnostic, Set<Int>)
    {
        let involved = Set(build(doses, preferred: preferred, excluding: alreadyExcluded).choices.map(\.unit).filter { $0 >= 0 })
        let allUnits = Set(constraints.indices.flatMap { c in constraints[c].first.map { c * plan.items.count + $0 } })
        var excluded = allUnits.subtracting(involved)
        var needed: [Int] = []
        var cutShort = false
        for candidate in involved.sorted() {
            switch cutShort ? .gaveUp : solve(build(doses, preferred: preferred, excluding: excluded.union([candidate]))) {
            case .unsolvable: excluded.insert(candidate) // still impossible without it: not part of the conflict
            case .gaveUp:
                cutShort = true
                needed.append(candidate)
            case .solved: needed.append(candidate)
            }
        }
        let problem = build(doses, preferred: preferred, excluding: excluded)
        let neededNodes = Set(problem.nodes.map(\.item))
        let items = Set(needed.flatMap { unit -> [Int] in
            let (constraint, item) = unitParts(unit)
            return [item] + constraint.second.filter { neededNodes.contains($0) && plan.items[$0].substance != plan.items[item].substance }
        })
        var notes = needed.map { unit -> String in
            let (constraint, item) = unitParts(unit)
            return "\(plan.items[item].name) \(constraint.rule): \(origin(of: constraint))"
        }
        for node in problem.nodes where items.contains(node.item) {
            let item = plan.items[node.item]
            let line = simulator.compilation.sources[item.span.file].location(of: item.span.offset).line
            let note = "\(item.name) (line \(line)) \(node.why)"
            if !notes.contains(note) { notes.append(note) }
        }
        let span: Span? = needed.lazy.compactMap { unit -> Span? in
            if case .plan(_, let span) = unitParts(unit).constraint.origin { return span }
            return nil
        }.first ?? items.sorted().first.map { plan.items[$0].span }
        let count = needed.count
        if cutShort { notes.append("the search for the smallest set was cut short by its work limit: the set may hold more rules than the conflict needs") }
        let diagnostic = Diagnostic(.noArrangement,
            "no arrangement of the doses on \(start.adding(days: day)) keeps every spacing rule: \(count == 1 ? "this rule cannot hold" : "these \(count) rules cannot all hold") with the doses' times",
            at: span, hint: "change one of these rules, or a dose's timing", notes: notes,
            subjects: Array(Set(items.map { plan.items[$0].substance })).sorted())
        return (diagnostic, Set(needed))
    }

    private func origin(of constraint: SpacingConstraint) -> String {
        switch constraint.origin {
        case .plan(_, let span):
            let file = simulator.compilation.sources[span.file]
            return "the plan, \(file.name):\(file.location(of: span.offset).line)"
        case .knowledge(let interaction):
            return interaction.source ?? "the knowledge base"
        }
    }
}
