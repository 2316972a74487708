/// The timeline as an RFC 5545 calendar that calendar applications import: a VTIMEZONE built
/// from the zone's real transitions over the horizon, and one VEVENT per run of identical
/// doses (a recurrence rule where the run is exact, single events otherwise), each with a
/// reminder (VALARM) and the plain-words rules for that dose. Lines end in CRLF and are folded
/// at 75 octets; text is escaped.
///
/// UIDs are stable across edits and unique across plans: each is a hash of the plan's identity
/// (its block names and the patient's sex, age or birth date and time zone), the item's
/// identity (substance, form, frequency and times, and which of several such items it is;
/// never its position in the file), the slot and the run's first date. Adding or removing an
/// item leaves every other event's UID alone, so a re-import updates rather than duplicates.
///
/// SEQUENCE is the export's minute (DTSTAMP in minutes since 1970): without a record of earlier
/// exports the tool cannot count revisions, but every later export has a higher number, so an
/// edited event re-imported replaces the older copy (RFC 5545 §3.8.7.4) instead of losing to it.
/// With SOURCE_DATE_EPOCH the number is fixed, as reproducible files need.
public struct ICalendar {
    let timeline: Timeline
    let plan: Plan
    /// DTSTAMP, seconds since 1970 UTC: when the calendar was made (the caller passes the
    /// clock, or `SOURCE_DATE_EPOCH` for a reproducible file).
    let stamp: Int
    /// How long before each dose its reminder goes off (0: at the dose time).
    let reminderMinutes: Int
    let instructions: DoseInstructions

    /// Said in every event when the plan has error-severity findings, so a calendar made from a
    /// plan that needs review never looks like a clean one.
    let warning: String?

    /// `findings` are the plan's findings; its errors are named in every event's description.
    public init(_ timeline: Timeline, compilation: Compilation, stamp: Int, reminderMinutes: Int = 0, findings: [Diagnostic] = []) {
        // A product with several ingredients is one reminder, not one per ingredient.
        self.timeline = timeline.takingEachProductOnce(compilation.plan)
        self.plan = compilation.plan
        self.stamp = stamp
        self.reminderMinutes = reminderMinutes
        self.instructions = DoseInstructions(compilation, timeline: timeline)
        let errors = findings.filter { $0.severity == .error }.map(\.message)
        self.warning = errors.isEmpty ? nil : "check this plan: " + errors.joined(separator: "; ")
    }

    public func render() -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Regimen//regimen simulate//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        lines += timeZoneLines()
        for run in runs() { lines += eventLines(run) }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    // MARK: VTIMEZONE

    private func timeZoneLines() -> [String] {
        let rules = ZoneClock(identifier: timeline.timeZone).rules
        let from = timeline.start.adding(days: -1).dayNumber * 86_400, to = timeline.end.adding(days: 2).dayNumber * 86_400
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(timeline.timeZone)"]
        // The observance in force at the start, then each transition within the horizon.
        let initial = rules.type(at: from)
        lines += observance(daylight: initial.isDaylight, start: "19700101T000000", from: initial.offset, to: initial.offset,
                            name: initial.abbreviation)
        var cursor = from
        while let next = rules.nextTransition(after: cursor), next < to {
            let before = rules.type(at: next - 1), after = rules.type(at: next)
            lines += observance(daylight: after.isDaylight, start: Self.localStamp(next + before.offset), from: before.offset,
                                to: after.offset, name: after.abbreviation)
            cursor = next
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    private func observance(daylight: Bool, start: String, from: Int, to: Int, name: String?) -> [String] {
        let kind = daylight ? "DAYLIGHT" : "STANDARD"
        var lines = ["BEGIN:\(kind)", "DTSTART:\(start)", "TZOFFSETFROM:\(Self.offset(from))", "TZOFFSETTO:\(Self.offset(to))"]
        if let name { lines.append("TZNAME:\(Self.escape(name))") }
        lines.append("END:\(kind)")
        return lines
    }

    // MARK: VEVENT

    /// Doses of one item and slot at the same local time and dose, on evenly spaced dates.
    struct Run {
        var events: [DoseEvent]
        var interval: Int
    }

    func runs() -> [Run] {
        var grouped: [String: [DoseEvent]] = [:]
        var order: [String] = []
        for event in timeline.events {
            let key = "\(event.item)|\(event.slot)"
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(event)
        }
        var runs: [Run] = []
        for key in order {
            var current: Run?
            for event in grouped[key]! {
                if var run = current, let last = run.events.last, last.minutes == event.minutes, last.amountNumber == event.amountNumber,
                   last.reasonNumber == event.reasonNumber {
                    let step = event.date.dayNumber - last.date.dayNumber
                    if run.events.count == 1, step > 0 { run.interval = step }
                    if step == run.interval {
                        run.events.append(event)
                        current = run
                        continue
                    }
                }
                if let run = current { runs.append(run) }
                current = Run(events: [event], interval: 1)
            }
            if let run = current { runs.append(run) }
        }
        return runs.sorted { $0.events[0].instant < $1.events[0].instant }
    }

    private func eventLines(_ run: Run) -> [String] {
        let first = run.events[0]
        let item = plan.items[first.item]
        let start = Self.localStamp((first.date.dayNumber * 1440 + first.minutes) * 60)
        let summary = "\(item.listedName) \(item.written(timeline.dose(of: first)))"
        var lines = [
            "BEGIN:VEVENT",
            "UID:\(uid(first))@regimen",
            "DTSTAMP:\(Self.localStamp(stamp))Z",
            "SEQUENCE:\(max(0, stamp / 60))",
            "DTSTART;TZID=\(timeline.timeZone):\(start)",
            "DURATION:PT5M",
        ]
        if run.events.count > 1 { lines.append("RRULE:FREQ=DAILY;INTERVAL=\(run.interval);COUNT=\(run.events.count)") }
        lines.append("SUMMARY:\(Self.escape(summary))")
        var description = "\(item.route.rawValue), \(timeline.reason(of: first))"
        let rules = instructions.rules(for: first.item).map(\.sentence)
        if !rules.isEmpty { description += "\n" + rules.joined(separator: "\n") }
        if item.emptyStomach { description += "\nTake it on an empty stomach." }
        if !item.notes.isEmpty { description += "\n" + item.notes.joined(separator: "\n") }
        if let warning { description = warning + "\n" + description }
        lines.append("DESCRIPTION:\(Self.escape(description))")
        lines += [
            "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:\(Self.escape(summary))",
            "TRIGGER:" + (reminderMinutes == 0 ? "PT0S" : "-PT\(reminderMinutes)M"), "END:VALARM",
        ]
        lines.append("END:VEVENT")
        return lines
    }

    // MARK: Identity

    /// The event's UID: the plan, the item by what it is, the slot, the run's first date.
    func uid(_ event: DoseEvent) -> String {
        let item = plan.items[event.item]
        let identity = Self.itemIdentity(item)
        let twin = plan.items[..<event.item].filter { Self.itemIdentity($0) == identity }.count
        let text = [planIdentity, identity, String(twin), String(event.slot), event.date.description].joined(separator: "\u{1F}")
        return "regimen-" + Self.hex(Self.fnv1a(text)) + "-" + event.date.description.replacingOccurrences(of: "-", with: "")
    }

    /// The plan's names and the patient's facts that do not change with a dose: sex, birth date
    /// or age, time zone.
    private var planIdentity: String {
        let p = plan.patient
        let names = Set(plan.items.map(\.plan)).sorted().joined(separator: ",")
        return [names, p.sex?.rawValue ?? "", p.born?.description ?? p.age.map { Quantity.format($0.rounded(.down)) } ?? "",
                p.timeZone ?? ""].joined(separator: "|")
    }

    /// What an item is, apart from its dose and notes: substance, form, product, route, frequency, times.
    static func itemIdentity(_ item: PlanItem) -> String {
        [item.plan, item.substance, item.form ?? "", item.product ?? "", item.route.rawValue,
         "\(item.schedule.frequency)", item.schedule.slots.map { "\($0)" }.joined(separator: ",")].joined(separator: "|")
    }

    /// 64-bit FNV-1a: the same on every machine and run, unlike Swift's seeded `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    static func hex(_ value: UInt64) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<16).map { digits[Int((value >> (60 - 4 * UInt64($0))) & 0xf)] })
    }

    // MARK: Text

    static func localStamp(_ seconds: Int) -> String {
        let day = ZoneRules.floorDiv(seconds, 86_400)
        let (year, month, dayOfMonth) = CivilDate(dayNumber: day).civil
        let rest = seconds - day * 86_400
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return "\(pad(year, 4))\(pad(month, 2))\(pad(dayOfMonth, 2))T\(pad(rest / 3600, 2))\(pad(rest % 3600 / 60, 2))\(pad(rest % 60, 2))"
    }

    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(sign)\(pad(minutes / 60))\(pad(minutes % 60))"
    }

    /// TEXT escaping of RFC 5545 §3.3.11, scalar by scalar (a Swift `Character` would hold CR LF
    /// as one, and let it through): backslash, semicolon and comma escaped; CR, LF and CR LF each
    /// one `\n`; the other control characters, which TEXT may not hold (§3.3.11, CONTROL), dropped.
    /// So no value can end its line and start a property of its own.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case ";": out.append(contentsOf: "\\;".unicodeScalars)
            case ",": out.append(contentsOf: "\\,".unicodeScalars)
            case "\r": out.append(contentsOf: "\\n".unicodeScalars)
            case "\n": if !afterCR { out.append(contentsOf: "\\n".unicodeScalars) }
            case "\t": out.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Folds a content line at 75 octets without splitting a UTF-8 character (§3.1).
    static func fold(_ line: String) -> String {
        var parts: [String] = []
        var current = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            if octets + size > (parts.isEmpty ? 75 : 74) {
                parts.append(current)
                current = ""
                octets = 0
            }
            current.append(character)
            octets += size
        }
        parts.append(current)
        return parts.joined(separator: "\r\n ")
    }
}
