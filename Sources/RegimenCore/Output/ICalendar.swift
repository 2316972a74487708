/// The timeline as an RFC 5545 calendar that calendar applications import: a VTIMEZONE built
/// from the zone's real transitions over the horizon, and one VEVENT per run of identical
/// doses (a recurrence rule where the run is exact, single events otherwise). Lines end in
/// CRLF and are folded at 75 octets; text is escaped.
public struct ICalendar {
    let timeline: Timeline
    let plan: Plan
    /// DTSTAMP: when the calendar was made (the simulation's "today"), so output is reproducible.
    let stamp: CivilDate

    /// Said in every event when the plan has error-severity findings, so a calendar made from a
    /// plan that needs review never looks like a clean one.
    let warning: String?

    /// `findings` are the plan's findings; its errors are named in every event's description.
    public init(_ timeline: Timeline, plan: Plan, stamp: CivilDate, findings: [Diagnostic] = []) {
        self.timeline = timeline
        self.plan = plan
        self.stamp = stamp
        let errors = findings.filter { $0.severity == .error }.map(\.message)
        self.warning = errors.isEmpty ? nil : "check this plan: " + errors.joined(separator: "; ")
    }

    public func render() -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Regimen//regimen simulate//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        lines += timeZoneLines()
        for (index, run) in runs().enumerated() { lines += eventLines(run, index: index) }
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

    private func eventLines(_ run: Run, index: Int) -> [String] {
        let first = run.events[0]
        let item = plan.items[first.item]
        let start = Self.localStamp((first.date.dayNumber * 1440 + first.minutes) * 60)
        var lines = [
            "BEGIN:VEVENT",
            "UID:regimen-\(first.item)-\(first.slot)-\(first.date)-\(index)@regimen",
            "DTSTAMP:\(Self.localStamp(stamp.dayNumber * 86_400))Z",
            "DTSTART;TZID=\(timeline.timeZone):\(start)",
            "DURATION:PT5M",
        ]
        if run.events.count > 1 { lines.append("RRULE:FREQ=DAILY;INTERVAL=\(run.interval);COUNT=\(run.events.count)") }
        lines.append("SUMMARY:\(Self.escape("\(item.name) \(timeline.dose(of: first).description)"))")
        var description = "\(item.route.rawValue), \(timeline.reason(of: first))"
        if !item.notes.isEmpty { description += "\n" + item.notes.joined(separator: "\n") }
        if let warning { description = warning + "\n" + description }
        lines.append("DESCRIPTION:\(Self.escape(description))")
        lines.append("END:VEVENT")
        return lines
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
