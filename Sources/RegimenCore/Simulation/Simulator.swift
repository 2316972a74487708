/// Expands a plan into a dated timeline in the patient's time zone, verifies every spacing
/// rule of the plan and the knowledge base on real clock times, and, when asked, arranges
/// the movable doses so that all of them hold.
public struct Simulator {
    let compilation: Compilation
    let options: SimulationOptions
    let clock: TravelClock
    let today: CivilDate
    var plan: Plan { compilation.plan }
    var knowledge: KnowledgeBase { compilation.knowledge }
    var diagnostics: [Diagnostic] = []
    /// The patient as of the dosing day being worked on: the usual day, or one with its own times
    /// (`on weekends: wake 09:00`). Anchored doses read their times from it.
    var dayPatient: Patient

    public init(_ compilation: Compilation, options: SimulationOptions = SimulationOptions(), today: CivilDate) {
        self.compilation = compilation
        self.options = options
        self.clock = TravelClock(home: compilation.plan.patient.timeZone, stays: compilation.plan.patient.zoneStays)
        self.today = today
        self.dayPatient = compilation.plan.patient
    }

    /// This simulator on the dosing day that starts on `date`: the same plan, that day's times.
    func on(_ date: CivilDate) -> Simulator {
        guard !plan.patient.dayVariants.isEmpty else { return self }
        var day = self
        day.dayPatient = plan.patient.on(date)
        return day
    }

    /// The preferred slot times of each day that differs (by its day lines), and which of them each
    /// day of the horizon is: days without a day line keep the usual times.
    func dayVariantTimes(start: CivilDate, days: Int) -> (ofDay: [Int], times: [[[Int]]]) {
        guard !plan.patient.dayVariants.isEmpty else { return ([], []) }
        var kinds: [[Int]: Int] = [[]: 0]
        var times: [[[Int]]] = [preferredSlotTimes()]
        var ofDay: [Int] = []
        for day in 0..<days {
            let date = start.adding(days: day)
            let key = plan.patient.variantKey(on: date)
            if kinds[key] == nil {
                kinds[key] = times.count
                times.append(on(date).preferredSlotTimes())
            }
            ofDay.append(kinds[key]!)
        }
        return (ofDay, times)
    }

    /// Simulates the plan: expand, (arrange,) verify, total.
    public static func run(_ compilation: Compilation, options: SimulationOptions = SimulationOptions(), today: CivilDate) -> Timeline {
        var simulator = Simulator(compilation, options: options, today: today)
        return simulator.run()
    }

    mutating func run() -> Timeline {
        let (start, days) = horizon()
        var slots = SlotPlan(preferred: preferredSlotTimes())
        (slots.variantOfDay, slots.variantTimes) = dayVariantTimes(start: start, days: days)
        let substances = SubstanceIndex(plan)
        let constraints = SpacingConstraint.build(plan: plan, substances: substances, knowledge: knowledge, sources: compilation.sources)
        var arrangement: [ArrangedDay] = []
        if options.arrange {
            var arranger = Arranger(simulator: self, constraints: constraints, start: start, days: days)
            let outcome = arranger.arrange(slots)
            diagnostics += outcome.diagnostics
            if let arranged = outcome.plan { slots = arranged }
            arrangement = outcome.days
        }
        let (expanded, amounts, reasons) = expand(start: start, days: days, slots: slots)
        var events = expanded
        var completeThrough: CivilDate?
        if events.count > options.maxEvents {
            events = Array(events.prefix(options.maxEvents))
            // The last dosing day is cut part way: the day before it is the last one whole.
            let complete = start.adding(days: max(0, (events.last?.day ?? 0) - 1))
            completeThrough = complete
            diagnostics.append(Diagnostic(.tooManyEvents, "the plan makes more than \(options.maxEvents) doses over \(days) days; the simulation stops there, and only the doses up to \(complete) are checked",
                                          at: nil, hint: "daily totals and counts after \(complete) are lower bounds; simulate fewer days with --days"))
        }
        let verifier = Verifier(simulator: self, constraints: constraints, events: events, substanceOf: substances.ofItem, start: start)
        diagnostics += verifier.verify()
        let totals = dailyTotals(events: events, amounts: amounts, substances: substances, start: start, days: days)
        var timeline = Timeline(start: start, days: days, timeZone: plan.patient.timeZone ?? clock.identifier, events: events,
                        amounts: amounts, reasons: reasons.texts, totals: totals, diagnostics: diagnostics, arranged: options.arrange,
                        completeThrough: completeThrough, substances: substances)
        timeline.arrangement = arrangement
        timeline.zoneStays = clock.stays.map(\.stay)
        timeline.constraints = constraints
        timeline.today = today
        return timeline
    }

    // MARK: Horizon

    /// The first day and the number of days: options first, then the plan's own course,
    /// capped at `maxDays`, 14 days when the plan is open-ended.
    mutating func horizon() -> (CivilDate, Int) {
        let starts = plan.blocks.compactMap(\.start) + plan.items.compactMap(\.course.startDate)
        let start = options.start ?? starts.min() ?? today
        if let days = options.days { return (start, min(days, options.maxDays)) }
        var end: CivilDate?
        for block in plan.blocks {
            let blockStart = block.start ?? start
            if let duration = block.durationDays { end = max(end ?? blockStart, blockStart.adding(days: duration - 1)) }
            if let until = block.until { end = max(end ?? until, until) }
        }
        for index in plan.items.indices {
            if let range = itemRange(index, horizonStart: start), let last = range.last, range.isBounded { end = max(end ?? last, last) }
        }
        guard let end, end >= start else { return (start, 14) }
        let days = end.dayNumber - start.dayNumber + 1
        if days > options.maxDays {
            diagnostics.append(Diagnostic(.horizonCapped, "the plan runs \(days) days; the simulation covers the first \(options.maxDays)",
                                          at: nil, hint: "use --start and --days to look at a later part"))
            return (start, options.maxDays)
        }
        return (start, days)
    }

    /// The first day of an item's course (its treatment cycles count from it), as the simulation reads it.
    public static func courseStart(ofItem index: Int, _ compilation: Compilation, horizonStart: CivilDate) -> CivilDate? {
        Simulator(compilation, today: horizonStart).itemRange(index, horizonStart: horizonStart)?.first
    }

    /// An item's first day and the last day of its course or plan block (nil: no end is set), as
    /// the plan says them, whatever span of days is simulated; and its plan block's own (the
    /// simulation's start with no end, for an item outside any block).
    public static func courseRange(ofItem index: Int, _ compilation: Compilation, horizonStart: CivilDate)
        -> (first: CivilDate, last: CivilDate?, blockFirst: CivilDate, blockLast: CivilDate?)? {
        Simulator(compilation, today: horizonStart).itemRange(index, horizonStart: horizonStart).map {
            ($0.first, $0.last, $0.blockFirst, $0.blockLast)
        }
    }

    /// The dates an item is taken on, from its course and its plan block.
    func itemRange(_ index: Int, horizonStart: CivilDate) -> ItemRange? {
        // The fields it needs, not a copy of the whole item (with its strings and arrays to count
        // references to): a large plan asks this of every item several times.
        let items = plan.items
        return itemRange(course: items[index].course, blockName: items[index].plan, frequency: items[index].schedule.frequency, horizonStart: horizonStart)
    }

    /// The dates an item would be taken on: one that is not among the plan's items (a held item, whose
    /// order on hold still states its course).
    func itemRange(of item: PlanItem, horizonStart: CivilDate) -> ItemRange? {
        itemRange(course: item.course, blockName: item.plan, frequency: item.schedule.frequency, horizonStart: horizonStart)
    }

    private func itemRange(course: Course, blockName: String, frequency: Frequency, horizonStart: CivilDate) -> ItemRange? {
        let block = blockName.isEmpty ? nil : plan.blocks.first { $0.name == blockName }
        let blockStart = block?.start ?? horizonStart
        let first = course.startDate ?? course.startDay.map { blockStart.adding(days: $0 - 1) } ?? blockStart
        // The earliest of the course's and the block's ends, if any.
        var end: CivilDate?
        func ends(on date: CivilDate) { end = min(end ?? date, date) }
        if let duration = course.durationDays { ends(on: first.adding(days: duration - 1)) }
        if let months = course.durationMonths { ends(on: first.adding(months: months).adding(days: -1)) }
        if let until = course.until { ends(on: until) }
        var blockEnd: CivilDate?
        if let block {
            if let duration = block.durationDays { blockEnd = blockStart.adding(days: duration - 1) }
            if let until = block.until { blockEnd = min(blockEnd ?? until, until) }
        }
        if let blockEnd { ends(on: blockEnd) }
        if case .once(let day) = frequency {
            // A single dose after its course ends is never taken (the checks say so).
            let date = first.adding(days: day - 1)
            return ItemRange(first: date, last: min(date, end ?? date), isBounded: true, courseEnd: end, blockFirst: blockStart, blockLast: blockEnd)
        }
        return ItemRange(first: first, last: end, isBounded: end != nil, courseEnd: end, blockFirst: blockStart, blockLast: blockEnd)
    }

    // MARK: Slots

    /// Each item's preferred minutes for each slot, from the patient's day (may run past midnight).
    func preferredSlotTimes() -> [[Int]] {
        let items = plan.items
        return items.indices.map { items[$0].schedule.slots.map(minutes(of:)) }
    }

    func minutes(of slot: Slot) -> Int {
        switch slot {
        case .clock(let time): time.minutes
        case .anchor(let anchor, let offset): anchorMinutes(anchor) + offset
        case .period(let period): dayPatient.dayMinutes(period)
        }
    }

    /// An anchor's minutes on its dosing day, counted from the midnight before waking: an anchor
    /// after midnight (a bedtime, a night shift's lunch) counts past 1440, in the same dosing day.
    func anchorMinutes(_ anchor: Anchor) -> Int { dayPatient.dayMinutes(anchor) }

    /// The reason shown beside a dose placed where the plan put it.
    func reason(_ item: PlanItem, slot: Int) -> String {
        if case .everyMinutes(let interval) = item.schedule.frequency {
            return "every \(DurationText.minutes(interval))" + (item.schedule.whileAwake ? " while awake" : " (elapsed time)")
        }
        guard slot < item.schedule.slots.count else { return "" }
        let prefix = item.schedule.defaultSlots ? "default: " : ""
        switch item.schedule.slots[slot] {
        case .clock(let time): return "at \(time)"
        case .anchor(let anchor, 0):
            switch anchor {
            case .wake: return prefix + "on waking"
            case .bed: return prefix + "at bedtime"
            default: return prefix + "with \(anchor.rawValue)"
            }
        case .anchor(let anchor, let offset):
            return "\(DurationText.minutes(abs(offset))) \(offset < 0 ? "before" : "after") \(anchor.phrase)"
        case .period(let period):
            return period.phrase
        }
    }

    // MARK: Expansion

    /// All dose events over the horizon, in time order, with how much each is and why it is at its time.
    mutating func expand(start: CivilDate, days: Int, slots: SlotPlan) -> ([DoseEvent], [DoseAmount], ReasonTable) {
        var events: [DoseEvent] = []
        var amounts: [DoseAmount] = [], reasons = ReasonTable()
        var reportedShifts = Set<String>()
        // Many doses share a date and a clock time; the time zone is asked once for each.
        // (One table per zone: a stay elsewhere gives the same date and time another instant.)
        var instants = [[Int: (instant: Int, shift: Int)]](repeating: [:], count: clock.stays.count + 1)
        let horizonEnd = start.adding(days: days - 1)
        for (index, item) in plan.items.enumerated() {
            guard let range = itemRange(index, horizonStart: start) else { continue }
            let itemFirstEvent = events.count
            let first = max(range.first, start)
            let last = min(range.last ?? horizonEnd, horizonEnd)
            guard first <= last else { continue }
            let times = slots.preferred[index]
            // The item's amounts, one per titration step, are each worked out once, when a dose first
            // needs it: a titration may have a thousand steps, and a short horizon reaches a few.
            let stepDoses = item.titration.map { $0.steps(from: item.dose) } ?? [item.dose]
            var amountOfStep = [Int32](repeating: -1, count: stepDoses.count)
            func amountNumber(on date: CivilDate) -> Int32 {
                let step = min(titrationStep(date, item: item, itemStart: range.first), stepDoses.count - 1)
                if amountOfStep[step] < 0 {
                    amountOfStep[step] = Int32(amounts.count)
                    let dose = stepDoses[step]
                    amounts.append(DoseAmount(dose: dose, activeMilligrams: item.activeMilligrams.map { $0 * dose.base / item.dose.base }))
                }
                return amountOfStep[step]
            }
            // Why a dose is at its time reads the same every day: each slot is worded once, not once per dose.
            let usualReasons = (0..<max(item.schedule.slots.count, 1)).map { reasons.number(of: reason(item, slot: $0)) }
            func usualReason(_ slot: Int) -> Int32 {
                if case .everyMinutes = item.schedule.frequency { return usualReasons[0] }
                return slot < usualReasons.count ? usualReasons[slot] : reasons.number(of: "")
            }
            func add(date: CivilDate, day: Int, slot: Int, minutes: Int, instantOverride: Int? = nil) {
                var (instant, shift) = (instantOverride ?? 0, 0)
                // A dosing day's doses are at its zone's local times (a stay elsewhere has its own).
                let zoneNumber = clock.stays.isEmpty ? 0 : clock.zoneNumber(on: date)
                let zone = zoneNumber == 0 ? clock.home : clock.stays[zoneNumber - 1].clock
                if instantOverride == nil {
                    // A slot past midnight falls on the next calendar date.
                    let dayShift = ZoneRules.floorDiv(minutes, 1440)
                    let key = (date.dayNumber + dayShift) * 1440 + minutes - dayShift * 1440
                    if let known = instants[zoneNumber][key] {
                        (instant, shift) = known
                    } else {
                        (instant, shift) = zone.instant(date: date.adding(days: dayShift), minutes: minutes - dayShift * 1440)
                        instants[zoneNumber][key] = (instant, shift)
                    }
                    if shift > 0 { reportShift(item, date.adding(days: dayShift), minutes - dayShift * 1440, shift, zone.identifier, &reportedShifts) }
                }
                let local = zone.local(instant)
                let moved = slots.reason(item: index, day: day, slot: slot)
                var reason = moved.map { reasons.number(of: $0) } ?? usualReason(slot)
                if shift > 0 { reason = reasons.number(of: reasons.texts[Int(reason)] + " (moved \(shift) min: clocks went forward)") }
                events.append(DoseEvent(item: index, day: day, slot: slot, date: local.date, minutes: local.minutes, instant: instant,
                                        amountNumber: amountNumber(on: date), reasonNumber: reason, moved: moved != nil))
            }
            switch item.schedule.frequency {
            case .asNeeded:
                continue
            case .everyMinutes(let interval) where item.schedule.whileAwake:
                // `every 4h while awake`: each dosing day starts again at waking (or the first time
                // given) and stops at bedtime; no dose wakes the patient.
                var date = first
                while date <= last, events.count <= options.maxEvents {
                    let day = on(date)
                    let from = slots.times(item: index, day: date.dayNumber - start.dayNumber).first ?? day.anchorMinutes(.wake)
                    let bed = day.anchorMinutes(.bed)
                    var minutes = from, slot = 0
                    while minutes <= bed, !held(index, on: date, horizonStart: start) {
                        add(date: date, day: date.dayNumber - start.dayNumber, slot: slot, minutes: minutes)
                        minutes += interval
                        slot += 1
                    }
                    date = date.adding(days: 1)
                }
            case .everyMinutes(let interval):
                // Elapsed time: every dose is exactly `interval` after the one before, whatever the clock does.
                let firstMinutes = times.first ?? on(range.first).anchorMinutes(.breakfast)
                var instant = clock.instant(date: range.first, minutes: firstMinutes).instant
                let stop = clock.instant(date: last.adding(days: 1), minutes: 0).instant
                var k = 0
                while instant < stop, events.count <= options.maxEvents {
                    // The dose's dosing day: its local date, or with stays elsewhere the day it falls in there.
                    let date = clock.dosingDate(of: instant)
                    if date >= first, !held(index, on: date, horizonStart: start) {
                        add(date: date, day: 0, slot: 0, minutes: 0, instantOverride: instant)
                        events[events.count - 1].day = date.dayNumber - start.dayNumber
                        events[events.count - 1].slot = k % max(1, 1440 / interval)
                    }
                    instant += interval * 60
                    k += 1
                }
            default:
                var date = first
                while date <= last, events.count <= options.maxEvents {
                    if takes(item.schedule.frequency, on: date, itemStart: range.first), !held(index, on: date, horizonStart: start) {
                        for (slot, minutes) in slots.times(item: index, day: date.dayNumber - start.dayNumber).enumerated() {
                            add(date: date, day: date.dayNumber - start.dayNumber, slot: slot, minutes: minutes)
                        }
                    }
                    date = date.adding(days: 1)
                }
            }
            // `x 10 doses`: the course ends with its last dose (counted from the item's first day;
            // the item's doses were made in time order).
            if let count = item.course.doseCount {
                let taken = itemDosesBefore(index, range: range, horizonStart: start)
                let allowed = max(0, count - taken)
                if events.count - itemFirstEvent > allowed { events.removeSubrange((itemFirstEvent + allowed)...) }
            }
        }
        // Sorting moves a 16-byte key per dose rather than the 40-byte doses themselves: the
        // instant, then item, slot and place in `events` packed in one number, each part in as
        // many bits as it needs. They fit in 63: the items and clock times of a 16 MB file (a few
        // bytes each) number at most 42 bits together, and the simulation stops at about
        // `maxEvents` doses (2 million, 21 bits).
        let bits = { (count: Int) in Int.bitWidth - count.leadingZeroBitCount }
        let indexBits = bits(events.count), slotBits = bits(events.lazy.map(\.slot).max() ?? 0)
        var order = events.indices.map { (events[$0].instant, (events[$0].item << slotBits | events[$0].slot) << indexBits | $0) }
        order.sort { $0 < $1 }
        return (order.map { events[$0.1 & (1 << indexBits - 1)] }, amounts, reasons)
    }

    /// Whether item `index` has a scheduled dose on the date (doses as needed are never known to).
    func givenOn(_ index: Int, _ date: CivilDate, horizonStart: CivilDate) -> Bool {
        guard let range = itemRange(index, horizonStart: horizonStart), date >= range.first, date <= (range.last ?? date) else { return false }
        switch plan.items[index].schedule.frequency {
        case .asNeeded: return false
        case .everyMinutes: return true
        case let frequency: return takes(frequency, on: date, itemStart: range.first) && onCycle(index, date, itemStart: range.first)
        }
    }

    /// `on days 1-5 of each 28-day cycle`: whether the date is one of the item's cycle days (always,
    /// without a cycle).
    func onCycle(_ index: Int, _ date: CivilDate, itemStart: CivilDate) -> Bool {
        plan.items[index].course.cycle?.includes(date, itemStart: itemStart) ?? true
    }

    /// `hold during X`: whether item `index` is held on the date because an item of X is given then.
    func held(_ index: Int, on date: CivilDate, horizonStart: CivilDate) -> Bool {
        // A day off in a treatment cycle is no dosing day either.
        if plan.items[index].course.cycle != nil, let range = itemRange(index, horizonStart: horizonStart),
           !onCycle(index, date, itemStart: range.first) { return true }
        let holds = plan.items[index].holdDuring
        guard !holds.isEmpty else { return false }
        return plan.items.indices.contains { $0 != index && holds.contains(plan.items[$0].substance) && givenOn($0, date, horizonStart: horizonStart) }
    }

    /// Whether a frequency doses on a date.
    func takes(_ frequency: Frequency, on date: CivilDate, itemStart: CivilDate) -> Bool {
        switch frequency {
        case .timesDaily: true
        case .everyDays(let k): (date.dayNumber - itemStart.dayNumber) % k == 0
        case .weekdays(let days): days.contains(date.weekday)
        case .everyMonths(let k): Self.isMonthly(date, every: k, from: itemStart)
        case .timesWeekly(let n):
            // Spread evenly over each week from the first day: twice weekly is days 1 and 4.
            date >= itemStart && Self.weekOffsets(n).contains((date.dayNumber - itemStart.dayNumber) % 7)
        case .once: date == itemStart
        case .everyMinutes, .asNeeded: false
        }
    }

    /// How many doses an item took before the simulated horizon began, for a course counted in doses.
    func itemDosesBefore(_ index: Int, range: ItemRange, horizonStart: CivilDate) -> Int {
        guard range.first < horizonStart, let limit = plan.items[index].course.doseCount else { return 0 }
        let item = plan.items[index]
        let days = horizonStart.dayNumber - range.first.dayNumber
        if case .everyMinutes(let interval) = item.schedule.frequency { return min(limit, days * 1440 / max(1, interval)) }
        let perDay = max(1, item.schedule.slots.count)
        var taken = 0, day = 0
        while day < days, taken < limit {
            let date = range.first.adding(days: day)
            if takes(item.schedule.frequency, on: date, itemStart: range.first), onCycle(index, date, itemStart: range.first) { taken += perDay }
            day += 1
        }
        return taken
    }

    /// True on the dates `k`, `2k`, … calendar months after `start` (a shorter month's last day
    /// when the start's day is past its end).
    static func isMonthly(_ date: CivilDate, every k: Int, from start: CivilDate) -> Bool {
        guard date >= start else { return false }
        let months = start.months(until: date)
        return months % k == 0 && start.adding(months: months) == date
    }

    /// The days of each week, from 0, that `n` doses a week fall on: spread as evenly as whole days allow.
    static func weekOffsets(_ n: Int) -> [Int] {
        (0..<max(1, min(7, n))).map { ($0 * 7) / max(1, min(7, n)) }
    }

    /// The titration step reached on a date, from 0 (the last step holds once reached); 0 without a titration.
    func titrationStep(_ date: CivilDate, item: PlanItem, itemStart: CivilDate) -> Int {
        guard let titration = item.titration else { return 0 }
        return max(0, (date.dayNumber - itemStart.dayNumber) / titration.intervalDays)
    }

    private mutating func reportShift(_ item: PlanItem, _ date: CivilDate, _ minutes: Int, _ shift: Int, _ zone: String, _ reported: inout Set<String>) {
        let key = "\(date)-\(minutes)"
        guard reported.insert(key).inserted else { return }
        diagnostics.append(Diagnostic(
            .nonexistentTime, "\(ClockTime(minutes: minutes)) does not exist on \(date) in \(zone): the clocks go forward, so the dose moves \(shift) min later",
            at: item.nameSpan, subjects: [item.substance]))
    }

    // MARK: Totals

    /// Each dosing day's total per substance taken by mouth (topical and IV doses do not count
    /// toward oral intake limits), with as-needed items at their most per day. A dose after
    /// midnight counts toward the day it belongs to, as the patient lives it.
    func dailyTotals(events: [DoseEvent], amounts: [DoseAmount], substances: SubstanceIndex, start: CivilDate, days: Int) -> [DailyTotal] {
        // Each (day, substance) sum has a number, day major, so the sums sort by day and then by
        // name; only the days and substances that have doses take room. What each dose needs of
        // its item is read from small per-item arrays, not from the items themselves.
        let (names, substanceOf) = (substances.names, substances.ofItem)
        let counts = plan.items.map(\.route.countsTowardIntake), supervised = plan.items.map(\.supervised)
        var sums: [Int: DaySum] = [:]
        func add(_ sum: DaySum, substance: Int, day: Int) {
            guard day >= 0, day < days else { return }
            sums[day * names.count + substance, default: DaySum()].add(sum)
        }
        // The doses come in time order, so their days mostly come in order too: a day's sums are kept
        // per substance in a small array and go into the table when the day ends, one entry per
        // substance and day rather than one lookup per dose. (Out of order, they would still add up.)
        var ofDay = [DaySum?](repeating: nil, count: names.count), taken: [Int] = [], day = Int.min
        func endDay() {
            for substance in taken { add(ofDay[substance]!, substance: substance, day: day) }
            for substance in taken { ofDay[substance] = nil }
            taken.removeAll(keepingCapacity: true)
        }
        for event in events {
            guard counts[event.item], let mg = amounts[Int(event.amountNumber)].activeMilligrams else { continue }
            let eventDay = event.day, substance = substanceOf[event.item]
            if eventDay != day { endDay(); day = eventDay }
            if ofDay[substance] == nil {
                ofDay[substance] = DaySum()
                taken.append(substance)
            }
            ofDay[substance]!.add(DaySum(mg: mg, supervised: supervised[event.item]))
        }
        endDay()
        for (index, item) in plan.items.enumerated() where item.schedule.frequency == .asNeeded && item.route.countsTowardIntake {
            guard let mg = item.activeMilligrams, let range = itemRange(index, horizonStart: start) else { continue }
            // At most what the plan allows: its stated maximum, or as many as the shortest interval fits in a day.
            let fitting = item.schedule.asNeededInterval.map { 1440 / max(1, $0) }
            let most = Double(item.schedule.maxPerDay ?? fitting ?? 1)
            for day in 0..<days {
                let date = start.adding(days: day)
                guard date >= range.first, date <= (range.last ?? date) else { continue }
                add(DaySum(mg: mg * most, asNeeded: true, supervised: item.supervised), substance: substanceOf[index], day: day)
            }
        }
        let limits = names.map { knowledge.upperLimit(of: $0, for: plan.patient) }
        let iuFactors = names.map { knowledge.substances[$0]?.mcgPerIU }
        return sums.sorted { $0.key < $1.key }.map { cell, sum in
            let (day, substance) = cell.quotientAndRemainder(dividingBy: names.count)
            let amount = iuFactors[substance].map { Quantity(sum.mg * 1000 / $0, "IU") } ?? Quantity(base: sum.mg, dimension: .mass)
            return DailyTotal(date: start.adding(days: day), substance: names[substance], amount: amount, limit: limits[substance],
                              includesAsNeeded: sum.asNeeded, supervised: sum.supervised)
        }
    }
}

/// One substance's intake on one day, while the daily totals are summed.
private struct DaySum {
    var mg = 0.0
    var asNeeded = false
    var supervised = false

    mutating func add(_ other: DaySum) {
        mg += other.mg
        asNeeded = asNeeded || other.asNeeded
        supervised = supervised || other.supervised
    }
}

/// The dates of an item's course.
struct ItemRange {
    var first: CivilDate
    var last: CivilDate?
    var isBounded: Bool
    /// The end of the item's course or plan block, when it has one.
    var courseEnd: CivilDate?
    /// The item's plan block's first and last day (the horizon's start with no end, outside any block).
    var blockFirst: CivilDate
    var blockLast: CivilDate?
}

extension Route {
    /// Routes that count toward oral intake limits (the UL is for supplements by mouth).
    var countsTowardIntake: Bool { self == .oral || self == .sublingual }
}

extension KnowledgeBase {
    /// The upper limit for a patient: supplemental UL where the knowledge base has one, else the total UL,
    /// matched by age, sex, pregnancy and lactation; the most specific one wins.
    public func upperLimit(of substance: String, for patient: Patient) -> Limit? {
        guard let limits = substances[substance]?.limits else { return nil }
        func applies(_ limit: Limit) -> Bool {
            if let sex = limit.sex, sex != patient.sex { return false }
            if limit.pregnancy != patient.conditions.contains("pregnancy") && limit.pregnancy { return false }
            if limit.lactation != patient.conditions.contains("lactation") && limit.lactation { return false }
            guard let age = patient.age else { return limit.minAge == nil || limit.minAge! >= 9 }
            return limit.covers(age: age)
        }
        for kind in [Limit.Kind.supplemental, .upper] {
            let matching = limits.filter { $0.kind == kind && applies($0) }
            if let best = matching.max(by: { specificity($0) < specificity($1) }) { return best }
        }
        return nil
    }

    /// The reference intake (RDA) for a patient, matched the same way.
    public func recommendedIntake(of substance: String, for patient: Patient) -> Limit? {
        guard let limits = substances[substance]?.limits, let age = patient.age else { return nil }
        let matching = limits.filter { limit in
            limit.kind == .rda && (limit.sex == nil || limit.sex == patient.sex)
                && limit.covers(age: age)
                && (!limit.pregnancy || patient.conditions.contains("pregnancy"))
                && (!limit.lactation || patient.conditions.contains("lactation"))
        }
        return matching.max { specificity($0) < specificity($1) }
    }

    func specificity(_ limit: Limit) -> Int {
        (limit.sex == nil ? 0 : 1) + (limit.pregnancy || limit.lactation ? 2 : 0)
    }
}

extension Limit {
    /// True when the limit's ages include `age` (in years). Whole-year bounds read as the
    /// reference tables write them: `19 to 50` runs through the 50th year, so up to 51. A bound
    /// in part-years is exact: `0 to 0.5` is birth to six months, `0.5 to 1` seven to twelve months.
    func covers(age: Double) -> Bool {
        if let min = minAge, age < min { return false }
        guard let max = maxAge else { return true }
        let wholeYears = max == max.rounded() && (minAge ?? 0) == (minAge ?? 0).rounded()
        return age < (wholeYears ? max + 1 : max)
    }
}

/// Durations in words for schedules and messages.
enum DurationText {
    static func minutes(_ minutes: Int) -> String {
        if minutes % 60 == 0, minutes > 0 { return "\(minutes / 60) h" }
        if minutes > 60 { return "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes) min"
    }
}
