@testable import RegimenCore
import Testing
import TestSupport

@Suite struct ZoneClockTests {
    let berlin = ZoneClock(identifier: "Europe/Berlin")

    @Test func ordinaryTimeRoundTrips() {
        let date = CivilDate(year: 2026, month: 12, day: 1)!
        let (instant, shift) = berlin.instant(date: date, minutes: 22 * 60 + 30)
        #expect(shift == 0)
        #expect(instant == 1_796_160_600) // 2026-12-01T21:30:00Z, as Python computes it
        #expect(berlin.local(instant).date == date && berlin.local(instant).minutes == 1350)
    }

    @Test func missingTimeMovesForward() {
        let (instant, shift) = berlin.instant(date: CivilDate(year: 2027, month: 3, day: 28)!, minutes: 150)
        #expect(shift == 60)
        #expect(berlin.local(instant).minutes == 210) // 03:30
    }

    @Test func repeatedTimeTakesTheFirst() {
        let (instant, shift) = berlin.instant(date: CivilDate(year: 2027, month: 10, day: 31)!, minutes: 150)
        #expect(shift == 0)
        #expect(berlin.offset(at: instant) == 7200, "the first 02:30 is still summer time")
    }
}

@Suite struct SimulatorTests {
    private func simulate(_ text: String, _ options: SimulationOptions = SimulationOptions()) -> (Compilation, Timeline) {
        let compilation = compile(text)
        #expect(!compilation.hasErrors, "\(compilation.diagnostics.map(\.message))")
        return (compilation, Simulator.run(compilation, options: options, today: testToday))
    }

    @Test func openEndedPlansSimulateFourteenDays() {
        let (_, timeline) = simulate("patient:\n  timezone \"UTC\"\nplan \"x\" from 2026-12-01:\n  zinc 10mg daily\n")
        #expect(timeline.days == 14)
        #expect(timeline.events.count == 14)
    }

    @Test func longCoursesAreCappedWithANote() {
        let (_, timeline) = simulate("patient:\n  timezone \"UTC\"\nplan \"x\" from 2026-12-01 for 400 days:\n  zinc 10mg daily\n")
        #expect(timeline.days == 365)
        #expect(timeline.diagnostics.map(\.code.id) == ["R706"])
    }

    @Test func eventLimit() {
        var options = SimulationOptions(days: 30)
        options.maxEvents = 10
        let (_, timeline) = simulate("patient:\n  timezone \"UTC\"\nzinc 10mg daily\n", options)
        #expect(timeline.events.count == 10)
        #expect(timeline.diagnostics.map(\.code.id) == ["R606"])
    }

    /// Clock times may continue over many lines: an item with more slots than 16 bits can count
    /// still simulates, each dose with its own slot.
    @Test func anItemWithFortyThousandClockTimes() {
        let day = (0..<1440).map { String(format: "%02d:%02d", $0 / 60, $0 % 60) }.joined(separator: ", ")
        let times = Array(repeating: day, count: 28).joined(separator: ",\n    ")
        let (_, timeline) = simulate("patient:\n  timezone \"UTC\"\nzinc 1mg at \(times)\n", SimulationOptions(days: 1))
        #expect(timeline.events.count == 1440 * 28)
        #expect(timeline.events.map(\.slot).max() == 1440 * 28 - 1)
    }

    @Test func arrangingStopsAtTwoHundredDosesADay() {
        let items = (0..<210).map { _ in "  vitamin b12 10mcg daily" }.joined(separator: "\n")
        let (_, timeline) = simulate("patient:\n  timezone \"UTC\"\nplan \"x\" from 2026-12-01 for 1 day:\n" + items + "\n",
                                     SimulationOptions(arrange: true))
        #expect(timeline.diagnostics.contains { $0.code.id == "R705" && $0.message.contains("at most 200 a day") })
    }

    @Test func topicalAndIntravenousDosesStayOutOfOralTotals() {
        let (_, timeline) = simulate("""
        patient:
          age 40
          timezone "UTC"
        plan "x" from 2026-12-01 for 1 day:
          magnesium glycinate 200mg daily
          epsom salt bath 2 cups topical daily
          magnesium sulfate 2g iv once

        """)
        #expect(timeline.totals.map(\.amount.description) == ["200 mg"])
        #expect(timeline.totals.first?.limit?.amount.base == 350)
    }

    @Test func spacingAcrossMidnightIsMeasuredOnElapsedTime() {
        let (_, timeline) = simulate("""
        patient:
          wake 05:00, bed 01:30
          timezone "UTC"
        plan "x" from 2026-12-01 for 2 days:
          levothyroxine 75mcg daily on waking
          magnesium glycinate 300mg nightly

        """)
        #expect(timeline.diagnostics.map(\.code.id) == ["R702"])
        #expect(timeline.diagnostics.first?.message.contains("3 h 30 min before levothyroxine") == true)
    }

    /// A night shift (issue #13): the dosing day starts at waking and runs past midnight, so lunch
    /// at 01:00 is on the next calendar date, 5 h 30 min after waking; the plan starts with the
    /// waking dose, and each daily item has exactly one dose a day, none lost at the end.
    @Test(arguments: [1, 3, 10])
    func aNightShiftDayStartsAtWaking(_ days: Int) {
        let (compilation, timeline) = simulate("""
        patient:
          wake 19:30, breakfast 20:00, lunch 01:00, dinner 06:30, bed 08:00
          timezone "Europe/Berlin"
        plan "night shift" from 2026-12-01:
          levothyroxine 75mcg daily on waking, 30min before breakfast
          magnesium glycinate 300mg daily with lunch, 4h after levothyroxine
          vitamin d3 2000 IU daily with dinner
          calcium carbonate 500mg daily at bedtime

        """, SimulationOptions(days: days))
        let start = CivilDate(year: 2026, month: 12, day: 1)!
        #expect(timeline.diagnostics.isEmpty, "\(timeline.diagnostics.map(\.message))")
        let first = timeline.events.first
        #expect(first.map { compilation.plan.items[$0.item].substance } == "levothyroxine")
        #expect(first?.date == start && first?.time == ClockTime(19, 30))
        let name = { (event: DoseEvent) in compilation.plan.items[event.item].substance }
        for (waking, lunch) in zip(timeline.events.filter { name($0) == "levothyroxine" }, timeline.events.filter { name($0) == "magnesium" }) {
            #expect(lunch.day == waking.day)
            #expect(lunch.date == waking.date.adding(days: 1) && lunch.time == ClockTime(1, 0))
            #expect(lunch.instant - waking.instant == 5 * 3600 + 30 * 60)
        }
        for item in compilation.plan.items.indices {
            #expect(timeline.events.count { $0.item == item } == days, "\(compilation.plan.items[item].name)")
        }
        #expect(timeline.events.allSatisfy { $0.date == timeline.dosingDate(of: $0) || $0.date == timeline.dosingDate(of: $0).adding(days: 1) })
    }

    /// A date is stored as its day number: every day of the calendar's years reads back as the
    /// year, month and day it was made from, one day after the one before.
    @Test func datesRoundTripThroughTheirDayNumbers() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1)!.dayNumber == 11_017)
        #expect(CivilDate(year: 2026, month: 11, day: 22)!.weekday == 6)
        var previous = CivilDate(year: 1, month: 1, day: 1)!
        #expect(previous.description == "0001-01-01")
        var mismatches = 0
        for number in (previous.dayNumber + 1)...CivilDate(year: 9999, month: 12, day: 31)!.dayNumber {
            let date = CivilDate(dayNumber: number)
            let next = previous.day < CivilDate.daysIn(month: previous.month, year: previous.year)
                ? (previous.year, previous.month, previous.day + 1)
                : previous.month < 12 ? (previous.year, previous.month + 1, 1) : (previous.year + 1, 1, 1)
            if (date.year, date.month, date.day) != next || CivilDate(year: next.0, month: next.1, day: next.2) != date {
                mismatches += 1
            }
            previous = date
        }
        #expect(mismatches == 0)
        #expect(previous.description == "9999-12-31")
        #expect(CivilDate(parsing: "2028-02-29")?.adding(days: 1) == CivilDate(year: 2028, month: 3, day: 1))
    }

    /// Generated plans: after arranging, every rule holds unless a conflict is named; doses lie
    /// inside their courses; totals are the sums of each dosing day's doses.
    @Test(arguments: 0..<40)
    func generatedPlans(_ seed: Int) {
        var random = SeededRandom(seed: UInt64(seed) &+ 1)
        let text = GeneratedPlan.make(&random)
        let compilation = compile(text)
        #expect(!compilation.hasErrors, "generated plan does not compile:\n\(text)")
        guard !compilation.hasErrors else { return }
        let timeline = Simulator.run(compilation, options: SimulationOptions(days: 10, arrange: true), today: testToday)
        let codes = Set(timeline.diagnostics.map(\.code.id))
        if !codes.contains("R705") {
            #expect(codes.isDisjoint(with: ["R701", "R702"]), "arranged plan still breaks a rule:\n\(text)\n\(timeline.diagnostics.map(\.message))")
        }
        // In time order; doses at the same instant in plan order, then by slot.
        for (a, b) in zip(timeline.events, timeline.events.dropFirst()) {
            #expect((a.instant, a.item, a.slot) <= (b.instant, b.item, b.slot), "doses out of order:\n\(text)")
        }
        let simulator = Simulator(compilation, options: SimulationOptions(days: 10), today: testToday)
        for event in timeline.events {
            let range = simulator.itemRange(event.item, horizonStart: timeline.start)!
            let dosingDate = timeline.start.adding(days: event.day)
            #expect(dosingDate >= range.first && dosingDate <= (range.last ?? dosingDate), "a dose outside its course:\n\(text)")
        }
        for total in timeline.totals where total.amount.dimension == .mass && !total.includesAsNeeded {
            let sum = timeline.events.filter {
                timeline.dosingDate(of: $0) == total.date && compilation.plan.items[$0.item].substance == total.substance
                    && compilation.plan.items[$0.item].route.countsTowardIntake
            }.compactMap(timeline.activeMilligrams(of:)).reduce(0, +)
            #expect(abs(sum - total.amount.base) < 1e-6)
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing case can be replayed by its seed.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func pick<T>(_ options: [T]) -> T { options[Int(next() % UInt64(options.count))] }
}

/// Random but well-formed plans from the knowledge base's substances, frequencies, timings and relations.
enum GeneratedPlan {
    static func make(_ random: inout SeededRandom) -> String {
        let substances = ["magnesium glycinate 200mg", "magnesium citrate 150mg", "calcium carbonate 500mg", "zinc 15mg", "iron 30mg",
                          "levothyroxine 75mcg", "ciprofloxacin 500mg", "gabapentin 300mg", "vitamin d3 1000 IU", "doxycycline 100mg"]
        let schedules = ["daily", "nightly", "twice daily", "bid, with meals", "daily with lunch", "daily on waking", "every other day",
                         "three times daily", "at 09:00", "every 12h", "daily with dinner", "on mon, thu"]
        let relations = ["", "", "", ", 4h after levothyroxine", ", 2h apart from iron", ", not with calcium", ", 2h before ciprofloxacin or 6h after ciprofloxacin"]
        var lines = ["patient:", "  age 50", "  timezone \"Europe/Berlin\"", "plan \"generated\" from 2026-12-01 for 10 days:"]
        let count = 2 + Int(random.next() % 5)
        for _ in 0..<count {
            var line = "  \(random.pick(substances)) \(random.pick(schedules))\(random.pick(relations))"
            if random.next() % 4 == 0 { line += ", for \(2 + random.next() % 6) days" }
            if random.next() % 5 == 0 { line += ", starting day \(1 + random.next() % 4)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
