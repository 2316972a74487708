extension PatientField {
    /// A day line (`on weekends: …`) or a stay in another time zone: several may stand in one
    /// patient block, each about its own days, so they are not "a field given twice".
    var isDayOrStay: Bool {
        switch value {
        case .day, .zoneStay: true
        default: false
        }
    }
}

extension Evaluator {
    /// A time zone written as a name: its canonical IANA spelling, or a reported error.
    mutating func resolveTimeZone(_ expr: Expr) -> String? {
        guard let value = evaluate(expr) else { return nil }
        guard case .string(let name) = value else {
            report(.typeMismatch, "the time zone is a name in quotes, such as \"Europe/Berlin\"", at: expr.span)
            return nil
        }
        guard let zone = TimeZones.canonical(name) else {
            report(.unknownTimeZone, "\"\(name)\" is not a time zone name", at: expr.span,
                   hint: TimeZones.missingDatabaseHint ?? suggestion(for: name, among: TimeZones.all)
                       ?? "use an IANA name such as Europe/Berlin")
            return nil
        }
        return zone
    }

    /// `on weekends: wake 09:00, breakfast 09:30`: the day's times on those days. Two lines that
    /// set the same time on a day they share would replace one another in silence: an error.
    mutating func evaluateDayVariant(_ days: DaysSyntax, _ fields: [PatientField], at keywordSpan: Span) {
        let lineSpan = fields.last.map { field in
            if case .expr(let expr) = field.value { return keywordSpan.through(expr.span) }
            return keywordSpan.through(field.nameSpan)
        } ?? keywordSpan
        let selected: DayVariant.Days
        switch days {
        case .weekdays(let list, _):
            selected = .weekdays(list)
        case .dates(let fromExpr, let untilExpr):
            guard let first = date(fromExpr, "the first day") else { return }
            var last = first
            if let untilExpr {
                guard let end = date(untilExpr, "the last day") else { return }
                last = end
            }
            guard last >= first else {
                report(.implausibleValue, "these days end on \(last), before they start on \(first)", at: untilExpr?.span ?? fromExpr.span)
                return
            }
            selected = .dates(first, last)
        }
        var anchors: [Anchor: ClockTime] = [:]
        var spans: [Anchor: Span] = [:]
        for field in fields {
            guard let anchor = Anchor(rawValue: field.name), case .expr(let expr) = field.value, let value = evaluate(expr) else { continue }
            guard case .clock(let time) = value else {
                report(.typeMismatch, "`\(field.name)` takes a clock time such as 07:30", at: expr.span)
                continue
            }
            if let earlier = spans[anchor] {
                report(.patientFactTwice, "`\(field.name)` is given twice on this line; the first is at \(sources.describe(earlier))",
                       at: field.nameSpan, hint: "keep one; the tool does not choose between two facts")
                continue
            }
            anchors[anchor] = time
            spans[anchor] = field.nameSpan
        }
        let variant = DayVariant(days: selected, anchors: anchors, span: lineSpan)
        if !dryRun {
            for earlier in plan.patient.dayVariants where earlier.overlaps(variant) {
                let shared = Anchor.allCases.filter { earlier.anchors[$0] != nil && anchors[$0] != nil }
                guard let first = shared.first else { continue }
                report(.patientFactTwice,
                       "the patient's `\(first.rawValue)` on \(variant.daysText) is given twice; the line at \(sources.describe(earlier.span)) also sets it on some of these days",
                       at: lineSpan, hint: "give each day's time on one line; the tool does not choose between two facts")
                return
            }
        }
        guard !anchors.isEmpty else { return }
        plan.patient.dayVariants.append(variant)
    }

    /// `timezone "Asia/Tokyo" from 2027-01-10 until 2027-01-17`: doses follow the local clock there
    /// on those dates. Two stays that share a date would each claim it: an error.
    mutating func evaluateZoneStay(_ zoneExpr: Expr, from fromExpr: Expr, until untilExpr: Expr, at span: Span) {
        guard let zone = resolveTimeZone(zoneExpr), let first = date(fromExpr, "the first day in this time zone"),
              let last = date(untilExpr, "the last day in this time zone") else { return }
        guard last >= first else {
            report(.implausibleValue, "this stay ends on \(last), before it starts on \(first)", at: untilExpr.span)
            return
        }
        let stay = ZoneStay(zone: zone, first: first, last: last)
        if !dryRun {
            if let index = plan.patient.zoneStays.firstIndex(where: { $0.first <= last && first <= $0.last }) {
                report(.patientFactTwice,
                       "this stay in \(zone) (\(first) to \(last)) shares days with the stay in \(plan.patient.zoneStays[index].zone) at \(sources.describe(zoneStaySpans[index]))",
                       at: span, hint: "give each day one time zone; the tool does not choose between two facts")
                return
            }
        }
        plan.patient.zoneStays.append(stay)
        zoneStaySpans.append(span)
    }

    /// Each day line, with the usual day's other times, must still run wake, breakfast, lunch,
    /// dinner, bed (it may cross midnight). Reported at the line.
    mutating func checkVariantDayOrder() {
        let order: [Anchor] = [.wake, .breakfast, .lunch, .dinner, .bed]
        for variant in plan.patient.dayVariants {
            var day = plan.patient
            day.anchors.merge(variant.anchors) { _, new in new }
            guard let (earlier, later) = zip(order, order.dropFirst()).first(where: { day.dayMinutes($1) < day.dayMinutes($0) }) else { continue }
            func described(_ anchor: Anchor) -> String {
                let gap = day.dayMinutes(anchor) - day.dayMinutes(.wake)
                let usual = variant.anchors[anchor] == nil ? ", the usual time" : ""
                return "\(anchor.rawValue) at \(day.anchors[anchor]!) (\(gap == 0 ? "on waking" : DurationText.minutes(gap) + " after waking")\(usual))"
            }
            report(.dayOutOfOrder,
                   "on \(variant.daysText) the patient's day starts at waking (\(day.anchors[.wake]!)), and \(described(later)) comes before \(described(earlier))",
                   at: variant.span, hint: "give that day's times in the order wake, breakfast, lunch, dinner, bed; it may run past midnight, and a time not on the line is the usual day's")
        }
    }
}
