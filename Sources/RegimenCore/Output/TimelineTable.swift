/// The timeline as a table a clinician can hand to a patient: one block per dosing day, doses
/// in time order with the reason for each time, then the day's totals against their limits.
/// A dose after midnight stays with the day it belongs to, marked as on the next day. Runs of
/// identical days are folded into one line.
public struct TimelineTable {
    let timeline: Timeline
    let plan: Plan

    public init(_ timeline: Timeline, plan: Plan) {
        self.timeline = timeline
        self.plan = plan
    }

    public func render() -> String {
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        var out = "Schedule \(timeline.start) to \(timeline.end) (\(plural(timeline.days, "day"))), time zone \(Printable.escaped(timeline.timeZone))"
        out += timeline.arrangementHeadline.map { ", \($0)\n" } ?? "\n"
        let eventsByDay = Dictionary(grouping: timeline.events, by: \.day)
        let totalsByDay = Dictionary(grouping: timeline.totals) { $0.date.dayNumber - timeline.start.dayNumber }
        var shownSignature: [String]?
        var shownDay = 0
        var foldStart: Int?
        func closeFold(at day: Int) {
            guard let first = foldStart else { return }
            let (a, b) = (timeline.start.adding(days: first), timeline.start.adding(days: day))
            out += first == day
                ? "\(weekdays[a.weekday]) \(a) (day \(first + 1)): same as day \(shownDay + 1)\n"
                : "\(weekdays[a.weekday]) \(a) to \(weekdays[b.weekday]) \(b) (days \(first + 1)–\(day + 1)): same as day \(shownDay + 1)\n"
            foldStart = nil
        }
        for day in 0..<timeline.days {
            let events = eventsByDay[day] ?? []
            let totals = totalsByDay[day] ?? []
            let lines = events.map(eventLine)
            let totalLine = totals.isEmpty ? nil : "  totals: " + totals.map(totalText).joined(separator: " · ")
            let signature = lines + [totalLine ?? ""]
            if signature == shownSignature {
                if foldStart == nil { foldStart = day }
                continue
            }
            closeFold(at: day - 1)
            shownSignature = signature
            shownDay = day
            let date = timeline.start.adding(days: day)
            out += "\n\(weekdays[date.weekday]) \(date) (day \(day + 1))\n"
            out += lines.isEmpty ? "  no doses\n" : aligned(lines).joined(separator: "\n") + "\n"
            if let totalLine { out += totalLine + "\n" }
        }
        closeFold(at: timeline.days - 1)
        return out
    }

    private func eventLine(_ event: DoseEvent) -> String {
        let item = plan.items[event.item]
        var dose = item.written(timeline.dose(of: event))
        if item.basis == .elemental, item.compoundMilligrams != nil { dose += " elemental" }
        if item.basis == .salt { dose += " as \(item.form ?? "salt")" }
        // Text from the plan is escaped field by field, so a tab or an escape sequence in a name
        // can neither break the columns nor reach the terminal.
        let fields = [timeText(event), displayName(item), dose, item.route.rawValue, timeline.reason(of: event)]
        return "  " + fields.map { Printable.escaped($0) }.joined(separator: "\t")
    }

    /// The clock time, and which day it is on when not the dosing day's own date: relative, not
    /// the date, so that days alike still fold into one line.
    private func timeText(_ event: DoseEvent) -> String {
        switch event.date.dayNumber - timeline.dosingDate(of: event).dayNumber {
        case 0: "\(event.time)"
        case 1: "\(event.time) (next day)"
        case -1: "\(event.time) (day before)"
        case let days: "\(event.time) (\(days > 0 ? "+" : "")\(days) days)"
        }
    }

    private func displayName(_ item: PlanItem) -> String {
        // One of several ingredients is named as the findings name it, form and all.
        if item.productPart != nil { return item.name }
        return item.product.map { "\($0) (\(item.substance))" } ?? item.substance + (item.form.map { " " + $0 } ?? "")
    }

    private func totalText(_ total: DailyTotal) -> String {
        var text = "\(total.substance) \(total.amount.description)"
        if let limit = total.limit {
            let over = total.amount.base > limit.amount.base + 1e-9 ? ", OVER" : ""
            // The limit in the total's own unit: `copper 1 mg (limit 10 mg)`, not `(limit 10000 mcg)`.
            var shown = limit.amount
            if shown.dimension == total.amount.dimension { shown.unit = total.amount.unit }
            text += " (limit \(shown.description)\(over))"
        }
        if total.includesAsNeeded { text += " incl. as-needed at most" }
        return Printable.escaped(text)
    }

    /// Lines whose tab-separated columns are padded to the widest in the block.
    private func aligned(_ lines: [String]) -> [String] {
        let rows = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
            }.joined(separator: "  ")
        }
    }
}
