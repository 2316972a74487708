/// Arranges the movable doses of each kind of dosing day so that every spacing rule holds, with
/// the least total movement, proven. Doses at a written clock time stay put; meal-anchored doses
/// stay within their meal window (and on the side of it the plan names); other doses may move
/// within the waking day. Each kind of day is a mixed-integer program: a time per dose (integer
/// minutes), its deviation from the preferred time, and for each two-sided rule a choice of side
/// (d ≤ lower or d ≥ upper). The objective is the sum of the deviations, then the number of doses
/// moved. COIN-OR CBC solves it to proven optimality, or says it stopped at a stated limit with
/// the gap to its best bound. When no arrangement exists, a second program finds the fewest rules
/// to set aside (proven), and the rest is arranged optimally with those rules set aside.
struct Arranger {
    let simulator: Simulator
    let constraints: [SpacingConstraint]
    let start: CivilDate
    let days: Int
    var plan: Plan { simulator.plan }
    /// Most doses in one day that are arranged.
    static let maxDosesPerDay = 200
    /// Most branch-and-bound nodes of one solve.
    static let nodeLimit = 100_000
    /// Most seconds of processor time for one solve, and for the whole arrangement.
    static let secondsPerSolve = 2.0
    static let totalSeconds = 8.0
    /// Most seconds for keeping a component's usual times, a preference among equal optima.
    static let secondsToKeepUsualTimes = 0.25
    /// Most alternative relaxations named for one conflict.
    static let maxAlternatives = 4

    /// Time left for this arrangement, shared by every solve.
    final class Budget: @unchecked Sendable {
        var secondsLeft = Arranger.totalSeconds
    }
    let budget = Budget()

    struct Outcome {
        var plan: SlotPlan?
        var diagnostics: [Diagnostic]
        var days: [ArrangedDay]
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

    /// `t[to] − t[from] ≤ weight` (nodes numbered from 1).
    struct Edge {
        var from: Int
        var to: Int
        var weight: Int
    }

    /// Any one alternative must hold. `unit` names the rule as it binds one item
    /// (`constraint × items + item`; −1: the item's own dose spacing, never set aside).
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
        /// The day's anchors, in `Anchor.allCases` order: a day may have its own times.
        var anchorMinutes: [Int]
    }

    init(simulator: Simulator, constraints: [SpacingConstraint], start: CivilDate, days: Int) {
        self.simulator = simulator
        self.constraints = constraints
        self.start = start
        self.days = days
    }

    // MARK: Arrange

    mutating func arrange(_ unarranged: SlotPlan) -> Outcome {
        var slotPlan = unarranged
        var kinds: [String: Int] = [:]
        var problems: [[(item: Int, slot: Int)]] = []
        var firstDay: [Int] = []
        var dayCount: [Int] = []
        for day in 0..<days {
            let doses = dosesOn(day: day, preferred: unarranged.preferred(day: day))
            // A day with its own times (`on weekends: wake 09:00`) is its own kind of day.
            let variant = day < unarranged.variantOfDay.count ? "\(unarranged.variantOfDay[day])|" : ""
            let key = variant + doses.map { "\($0.item).\($0.slot)" }.joined(separator: ",")
            if kinds[key] == nil {
                kinds[key] = problems.count
                problems.append(doses)
                firstDay.append(day)
                dayCount.append(0)
            }
            dayCount[kinds[key]!] += 1
            slotPlan.kindOfDay.append(kinds[key]!)
        }
        var diagnostics: [Diagnostic] = []
        var reported = Set<String>()
        var cache: [String: ComponentResult] = [:]
        var summaries = [ArrangedDay?](repeating: nil, count: problems.count)
        var arrangedOf = [[Int: [Int]]](repeating: [:], count: problems.count)
        var reasonsOf = [[Int: [Int: String]]](repeating: [:], count: problems.count)
        var solvedOf = [(day: DayResult, problem: DayProblem)?](repeating: nil, count: problems.count)
        // The most common kind of day first: its times are the ones the other kinds keep where an
        // arrangement as good allows, so each item is taken at the same time every day it can be.
        let order = problems.indices.sorted { (dayCount[$0], -$0) > (dayCount[$1], -$1) }
        var usual: [Int: [Int: Int]] = [:]
        for kind in order {
            let doses = problems[kind]
            let date = start.adding(days: firstDay[kind])
            guard doses.count <= Self.maxDosesPerDay else {
                diagnostics.append(Diagnostic(.noArrangement,
                    "\(doses.count) doses fall on \(date); arranging handles at most \(Self.maxDosesPerDay) a day, so that day is not arranged",
                    at: nil, hint: "give most doses a clock time, or split the plan"))
                summaries[kind] = ArrangedDay(date: date, days: dayCount[kind], status: .notArranged, deviation: 0, moved: 0, relaxed: 0,
                                              relaxedProven: false, bound: nil, limit: "at most \(Self.maxDosesPerDay) doses a day")
                continue
            }
            let preferred = unarranged.preferred(day: firstDay[kind])
            let problem = build(doses, preferred: preferred, excluding: [], on: simulator.on(date))
            let day = solveDay(problem, cache: &cache, usual: usual)
            var summary = ArrangedDay(date: date, days: dayCount[kind], status: day.status, deviation: day.deviation, moved: day.moved,
                                      relaxed: day.relaxed.count, relaxedProven: day.relaxedProven, bound: day.bound, limit: day.limit)
            if let times = day.times {
                (arrangedOf[kind], reasonsOf[kind]) = record(times, problem, preferred: preferred, relaxed: day.relaxed)
                if usual.isEmpty {
                    for (index, node) in problem.nodes.enumerated() { usual[node.item, default: [:]][node.slot] = times[index] }
                }
            } else {
                summary.deviation = 0
                summary.moved = 0
            }
            solvedOf[kind] = (day, problem)
            summaries[kind] = summary
        }
        slotPlan.arranged = arrangedOf
        slotPlan.reasons = reasonsOf
        let solved = problems.indices.compactMap { kind in solvedOf[kind].map { (kind: kind, day: $0.day, problem: $0.problem) } }
        // A conflict that every kind of day shares is one finding, said once for all its days.
        var groups: [(key: [String], kinds: [Int])] = []
        for (index, (_, day, problem)) in solved.enumerated() {
            let key = dayDiagnostics(day, problem, on: "").map(\.message)
            guard !key.isEmpty else { continue }
            if let group = groups.firstIndex(where: { $0.key == key }) { groups[group].kinds.append(index) } else { groups.append((key, [index])) }
        }
        for group in groups {
            let kinds = Set(group.kinds.map { solved[$0].kind })
            let dates = slotPlan.kindOfDay.indices.filter { kinds.contains(slotPlan.kindOfDay[$0]) }.map { start.adding(days: $0) }
            let (_, day, problem) = solved[group.kinds[0]]
            for diagnostic in dayDiagnostics(day, problem, on: Verifier.datesText(dates)) where reported.insert(diagnostic.message).inserted {
                diagnostics.append(diagnostic)
            }
        }
        return Outcome(plan: slotPlan, diagnostics: diagnostics, days: summaries.compactMap { $0 })
    }

    /// The solved times per item and slot, with the reason for each move or broken rule.
    private func record(_ times: [Int], _ problem: DayProblem, preferred: [[Int]], relaxed: Set<Int>) -> ([Int: [Int]], [Int: [Int: String]]) {
        var arranged: [Int: [Int]] = [:]
        var reasons: [Int: [Int: String]] = [:]
        for (index, node) in problem.nodes.enumerated() {
            // Doses every few hours never move; their times come from the interval, not from slots.
            if case .everyMinutes = plan.items[node.item].schedule.frequency {
                if let broken = brokenReason(index, problem, times, relaxed) { reasons[node.item, default: [:]][node.slot] = broken }
                continue
            }
            arranged[node.item, default: preferred[node.item]][node.slot] = times[index]
            var parts: [String] = []
            if times[index] != node.preferred { parts.append(movedReason(index, problem, times, relaxed)) }
            if let broken = brokenReason(index, problem, times, relaxed) { parts.append(broken) }
            if !parts.isEmpty { reasons[node.item, default: [:]][node.slot] = parts.joined(separator: "; ") }
        }
        return (arranged, reasons)
    }

    /// The (item, slot) doses of one dosing day that take part in arranging.
    private func dosesOn(day: Int, preferred: [[Int]]) -> [(item: Int, slot: Int)] {
        let date = start.adding(days: day)
        var doses: [(Int, Int)] = []
        for (index, item) in plan.items.enumerated() {
            guard let range = simulator.itemRange(index, horizonStart: start), date >= range.first, date <= (range.last ?? date),
                  !simulator.held(index, on: date, horizonStart: start) else { continue }
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

    // MARK: Solving one kind of day

    /// A choice ready for the program: the alternatives that can hold at all within the windows,
    /// each with the slack that switches it off (its big M: the most its difference can reach past it).
    struct Prepared {
        var alternatives: [(edge: Edge, slack: Int)]
        var unit: Int
    }

    /// Doses linked by rules, solved together; unrelated groups are independent programs.
    struct Component {
        /// Global node numbers (0-based).
        var nodes: [Int]
        var choices: [Prepared]
        /// Global unit of each local unit.
        var units: [Int]
    }

    /// A component's answer, in its own numbering (cached: kinds of day often share a component).
    struct ComponentResult {
        var times: [Int]?
        var status: ArrangedDay.Status
        var bound: Int
        /// Minimum relaxations found, as local unit numbers; the first is the one arranged with.
        var options: [[Int]] = []
        var relaxProven = true
        var limit: String?
        var failure: String?
    }

    /// A set of rules that has to be set aside, with the other sets of the same size that would do.
    struct Conflict {
        var options: [[Int]]
        var proven: Bool
        var limit: String?
    }

    struct DayResult {
        var times: [Int]?
        var status: ArrangedDay.Status
        var deviation = 0
        var moved = 0
        var relaxed = Set<Int>()
        var relaxedProven = true
        var bound: Int?
        var limit: String?
        var conflicts: [Conflict] = []
        var failure: String?
    }

    /// `usual`: each dose's time on the most common kind of day (item → slot → minutes), kept
    /// where an arrangement with the same least movement allows it.
    func solveDay(_ problem: DayProblem, cache: inout [String: ComponentResult], usual: [Int: [Int: Int]] = [:]) -> DayResult {
        let nodes = problem.nodes
        let lo = nodes.map(\.window.lowerBound), hi = nodes.map(\.window.upperBound)
        var prepared: [Prepared] = []
        var mustBreak = Set<Int>()
        for choice in problem.choices {
            var alternatives: [(edge: Edge, slack: Int)] = []
            var always = false
            for edge in choice.alternatives {
                let most = hi[edge.to - 1] - lo[edge.from - 1], least = lo[edge.to - 1] - hi[edge.from - 1]
                if most <= edge.weight { always = true; break }
                if least > edge.weight { continue }
                alternatives.append((edge, most - edge.weight))
            }
            if always { continue }
            if alternatives.isEmpty {
                if choice.unit < 0 {
                    return DayResult(times: nil, status: .notArranged,
                                     failure: "the doses of \(plan.items[nodes[choice.alternatives[0].to - 1].item].name) cannot keep their own spacing within their windows")
                }
                mustBreak.insert(choice.unit)
                continue
            }
            prepared.append(Prepared(alternatives: alternatives, unit: choice.unit))
        }
        prepared.removeAll { mustBreak.contains($0.unit) }

        // Components: movable doses joined by a rule between them, or by one rule binding both.
        var parent = Array(nodes.indices)
        func root(_ v: Int) -> Int {
            var v = v
            while parent[v] != v { parent[v] = parent[parent[v]]; v = parent[v] }
            return v
        }
        func union(_ a: Int, _ b: Int) { let (ra, rb) = (root(a), root(b)); if ra != rb { parent[ra] = rb } }
        func movable(_ v: Int) -> Bool { lo[v] < hi[v] }
        var unitNode: [Int: Int] = [:]
        for choice in prepared {
            let ends = choice.alternatives.flatMap { [$0.edge.from - 1, $0.edge.to - 1] }.filter(movable)
            guard let first = ends.first else { continue }
            for v in ends { union(first, v) }
            if choice.unit >= 0 {
                if let other = unitNode[choice.unit] { union(first, other) } else { unitNode[choice.unit] = first }
            }
        }
        var byRoot: [Int: Int] = [:]
        var components: [Component] = []
        for choice in prepared {
            guard let end = choice.alternatives.flatMap({ [$0.edge.from - 1, $0.edge.to - 1] }).first(where: movable) else { continue }
            let r = root(end)
            if byRoot[r] == nil {
                byRoot[r] = components.count
                components.append(Component(nodes: nodes.indices.filter { movable($0) && root($0) == r }, choices: [], units: []))
            }
            components[byRoot[r]!].choices.append(choice)
        }

        var result = DayResult(times: nodes.map(\.preferred), status: .optimal)
        var bound = 0
        for unit in mustBreak.sorted() {
            result.conflicts.append(Conflict(options: [[unit]], proven: true, limit: nil))
            result.relaxed.insert(unit)
        }
        for var component in components {
            var local: [Int: Int] = [:]
            for choice in component.choices where choice.unit >= 0 && local[choice.unit] == nil {
                local[choice.unit] = component.units.count
                component.units.append(choice.unit)
            }
            let key = self.key(component, problem, local)
            var answer = cache[key] ?? solveComponent(component, problem, local)
            cache[key] = answer
            if answer.status == .optimal, let times = answer.times {
                let reference = component.nodes.map { v in usual[problem.nodes[v].item]?[problem.nodes[v].slot] }
                if zip(times, reference).contains(where: { time, usual in usual.map { $0 != time } ?? false }),
                   let kept = keepUsualTimes(component, problem, local, times: times, reference: reference) {
                    answer.times = kept
                }
            }
            if let failure = answer.failure {
                return DayResult(times: nil, status: .notArranged, limit: answer.limit, failure: failure)
            }
            guard let times = answer.times else {
                return DayResult(times: nil, status: .notArranged, limit: answer.limit, failure: "no arrangement was found within \(answer.limit ?? "the limits")")
            }
            for (k, v) in component.nodes.enumerated() { result.times![v] = times[k] }
            bound += answer.bound
            if answer.status == .stopped { result.status = .stopped; result.limit = answer.limit }
            if !answer.options.isEmpty {
                let options = answer.options.map { $0.map { component.units[$0] } }
                result.relaxed.formUnion(options[0])
                result.conflicts.append(Conflict(options: options, proven: answer.relaxProven, limit: answer.limit))
                if !answer.relaxProven { result.relaxedProven = false; result.limit = answer.limit }
            }
        }
        if !result.relaxed.isEmpty, result.status == .optimal { result.status = .relaxed }
        let times = result.times!
        result.deviation = zip(times, nodes).map { abs($0 - $1.preferred) }.reduce(0, +)
        result.moved = zip(times, nodes).filter { $0 != $1.preferred }.count
        result.bound = bound
        return result
    }

    /// What the program of a component depends on, so an identical component is solved once.
    private func key(_ component: Component, _ problem: DayProblem, _ local: [Int: Int]) -> String {
        var position: [Int: Int] = [:]
        for (k, v) in component.nodes.enumerated() { position[v] = k }
        var parts = component.nodes.map { v in "\(problem.nodes[v].window.lowerBound),\(problem.nodes[v].window.upperBound),\(problem.nodes[v].preferred)" }
        for choice in component.choices {
            let ends = choice.alternatives.map { alternative -> String in
                func end(_ v: Int) -> String { position[v - 1].map { "n\($0)" } ?? "c\(problem.nodes[v - 1].window.lowerBound)" }
                return "\(end(alternative.edge.from))>\(end(alternative.edge.to))<\(alternative.edge.weight)"
            }
            parts.append("u\(choice.unit >= 0 ? local[choice.unit]! : -1):" + ends.joined(separator: "|"))
        }
        return parts.joined(separator: ";")
    }

    enum Objective { case movement, rulesSetAside }

    /// The program of one component: a time, a deviation and a moved flag per dose; a binary per side
    /// of each two-sided rule; with `relax`, a binary per rule that sets it aside.
    private func program(_ component: Component, _ problem: DayProblem, _ local: [Int: Int], relax: Bool, objective: Objective,
                         cap: Int? = nil, noGoods: [[Int]] = [], keeping: (reference: [Int?], most: Double)? = nil)
        -> (MixedIntegerProgram, time: [Int], setAside: [Int]) {
        var mip = MixedIntegerProgram()
        mip.closeRelaxation = !relax && objective == .movement
        // Interchangeable copies share one time (see `copies`) when the least movement is sought;
        // setting rules aside weighs each copy's rules on their own.
        let copyOf = !relax && objective == .movement ? copies(component, problem, usual: keeping?.reference) : [:]
        var position: [Int: Int] = [:]
        var time = [Int](repeating: -1, count: component.nodes.count)
        for (k, v) in component.nodes.enumerated() where copyOf[v] == nil {
            position[v] = k
            let node = problem.nodes[v]
            time[k] = mip.column(lower: Double(node.window.lowerBound), upper: Double(node.window.upperBound))
        }
        var copiesOf: [Int: Int] = [:]
        for (k, v) in component.nodes.enumerated() {
            guard let original = copyOf[v] else { continue }
            position[v] = k
            time[k] = time[position[original]!]
            copiesOf[original, default: 1] += 1
        }
        // Each movable dose's deviation column (by position), for the rows that bound movement by the rules.
        var deviation = [Int](repeating: -1, count: component.nodes.count), moved = deviation
        // When keeping the usual times, each dose's distance from its usual time (by position).
        var awayFromUsual = [Int?](repeating: nil, count: component.nodes.count)
        if objective == .movement {
            // Minutes moved first, then doses moved: a minute outweighs every dose. When keeping the
            // usual times, that objective is held at its optimum by a row, and the minutes away from
            // the usual times are what is minimised instead.
            let weight = Double(component.nodes.count + 1)
            var movement: [(Int, Double)] = []
            for (k, v) in component.nodes.enumerated() where copyOf[v] == nil {
                let node = problem.nodes[v]
                let p = Double(node.preferred)
                let count = Double(copiesOf[v] ?? 1)
                let most = Double(max(node.window.upperBound - node.preferred, node.preferred - node.window.lowerBound))
                let e = mip.column(lower: 0, upper: most, cost: keeping == nil ? weight * count : 0)
                let m = mip.column(lower: 0, upper: 1, cost: keeping == nil ? count : 0)
                movement += [(e, weight * count), (m, count)]
                (deviation[k], moved[k]) = (e, m)
                mip.row([(e, 1), (time[k], -1)], "G", -p)
                mip.row([(e, 1), (time[k], 1)], "G", p)
                mip.row([(e, 1), (m, -most)], "L", 0)
                if let reference = keeping?.reference[k] {
                    let away = mip.column(lower: 0, upper: 1440, cost: count)
                    awayFromUsual[k] = away
                    mip.row([(away, 1), (time[k], -1)], "G", -Double(reference))
                    mip.row([(away, 1), (time[k], 1)], "G", Double(reference))
                }
            }
            if let keeping { mip.row(movement, "L", keeping.most) }
        }
        let setAside = relax ? component.units.map { _ in mip.column(lower: 0, upper: 1, cost: objective == .rulesSetAside ? 1 : 0) } : []
        // A node as the program sees it: a copy stands for the dose it shares a time with.
        func shared(_ v: Int) -> Int { copyOf[v] ?? v }
        /// The least distance a rule forces on its two doses from given times, as a row on the
        /// columns that measure each dose's distance from them. Every alternative of a choice bounds
        /// one difference, t_to − t_from ≤ w; at the given times that difference is d₀, and each
        /// dose is at most its distance column from its given time, so t_to − t_from ≤ w needs
        /// distance_to + distance_from ≥ d₀ − w. One alternative must hold: the least of those over
        /// the alternatives is a floor that every arrangement keeps, so the row removes no
        /// arrangement. The big-M rows alone let the relaxation switch a rule off at no cost; this
        /// row does not, and gives branch and bound a bound near the optimum (two doses due at 08:00
        /// and kept 1 h apart: 60 min between them). `at` gives a movable dose's time and distance
        /// column (by position); a fixed dose is at its only time, at no distance.
        /// Only for choices between two doses, the same two in every alternative.
        func forcedDistance(_ choice: Prepared, at: (Int) -> (time: Int, column: Int)?) -> ([(Int, Double)], Double)? {
            let first = choice.alternatives[0].edge
            let pair = Set([first.from - 1, first.to - 1])
            guard pair.count == 2, choice.alternatives.allSatisfy({ Set([$0.edge.from - 1, $0.edge.to - 1]) == pair }) else { return nil }
            var given: [Int: (time: Int, column: Int?)] = [:]
            for v in pair {
                if let k = position[v] {
                    guard let movable = at(position[shared(v)] ?? k) else { return nil }
                    given[v] = (movable.time, movable.column)
                } else {
                    given[v] = (problem.nodes[v].window.lowerBound, nil)
                }
            }
            let least = choice.alternatives.map { given[$0.edge.to - 1]!.time - given[$0.edge.from - 1]!.time - $0.edge.weight }.min()!
            let columns = given.values.compactMap(\.column)
            guard least > 0, !columns.isEmpty else { return nil }
            var terms: [Int: Double] = [:]
            for column in columns { terms[column, default: 0] += 1 }
            return (terms.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, Double(least))
        }
        var stated = Set<String>()
        for choice in component.choices {
            if !copyOf.isEmpty {
                // Copies give the same rules again, word for word once their doses are merged: one row does.
                let key = choice.alternatives.map { "\(shared($0.edge.from - 1))>\(shared($0.edge.to - 1))<\($0.edge.weight)" }.joined(separator: "|")
                guard stated.insert(key).inserted else { continue }
            }
            let r: Int? = relax && choice.unit >= 0 ? setAside[local[choice.unit]!] : nil
            // t_to − t_from ≤ w, with fixed times moved to the right-hand side.
            func difference(_ edge: Edge) -> ([(Int, Double)], Double) {
                var terms: [(Int, Double)] = []
                var constant = 0.0
                if let k = position[edge.to - 1] { terms.append((time[k], 1)) } else { constant += Double(problem.nodes[edge.to - 1].window.lowerBound) }
                if let k = position[edge.from - 1] { terms.append((time[k], -1)) } else { constant -= Double(problem.nodes[edge.from - 1].window.lowerBound) }
                return (terms, constant)
            }
            if choice.alternatives.count == 1 {
                let (edge, slack) = choice.alternatives[0]
                let (terms, constant) = difference(edge)
                mip.row(terms + (r.map { [($0, -Double(slack))] } ?? []), "L", Double(edge.weight) - constant)
            } else {
                var sides: [(Int, Double)] = []
                for (edge, slack) in choice.alternatives {
                    let y = mip.column(lower: 0, upper: 1)
                    sides.append((y, 1))
                    let (terms, constant) = difference(edge)
                    // difference ≤ w + slack·(1 − y) + slack·r
                    mip.row(terms + [(y, Double(slack))] + (r.map { [($0, -Double(slack))] } ?? []), "L", Double(edge.weight + slack) - constant)
                }
                mip.row(sides + (r.map { [($0, 1)] } ?? []), "G", 1)
            }
            if objective == .movement {
                // The movement a rule forces from the preferred times, and from the usual times when
                // they are kept (unless the rule is set aside: r = 1 lifts the row).
                func preferred(_ k: Int) -> Int { problem.nodes[component.nodes[k]].preferred }
                if let (terms, least) = forcedDistance(choice, at: { k in (preferred(k), deviation[k]) }),
                   let (flags, _) = forcedDistance(choice, at: { k in (preferred(k), moved[k]) }) {
                    mip.row(terms + (r.map { [($0, least)] } ?? []), "G", least)
                    // A rule that the preferred times break moves one of its two doses at least.
                    mip.row(flags + (r.map { [($0, 1)] } ?? []), "G", 1)
                }
                if let keeping, let (terms, least) = forcedDistance(choice, at: { k in
                    keeping.reference[k].flatMap { usual in awayFromUsual[k].map { (usual, $0) } } }) {
                    mip.row(terms + (r.map { [($0, least)] } ?? []), "G", least)
                }
            }
        }
        if let cap { mip.row(setAside.map { ($0, 1) }, "L", Double(cap)) }
        for set in noGoods { mip.row(set.map { (setAside[$0], 1) }, "L", Double(set.count - 1)) }
        return (mip, time, setAside)
    }

    /// Items of one component whose doses could trade places without changing the program: the same
    /// substance (so no rule between them), windows and preferred times, and the rules with every
    /// other dose the same once the two are swapped. Some least-movement arrangement gives all such
    /// copies the same times: take any arrangement, and give every copy the times of the copy that
    /// moved least; each keeps every rule, as that copy does, since its rules with the other doses
    /// are the same and it has none with the other copies. So the program gives them one time, and
    /// one row for the rules they repeat: a plan with five copies of an item has a fifth of the
    /// choices, not 120 orders of the same arrangement to prove. Returns each copy's dose → the
    /// dose of the first copy it shares a time with (global node numbers).
    /// With `usual` (each dose's usual time, by position in the component), copies must share those too.
    private func copies(_ component: Component, _ problem: DayProblem, usual: [Int?]? = nil) -> [Int: Int] {
        var nodesOf: [Int: [Int]] = [:]
        var position: [Int: Int] = [:]
        for (k, v) in component.nodes.enumerated() {
            nodesOf[problem.nodes[v].item, default: []].append(v)
            position[v] = k
        }
        func profile(_ item: Int) -> String {
            plan.items[item].substance + "|" + nodesOf[item]!.map { v in
                let n = problem.nodes[v]
                let kept = usual.map { "~\($0[position[v]!].map(String.init) ?? "-")" } ?? ""
                return "\(n.slot):\(n.window.lowerBound)-\(n.window.upperBound)@\(n.preferred)\(n.fixed ? "f" : "")\(kept)"
            }.joined(separator: ",")
        }
        let groups = Dictionary(grouping: nodesOf.keys.sorted(), by: profile).values.filter { $0.count > 1 }
        guard !groups.isEmpty else { return [:] }
        // Each rule as a sorted list of its sides, counted: a swap of two copies keeps the program
        // when every rule it changes becomes one the program has as often (the swap is its own
        // inverse, so that is the whole multiset of rules unchanged).
        struct Side: Hashable, Comparable {
            var from: Int, to: Int, weight: Int
            static func < (a: Side, b: Side) -> Bool { (a.from, a.to, a.weight) < (b.from, b.to, b.weight) }
        }
        func sides(_ choice: Prepared, _ swap: [Int: Int]) -> [Side] {
            choice.alternatives.map { alternative in
                Side(from: swap[alternative.edge.from - 1] ?? alternative.edge.from - 1, to: swap[alternative.edge.to - 1] ?? alternative.edge.to - 1,
                     weight: alternative.edge.weight)
            }.sorted()
        }
        var count: [[Side]: Int] = [:]
        for choice in component.choices { count[sides(choice, [:]), default: 0] += 1 }
        func keepsTheProgram(_ swap: [Int: Int]) -> Bool {
            component.choices.allSatisfy { choice in
                !choice.alternatives.contains { swap[$0.edge.from - 1] != nil || swap[$0.edge.to - 1] != nil }
                    || count[sides(choice, swap)] == count[sides(choice, [:])]
            }
        }
        var itemOf: [Int: Int] = [:]
        for v in component.nodes { itemOf[v] = problem.nodes[v].item }
        // Items that a rule joins (a rule between two copies would part them: such copies keep times of their own).
        var joined = Set<[Int]>()
        for choice in component.choices {
            for alternative in choice.alternatives {
                if let a = itemOf[alternative.edge.from - 1], let b = itemOf[alternative.edge.to - 1] { joined.insert([min(a, b), max(a, b)]) }
            }
        }
        var copyOf: [Int: Int] = [:]
        for group in groups {
            var first = group.min()!
            for (a, b) in zip(group.sorted(), group.sorted().dropFirst()) {
                var swap: [Int: Int] = [:]
                for (x, y) in zip(nodesOf[a]!, nodesOf[b]!) { swap[x] = y; swap[y] = x }
                guard !joined.contains([min(a, b), max(a, b)]), keepsTheProgram(swap) else { first = b; continue }
                for (x, y) in zip(nodesOf[first]!, nodesOf[b]!) { copyOf[y] = x }
            }
        }
        return copyOf
    }

    /// One solve within what is left of the arrangement's time.
    private func run(_ mip: MixedIntegerProgram, seconds most: Double = Arranger.secondsPerSolve) -> MixedIntegerProgram.Result {
        guard budget.secondsLeft > 0.001 else {
            return MixedIntegerProgram.Result(status: .stopped(found: false, limit: "the arrangement's time limit (\(MixedIntegerProgram.secondsText(Self.totalSeconds)))"),
                                              values: [], objective: .infinity, bound: 0, nodes: 0)
        }
        // Processor time, as CBC counts its own limit: a machine that pauses the process (a busy CI
        // host, a laptop lid) must not turn a solvable day into "not arranged".
        let began = MixedIntegerProgram.processorSeconds()
        let seconds = min(most, budget.secondsLeft)
        let result = mip.solve(MixedIntegerProgram.Limits(seconds: seconds, nodes: Self.nodeLimit))
        budget.secondsLeft -= MixedIntegerProgram.processorSeconds() - began
        return result
    }

    /// Among the arrangements that move the doses as little as `times` does (minutes, then doses),
    /// the one nearest each dose's usual time, as near as a short search finds (a preference among
    /// equally good arrangements: it has a small share of the time); nil when it finds none.
    private func keepUsualTimes(_ component: Component, _ problem: DayProblem, _ local: [Int: Int], times: [Int], reference: [Int?]) -> [Int]? {
        let weight = Double(component.nodes.count + 1)
        let nodes = component.nodes.map { problem.nodes[$0] }
        let movement = zip(times, nodes).map { weight * Double(abs($0 - $1.preferred)) + ($0 != $1.preferred ? 1 : 0) }.reduce(0, +)
        let (mip, time, _) = program(component, problem, local, relax: false, objective: .movement, keeping: (reference, movement + 0.5))
        let result = run(mip, seconds: Self.secondsToKeepUsualTimes)
        switch result.status {
        case .optimal, .stopped(found: true, _): return time.map { Int(result.values[$0].rounded()) }
        default: return nil
        }
    }

    private func solveComponent(_ component: Component, _ problem: DayProblem, _ local: [Int: Int]) -> ComponentResult {
        let weight = Double(component.nodes.count + 1)
        func times(_ values: [Double], _ columns: [Int]) -> [Int] { columns.map { Int(values[$0].rounded()) } }
        func deviation(_ t: [Int]) -> Int { zip(t, component.nodes).map { abs($0 - problem.nodes[$1].preferred) }.reduce(0, +) }
        func boundOfDeviation(_ b: Double) -> Int { max(0, Int((( b - Double(component.nodes.count)) / weight).rounded(.up))) }
        let (mip, time, _) = program(component, problem, local, relax: false, objective: .movement)
        let first = run(mip)
        switch first.status {
        case .unavailable(let why):
            return ComponentResult(times: nil, status: .notArranged, bound: 0, failure: why)
        case .optimal:
            let t = times(first.values, time)
            return ComponentResult(times: t, status: .optimal, bound: deviation(t))
        case .stopped(let found, let limit):
            guard found else { return ComponentResult(times: nil, status: .notArranged, bound: 0, limit: limit) }
            return ComponentResult(times: times(first.values, time), status: .stopped, bound: boundOfDeviation(first.bound), limit: limit)
        case .infeasible:
            break
        }
        // No arrangement keeps every rule: the fewest rules to set aside, then the best arrangement without them.
        let (fewest, fewestTime, fewestSetAside) = program(component, problem, local, relax: true, objective: .rulesSetAside)
        let smallest = run(fewest)
        var proven = true
        var limit: String?
        switch smallest.status {
        case .unavailable(let why): return ComponentResult(times: nil, status: .notArranged, bound: 0, failure: why)
        case .infeasible:
            return ComponentResult(times: nil, status: .notArranged, bound: 0,
                                   failure: "the doses' own windows and spacing cannot all hold, whichever rules are set aside")
        case .stopped(let found, let stoppedAt):
            guard found else { return ComponentResult(times: nil, status: .notArranged, bound: 0, limit: stoppedAt) }
            proven = false
            limit = stoppedAt
        case .optimal: break
        }
        let chosen = fewestSetAside.indices.filter { smallest.values[fewestSetAside[$0]] > 0.5 }
        let k = chosen.count
        var result = ComponentResult(times: times(smallest.values, fewestTime), status: .relaxed, bound: 0, options: [chosen],
                                     relaxProven: proven, limit: limit)
        let (best, bestTime, bestSetAside) = program(component, problem, local, relax: true, objective: .movement, cap: k)
        let arranged = run(best)
        switch arranged.status {
        case .optimal, .stopped(found: true, _):
            let set = bestSetAside.indices.filter { arranged.values[bestSetAside[$0]] > 0.5 }
            result.times = times(arranged.values, bestTime)
            result.options = [set]
            if case .stopped(_, let stoppedAt) = arranged.status {
                result.status = .stopped
                result.limit = stoppedAt
                result.bound = boundOfDeviation(arranged.bound)
            } else {
                result.bound = deviation(result.times!)
            }
        default:
            result.status = .stopped
            result.limit = limit ?? "the limits"
        }
        // Other sets of the same size that would do as well.
        while proven, result.options.count < Self.maxAlternatives {
            let (other, _, otherSetAside) = program(component, problem, local, relax: true, objective: .rulesSetAside, cap: k, noGoods: result.options)
            let found = run(other)
            guard found.status == .optimal else { break }
            result.options.append(otherSetAside.indices.filter { found.values[otherSetAside[$0]] > 0.5 })
        }
        return result
    }

    // MARK: Words

    /// True when one of the choice's alternatives holds at these times.
    private func holds(_ choice: Choice, _ times: [Int]) -> Bool {
        choice.alternatives.contains { times[$0.to - 1] - times[$0.from - 1] <= $0.weight }
    }

    private func other(_ choice: Choice, than index: Int) -> Int? {
        for edge in choice.alternatives {
            if edge.from == index + 1 { return edge.to - 1 }
            if edge.to == index + 1 { return edge.from - 1 }
        }
        return nil
    }

    private func ruleWords(_ unit: Int, for item: Int) -> String {
        let (constraint, owner) = unitParts(unit)
        return owner == item ? constraint.rule : "\(plan.items[owner].name) \(constraint.rule)"
    }

    /// Why a dose moved: the rules that hold it where it is (tight at the arranged times), else the
    /// rules its preferred time would break.
    private func movedReason(_ index: Int, _ problem: DayProblem, _ times: [Int], _ relaxed: Set<Int>) -> String {
        let node = problem.nodes[index]
        let preferred = problem.nodes.map(\.preferred)
        var tight: [String] = [], breached: [String] = []
        for choice in problem.choices where choice.unit >= 0 && !relaxed.contains(choice.unit) {
            guard let partner = other(choice, than: index) else { continue }
            let words = ruleWords(choice.unit, for: node.item) + " (\(plan.items[problem.nodes[partner].item].name) at \(ClockTime(minutes: times[partner])))"
            if choice.alternatives.contains(where: { times[$0.to - 1] - times[$0.from - 1] == $0.weight && ($0.from == index + 1 || $0.to == index + 1) }),
               !tight.contains(words) {
                tight.append(words)
            }
            if !holds(choice, preferred), !breached.contains(words) { breached.append(words) }
        }
        let rules = tight.isEmpty ? breached : tight
        let from = "moved from \(ClockTime(minutes: node.preferred))"
        guard !rules.isEmpty else { return "\(from) to make room for the spacing rules" }
        let shown = rules.prefix(2).joined(separator: "; ")
        return "\(from): \(shown)" + (rules.count > 2 ? "; and \(rules.count - 2) more" : "")
    }

    /// The rules set aside that this dose breaks.
    private func brokenReason(_ index: Int, _ problem: DayProblem, _ times: [Int], _ relaxed: Set<Int>) -> String? {
        var rules: [String] = []
        for choice in problem.choices where choice.unit >= 0 && relaxed.contains(choice.unit) && !holds(choice, times) {
            guard let partner = other(choice, than: index) else { continue }
            let words = ruleWords(choice.unit, for: problem.nodes[index].item) + " (\(plan.items[problem.nodes[partner].item].name) at \(ClockTime(minutes: times[partner])))"
            if !rules.contains(words) { rules.append(words) }
        }
        guard !rules.isEmpty else { return nil }
        return "BREAKS a rule set aside (no arrangement keeps every rule): " + rules.prefix(2).joined(separator: "; ")
            + (rules.count > 2 ? "; and \(rules.count - 2) more" : "")
    }

    /// How a dose is timed, in the plan's words: " with breakfast", " on waking", "" for a dose of any time.
    private func when(_ item: Int) -> String {
        let planItem = plan.items[item]
        if planItem.schedule.defaultSlots { return "" }
        let words = simulator.reason(planItem, slot: 0)
        return words.isEmpty ? "" : " " + words
    }

    /// A rule as a sentence a clinician can act on, with a move that would let it hold.
    private func ruleSentence(_ unit: Int, _ problem: DayProblem, _ times: [Int]) -> String {
        let (constraint, item) = unitParts(unit)
        var partners: [Int] = []
        for choice in problem.choices where choice.unit == unit {
            for edge in choice.alternatives {
                for v in [edge.from - 1, edge.to - 1] where problem.nodes[v].item != item && !partners.contains(problem.nodes[v].item) {
                    partners.append(problem.nodes[v].item)
                }
            }
        }
        var rule = constraint.rule
        rule = rule.hasPrefix("not ") ? "must not be " + rule.dropFirst(4) : "must be " + rule
        let taken = partners.map { "\(plan.items[$0].name)\(when($0))" }.joined(separator: ", ")
        var sentence = "\(plan.items[item].name)\(when(item)) \(rule)" + (taken.isEmpty ? "" : " (\(taken))")
        if let move = suggestion(unit, problem, times) { sentence += " — \(move)" }
        return sentence
    }

    /// A meal or time of day the dose could move to for this rule to hold, the others staying put.
    private func suggestion(_ unit: Int, _ problem: DayProblem, _ times: [Int]) -> String? {
        let (_, item) = unitParts(unit)
        let choices = problem.choices.filter { $0.unit == unit }
        var candidates: [Int] = []
        for choice in choices {
            for edge in choice.alternatives {
                for v in [edge.from - 1, edge.to - 1] where !candidates.contains(v) { candidates.append(v) }
            }
        }
        // The rule's own dose first, then its partners.
        candidates.sort { (problem.nodes[$0].item == item ? 0 : 1, $0) < (problem.nodes[$1].item == item ? 0 : 1, $1) }
        for v in candidates {
            let node = problem.nodes[v]
            let planItem = plan.items[node.item]
            guard !node.fixed, !planItem.schedule.defaultSlots, node.slot < planItem.schedule.slots.count else { continue }
            var current: Anchor?
            if case .anchor(let anchor, _) = planItem.schedule.slots[node.slot] { current = anchor }
            for anchor in [Anchor.breakfast, .lunch, .dinner, .wake, .bed] where anchor != current {
                let a = problem.anchorMinutes[Anchor.allCases.firstIndex(of: anchor)!]
                let window = anchor == .wake ? a...(a + 60) : anchor == .bed ? (a - 60)...a : (a - 30)...(a + 60)
                var trial = times
                let fits = stride(from: window.lowerBound, through: window.upperBound, by: 5).contains { t in
                    trial[v] = t
                    return choices.allSatisfy { choice in
                        !choice.alternatives.contains { $0.from == v + 1 || $0.to == v + 1 } || holds(choice, trial)
                    }
                }
                guard fits else { continue }
                switch anchor {
                case .wake: return "take \(planItem.name) on waking"
                case .bed: return "take \(planItem.name) at bedtime"
                default: return "move \(planItem.name) to \(anchor.rawValue)"
                }
            }
        }
        return candidates.allSatisfy { problem.nodes[$0].fixed } ? "or change one of the clock times" : nil
    }

    /// What one kind of day's arrangement has to say; `days` names the days it holds for
    /// ("on 2026-12-03", "on 52 days from 2026-12-01 to 2027-11-30").
    private func dayDiagnostics(_ day: DayResult, _ problem: DayProblem, on days: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if day.status == .notArranged {
            diagnostics.append(Diagnostic(.noArrangement,
                "the doses \(days) were not arranged: \(day.failure ?? "the search stopped at \(day.limit ?? "a limit")")",
                at: nil, hint: "give some doses a clock time, or use fewer relations"))
            return diagnostics
        }
        let times = day.times ?? problem.nodes.map(\.preferred)
        if day.status == .stopped, let bound = day.bound {
            diagnostics.append(Diagnostic(.noArrangement,
                "the arrangement of the doses \(days) stopped at \(day.limit ?? "a limit") before it was proven the best: it moves doses \(DurationText.minutes(day.deviation)) in all; no arrangement moves them less than \(DurationText.minutes(bound)) (a gap of at most \(DurationText.minutes(max(0, day.deviation - bound))))",
                at: nil, hint: "give some doses a clock time, or use fewer relations", severity: .warning))
        }
        let total = day.relaxed.count
        for conflict in day.conflicts {
            let k = conflict.options[0].count
            let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)
            let options = conflict.options.enumerated().map { index, set in
                "(\(letters[index % 26])) " + set.map { ruleSentence($0, problem, times) }.joined(separator: "; and ")
            }
            let lead: String
            switch (k, options.count) {
            case (1, 1): lead = "Relax this rule"
            case (1, _): lead = "Relax one of"
            case (_, 1): lead = "Relax these \(k) rules together"
            default: lead = "Relax one of these sets of \(k) rules"
            }
            var notes: [String] = []
            notes.append(conflict.proven
                ? "smallest: no arrangement exists unless \(k == 1 ? "one rule is" : "\(k) rules are") set aside here (proven); \(total) set aside in all on each such day"
                : "\(k == 1 ? "one rule" : "\(k) rules") set aside here; not proven the fewest: the search stopped at \(conflict.limit ?? "a limit")")
            notes.append("arranged below with (a) set aside: the doses that break it say so")
            var units: [Int] = []
            for set in conflict.options { for unit in set where !units.contains(unit) { units.append(unit) } }
            for unit in units {
                let (constraint, item) = unitParts(unit)
                notes.append("\(plan.items[item].name) \(constraint.rule): \(origin(of: constraint))")
            }
            var items = Set<Int>()
            for unit in units {
                items.insert(unitParts(unit).item)
                for choice in problem.choices where choice.unit == unit {
                    for edge in choice.alternatives { items.insert(problem.nodes[edge.from - 1].item); items.insert(problem.nodes[edge.to - 1].item) }
                }
            }
            for node in problem.nodes where items.contains(node.item) {
                let item = plan.items[node.item]
                let line = simulator.compilation.sources[item.span.file].location(of: item.span.offset).line
                let note = "\(item.name) (line \(line)) \(node.why)"
                if !notes.contains(note) { notes.append(note) }
            }
            let span: Span? = units.lazy.compactMap { unit -> Span? in
                if case .plan(_, let span) = unitParts(unit).constraint.origin { return span }
                return nil
            }.first ?? items.sorted().first.map { plan.items[$0].span }
            diagnostics.append(Diagnostic(.noArrangement,
                "No arrangement satisfies all rules \(days). \(lead): " + options.joined(separator: "; "),
                at: span, hint: "change one of these rules, or a dose's timing", notes: notes,
                subjects: Array(Set(items.map { plan.items[$0].substance })).sorted()))
        }
        return diagnostics
    }

    // MARK: The problem of one kind of day

    /// Nodes with their windows, and the choices every rule gives; constraints in `excluding` are left out.
    func build(_ doses: [(item: Int, slot: Int)], preferred: [[Int]], excluding: Set<Int>, on simulator: Simulator) -> DayProblem {
        var nodes: [Node] = []
        for (itemIndex, slot) in doses {
            let item = plan.items[itemIndex]
            var minutes = preferred[itemIndex].first ?? simulator.anchorMinutes(.breakfast)
            if case .everyMinutes(let interval) = item.schedule.frequency {
                minutes += slot * interval
            } else if slot < preferred[itemIndex].count {
                minutes = preferred[itemIndex][slot]
            }
            let (window, fixed, why) = simulator.doseWindow(item, slot: slot, preferred: minutes)
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
        // The ingredients of one product are one tablet: each stays at its first ingredient's time.
        for i in nodes.indices {
            guard let part = plan.items[nodes[i].item].productPart, !part.isFirst else { continue }
            let lead = nodes[i].item - part.index
            for j in nodes.indices where nodes[j].item == lead && nodes[j].slot == nodes[i].slot {
                choices.append(Choice(alternatives: [Edge(from: j + 1, to: i + 1, weight: 0)], unit: -1))
                choices.append(Choice(alternatives: [Edge(from: i + 1, to: j + 1, weight: 0)], unit: -1))
            }
        }
        for (index, constraint) in constraints.enumerated() {
            let firsts = Set(constraint.first), seconds = Set(constraint.second)
            for (a, aNode) in nodes.enumerated() where firsts.contains(aNode.item) {
                let unit = index * plan.items.count + aNode.item
                if excluding.contains(unit) { continue }
                let substance = plan.items[aNode.item].substance
                for (x, xNode) in nodes.enumerated() where seconds.contains(xNode.item) && x != a && plan.items[xNode.item].substance != substance
                    && !plan.inOneProduct(aNode.item, xNode.item) {
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
        return DayProblem(nodes: nodes, choices: choices, anchorMinutes: Anchor.allCases.map(simulator.anchorMinutes))
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

extension Simulator {
    /// Where a dose may go: fixed at a clock time, within its meal window, or anywhere in the waking day,
    /// narrowed by the plan's timing limits (`30min before breakfast`).
    func doseWindow(_ item: PlanItem, slot: Int, preferred: Int) -> (ClosedRange<Int>, Bool, String) {
        let wake = anchorMinutes(.wake), bed = anchorMinutes(.bed)
        var low = preferred, high = preferred
        var fixed = true
        var why = "stays at \(ClockTime(minutes: preferred)), a clock time the plan gives"
        if case .everyMinutes(let interval) = item.schedule.frequency {
            why = "stays at \(ClockTime(minutes: preferred)), as doses every \(DurationText.minutes(interval)) keep their times"
        } else if slot < item.schedule.slots.count {
            if item.schedule.defaultSlots {
                (low, high, fixed, why) = (wake, bed, false, "may move within the waking day")
            } else if case .anchor(let anchor, let offset) = item.schedule.slots[slot] {
                switch anchor {
                case .wake: (low, high) = (preferred, preferred + 60)
                case .bed: (low, high) = (preferred - 60, preferred)
                default: (low, high) = (preferred - 30, preferred + 60)
                }
                // `30min before breakfast` stays at least that long before breakfast, `1h after dinner`
                // at least that long after it: the side of the anchor the plan names is a hard limit.
                if offset < 0 { (low, high) = (preferred - 60, preferred) }
                if offset > 0 { (low, high) = (preferred, preferred + 60) }
                fixed = false
                why = offset == 0 ? "may move only within its \(anchor.phrase) window"
                    : "may move only within its window \(DurationText.minutes(abs(offset))) or more \(offset < 0 ? "before" : "after") \(anchor.phrase)"
            } else if case .period(let period) = item.schedule.slots[slot] {
                // A part of the day is a window, not a moment: an hour either way.
                (low, high, fixed) = (preferred - 60, preferred + 60, false)
                why = "may move only within \(period.phrase)"
            }
        }
        if !fixed, !item.schedule.defaultSlots {
            // A meal's or a part of the day's window stays within the waking day.
            let (awakeLow, awakeHigh) = (max(low, wake), min(high, bed))
            if awakeLow <= awakeHigh { (low, high) = (awakeLow, awakeHigh) }
        }
        for limit in item.schedule.anchorConstraints where limit.direction != .with {
            let anchor = anchorMinutes(limit.anchor)
            if limit.direction == .before { high = min(high, anchor - limit.minutes) } else { low = max(low, anchor + limit.minutes) }
        }
        if low > high { (low, high) = (preferred, preferred) } // the plan's own timing cannot hold: verified and reported
        let range = low...high
        return (range, fixed, fixed ? why : why + ", \(ClockTime(minutes: low))–\(ClockTime(minutes: high))")
    }
}
