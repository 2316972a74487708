/// Checks every spacing rule and timing limit on the simulated timeline, on real elapsed time
/// (across midnight and daylight-saving changes), and reports each breach once with the
/// dates it happens on and the smallest move that would fix it.
struct Verifier {
    let simulator: Simulator
    let constraints: [SpacingConstraint]
    let events: [DoseEvent]
    /// Each item's substance by number: doses of the same substance are not spaced from each other.
    let substanceOf: [Int]
    /// The timeline's first day: dosing day `n` is `start + n`.
    let start: CivilDate
    /// Most breaches of one rule listed, each at its own times of day (`Limits.maxBreachesPerRule`).
    var maxBreachesPerRule = Limits.standard.maxBreachesPerRule
    var plan: Plan { simulator.plan }

    /// A breach seen on one or more days, with the same times.
    private struct Breach {
        var constraint: Int
        var a: DoseEvent
        var x: DoseEvent
        var dates: [CivilDate]
    }

    func verify() -> [Diagnostic] {
        let byItem = DosesByItem(events, itemCount: plan.items.count)
        var breaches: [BreachKey: Breach] = [:]
        var order: [BreachKey] = []
        // Where each item was written: the items one line makes share it.
        let lineOf = plan.items.map { Line(file: $0.span.file, offset: $0.span.offset) }
        // Breaches listed per rule, and those past the cap counted only: a rule broken at
        // hundreds of different times is said a few times and then "and N more".
        var listed = [Int](repeating: 0, count: constraints.count)
        var unlisted = [Int](repeating: 0, count: constraints.count)
        var skipped = Set<BreachKey>()
        // The doses of each constraint's other side, merged and in time order, shared by the
        // constraints that have the same other side: one binary search per dose.
        var merged: [String: [Int]] = [:]
        for (index, constraint) in constraints.enumerated() {
            if merged[constraint.secondKey] == nil {
                merged[constraint.secondKey] = constraint.second.flatMap { byItem[$0] }.sorted { events[$0].instant < events[$1].instant }
            }
            let others = merged[constraint.secondKey]!
            for item in constraint.first {
                for a in byItem[item].lazy.map({ events[$0] }) {
                    for x in partners(of: a, in: others, constraint).lazy.map({ events[$0] }) where substanceOf[x.item] != substanceOf[a.item] && !plan.inOneProduct(a.item, x.item) {
                        let difference = (a.instant - x.instant) / 60
                        guard constraint.breached(by: difference), !takenTogetherWithFood(a, x, constraint) else { continue }
                        // By the plan line, not the item: the doses of one line (a dose for other
                        // days, a step of a sequence) at the same times are one breach over all their days.
                        let key = BreachKey(constraint: index, aLine: lineOf[a.item], aSlot: a.slot, aMinutes: a.minutes,
                                            xLine: lineOf[x.item], xSlot: x.slot, xMinutes: x.minutes, days: x.day - a.day)
                        if breaches[key] == nil {
                            guard listed[index] < maxBreachesPerRule else {
                                if skipped.insert(key).inserted { unlisted[index] += 1 }
                                continue
                            }
                            listed[index] += 1
                            breaches[key] = Breach(constraint: index, a: a, x: x, dates: [])
                            order.append(key)
                        }
                        breaches[key]!.dates.append(a.date)
                    }
                }
            }
        }
        var found = order.map { breaches[$0]! }.map { ($0.constraint, diagnostic(for: $0, byItem)) }
        for (index, count) in unlisted.enumerated() where count > 0 {
            guard let last = found.lastIndex(where: { $0.0 == index }) else { continue }
            found[last].1.notes.append("and \(count) more \(count == 1 ? "time" : "times") of day this rule is broken, not listed (at most \(maxBreachesPerRule) are listed per rule)")
        }
        return found.map(\.1) + anchorBreaches(byItem)
    }

    /// True when a label allows the pair at one meal (`together with food`) and both doses are
    /// taken with the same meal, as the plan places them.
    private func takenTogetherWithFood(_ a: DoseEvent, _ x: DoseEvent, _ constraint: SpacingConstraint) -> Bool {
        guard case .knowledge(let interaction) = constraint.origin, interaction.togetherWithFood, a.instant == x.instant,
              !a.moved, !x.moved else { return false }
        func meal(_ event: DoseEvent) -> Anchor? {
            let slots = plan.items[event.item].schedule.slots
            guard event.slot < slots.count, case .anchor(let anchor, offset: 0) = slots[event.slot],
                  [.breakfast, .lunch, .dinner].contains(anchor) else { return nil }
            return anchor
        }
        return meal(a) != nil && meal(a) == meal(x)
    }

    /// The doses of the other item that could breach the rule with `a`, as numbers into `events`.
    private func partners(of a: DoseEvent, in candidates: [Int], _ constraint: SpacingConstraint) -> ArraySlice<Int> {
        if constraint.sameDayOnly {
            // The doses of the same dosing day lie within two days of each other in time.
            let from = firstIndex(in: candidates) { $0.instant >= a.instant - 2 * 86_400 }
            let to = firstIndex(in: candidates) { $0.instant > a.instant + 2 * 86_400 }
            return ArraySlice(candidates[from..<max(from, to)].filter { events[$0].day == a.day })
        }
        // d = (a − x) / 60 in (lower, upper)  ⇔  x in (a − upper·60, a − lower·60).
        let low = a.instant - (constraint.upper ?? 10_000_000) * 60, high = a.instant - (constraint.lower ?? -10_000_000) * 60
        let from = firstIndex(in: candidates) { $0.instant > low }
        let to = firstIndex(in: candidates) { $0.instant >= high }
        return candidates[from..<max(from, to)]
    }

    /// The first of the (time-ordered) doses that satisfies `predicate`, by binary search.
    private func firstIndex(in numbers: [Int], where predicate: (DoseEvent) -> Bool) -> Int {
        var low = 0, high = numbers.count
        while low < high {
            let mid = (low + high) / 2
            if predicate(events[numbers[mid]]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Where an item was written.
    private struct Line: Hashable {
        var file: FileID
        var offset: Int
    }

    /// One breach: a rule, and the two doses' lines, slots and times of day, and the days between them.
    private struct BreachKey: Hashable {
        var constraint: Int
        var aLine: Line, aSlot: Int, aMinutes: Int
        var xLine: Line, xSlot: Int, xMinutes: Int
        var days: Int
    }

    private func diagnostic(for breach: Breach, _ byItem: DosesByItem) -> Diagnostic {
        let constraint = constraints[breach.constraint]
        let (a, x) = (breach.a, breach.x)
        let aItem = plan.items[a.item], xItem = plan.items[x.item]
        let difference = (a.instant - x.instant) / 60
        let when = Self.datesText(Array(Set(breach.dates)).sorted())
        // The dates are the first dose's. A partner on another date is said with it ("at 09:00 the
        // next day"), or a bedtime dose before the next morning's would read as both on one date.
        let daysApart = x.date.dayNumber - a.date.dayNumber
        let message = daysApart == 0
            ? "\(aItem.name) at \(a.time) is \(Self.gapText(difference)) \(xItem.name) at \(x.time) \(when), but \(constraint.ruleOwner) says \(constraint.rule)"
            : "\(aItem.name) at \(a.time) \(when) is \(Self.gapText(difference)) \(xItem.name) at \(x.time) \(Self.dayOffsetText(daysApart)), but \(constraint.ruleOwner) says \(constraint.rule)"
        var notes: [String] = []
        let span: Span
        let code: DiagnosticCode
        switch constraint.origin {
        case .plan(_, let relationSpan):
            span = relationSpan
            code = .relationNotKept
        case .knowledge(let interaction):
            span = aItem.nameSpan
            code = .interactionSpacing
            var rule = "\(interaction.first) with \(interaction.second), \(interaction.severity.rawValue)"
            if let source = interaction.source { rule += ": \(source)" }
            if let place = interaction.span {
                let file = simulator.compilation.sources[place.file]
                rule += " (\(file.name):\(file.location(of: place.offset).line))"
            }
            notes.append(rule)
            if let why = interaction.why { notes.append("why: \(why)") }
        }
        let fix = smallestFix(constraint, a, x, difference, byItem)
        var diagnostic = Diagnostic(code, message, at: span, hint: fix.hint, notes: notes,
                                    subjects: Array(Set([aItem.substance, xItem.substance])).sorted(), severity: constraint.severity)
        diagnostic.timingFix = fix.move
        diagnostic.related = [RelatedSpan(xItem.nameSpan, "\(xItem.name) at \(x.time)")]
        return diagnostic
    }

    /// The smallest single move that ends the breach and that the plan allows: within the waking day,
    /// and a meal's or a part of the day's dose within its window (a dose at a clock time may change
    /// it), and that breaks the rule with no other dose of the other side. On a tie, the dose
    /// without a clock time moves. Said in words, and as data for an editor.
    private func smallestFix(_ constraint: SpacingConstraint, _ a: DoseEvent, _ x: DoseEvent, _ difference: Int,
                             _ byItem: DosesByItem) -> (hint: String, move: TimingFix?) {
        var options: [(minutes: Int, event: DoseEvent, later: Bool, fixed: Bool, firstSide: Bool)] = []
        let aFixed = plan.items[a.item].hasFixedTime, xFixed = plan.items[x.item].hasFixedTime
        if let upper = constraint.upper {
            options.append((upper - difference, a, true, aFixed, true))
            options.append((upper - difference, x, false, xFixed, false))
        }
        if let lower = constraint.lower {
            options.append((difference - lower, a, false, aFixed, true))
            options.append((difference - lower, x, true, xFixed, false))
        }
        // Arranging takes each kind of day alone: a breach between two dosing days of different kinds
        // (a weekend after a weekday, the morning after a night shift, a day in another time zone)
        // is not one it sees.
        let (dayA, dayX) = (start.adding(days: a.day), start.adding(days: x.day))
        let acrossKinds = a.day != x.day && (plan.patient.variantKey(on: dayA) != plan.patient.variantKey(on: dayX)
            || simulator.clock.zoneNumber(on: dayA) != simulator.clock.zoneNumber(on: dayX))
        // Doses every few hours keep elapsed time, so away from home they fall at other clock times
        // than the ones arranging works with.
        let elapsedAway = [a, x].contains { event in
            if case .everyMinutes = plan.items[event.item].schedule.frequency, !plan.items[event.item].schedule.whileAwake { return true }
            return false
        } && (simulator.clock.zoneNumber(on: dayA) != 0 || simulator.clock.zoneNumber(on: dayX) != 0)
        let arranging = !simulator.options.arrange ? ", or try `simulate --arrange`"
            : elapsedAway ? "; arranging places doses every few hours at their times at home, and in another time zone they keep elapsed time and fall elsewhere"
            : acrossKinds ? "; arranging takes each kind of day alone, and this breach is where \(min(dayA, dayX)) is followed by a day with other times"
            : "; arranging could not keep this rule on these days (R705 says why)"
        let inWindows = options.enumerated().filter { _, option in
            // The dose's own dosing day, which may have its own times (`on weekends: wake 09:00`).
            let simulator = simulator.on(start.adding(days: option.event.day))
            let wake = simulator.anchorMinutes(.wake), bed = simulator.anchorMinutes(.bed)
            let preferred = simulator.preferredSlotTimes()
            let time = dayMinutes(of: option.event) + (option.later ? option.minutes : -option.minutes)
            guard time >= wake, time <= bed else { return false }
            let item = plan.items[option.event.item], slot = option.event.slot
            let planned = slot < preferred[option.event.item].count ? preferred[option.event.item][slot] : option.event.minutes
            let (window, fixed, _) = simulator.doseWindow(item, slot: slot, preferred: planned)
            return fixed || window.contains(time)
        }
        // Smallest first; the other doses of the rule are looked at only until one move keeps it.
        let ordered = inWindows.sorted { ($0.element.minutes, $0.element.fixed ? 1 : 0, $0.offset) < ($1.element.minutes, $1.element.fixed ? 1 : 0, $1.offset) }
        let best = ordered.lazy.map(\.element).first { option in
            let minutes = dayMinutes(of: option.event) + (option.later ? option.minutes : -option.minutes)
            return keepsRule(constraint, moving: option.event, firstSide: option.firstSide, by: option.later ? option.minutes : -option.minutes, byItem)
                && keepsOnEveryDay(constraint, option.event, firstSide: option.firstSide, byItem) { _ in minutes }
        }
        guard let best else {
            guard let anchor = anotherAnchor(constraint, a, x, difference, byItem) else {
                return ("no single move within the doses' windows keeps this rule: change when one of them is taken" + arranging, nil)
            }
            return (anchor.words + arranging, anchor.move)
        }
        let time = ClockTime(minutes: best.event.minutes + (best.later ? best.minutes : -best.minutes))
        let hint = "the smallest fix: take \(plan.items[best.event.item].name) at \(time) (\(DurationText.minutes(best.minutes)) \(best.later ? "later" : "earlier"))\(arranging)"
        return (hint, TimingFix(item: plan.items[best.event.item].span, slot: best.event.slot, timing: .clock(time)))
    }

    /// When neither dose can move far enough within its window: the nearest other meal, or waking or
    /// bedtime, that a dose taken at a meal or a part of the day could move to for the rule to hold.
    private func anotherAnchor(_ constraint: SpacingConstraint, _ a: DoseEvent, _ x: DoseEvent, _ difference: Int,
                               _ byItem: DosesByItem) -> (words: String, move: TimingFix)? {
        func holds(_ d: Int) -> Bool { (constraint.upper.map { d >= $0 } ?? false) || (constraint.lower.map { d <= $0 } ?? false) }
        var best: (change: Int, words: String, move: TimingFix)?
        for (event, sign) in [(a, 1), (x, -1)] {
            let item = plan.items[event.item]
            guard !item.hasFixedTime, !item.schedule.defaultSlots, event.slot < item.schedule.slots.count else { continue }
            var current: Anchor?
            if case .anchor(let anchor, _) = item.schedule.slots[event.slot] { current = anchor }
            let day = simulator.on(start.adding(days: event.day))
            for anchor in Anchor.allCases where anchor != current {
                // The item's own timing limits (`30min before breakfast`) must still hold at the new anchor.
                let moved = day.anchorMinutes(anchor)
                let keepsLimits = item.schedule.anchorConstraints.allSatisfy { limit in
                    let other = day.anchorMinutes(limit.anchor)
                    switch limit.direction {
                    case .before: return moved <= other - limit.minutes
                    case .after: return moved >= other + limit.minutes
                    default: return true
                    }
                }
                guard keepsLimits else { continue }
                let change = day.anchorMinutes(anchor) - dayMinutes(of: event)
                guard holds(difference + sign * change), abs(change) < (best?.change ?? .max),
                      keepsRule(constraint, moving: event, firstSide: sign == 1, by: change, byItem),
                      keepsOnEveryDay(constraint, event, firstSide: sign == 1, byItem, at: { simulator.on(start.adding(days: $0.day)).anchorMinutes(anchor) })
                else { continue }
                let words = anchor == .wake ? "take \(item.name) on waking" : anchor == .bed ? "take \(item.name) at bedtime" : "move \(item.name) to \(anchor.rawValue)"
                best = (abs(change), words, TimingFix(item: item.span, slot: event.slot, timing: .anchor(anchor)))
            }
        }
        return best.map { ("neither dose can move far enough within its window; the nearest change of anchor: \($0.words)", $0.move) }
    }

    /// With days that have their own times (`on weekends: wake 09:00`), a fix moves the dose on every
    /// day, by a different amount on each kind of day: true when the rule still holds for each of
    /// the item's doses of that slot at its new time (`at`, in its dosing day's minutes).
    private func keepsOnEveryDay(_ constraint: SpacingConstraint, _ event: DoseEvent, firstSide: Bool, _ byItem: DosesByItem,
                                 at minutes: (DoseEvent) -> Int) -> Bool {
        guard !plan.patient.dayVariants.isEmpty else { return true }
        return byItem[event.item].lazy.map { events[$0] }.filter { $0.slot == event.slot }.allSatisfy { other in
            keepsRule(constraint, moving: other, firstSide: firstSide, by: minutes(other) - dayMinutes(of: other), byItem)
        }
    }

    /// True when `event`, moved by `shift` minutes, breaches `constraint` with none of the doses on
    /// the other side of it (on the days around): a move that ends one breach by starting another
    /// with the same item's next dose is no fix. `firstSide` says which side the event is on.
    private func keepsRule(_ constraint: SpacingConstraint, moving event: DoseEvent, firstSide: Bool, by shift: Int, _ byItem: DosesByItem) -> Bool {
        let instant = event.instant + shift * 60
        let others = (firstSide ? constraint.second : constraint.first).filter { substanceOf[$0] != substanceOf[event.item] }
        for item in others {
            let doses = byItem[item]
            // The doses are in time order: start at the first within two days before.
            var low = doses.startIndex, high = doses.endIndex
            while low < high {
                let mid = (low + high) / 2
                if events[doses[mid]].instant < instant - 2 * 86_400 { low = mid + 1 } else { high = mid }
            }
            for other in doses[low...].lazy.map({ events[$0] }) {
                if other.instant > instant + 2 * 86_400 { break }
                if constraint.sameDayOnly, other.day != event.day { continue }
                let difference = (firstSide ? instant - other.instant : other.instant - instant) / 60
                if constraint.breached(by: difference) { return false }
            }
        }
        return true
    }

    /// Doses that break a timing limit against the patient's day (`30min before breakfast`).
    private func anchorBreaches(_ byItem: DosesByItem) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (index, item) in plan.items.enumerated() {
            for limit in item.schedule.anchorConstraints where limit.direction != .with {
                var dates: [CivilDate] = []
                var example: (DoseEvent, Int)?
                for event in byItem[index].lazy.map({ events[$0] }) {
                    let minutes = dayMinutes(of: event)
                    let anchor = anchorMinutes(limit.anchor, on: event)
                    let held = limit.direction == .before ? minutes <= anchor - limit.minutes : minutes >= anchor + limit.minutes
                    if !held {
                        dates.append(event.date)
                        example = example ?? (event, anchor)
                    }
                }
                guard let (event, anchor) = example else { continue }
                // Both on the dosing day's count, so a dose or an anchor after midnight is not a day off.
                let gap = dayMinutes(of: event) - anchor
                diagnostics.append(Diagnostic(
                    .timingNotKept,
                    "\(item.name) at \(event.time) is \(Self.gapText(gap)) \(limit.anchor.phrase) at \(ClockTime(minutes: anchor)) \(Self.datesText(dates)), but the plan says at least \(DurationText.minutes(limit.minutes)) \(limit.direction.rawValue) \(limit.anchor.phrase)",
                    at: item.span, hint: "move the dose or the patient's \(limit.anchor.rawValue) time", subjects: [item.substance]))
            }
        }
        return diagnostics
    }

    /// An anchor's minutes on a dose's dosing day, which may have its own times (`on weekends: …`).
    private func anchorMinutes(_ anchor: Anchor, on event: DoseEvent) -> Int {
        plan.patient.dayVariants.isEmpty ? simulator.anchorMinutes(anchor) : simulator.on(start.adding(days: event.day)).anchorMinutes(anchor)
    }

    /// A dose's minutes on its dosing day, counted from the midnight before it starts: past 1440
    /// when the dose falls after midnight, as the anchors after midnight do.
    private func dayMinutes(of event: DoseEvent) -> Int {
        (event.date.dayNumber - start.dayNumber - event.day) * 1440 + event.minutes
    }

    /// "3 h after", "1 h 30 min before", "at the same time as".
    static func gapText(_ minutes: Int) -> String {
        if minutes == 0 { return "at the same time as" }
        return "\(DurationText.minutes(abs(minutes))) \(minutes > 0 ? "after" : "before")"
    }

    /// "the next day", "the day before", "2 days later".
    static func dayOffsetText(_ days: Int) -> String {
        switch days {
        case 1: "the next day"
        case -1: "the day before"
        default: days > 0 ? "\(days) days later" : "\(-days) days earlier"
        }
    }

    /// "on 2026-12-10", or "on 7 days from 2026-12-10 to 2026-12-16".
    static func datesText(_ dates: [CivilDate]) -> String {
        guard let first = dates.first, let last = dates.last else { return "" }
        return dates.count == 1 ? "on \(first)" : "on \(dates.count) days from \(first) to \(last)"
    }
}

/// Each item's doses as numbers into the timeline's events, in time order, all in one array:
/// an array per item would cost a large plan an allocation per item, and copies of the doses
/// themselves would cost it the cache.
struct DosesByItem {
    /// Item `i`'s doses are `numbers[offsets[i]..<offsets[i + 1]]`.
    private let offsets: [Int]
    private let numbers: [Int]

    init(_ events: [DoseEvent], itemCount: Int) {
        var offsets = [Int](repeating: 0, count: itemCount + 1)
        for event in events { offsets[event.item + 1] += 1 }
        for item in 0..<itemCount { offsets[item + 1] += offsets[item] }
        var next = offsets, numbers = [Int](repeating: 0, count: events.count)
        for (number, event) in events.enumerated() {
            numbers[next[event.item]] = number
            next[event.item] += 1
        }
        (self.offsets, self.numbers) = (offsets, numbers)
    }

    subscript(item: Int) -> ArraySlice<Int> { numbers[offsets[item]..<offsets[item + 1]] }
}

extension SpacingConstraint {
    /// Who states the rule, for messages.
    var ruleOwner: String {
        switch origin {
        case .plan: "the plan"
        case .knowledge(let interaction): interaction.source.map { "the \($0)" } ?? "the knowledge base"
        }
    }
}

extension PlanItem {
    /// True when every dose has a clock time written in the plan (`at 08:00`): such doses never move.
    var hasFixedTime: Bool {
        !schedule.slots.isEmpty && schedule.slots.allSatisfy { if case .clock = $0 { true } else { false } }
    }
}
