import RegimenCore

/// What the patient takes home: one self-contained HTML page (inline CSS and SVG, no script,
/// no network) that prints on one or two A4 or US Letter pages and reads on a phone. Every
/// word comes from a `HandoutMessages` catalog; every fact from the compiled plan, its
/// simulated timeline (the same as `regimen simulate`) and its findings.
public struct Handout {
    let compilation: Compilation
    let timeline: Timeline
    let findings: [Diagnostic]
    let preparedOn: CivilDate
    let messages: HandoutMessages
    let instructions: DoseInstructions
    let pictures: HandoutPictures
    var plan: Plan { compilation.plan }

    /// `findings` are the plan's findings over its course (as `regimen check` gives them);
    /// `preparedOn` is the date printed in the header.
    public init(_ compilation: Compilation, timeline: Timeline, findings: [Diagnostic], preparedOn: CivilDate,
                messages: HandoutMessages = .english) {
        self.compilation = compilation
        // A product with several ingredients is one dose to the patient, shown once.
        self.timeline = timeline.takingEachProductOnce(compilation.plan)
        self.findings = findings
        self.preparedOn = preparedOn
        self.messages = messages
        self.instructions = DoseInstructions(compilation, timeline: timeline)
        self.pictures = HandoutPictures(self.timeline, compilation: compilation, messages: messages)
    }

    // MARK: The page

    public func html() -> String {
        var footnotes: [String] = []
        // What to take, how, and what to watch for come first, on the first page; the pictures after.
        let body = [header(), alert(), pillCard(), rules(&footnotes), changes(), whatToKnow(&footnotes), week(), totals(),
                    sources(footnotes)].joined()
        return """
        <!DOCTYPE html>
        <html lang="\(messages.language)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(messages.pageTitle(patientName)))</title>
        <style>
        \(Self.css)
        </style>
        </head>
        <body>
        <main>
        \(body)</main>
        </body>
        </html>

        """
    }

    static let css = """
    html { background: #ffffff; color: #111111; }
    body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 18px; line-height: 1.4; margin: 0; padding: 12px; background: #ffffff; color: #111111; }
    main { max-width: 60rem; margin: 0 auto; }
    h1 { font-size: 1.6em; margin: 0 0 0.2em; }
    h2 { font-size: 1.25em; margin: 1em 0 0.3em; border-bottom: 2px solid #111111; }
    h3 { font-size: 1.05em; margin: 0.8em 0 0.2em; }
    p, ul, ol { margin: 0.3em 0; }
    .meta { color: #333333; }
    .alert { border: 3px solid #a3261b; background: #fff4f2; color: #111111; padding: 0.4em 0.8em; margin: 0.8em 0; }
    .alert h2 { border: none; margin-top: 0.2em; color: #8c1d13; }
    table { border-collapse: collapse; width: 100%; margin: 0.3em 0; }
    caption { text-align: left; color: #333333; padding-bottom: 0.2em; }
    th, td { border: 1px solid #555555; padding: 0.3em 0.4em; vertical-align: top; text-align: left; }
    thead th { background: #e8e8e8; color: #111111; }
    tbody th { font-weight: bold; }
    .small { font-size: 0.85em; font-weight: normal; color: #333333; display: block; }
    .time { font-weight: bold; display: block; }
    .rules li { margin: 0.15em 0; }
    svg { width: 100%; height: auto; display: block; }
    .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 22rem)); gap: 0.5em 1.5em; }
    .scroll { overflow-x: auto; }
    .badge { display: inline-block; min-width: 1.3em; padding: 0 0.2em; margin-right: 0.3em; border-radius: 0.3em; text-align: center; background: #4a4a4a; color: #ffffff; font-weight: bold; }
    .finding-error { color: #8c1d13; font-weight: bold; }
    .sources { font-size: 0.8em; color: #333333; }
    @media (max-width: 40rem) {
      body { font-size: 17px; padding: 8px; }
      .card thead { display: none; }
      .card, .card tbody, .card tr, .card th, .card td, .card caption { display: block; width: auto; }
      svg.week { min-width: 34rem; }
      .card tr { border: 2px solid #555555; margin-bottom: 0.6em; }
      .card td { border: none; border-top: 1px solid #bbbbbb; }
      .card td:empty { display: none; }
      .card td::before { content: attr(data-label) ": "; font-weight: bold; }
    }
    @page { margin: 12mm; }
    @media print {
      body { font-size: 12.5pt; padding: 0; }
      .charts { grid-template-columns: 1fr 1fr; }
      h2 { break-after: avoid; }
      table, svg, .alert, li { break-inside: avoid; }
      .sources { font-size: 8.5pt; }
    }
    """

    var patientName: String? { Self.patientName(compilation) }

    /// The patient as the plan names them: the main file's first comment line, when it starts
    /// with a name ("# Jane, MS with Hashimoto's ..."): one to three capitalised words before a
    /// comma, none of them a name the knowledge base knows.
    static func patientName(_ compilation: Compilation) -> String? {
        let file = compilation.sources[compilation.mainFile]
        guard file.lineStarts.count > 0 else { return nil }
        let line = String(decoding: file.lineBytes(0), as: UTF8.self)
        guard line.hasPrefix("#") else { return nil }
        let text = line.dropFirst().drop { $0 == " " }
        guard let comma = text.firstIndex(of: ",") else { return nil }
        let words = text[..<comma].split(separator: " ")
        guard (1...3).contains(words.count) else { return nil }
        for word in words {
            guard let first = word.first, first.isUppercase, word.dropFirst().allSatisfy({ $0.isLowercase || $0 == "-" || $0 == "'" }) else { return nil }
            if compilation.knowledge.longestMatch([word.lowercased()]) != nil { return nil }
            if compilation.knowledge.condition(named: word.lowercased()) != nil { return nil }
        }
        return words.joined(separator: " ")
    }

    private func header() -> String {
        var html = "<header>\n<h1>\(HTML.escape(messages.pageTitle(patientName)))</h1>\n"
        for block in plan.blocks where !block.name.isEmpty {
            let start = block.start ?? timeline.start
            var end: CivilDate? = block.durationDays.map { start.adding(days: $0 - 1) }
            if let until = block.until { end = min(end ?? until, until) }
            html += "<p>\(HTML.escape(messages.planDates(block.name, date(start), end.map(date))))</p>\n"
        }
        html += "<p class=\"meta\">\(HTML.escape(messages.preparedOn(date(preparedOn)))). \(HTML.escape(messages.timeZone(timeline.timeZone, timeline.zoneStays.map { ($0.zone, shortDate($0.first), shortDate($0.last)) })))</p>\n"
        return html + "</header>\n"
    }

    private var errors: [Diagnostic] { findings.filter { $0.severity == .error } }

    private func alert() -> String {
        guard !errors.isEmpty else { return "" }
        return "<section class=\"alert\" aria-labelledby=\"alert-heading\">\n<h2 id=\"alert-heading\">\(HTML.escape(messages.checkWithClinicianTitle))</h2>\n"
            + "<p>\(HTML.escape(messages.checkWithClinician(errors.count)))</p>\n</section>\n"
    }

    // MARK: Pill card

    enum Column: Int, CaseIterable { case morning, midday, evening, bedtime, setTimes }

    /// A usual day (waking in the morning) names its columns by the time of day; a night shift's
    /// "Morning" would be wrong, so its columns are named by its meals and their clock times.
    var usualDay: Bool { (4 * 60..<12 * 60).contains(plan.patient.anchors[.wake]!.minutes) }

    func columnTitle(_ column: Column) -> String {
        if !usualDay, column != .setTimes {
            let anchor: Anchor = [.wake, .lunch, .dinner, .bed][column.rawValue]
            return messages.mealColumn(anchor.rawValue, "\(plan.patient.anchors[anchor]!)")
        }
        switch column {
        case .morning: return messages.morning
        case .midday: return messages.midday
        case .evening: return messages.evening
        case .bedtime: return messages.bedtime
        case .setTimes: return messages.setTimes
        }
    }

    /// The column a slot belongs to: meals and waking by the time of day, clock times apart.
    func column(_ slot: Slot?, frequency: Frequency) -> Column {
        if case .everyMinutes = frequency { return .setTimes }
        switch slot {
        case .clock?, nil: return .setTimes
        case .anchor(let anchor, _)?:
            switch anchor {
            case .wake, .breakfast: return .morning
            case .lunch: return .midday
            case .dinner: return .evening
            case .bed: return .bedtime
            }
        case .period(let period)?:
            switch period {
            case .morning: return .morning
            case .noon, .afternoon: return .midday
            case .evening: return .evening
            case .night: return .bedtime
            }
        }
    }

    private func pillCard() -> String {
        var rows: [(header: String, cells: [Column: [String]])] = []
        // A product with several ingredients is one row, by its first ingredient's item.
        for index in plan.items.indices where plan.items[index].productPart?.isFirst != false {
            let item = plan.items[index]
            var cells = [Column: [String]]()
            let events = firstDayEvents(of: index)
            if events.isEmpty {
                // As needed (or not in the simulated weeks): the slots as written.
                let slots: [Slot?] = item.schedule.slots.isEmpty ? [nil] : item.schedule.slots.map { $0 }
                for slot in slots {
                    let column = column(slot, frequency: item.schedule.frequency)
                    var text = "<span class=\"time\">\(slot.map(slotTime) ?? "")</span>" + HTML.escape(doseText(item, dose: item.dose, activeMilligrams: item.activeMilligrams))
                    if let slot { text += "<span class=\"small\">\(HTML.escape(slotWords(slot)))</span>" }
                    if item.schedule.frequency == .asNeeded { text += "<span class=\"small\">\(HTML.escape(messages.ifNeeded))</span>" }
                    cells[column, default: []].append(text)
                }
            }
            for event in events {
                let slot = event.slot < item.schedule.slots.count ? item.schedule.slots[event.slot] : nil
                let column = column(slot, frequency: item.schedule.frequency)
                var text = "<span class=\"time\">\(event.time)</span>"
                text += HTML.escape(doseText(item, dose: timeline.dose(of: event), activeMilligrams: timeline.activeMilligrams(of: event)))
                if let slot, column != .setTimes { text += "<span class=\"small\">\(HTML.escape(slotWords(slot)))</span>" }
                if !isEveryDay(item.schedule.frequency) { text += "<span class=\"small\">\(HTML.escape(frequencyWords(item)))</span>" }
                cells[column, default: []].append(text)
            }
            // A cycle's days are said below ("only on days 1–5 of each 21-day cycle"); "every day"
            // above them would tell the patient to take it on the days off as well.
            let cycledDaily = item.course.cycle != nil && item.schedule.frequency == .timesDaily(1)
            var about = cycledDaily ? [] : [frequencyWords(item)]
            if item.route != .oral { about.append(item.route.phrase) }
            if item.supervised { about.append(messages.supervised) }
            if item.titration != nil { about.append(messages.changesBelow) }
            // The card shows the first day's times; a dose with a meal, on waking or at bedtime moves
            // with the days whose times differ (`on weekends: wake 09:00`), said here.
            let others = otherDayTimes(item)
            if !others.isEmpty { about.append(messages.otherDayTimes(others)) }
            // A treatment cycle: which days, or the patient would take it on the days off too.
            if let cycle = item.course.cycle, let first = Simulator.courseStart(ofItem: index, compilation, horizonStart: timeline.start) {
                about.append(messages.cycleDays(cycle.runs, cycle.length, shortDate(first)))
            }
            let course = courseDates(of: index)
            if let course, let to = course.to {
                about.append(messages.courseDates(shortDate(course.from), shortDate(to)))
            } else if case .everyDays(let n) = item.schedule.frequency, n != 7, let first = events.first {
                // `every other day`: which days, from the first.
                about.append(messages.firstDose(shortDate(first.date)))
            } else if let course {
                about.append(messages.courseFrom(shortDate(course.from)))
            }
            about += item.notes
            let badge = events.isEmpty ? "" : "<span class=\"badge\" style=\"background: \(pictures.colour(of: index))\">\(pictures.number(of: index))</span>"
            let named = item.productPart != nil ? item.listedName
                : item.product.map { "\($0) (\(item.substance)\(item.form.map { " " + $0 } ?? ""))" } ?? item.name
            let header = badge + HTML.escape(Self.capitalized(named))
                + about.map { "<span class=\"small\">\(HTML.escape($0))</span>" }.joined()
            rows.append((header, cells))
        }
        // Only the times of day something is taken at: fewer, wider columns read better on paper and phone.
        let columns = Column.allCases.filter { column in rows.contains { $0.cells[column] != nil } }
        var html = "<section aria-labelledby=\"card-heading\">\n<h2 id=\"card-heading\">\(HTML.escape(messages.pillCardHeading))</h2>\n"
        html += "<table class=\"card\">\n<caption>\(HTML.escape(messages.pillCardCaption))</caption>\n<thead><tr><th scope=\"col\">\(HTML.escape(messages.itemColumn))</th>"
        for column in columns { html += "<th scope=\"col\">\(HTML.escape(columnTitle(column)))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr><th scope=\"row\">\(row.header)</th>"
            for column in columns {
                let content = (row.cells[column] ?? []).joined(separator: "<br>")
                html += "<td data-label=\"\(HTML.escape(columnTitle(column)))\">\(content)</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    /// The item's doses on the first dosing day it is taken.
    func firstDayEvents(of item: Int) -> [DoseEvent] {
        guard let first = timeline.events.first(where: { $0.item == item }) else { return [] }
        return timeline.events.filter { $0.item == item && $0.day == first.day }
    }

    private func slotTime(_ slot: Slot) -> String {
        switch slot {
        case .clock(let time): "\(time)"
        case .anchor(let anchor, let offset): "\(ClockTime(minutes: (plan.patient.anchors[anchor]!.minutes + offset + 1440) % 1440))"
        case .period(let period): "\(ClockTime(minutes: plan.patient.dayMinutes(period) % 1440))"
        }
    }

    private func slotWords(_ slot: Slot) -> String {
        switch slot {
        case .clock: messages.atClock
        case .anchor(let anchor, let offset): messages.anchorWords(anchor.rawValue, offset)
        case .period(let period): messages.periodWords(period.rawValue)
        }
    }

    /// "1 capsule, 120 mg magnesium", "300 mg magnesium", "75 mcg levothyroxine", and a salt
    /// by the weight written on its label: "1920 mg magnesium sulfate, 190 mg magnesium".
    func doseText(_ item: PlanItem, dose: Quantity, activeMilligrams: Double?) -> String {
        let name = Self.substanceName(item.substance)
        // The units of a product with several ingredients: no one ingredient's amount stands for them.
        if item.productPart != nil { return messages.dose(dose.description, item.listedName) }
        if let mg = activeMilligrams, dose.dimension == .count || dose.displaySymbol.isEmpty || item.basis == .salt {
            let amount = Quantity(base: Quantity.clinicallyRounded(mg), dimension: .mass).description
            let written = item.basis == .salt ? "\(dose.description) \(item.name)" : dose.description
            return messages.doseWithAmount(written, amount, name)
        }
        return messages.dose(dose.description, name)
    }

    /// Every few days (not weekly): the card names the first day.
    static func takenEveryFewDays(_ item: PlanItem) -> Bool {
        if case .everyDays(let n) = item.schedule.frequency { return n != 7 }
        return false
    }

    /// Taken every day: the cell need not repeat how often.
    func isEveryDay(_ frequency: Frequency) -> Bool {
        switch frequency {
        case .timesDaily, .everyMinutes: true
        default: false
        }
    }

    func frequencyWords(_ item: PlanItem) -> String {
        let kind: HandoutMessages.FrequencyWords
        switch item.schedule.frequency {
        case .timesDaily(1): kind = .daily
        case .timesDaily(let n): kind = .timesDaily(n)
        case .everyMinutes(let m) where item.schedule.whileAwake && m % 60 == 0: kind = .everyHoursWhileAwake(m / 60)
        case .everyMinutes(let m): kind = m % 60 == 0 ? .everyHours(m / 60) : .everyMinutes(m)
        case .everyMonths(let n): kind = .everyMonths(n)
        case .timesWeekly(let n): kind = .timesWeekly(n)
        case .everyDays(2): kind = .everyOtherDay
        case .everyDays(7): kind = .weekly
        case .everyDays(let n): kind = .everyDays(n)
        case .weekdays(let days): kind = .weekdays(days.map { messages.weekdays[$0] })
        case .once(let day): kind = .once(date(timeline.start.adding(days: day - 1)))
        case .asNeeded: kind = .asNeeded
        }
        return messages.frequency(kind)
    }

    // MARK: Rules

    /// A rule in the catalog's words (the English catalog says what `DoseRule.sentence` says).
    func ruleText(_ rule: DoseRule) -> String {
        var text: String
        if rule.notWith {
            text = messages.notWithRule(rule.subject, rule.object)
        } else if rule.parts.allSatisfy({ $0.direction == .apart }) {
            text = messages.apartRule(rule.subject, rule.object, rule.parts.map(\.minutes).min() ?? 0)
        } else {
            text = messages.spacingRule(rule.subject, rule.parts.map { ($0.minutes, $0.direction.rawValue) }, rule.object)
        }
        if rule.togetherWithFood { text += " " + messages.sameMealFine }
        return text
    }

    private func rules(_ footnotes: inout [String]) -> String {
        var lines: [String] = []
        for rule in instructions.rules {
            var line = HTML.escape(ruleText(rule))
            if let source = rule.source { line += footnoteMarks(["source: " + source], &footnotes) }
            lines.append(line)
        }
        for item in plan.items where item.productPart?.isFirst != false {
            let name = DoseInstructions.patientName(item)
            if item.emptyStomach { lines.append(HTML.escape(messages.emptyStomach(name))) }
            for constraint in item.schedule.anchorConstraints {
                lines.append(HTML.escape(messages.anchorConstraint(name, constraint.minutes, constraint.direction.rawValue, constraint.anchor.rawValue)))
            }
            if item.schedule.frequency == .asNeeded {
                let slot = item.schedule.slots.first
                let night: Bool = if case .anchor(.bed, _)? = slot { true } else { false }
                lines.append(HTML.escape(messages.asNeededRule(Self.capitalized(name), item.dose.description, slot.map(slotWords) ?? "",
                                                               item.schedule.asNeededInterval, item.schedule.maxInARow,
                                                               item.schedule.maxPerDay, night)))
            }
        }
        var html = "<section aria-labelledby=\"rules-heading\">\n<h2 id=\"rules-heading\">\(HTML.escape(messages.rulesHeading))</h2>\n"
        if lines.isEmpty { return html + "<p>\(HTML.escape(messages.noRules))</p>\n</section>\n" }
        html += "<ul class=\"rules\">\n" + lines.map { "<li>\($0)</li>\n" }.joined() + "</ul>\n"
        return html + "</section>\n"
    }

    /// Footnote marks for notes ("source: ..." read as the source alone), numbered once each.
    private func footnoteMarks(_ notes: [String], _ footnotes: inout [String]) -> String {
        guard !notes.isEmpty else { return "" }
        let marks = notes.map { note -> String in
            let text = note.hasPrefix("source: ") ? String(note.dropFirst("source: ".count)) : note
            if !footnotes.contains(text) { footnotes.append(text) }
            let number = footnotes.firstIndex(of: text)! + 1
            return "<a href=\"#source-\(number)\" aria-label=\"source \(number)\">\(number)</a>"
        }
        return "<sup>" + marks.joined(separator: ", ") + "</sup>"
    }

    // MARK: Changes over time

    /// Runs of days with the same doses of an item: (first day, last day, dose, doses a day).
    func steps(of item: Int) -> [(first: Int, last: Int, dose: String, count: Int)] {
        var perDay = [Int: [DoseEvent]]()
        for event in timeline.events where event.item == item { perDay[event.day, default: []].append(event) }
        var steps: [(first: Int, last: Int, dose: String, count: Int)] = []
        for day in perDay.keys.sorted() {
            let events = perDay[day]!
            let dose = doseText(plan.items[item], dose: timeline.dose(of: events[0]), activeMilligrams: timeline.activeMilligrams(of: events[0]))
            if let last = steps.last, last.dose == dose, last.count == events.count {
                steps[steps.count - 1].last = day
            } else {
                steps.append((day, day, dose, events.count))
            }
        }
        return steps
    }

    private func changes() -> String {
        var html = "<section aria-labelledby=\"changes-heading\">\n<h2 id=\"changes-heading\">\(HTML.escape(messages.changesHeading))</h2>\n"
        var any = false
        var courses: [String] = []
        for (index, item) in plan.items.enumerated() {
            let steps = steps(of: index)
            guard let first = steps.first, let last = steps.last else { continue }
            if item.titration != nil {
                any = true
                html += "<table class=\"steps\">\n<caption>\(HTML.escape(messages.titrationCaption(Self.capitalized(item.listedName))))</caption>\n<thead><tr>"
                    + [messages.fromColumn, messages.toColumn, messages.eachDoseColumn, messages.perDayColumn].map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined()
                    + "</tr></thead>\n<tbody>\n"
                for step in steps {
                    html += "<tr><th scope=\"row\">\(HTML.escape(shortDate(timeline.start.adding(days: step.first))))</th><td>\(HTML.escape(shortDate(timeline.start.adding(days: step.last))))</td>"
                        + "<td>\(HTML.escape(step.dose))</td><td>\(step.count)</td></tr>\n"
                }
                html += "</tbody>\n</table>\n"
                if item.titration?.stopsAtZero == true, last.last < timeline.days - 1 {
                    html += "<p>\(HTML.escape(messages.thenStop(date(timeline.start.adding(days: last.last + 1)))))</p>\n"
                }
                continue
            }
            _ = (first, last)
            if let course = courseDates(of: index) {
                if let to = course.to {
                    courses.append(messages.courseLine(Self.capitalized(item.listedName), date(course.from), date(to), to.dayNumber - course.from.dayNumber + 1))
                } else if !Self.takenEveryFewDays(item) {
                    // An item every few days says its first day on the card already.
                    courses.append(messages.courseStartLine(Self.capitalized(item.listedName), date(course.from)))
                }
            }
        }
        if !courses.isEmpty {
            any = true
            html += "<ul>\n" + courses.map { "<li>\(HTML.escape($0))</li>\n" }.joined() + "</ul>\n"
        }
        if !any { html += "<p>\(HTML.escape(messages.noChanges))</p>\n" }
        return html + "</section>\n"
    }

    /// Each anchored dose's time on the days whose times differ from the usual day, when it differs.
    func otherDayTimes(_ item: PlanItem) -> [(time: String, days: String)] {
        let patient = plan.patient
        var times: [(time: String, days: String)] = []
        for variant in patient.dayVariants {
            var day = patient
            day.anchors.merge(variant.anchors) { _, new in new }
            let changed = item.schedule.slots.compactMap { slot -> String? in
                let (usual, there): (Int, Int)
                switch slot {
                case .anchor(let anchor, let offset): (usual, there) = (patient.dayMinutes(anchor) + offset, day.dayMinutes(anchor) + offset)
                case .period(let period): (usual, there) = (patient.dayMinutes(period), day.dayMinutes(period))
                case .clock: return nil
                }
                return usual == there ? nil : "\(ClockTime(minutes: ((there % 1440) + 1440) % 1440))"
            }
            if !changed.isEmpty { times.append((changed.joined(separator: ", "), variant.daysText)) }
        }
        return times
    }

    /// An item's first day and the last of its course, when it starts after its plan does or stops
    /// before it (the plan's own dates head the page); `to` is nil when it goes on as long as the
    /// plan. From the plan, not from the weeks this page simulates: a course that goes on past
    /// them must not read as stopping where they stop.
    func courseDates(of index: Int) -> (from: CivilDate, to: CivilDate?)? {
        let item = plan.items[index]
        if case .once = item.schedule.frequency { return nil }
        guard item.titration == nil, timeline.events.contains(where: { $0.item == index }),
              let range = Simulator.courseRange(ofItem: index, compilation, horizonStart: timeline.start) else { return nil }
        var to = range.last == range.blockLast ? nil : range.last
        if let count = item.course.doseCount, to == nil {
            // `x 10 doses`: it ends with its last dose, when that falls in the weeks shown.
            let events = timeline.events.filter { $0.item == index }
            if events.count >= count { to = timeline.start.adding(days: events[count - 1].day) }
        }
        let from = max(range.first, timeline.start)
        guard from > max(range.blockFirst, timeline.start) || to != nil else { return nil }
        return (from, to)
    }

    func shortDate(_ date: CivilDate) -> String { pictures.shortDate(date) }

    // MARK: Pictures

    private func week() -> String {
        guard !timeline.events.isEmpty else { return "" }
        return "<section aria-labelledby=\"week-heading\">\n<h2 id=\"week-heading\">\(HTML.escape(messages.weekHeading))</h2>\n"
            + "<div class=\"scroll\">\n" + pictures.weekSVG(idPrefix: "week").svg + "</div>\n</section>\n"
    }

    private func totals() -> String {
        let charts = pictures.totalCharts()
        guard !charts.isEmpty else { return "" }
        var html = "<section aria-labelledby=\"totals-heading\">\n<h2 id=\"totals-heading\">\(HTML.escape(messages.totalsHeading))</h2>\n"
        html += "<p>\(HTML.escape(messages.totalsIntro))</p>\n<div class=\"charts\">\n"
        for (index, chart) in charts.enumerated() { html += pictures.totalSVG(chart, idPrefix: "total\(index)").svg }
        return html + "</div>\n</section>\n"
    }

    // MARK: Findings and sources

    private func whatToKnow(_ footnotes: inout [String]) -> String {
        var html = "<section aria-labelledby=\"know-heading\">\n<h2 id=\"know-heading\">\(HTML.escape(messages.findingsHeading))</h2>\n"
        let shown = findings.sorted { $0.severity > $1.severity }
        guard !shown.isEmpty else { return html + "<p>\(HTML.escape(messages.noFindings))</p>\n</section>\n" }
        html += "<ul>\n"
        for finding in shown {
            let label = "<span class=\"finding-\(finding.severity.rawValue)\">\(HTML.escape(messages.severity(finding.severity.rawValue))):</span> "
            var text = label + HTML.escape(Self.sentence(finding.message))
            if let hint = finding.hint { text += " " + HTML.escape(Self.sentence(hint)) }
            text += footnoteMarks(finding.notes, &footnotes)
            html += "<li>\(text)</li>\n"
        }
        return html + "</ul>\n</section>\n"
    }

    private func sources(_ footnotes: [String]) -> String {
        var html = "<footer class=\"sources\">\n"
        if !footnotes.isEmpty {
            html += "<h2>\(HTML.escape(messages.sourcesHeading))</h2>\n<ol>\n"
            for (index, note) in footnotes.enumerated() { html += "<li id=\"source-\(index + 1)\">\(HTML.escape(note))</li>\n" }
            html += "</ol>\n"
        }
        return html + "<p>\(HTML.escape(messages.decisionSupport))</p>\n</footer>\n"
    }

    // MARK: Words

    func date(_ date: CivilDate) -> String { pictures.date(date) }

    /// "vitamin d" as people write it: "vitamin D".
    static func substanceName(_ name: String) -> String {
        guard name.hasPrefix("vitamin "), name.count > 8 else { return name }
        return "vitamin " + name.dropFirst(8).uppercased()
    }

    static func capitalized(_ text: String) -> String {
        let named = text.hasPrefix("vitamin ") ? substanceName(text) : text
        return named.prefix(1).uppercased() + named.dropFirst()
    }

    /// A message as a sentence: capitalised, with a full stop.
    static func sentence(_ text: String) -> String {
        // Code quotes (`supervised`) are for clinicians editing the file; the patient reads the word.
        let plain = String(text.filter { $0 != "`" })
        let capital = plain.prefix(1).uppercased() + plain.dropFirst()
        return capital.hasSuffix(".") ? capital : capital + "."
    }
}
