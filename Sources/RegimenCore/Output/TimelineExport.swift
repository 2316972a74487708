/// The timeline as JSON and CSV, for other programs.
public struct TimelineExport {
    let timeline: Timeline
    let compilation: Compilation
    var plan: Plan { compilation.plan }

    public init(_ timeline: Timeline, compilation: Compilation) {
        self.timeline = timeline
        self.compilation = compilation
    }

    private func line(of item: PlanItem) -> Int {
        compilation.sources[item.span.file].location(of: item.span.offset).line
    }

    private func amount(_ q: Quantity) -> JSON {
        let (value, symbol) = q.displayed
        return .object([("value", .number(value)), ("unit", .string(symbol))])
    }

    /// `{"start", "end", "timezone", "events", "totals", "diagnostics"}`.
    public func json(diagnostics: [Diagnostic]) -> JSON {
        // A year has thousands of doses on a few hundred dates, at a few dozen times, of a few
        // dozen amounts, from a few dozen lines: each date, time, amount and line is worked out once.
        var dateText: (date: CivilDate, text: String)?
        var timeText: [Int: String] = [:]
        let amounts = timeline.amounts.map { amount($0.dose) }
        let lines = plan.items.map(line(of:))
        let events: [JSON] = timeline.events.map { event in
            let item = plan.items[event.item]
            if dateText?.date != event.date { dateText = (event.date, event.date.description) }
            let time = timeText[event.time.minutes] ?? event.time.description
            timeText[event.time.minutes] = time
            var fields: [(String, JSON)] = [
                ("date", .string(dateText!.text)), ("time", .string(time)),
            ]
            // With stays elsewhere, each dose says which zone its local time is in.
            if !timeline.zoneStays.isEmpty { fields.append(("timezone", .string(timeline.timeZone(of: event)))) }
            fields += [
                ("name", .string(item.name)), ("substance", .string(item.substance)),
            ]
            if let form = item.form { fields.append(("form", .string(form))) }
            fields.append(("dose", amounts[Int(event.amountNumber)]))
            if let mg = timeline.activeMilligrams(of: event), item.basis != .asWritten { fields.append(("elemental_mg", .number((mg * 1000).rounded() / 1000))) }
            fields += [("route", .string(item.route.rawValue)), ("moved", .bool(event.moved)),
                       ("reason", .string(timeline.reason(of: event))), ("line", .int(lines[event.item]))]
            if let product = item.product {
                let part = item.productPart ?? ProductPart(index: 0, count: 1)
                fields += [("product", .string(product)), ("ingredient", .int(part.index + 1)), ("ingredients", .int(part.count))]
            }
            return .object(fields)
        }
        let totals: [JSON] = timeline.totals.map { total in
            var fields: [(String, JSON)] = [("date", .string(total.date.description)), ("substance", .string(total.substance)),
                                            ("amount", amount(total.amount))]
            if let limit = total.limit { fields.append(("limit", amount(limit.amount))) }
            return .object(fields)
        }
        var fields: [(String, JSON)] = [
            ("start", .string(timeline.start.description)), ("end", .string(timeline.end.description)),
            ("timezone", .string(timeline.timeZone)), ("events", .array(events)), ("totals", .array(totals)),
            ("diagnostics", .array(diagnostics.map { $0.json(sources: compilation.sources) })),
        ]
        if timeline.arranged {
            // How each kind of dosing day was arranged: what was minimised, what was proven.
            fields.append(("arrangement", .array(timeline.arrangement.map { day in
                var entry: [(String, JSON)] = [
                    ("date", .string(day.date.description)), ("days", .int(day.days)), ("status", .string(day.status.rawValue)),
                    ("deviation_minutes", .int(day.deviation)), ("moved", .int(day.moved)),
                    ("rules_set_aside", .int(day.relaxed)), ("set_aside_proven_fewest", .bool(day.relaxedProven)),
                ]
                if let bound = day.bound { entry.append(("deviation_bound", .int(bound))) }
                if let limit = day.limit { entry.append(("limit", .string(limit))) }
                return .object(entry)
            })))
        }
        return .object(fields)
    }

    /// One row per dose, with a header (RFC 4180 quoting): what, when and why, then the item's
    /// instruction in plain words (how it is taken and its spacing rules) and its notes.
    public func csv() -> String {
        var rows = ["date,time,name,substance,form,dose,unit,elemental_mg,route,moved,reason,line,instruction,note,product,ingredient,ingredients"]
        let instructions = DoseInstructions(compilation, timeline: timeline)
        var instructionOf: [Int: String] = [:]
        for event in timeline.events {
            let item = plan.items[event.item]
            let (value, unit) = timeline.dose(of: event).displayed
            let fields = [
                event.date.description, event.time.description, item.name, item.substance, item.form ?? "",
                Quantity.format(value), unit, item.basis == .asWritten ? "" : timeline.activeMilligrams(of: event).map { Quantity.format($0) } ?? "",
                item.route.rawValue, event.moved ? "true" : "false", timeline.reason(of: event), String(line(of: item)),
                instructionOf[event.item] ?? instructions.instruction(for: event.item), item.notes.joined(separator: "; "),
            ] + productFields(item)
            if instructionOf[event.item] == nil { instructionOf[event.item] = fields[12] }
            rows.append(fields.map(Self.quote).joined(separator: ","))
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    /// A product's name, and which of its ingredients the row is (from 1) of how many: the rows of
    /// one dose of a product share its name, line, date and time. Empty for an item that is no product.
    private func productFields(_ item: PlanItem) -> [String] {
        guard let product = item.product else { return ["", "", ""] }
        let part = item.productPart ?? ProductPart(index: 0, count: 1)
        return [product, String(part.index + 1), String(part.count)]
    }

    /// RFC 4180 quoting, by Unicode scalar (CR LF is one `Character` in Swift, and must still be
    /// quoted), after neutralising a formula: a field that begins with `=`, `+`, `-`, `@`, a tab or
    /// a carriage return gets a leading `'`, so a spreadsheet shows it as text instead of running
    /// it (OWASP, CSV injection).
    static func quote(_ field: String) -> String {
        var field = field
        switch field.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"): field = "'" + field
        default: break
        }
        // These are ASCII, and no byte of a multi-byte UTF-8 sequence is ASCII: a byte scan finds them.
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else { return field }
        var quoted = String.UnicodeScalarView()
        for scalar in field.unicodeScalars {
            // By scalar: a quote followed by a combining mark is one `Character`, and still a quote.
            if scalar == "\"" { quoted.append(scalar) }
            quoted.append(scalar)
        }
        return "\"" + String(quoted) + "\""
    }
}
