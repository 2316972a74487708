extension HandoutMessages {
    /// The handout in English. The spacing sentences say exactly what `DoseRule.sentence` says,
    /// so the calendar, the spreadsheet and the page agree word for word (the cross-check tests it).
    /// The catalogs by language code: a translation is one more file and one more entry here.
    public static let catalogs: [String: HandoutMessages] = ["en": .english]

    public static let english = HandoutMessages(
        language: "en",
        pageTitle: { who in who.map { "Medicines and supplements for \($0)" } ?? "Your medicines and supplements" },
        preparedOn: { "Prepared on \($0)" },
        planDates: { name, from, to in "Plan “\(name)”: from \(from)" + (to.map { " to \($0)" } ?? ", no end date") },
        timeZone: { zone, stays in
            "Times are in the \(zone) time zone."
                + stays.map { " From \($0.from) to \($0.to), take them at the same clock times in the \($0.zone) time zone (local time there)." }.joined()
        },
        checkWithClinicianTitle: "Check this plan with your clinician",
        checkWithClinician: { count in
            "The checks found \(count == 1 ? "a problem" : "\(count) problems") in this plan (listed under “What to know”). "
                + "Do not start or change anything until your doctor, nurse or pharmacist has looked at it."
        },
        pillCardHeading: "Your day",
        pillCardCaption: "What to take at each time of day. A blank cell means nothing at that time.",
        itemColumn: "Medicine or supplement",
        morning: "Morning", midday: "Midday", evening: "Evening", bedtime: "Bedtime", setTimes: "At set times",
        noDose: "",
        mealColumn: { anchor, time in
            let words = ["wake": "Waking and breakfast", "breakfast": "Breakfast", "lunch": "Lunch", "dinner": "Dinner", "bed": "Bedtime"]
            return "\(words[anchor] ?? anchor) (\(time))"
        },
        doseWithAmount: { dose, amount, substance in "\(dose), \(amount) \(substance)" },
        dose: { dose, substance in "\(dose) \(substance)" },
        anchorWords: { anchor, offset in
            let words = ["wake": "on waking", "breakfast": "with breakfast", "lunch": "with lunch", "dinner": "with dinner", "bed": "at bedtime"]
            let names = ["wake": "waking", "breakfast": "breakfast", "lunch": "lunch", "dinner": "dinner", "bed": "bedtime"]
            guard offset != 0 else { return words[anchor] ?? anchor }
            return "\(englishDuration(abs(offset))) \(offset < 0 ? "before" : "after") \(names[anchor] ?? anchor)"
        },
        periodWords: { period in
            ["morning": "in the morning", "noon": "at noon", "afternoon": "in the afternoon", "evening": "in the evening",
             "night": "at night"][period] ?? period
        },
        atClock: "at this time",
        frequency: { kind in
            switch kind {
            case .daily: "every day"
            case .timesDaily(let n): n == 2 ? "twice a day" : "\(n) times a day"
            case .everyHours(let h): "every \(h) hours, day and night"
            case .everyMinutes(let m): "every \(m) minutes"
            case .everyOtherDay: "every other day"
            case .weekly: "once a week"
            case .everyDays(let n): "every \(n) days"
            case .weekdays(let days): days.count == 1 ? "once a week, on \(days[0])s only" : "only on " + englishList(days.map { $0 + "s" })
            case .once(let date): "once, on \(date)"
            case .asNeeded: "only if needed"
            case .everyMonths(let n): n == 1 ? "once a month" : "every \(n) months"
            case .timesWeekly(let n): n == 2 ? "twice a week" : "\(n) times a week"
            case .everyHoursWhileAwake(let h): "every \(h) hours while awake"
            }
        },
        supervised: "under medical supervision",
        changesBelow: "the dose changes: see “Changes over time”",
        ifNeeded: "if needed",
        rulesHeading: "Rules for taking them",
        spacingRule: { subject, parts, object in
            let words = parts.map { "\(englishDuration($0.minutes)) \($0.direction == "apart" ? "apart from" : $0.direction)" }
            return "Take \(subject) at least \(words.joined(separator: " or ")) \(object)."
        },
        apartRule: { a, b, minutes in "Take \(a) and \(b) at least \(englishDuration(minutes)) apart." },
        notWithRule: { a, b in "Do not take \(a) at the same time as \(b)." },
        sameMealFine: "Both with the same meal is fine.",
        emptyStomach: { "Take \($0) on an empty stomach." },
        anchorConstraint: { name, minutes, direction, anchor in
            let names = ["wake": "waking", "breakfast": "breakfast", "lunch": "lunch", "dinner": "dinner", "bed": "bedtime"]
            if direction == "with" { return "Take \(name) with \(names[anchor] ?? anchor)." }
            return "Take \(name) at least \(englishDuration(minutes)) \(direction) \(names[anchor] ?? anchor)."
        },
        asNeededRule: { name, dose, when, interval, inARow, atMost, night in
            var text = "\(name) \(dose)\(when.isEmpty ? "" : " " + when) if needed"
            if let interval { text += ", no sooner than \(englishDuration(interval)) after the last dose" }
            if let inARow { text += ", at most \(inARow) \(inARow == 1 ? "dose" : "doses") in a row" }
            if let atMost {
                let times = atMost == 1 ? "once" : atMost == 2 ? "twice" : "\(atMost) times"
                text += ", at most \(times) a \(night ? "night" : "day")"
            }
            return text + "."
        },
        noRules: "No spacing rules apply to these items.",
        changesHeading: "Changes over time",
        titrationCaption: { "\($0): the dose changes step by step" },
        fromColumn: "From", toColumn: "To", eachDoseColumn: "Each dose", perDayColumn: "Doses a day",
        thenStop: { "Then stop (from \($0))." },
        courseDates: { from, to in "only from \(from) to \(to)" },
        courseFrom: { "from \($0) on" },
        otherDayTimes: { times in "other days: " + times.map { "\($0.time) on \($0.days)" }.joined(separator: "; ") },
        cycleDays: { runs, length, first in
            "only on \(runs.count == 1 && !runs[0].contains("–") ? "day" : "days") \(englishList(runs)) of each \(length)-day cycle, day 1 being \(first)"
        },
        firstDose: { "first on \($0)" },
        courseLine: { name, from, to, days in "\(name): from \(from) to \(to) (\(days == 1 ? "1 day" : "\(days) days")), then stop." },
        courseStartLine: { name, from in "\(name): starts on \(from)." },
        noChanges: "No dose changes during this plan.",
        weekHeading: "A week at a glance",
        weekAlt: { from, to, doses, items in
            "Chart of the doses from \(from) to \(to): \(doses) doses of \(englishList(items))."
        },
        totalsHeading: "How much per day, against the safe upper limit",
        totalsIntro: "Each line is the total taken per day; the dashed line is the most that is safe per day for you.",
        totalsAlt: { substance, lowest, highest, limit, over in
            let range = lowest == highest ? "\(lowest) every day" : "from \(lowest) to \(highest) a day"
            return "Daily total of \(substance): \(range); upper limit \(limit). " + (over ? "Some days are over the limit." : "Every day is within the limit.")
        },
        asNeededCounted: "(if-needed doses counted at their most)",
        upperLimit: { "upper limit \($0)" },
        dayAxis: "day",
        legend: "Key",
        findingsHeading: "What to know",
        severity: { ["error": "Important", "warning": "Caution", "note": "Good to know"][$0] ?? $0 },
        noFindings: "The checks found nothing you need to know about.",
        sourcesHeading: "Sources",
        decisionSupport: "Made with Regimen, a decision-support tool: it reports what its sources say. Your clinician decides.",
        weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        weekdaysShort: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        longDate: { weekday, day, month, year in "\(weekday) \(day) \(month) \(year)" },
        shortDate: { weekday, day, month in "\(weekday) \(day) \(month.prefix(3))" },
        duration: englishDuration)
}

/// "4 hours", "1 hour 30 minutes", "30 minutes": the same words as `DoseRule.duration`.
@Sendable func englishDuration(_ minutes: Int) -> String {
    let hours = minutes / 60, rest = minutes % 60
    let h = hours == 1 ? "1 hour" : "\(hours) hours", m = rest == 1 ? "1 minute" : "\(rest) minutes"
    if hours == 0 { return m }
    return rest == 0 ? h : "\(h) \(m)"
}

/// "a, b and c".
@Sendable func englishList(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items.last!
}
