import RegimenCore

/// The handout's two pictures, drawn from the same timeline as `regimen simulate`: the first
/// week as a grid of days × clock times with a mark per dose, and for each substance with an
/// upper limit, its daily total as a step chart with the limit as a dashed line. Each mark is
/// coloured by item and carries the item's number, so colour is never the only sign of which
/// item it is; each picture has a title and a description for screen readers.
public struct HandoutPictures {
    let timeline: Timeline
    let plan: Plan
    let messages: HandoutMessages

    public init(_ timeline: Timeline, compilation: Compilation, messages: HandoutMessages = .english) {
        self.timeline = timeline
        self.plan = compilation.plan
        self.messages = messages
    }

    /// Item colours, each dark enough for white text inside a mark (contrast at least 4.5:1)
    /// and for the legend's text on white.
    public static let palette = ["#1f4e99", "#a3261b", "#1e6b2e", "#6b2c91", "#8a4b00", "#00606b", "#a1175e", "#4a4a4a"]

    /// The items drawn, numbered from 1 in plan order: those with a dose in the timeline.
    var drawnItems: [Int] { Set(timeline.events.map(\.item)).sorted() }

    func number(of item: Int) -> Int { (drawnItems.firstIndex(of: item) ?? 0) + 1 }
    func colour(of item: Int) -> String { Self.palette[(number(of: item) - 1) % Self.palette.count] }

    /// Both pictures in one standalone SVG document (`regimen simulate --format svg`).
    public func standalone() -> String {
        let week = weekSVG(idPrefix: "week")
        let charts = totalCharts().enumerated().map { totalSVG($0.element, idPrefix: "total\($0.offset)") }
        var y = 0
        var body = ""
        for (svg, height) in [week] + charts {
            let width = svg.contains("class=\"week\"") ? Self.width : Self.chartWidth
            body += svg.replacingFirst("<svg ", with: "<svg x=\"0\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" ")
            y += height + 16
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.width)\" height=\"\(y)\" viewBox=\"0 0 \(Self.width) \(y)\" role=\"img\" aria-labelledby=\"all-title\">\n<title id=\"all-title\">\(HTML.escape(messages.weekHeading)); \(HTML.escape(messages.totalsHeading))</title>\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + body + "</svg>\n"
    }

    static let width = 640
    /// Two charts side by side on paper.
    static let chartWidth = 360

    // MARK: The week

    /// The first seven dosing days (fewer when the timeline is shorter), as SVG, and its height.
    func weekSVG(idPrefix: String) -> (svg: String, height: Int) {
        let days = min(7, timeline.days)
        let events = timeline.events.filter { $0.day < days }
        let wake = plan.patient.anchors[.wake]!.minutes
        func order(_ minutes: Int) -> Int { minutes < wake ? minutes + 1440 : minutes }
        let times = Set(events.map(\.minutes)).sorted { order($0) < order($1) }
        let perCell = Dictionary(grouping: events) { "\($0.day)|\($0.minutes)" }
        let widest = perCell.values.map(\.count).max() ?? 1
        let left = 64, top = 34, rowHeight = 30
        let columnWidth = (Self.width - left - 4) / max(days, 1)
        let markWidth = min(24, (columnWidth - 6) / max(widest, 1) - 2)
        let gridHeight = max(times.count, 1) * rowHeight
        let legendTop = top + gridHeight + 16
        let legendRows = (Set(events.map(\.item)).count + 1) / 2
        let height = legendTop + legendRows * 24 + 6
        let first = timeline.start, last = timeline.start.adding(days: days - 1)
        let names = drawnItems.filter { item in events.contains { $0.item == item } }.map { "\(number(of: $0)) \(plan.items[$0].listedName)" }
        let alt = messages.weekAlt(date(first), date(last), events.count, names)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"week\" viewBox=\"0 0 \(Self.width) \(height)\" role=\"img\" aria-labelledby=\"\(idPrefix)-title \(idPrefix)-desc\">\n"
        svg += "<title id=\"\(idPrefix)-title\">\(HTML.escape(messages.weekHeading))</title>\n<desc id=\"\(idPrefix)-desc\">\(HTML.escape(alt))</desc>\n"
        for day in 0..<days {
            let x = left + day * columnWidth
            let date = timeline.start.adding(days: day)
            if day % 2 == 0 { svg += "<rect x=\"\(x)\" y=\"\(top - 4)\" width=\"\(columnWidth)\" height=\"\(gridHeight + 4)\" fill=\"#f2f2f2\"/>\n" }
            svg += "<text x=\"\(x + columnWidth / 2)\" y=\"14\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" fill=\"#111111\">\(HTML.escape(messages.weekdaysShort[date.weekday]))</text>\n"
            svg += "<text x=\"\(x + columnWidth / 2)\" y=\"28\" text-anchor=\"middle\" font-size=\"12\" fill=\"#111111\">\(date.day) \(HTML.escape(String(messages.months[date.month - 1].prefix(3))))</text>\n"
        }
        for (row, minutes) in times.enumerated() {
            let y = top + row * rowHeight
            svg += "<line x1=\"\(left - 4)\" y1=\"\(y + rowHeight)\" x2=\"\(Self.width - 4)\" y2=\"\(y + rowHeight)\" stroke=\"#bbbbbb\" stroke-width=\"1\"/>\n"
            svg += "<text x=\"\(left - 10)\" y=\"\(y + 20)\" text-anchor=\"end\" font-size=\"13\" fill=\"#111111\">\(ClockTime(minutes: minutes))</text>\n"
            for day in 0..<days {
                let doses = (perCell["\(day)|\(minutes)"] ?? []).sorted { $0.item < $1.item }
                let total = doses.count * (markWidth + 2) - 2
                var x = left + day * columnWidth + (columnWidth - total) / 2
                for event in doses {
                    let item = plan.items[event.item]
                    let label = "\(item.listedName) \(timeline.dose(of: event).description), \(event.time)"
                    svg += "<g class=\"dose\" data-item=\"\(event.item)\" data-date=\"\(event.date)\" data-time=\"\(event.time)\">"
                    svg += "<title>\(HTML.escape(label))</title>"
                    svg += "<rect x=\"\(x)\" y=\"\(y + 4)\" width=\"\(markWidth)\" height=\"22\" rx=\"5\" fill=\"\(colour(of: event.item))\"/>"
                    svg += "<text x=\"\(x + markWidth / 2)\" y=\"\(y + 20)\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" fill=\"#ffffff\">\(number(of: event.item))</text></g>\n"
                    x += markWidth + 2
                }
            }
        }
        let inWeek = drawnItems.filter { item in events.contains { $0.item == item } }
        for (index, item) in inWeek.enumerated() {
            let x = 8 + (index % 2) * (Self.width / 2), y = legendTop + (index / 2) * 24
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"22\" height=\"20\" rx=\"5\" fill=\"\(colour(of: item))\"/>"
            svg += "<text x=\"\(x + 11)\" y=\"\(y + 15)\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" fill=\"#ffffff\">\(number(of: item))</text>"
            svg += "<text x=\"\(x + 30)\" y=\"\(y + 15)\" font-size=\"13\" fill=\"#111111\">\(HTML.escape(Handout.capitalized(plan.items[item].listedName)))</text>\n"
        }
        return (svg + "</svg>\n", height)
    }

    // MARK: Daily totals

    /// One substance's daily totals over the timeline and its limit.
    struct TotalChart {
        var substance: String
        var values: [Double]
        var limit: Quantity
        var unit: Quantity
        var includesAsNeeded: Bool
    }

    /// A chart for every substance whose total has a limit for this patient.
    func totalCharts() -> [TotalChart] {
        var charts: [TotalChart] = []
        let bySubstance = Dictionary(grouping: timeline.totals, by: \.substance)
        for substance in bySubstance.keys.sorted() {
            let totals = bySubstance[substance]!
            guard let limit = totals.compactMap(\.limit).first else { continue }
            var values = [Double](repeating: 0, count: timeline.days)
            for total in totals {
                let day = total.date.dayNumber - timeline.start.dayNumber
                if day >= 0 && day < values.count { values[day] = total.amount.base }
            }
            charts.append(TotalChart(substance: substance, values: values, limit: limit.amount, unit: totals[0].amount,
                                     includesAsNeeded: totals.contains { $0.includesAsNeeded }))
        }
        return charts
    }

    func amountText(_ base: Double, like unit: Quantity) -> String {
        Quantity(base: base, dimension: unit.dimension, unit: unit.unit).description
    }

    /// A step chart of one substance's daily totals, and its height.
    func totalSVG(_ chart: TotalChart, idPrefix: String) -> (svg: String, height: Int) {
        let height = 170, left = 56, right = Self.chartWidth - 10, top = 30, bottom = 130
        let highest = max(chart.values.max() ?? 0, chart.limit.base)
        let scale = Double(bottom - top) / (highest * 1.15)
        func y(_ value: Double) -> Int { bottom - Int((value * scale).rounded()) }
        let n = max(chart.values.count, 1)
        func x(_ day: Int) -> Int { left + (right - left) * day / n }
        let over = chart.values.contains { $0 > chart.limit.base + 1e-9 }
        let name = Handout.substanceName(chart.substance)
        let alt = (chart.includesAsNeeded ? messages.asNeededCounted + ". " : "") + messages.totalsAlt(name, amountText(chart.values.min() ?? 0, like: chart.unit), amountText(chart.values.max() ?? 0, like: chart.unit),
                                     chart.limit.description, over)
        let data = chart.values.map { Quantity.format(($0 * 1000).rounded() / 1000) }.joined(separator: " ")
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"totals\" viewBox=\"0 0 \(Self.chartWidth) \(height)\" role=\"img\" aria-labelledby=\"\(idPrefix)-title \(idPrefix)-desc\">\n"
        svg += "<title id=\"\(idPrefix)-title\">\(HTML.escape(Handout.capitalized(name)))</title>\n<desc id=\"\(idPrefix)-desc\">\(HTML.escape(alt))</desc>\n"
        let heading = Handout.capitalized(name) + (chart.includesAsNeeded ? " " + messages.asNeededCounted : "")
        svg += "<text x=\"\(left)\" y=\"18\" font-size=\"15\" font-weight=\"bold\" fill=\"#111111\">\(HTML.escape(heading))</text>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"#111111\" stroke-width=\"1\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top - 6)\" x2=\"\(left)\" y2=\"\(bottom)\" stroke=\"#111111\" stroke-width=\"1\"/>\n"
        svg += "<text x=\"\(left - 6)\" y=\"\(bottom + 4)\" text-anchor=\"end\" font-size=\"12\" fill=\"#111111\">0</text>\n"
        // The step line: one level per day, joined where it changes.
        var path = "M\(x(0)) \(y(chart.values.first ?? 0))"
        for (day, value) in chart.values.enumerated() {
            if day > 0 { path += " V\(y(value))" }
            path += " H\(x(day + 1))"
        }
        svg += "<path class=\"total\" data-substance=\"\(HTML.escape(chart.substance))\" data-totals=\"\(data)\" d=\"\(path)\" fill=\"none\" stroke=\"#1f4e99\" stroke-width=\"3\"/>\n"
        // Labels where the level changes, at most six, so the numbers can be read without the line.
        // Each level labelled once, where it is first reached, when there is room beside the last label.
        var labelled: [Int] = []
        var levels = Set<Double>()
        for day in chart.values.indices where levels.insert(chart.values[day]).inserted {
            if let previous = labelled.last, x(day) - x(previous) < 62 { continue }
            labelled.append(day)
        }
        let limitY = y(chart.limit.base)
        for day in labelled.prefix(6) {
            let value = chart.values[day]
            let above = abs(y(value) - 6 - limitY) > 14 && y(value) - 6 > top
            svg += "<text x=\"\(x(day) + 4)\" y=\"\(above ? y(value) - 6 : min(y(value) + 16, bottom - 3))\" font-size=\"12\" fill=\"#1f4e99\">\(HTML.escape(amountText(value, like: chart.unit)))</text>\n"
        }
        svg += "<line class=\"limit\" data-limit=\"\(Quantity.format(chart.limit.base))\" x1=\"\(left)\" y1=\"\(limitY)\" x2=\"\(right)\" y2=\"\(limitY)\" stroke=\"#a3261b\" stroke-width=\"2\" stroke-dasharray=\"8 5\"/>\n"
        svg += "<text x=\"\(right)\" y=\"\(limitY - 6)\" text-anchor=\"end\" font-size=\"12\" font-weight=\"bold\" fill=\"#a3261b\">\(HTML.escape(messages.upperLimit(chart.limit.description)))</text>\n"
        svg += "<text x=\"\(left)\" y=\"\(bottom + 18)\" font-size=\"12\" fill=\"#111111\">\(HTML.escape(shortDate(timeline.start)))</text>\n"
        svg += "<text x=\"\(right)\" y=\"\(bottom + 18)\" text-anchor=\"end\" font-size=\"12\" fill=\"#111111\">\(HTML.escape(shortDate(timeline.end)))</text>\n"
        return (svg + "</svg>\n", height)
    }

    func date(_ date: CivilDate) -> String {
        messages.longDate(messages.weekdays[date.weekday], date.day, messages.months[date.month - 1], date.year)
    }

    func shortDate(_ date: CivilDate) -> String {
        messages.shortDate(messages.weekdaysShort[date.weekday], date.day, messages.months[date.month - 1])
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}

/// Escaping for HTML and XML text and attributes: the core's, which the FHIR narrative uses too.
enum HTML {
    static func escape(_ text: String) -> String { XMLText.escaped(text) }
}
