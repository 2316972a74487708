/// A FHIR Quantity, checked: a finite amount in a unit Regimen can write.
struct FHIRQuantity {
    let value: Double
    /// The Regimen unit word, when the unit is one Regimen knows.
    let unitWord: String?
    let writtenUnit: String
    let path: String

    /// UCUM codes, HL7 dose-form codes and common unit texts, as Regimen writes them.
    static let units: [String: String] = [
        "mg": "mg", "ug": "mcg", "mcg": "mcg", "µg": "mcg", "g": "g", "kg": "kg", "ml": "mL", "mL": "mL", "l": "L", "L": "L",
        "[iU]": "IU", "[IU]": "IU", "IU": "IU", "iu": "IU", "meq": "mEq", "mEq": "mEq", "mmol": "mmol",
        "[tsp_us]": "tsp", "[tbs_us]": "tbsp", "[cup_us]": "cup", "[U]": "units", "U": "units", "unit": "units", "units": "units",
        "{tbl}": "tablet", "{tablet}": "tablet", "tab": "tablet", "tabs": "tablet", "tablet": "tablet", "tablets": "tablet", "TAB": "tablet",
        "{capsule}": "capsule", "{cap}": "capsule", "cap": "capsule", "caps": "capsule", "capsule": "capsule", "capsules": "capsule", "CAP": "capsule",
        "{drop}": "drop", "[drp]": "drop", "drop": "drop", "drops": "drop",
        "{puff}": "puff", "puff": "puff", "puffs": "puff", "{spray}": "spray", "spray": "spray", "sprays": "spray",
        "{patch}": "patch", "patch": "patch", "PATCH": "patch", "{suppository}": "suppository", "SUPP": "suppository",
        "{sachet}": "sachet", "sachet": "sachet", "{softgel}": "softgel", "softgel": "softgel",
        "{application}": "application", "application": "application",
        "cm": "cm", "m": "m", "[lb_av]": "lb", "lb": "lb", "lbs": "lb",
        // `ea` (each), common in records though not UCUM: one of whatever the product comes in.
        "ea": "each", "{each}": "each", "each": "each",
        // HL7 v3 orderableDrugForm codes, which HL7's own examples use as dose units.
        "VAGTAB": "tablet", "ORTAB": "tablet", "CHEWTAB": "tablet", "OPDROP": "drop", "OTDROP": "drop", "NDROP": "drop",
        "RECSUPP": "suppository", "VAGSUPP": "suppository", "TPATCH": "patch", "NASSPRY": "spray", "INHL": "puff",
    ]

    init?(_ json: JSON, path: String) {
        guard let value = json["value"]?.double else { return nil }
        self.value = value
        self.path = path
        let code = json["code"]?.string ?? json["unit"]?.string ?? ""
        writtenUnit = json["unit"]?.string ?? code
        unitWord = Self.units[code] ?? Self.units[json["unit"]?.string ?? ""] ?? Self.units[(json["unit"]?.string ?? "").lowercased()]
    }

    /// As a Regimen dose (`300mg`, `2 tablets`), or why it cannot be one.
    var regimen: Result<String, FHIRImport.Failure> {
        guard value.isFinite, value > 0, value <= 10_000_000 else {
            return .failure(FHIRImport.Failure(message: "\(path).value is \(value), not an amount a dose can be"))
        }
        guard let unitWord else {
            // A dose per body weight or surface needs the patient's measurement, which an order alone does not carry.
            if writtenUnit.hasSuffix("/kg") || writtenUnit.hasSuffix("/m2") {
                return .failure(FHIRImport.Failure(message: "\(path) is \(Quantity.format(value)) \(writtenUnit), a dose per \(writtenUnit.hasSuffix("/kg") ? "kilogram of body weight" : "square metre of body surface"); the amount to give is not in the record, and is never guessed"))
            }
            return .failure(FHIRImport.Failure(message: "\(path) is in \(RegimenText.literal(writtenUnit)), a unit Regimen cannot convert"))
        }
        let tight = ["mg", "mcg", "g", "kg", "mL", "L"].contains(unitWord)
        return .success(Quantity.format(value) + (tight ? "" : " ") + Unit.word(unitWord, count: value))
    }
}

/// A resource's dosages, grouped into items: sequential steps (`sequence` 1, 2, …) are one item
/// when they form a titration; every other dosage (split dosing) is an item of its own.
struct DosageGroups {
    let groups: [[JSON]]

    init(_ dosages: [JSON]) {
        let sequences = dosages.compactMap { $0["sequence"]?.int }
        if dosages.count > 1, sequences.count == dosages.count, Set(sequences).count == dosages.count {
            groups = [dosages.sorted { ($0["sequence"]?.int ?? 0) < ($1["sequence"]?.int ?? 0) }]
        } else {
            groups = dosages.map { [$0] }
        }
    }
}

extension FHIRImport.Importer {
    typealias Failure = FHIRImport.Failure

    /// A `boundsDuration` in whole days, else nil.
    static func days(_ duration: JSON?) -> Int? {
        guard let duration, let value = duration["value"]?.double, value.isFinite, value >= 1, value <= 36_500, value == value.rounded(),
              ["d", "day", "days"].contains(duration["code"]?.string ?? duration["unit"]?.string ?? "") else { return nil }
        return Int(value)
    }

    /// One item line for a dosage (or a titration over sequential dosages); `startDay` starts a
    /// sequence step that follows steps of known lengths.
    mutating func dosageLine(name: String, group: [JSON], resource: JSON, startDay: Int? = nil) -> Result<String, Failure> {
        var notes: [String] = []
        let first = group[0]
        // Sequential dosages that step evenly are a titration; others are written one by one.
        var head = name
        var parts: [String] = []
        if group.count > 1 {
            guard let titration = titration(group) else {
                // Steps that are not even: each step is its own item with its own dates. A later step
                // without a start date follows a step whose end the record does not say: it is not
                // scheduled alongside the first (that would double the dose), and it is said so.
                // Steps that each last a number of days (`boundsDuration`) follow one another: a later
                // step starts on the day after the earlier ones end (`starting day 5`), as FHIR's sequence means.
                var lines: [String] = []
                var startDay: Int? = 1
                for (index, step) in group.enumerated() {
                    let repeatFields = step["timing"]?["repeat"]
                    let starts = repeatFields?["boundsPeriod"]?["start"]?.string != nil
                    let result = index > 0 && !starts && startDay == nil
                        ? .failure(Failure(message: "dosage step \(index + 1) (sequence \(step["sequence"]?.int ?? index + 1)) follows an earlier step and has no start date, so when it begins is not in the record"))
                        : dosageLine(name: name, group: [step], resource: resource, startDay: index > 0 && !starts ? startDay : nil)
                    startDay = startDay.flatMap { day in Self.days(repeatFields?["boundsDuration"]).map { day + $0 } }
                    switch result {
                    case .success(let line): lines.append(line)
                    case .failure(let failure):
                        warn(resource, "not imported: \(failure.message)")
                        lines.append("# not imported: \(label(resource)): \(failure.message)")
                    }
                }
                return .success(lines.joined(separator: "\n  "))
            }
            head += " from \(titration.firstDose)"
            parts.append(titration.clause)
        } else {
            switch dose(first, notes: &notes) {
            case .success(let text): head += " " + text
            case .failure(let failure): return .failure(failure)
            }
        }
        notes += itemNotes
        let repeatFields = first["timing"]?["repeat"] ?? .object([])
        let asNeeded = first["asNeededBoolean"]?.bool == true || first["asNeededCodeableConcept"] != nil
        // Only `event`s: a dose on each date (at its time when the time is UTC or has no zone, since the
        // plan's clock is UTC unless the file gives a zone; another zone's time is kept in a note).
        if case .object(let fields) = repeatFields, fields.isEmpty, Self.timingCode(first) == nil, !asNeeded, group.count == 1,
           let events = first["timing"]?["event"]?.strings, !events.isEmpty, events.count <= 31,
           events.allSatisfy({ $0.count >= 10 && CivilDate(parsing: $0.prefix(10)) != nil }) {
            var lines: [String] = []
            for event in events {
                let clock = event.count >= 16 && (event.count == 16 || event.hasSuffix("Z") || event.dropFirst(19).hasPrefix("Z")) ? String(event.dropFirst(11).prefix(5)) : nil
                var repeatOnce: [(String, JSON)] = [("count", .number(1)), ("boundsPeriod", .object([("start", .string(String(event.prefix(10))))]))]
                if let clock, clock.allSatisfy({ $0.isNumber || $0 == ":" }) { repeatOnce.append(("timeOfDay", .array([.string(clock + ":00")]))) }
                guard case .object(var dosageFields) = first else { break }
                dosageFields.removeAll { $0.0 == "timing" }
                dosageFields.append(("timing", .object([("repeat", .object(repeatOnce))])))
                if clock == nil, event.count > 10 {
                    // The time in another zone is said, not dropped: as an instruction that becomes a note.
                    var instructions = first["additionalInstruction"]?.array ?? []
                    instructions.append(.object([("text", .string("at \(event) as written: the time of day is not scheduled"))]))
                    dosageFields.removeAll { $0.0 == "additionalInstruction" }
                    dosageFields.append(("additionalInstruction", .array(instructions)))
                }
                switch dosageLine(name: name, group: [.object(dosageFields)], resource: resource) {
                case .success(let line): lines.append(line)
                case .failure(let failure): return .failure(failure)
                }
            }
            if !lines.isEmpty { return .success(lines.joined(separator: "\n  ")) }
        }
        // No repeat and no code is no schedule: scheduling it daily would invent a frequency.
        if case .object(let fields) = repeatFields, fields.isEmpty, Self.timingCode(first) == nil, !asNeeded {
            let text = first["text"]?.string.map { " (its text: \(RegimenText.literal($0)))" } ?? ""
            return .failure(Failure(message: "the dosage has no timing.repeat or timing.code, so no schedule\(text); a frequency is never guessed"))
        }
        if let events = first["timing"]?["event"]?.strings, !events.isEmpty {
            notes.append("the record also gives these times: " + events.prefix(10).joined(separator: ", "))
        }
        switch frequency(first, repeatFields, asNeeded: asNeeded, notes: &notes) {
        case .success(let often): if !often.isEmpty { head += " " + often }
        case .failure(let failure): return .failure(failure)
        }
        parts.insert(head, at: 0)
        if let purpose = Self.conceptText(first["asNeededCodeableConcept"]).map(Self.withoutSemanticTag) {
            if let words = RegimenText.words(purpose), words.split(separator: " ").allSatisfy({ Parser.clauseStartWords[String($0)] == nil }) {
                parts.append("for \(words)")
            } else {
                notes.append("as needed for " + purpose)
            }
        }
        // No route, and a dose form that is not swallowed (a patch, a spray) or not named (`1 ea`): the
        // checks' oral reading is then an assumption, and it is said. Tablets and milligrams stay quiet.
        let doseUnit = first["doseAndRate"]?.array?.first.flatMap { $0["doseQuantity"] ?? $0["doseRange"]?["low"] }.flatMap { FHIRQuantity($0, path: "")?.unitWord }
        if first["route"] == nil, !fromRegimen, let doseUnit, ["patch", "spray", "puff", "drop", "suppository", "application", "each"].contains(doseUnit) {
            notes.append("the record gives no route for a dose in \(doseUnit == "each" ? "units of an unnamed form" : Unit.word(doseUnit, count: 2)): the checks treat the item as taken by mouth")
        }
        if let route = route(first, notes: &notes) { parts.append(route) }
        if let timing = Self.timing(repeatFields) {
            // Times that do not match the doses a day (`frequency` 2 with one `when`) cannot both hold:
            // the frequency is kept and the times said, never one picked for the other.
            let perDay = repeatFields["period"]?.double == 1 && repeatFields["periodUnit"]?.string == "d" && repeatFields["periodMax"] == nil
                ? repeatFields["frequency"]?.int : nil
            if let perDay, perDay != Self.timesNamed(timing) {
                notes.append("the record gives the times \"\(timing)\" for \(perDay) dose\(perDay == 1 ? "" : "s") a day, which do not match: the times were not imported")
            } else {
                parts.append(timing)
            }
        }
        if let startDay { parts.append("starting day \(startDay)") }
        switch course(repeatFields, group, notes: &notes) {
        case .success(let course): parts += course
        case .failure(let failure): return .failure(failure)
        }
        if asNeeded, let most = maxPerDay(first, notes: &notes) { parts.append("max \(most) per day") }
        if !asNeeded { maximumNotes(first, notes: &notes) }
        for instruction in first["additionalInstruction"]?.array ?? [] {
            guard let text = instruction["text"]?.string ?? instruction["coding"]?.array?.first?["display"]?.string else { continue }
            if Self.isRegimenClause(text) { parts.append(text) } else { notes.append(text) }
        }
        if let instruction = first["patientInstruction"]?.string, !instruction.isEmpty, !fromRegimen { notes.append("patient instruction: " + instruction) }
        for key in ["site", "method"] {
            if let text = Self.conceptText(first[key]).map(Self.withoutSemanticTag) { notes.append("\(key): " + text) }
        }
        if resource["resourceType"]?.string == "MedicationStatement" { parts.append("current") }
        if resource["status"] == nil || resource["status"]?.string == "unknown" { notes.append("the record does not say whether the order is active (status unknown)") }
        for note in resource["note"]?.array ?? [] {
            guard let text = note["text"]?.string else { continue }
            if text == "under medical supervision" { parts.append("supervised") } else { notes.append(text) }
        }
        if !notes.isEmpty, !fromRegimen, let text = first["text"]?.string, !text.isEmpty { notes.append("FHIR text: " + text) }
        for note in notes where !note.hasPrefix("FHIR text: ") { warn(resource, "kept as a note: \(RegimenText.literal(note))") }
        parts += notes.map { "note \(RegimenText.literal($0))" }
        return .success(parts.joined(separator: ", "))
    }

    /// The dose, from `doseQuantity`, or the upper end of a `doseRange` (limits count the upper end; the range is kept in a note).
    mutating func dose(_ dosage: JSON, notes: inout [String]) -> Result<String, Failure> {
        let doseAndRate = dosage["doseAndRate"]?.array?.first
        if doseAndRate?["rateQuantity"] != nil || doseAndRate?["rateRatio"] != nil || doseAndRate?["rateRange"] != nil {
            notes.append("an infusion rate is given, which Regimen does not model")
        }
        if let quantity = doseAndRate?["doseQuantity"].flatMap({ FHIRQuantity($0, path: "doseAndRate.doseQuantity") }) {
            return quantity.regimen
        }
        if let range = doseAndRate?["doseRange"],
           let low = range["low"].flatMap({ FHIRQuantity($0, path: "doseAndRate.doseRange.low") }),
           let high = range["high"].flatMap({ FHIRQuantity($0, path: "doseAndRate.doseRange.high") }) {
            guard case .success = low.regimen else { return low.regimen }
            guard case .success(let highText) = high.regimen else { return high.regimen }
            guard low.unitWord == high.unitWord, low.value < high.value else {
                return .failure(Failure(message: "doseAndRate.doseRange runs from \(Quantity.format(low.value)) to \(Quantity.format(high.value)) in different units or the wrong way"))
            }
            // `1-2 capsules`: Regimen's own range, whose upper end limits count.
            return .success(Quantity.format(low.value) + "-" + highText)
        }
        return .failure(Failure(message: "the dosage gives no dose (doseQuantity or doseRange); a dose is never guessed"))
    }

    /// A whole number at a JSON path, checked to lie in `range`.
    func whole(_ value: JSON?, _ path: String, _ range: ClosedRange<Int>) -> Result<Int?, Failure> {
        guard let value else { return .success(nil) }
        guard let number = value.double, number.isFinite, number == number.rounded(), number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            return .failure(Failure(message: "\(path) is \(value.double.map { Quantity.format($0) } ?? "not a number"), not a whole number from \(range.lowerBound) to \(range.upperBound)"))
        }
        return .success(Int(number))
    }

    /// How often, in Regimen's words, from `Timing.repeat` (or `Timing.code` when there is no repeat).
    mutating func frequency(_ dosage: JSON, _ repeatFields: JSON, asNeeded: Bool, notes: inout [String]) -> Result<String, Failure> {
        if case .object(let fields) = repeatFields, fields.isEmpty, let code = Self.timingCode(dosage) {
            return .success(asNeeded ? (code.asNeeded ?? "as needed") : code.scheduled)
        }
        let n: Int, nMax: Int?
        switch (whole(repeatFields["frequency"], "timing.repeat.frequency", 1...1000), whole(repeatFields["frequencyMax"], "timing.repeat.frequencyMax", 1...1000)) {
        case (.success(let a), .success(let b)): (n, nMax) = (a ?? 1, b)
        case (.failure(let f), _), (_, .failure(let f)): return .failure(f)
        }
        let period = repeatFields["period"]?.double ?? 1, periodMax = repeatFields["periodMax"]?.double
        guard period.isFinite, period > 0, period <= 100_000, periodMax.map({ $0.isFinite && $0 >= period && $0 <= 100_000 }) ?? true else {
            return .failure(Failure(message: "timing.repeat.period is \(Quantity.format(period)), not a time a dose can repeat in"))
        }
        let unit = repeatFields["periodUnit"]?.string ?? "d"
        if let nMax, nMax > n { notes.append("\(n) to \(nMax) times per period as written: the lower is scheduled") }
        if repeatFields["count"]?.int == 1, repeatFields["frequency"] == nil, repeatFields["period"] == nil { return .success(asNeeded ? "as needed" : "once") }
        // A number of times with no period to repeat in ("twice", "three or four times") says how many,
        // not how often: a day would be a guess. (A period alone, "every day", is once per period.)
        if !asNeeded, repeatFields["period"] == nil, repeatFields["periodUnit"] == nil, repeatFields["dayOfWeek"] == nil,
           repeatFields["timeOfDay"] == nil, repeatFields["when"] == nil,
           repeatFields["frequency"] != nil || repeatFields["count"] != nil {
            return .failure(Failure(message: "timing.repeat gives \(repeatFields["frequency"] != nil ? "a frequency" : "a count") but no period, so how often is not in the record"))
        }
        if let periodMax, periodMax > period, !(unit == "h" && n == 1) {
            notes.append("every \(Quantity.format(period)) to \(Quantity.format(periodMax)) \(unit) as written: the shorter period is scheduled")
        }
        if let days = repeatFields["dayOfWeek"]?.strings, !days.isEmpty {
            let valid = days.filter { Parser.weekdays[$0] != nil }
            guard valid.count == days.count else { return .failure(Failure(message: "timing.repeat.dayOfWeek holds a day that is not mon…sun")) }
            // Several doses on a weekday are written by their times; without times, one dose a day would drop the others.
            let times = repeatFields["timeOfDay"]?.strings?.count ?? 0
            if n > 1, times != n, !asNeeded {
                return .failure(Failure(message: "timing.repeat gives \(n) doses on each of \(valid.joined(separator: ", ")) but \(times == 0 ? "no" : "\(times)") timeOfDay; Regimen writes several doses on a weekday by their times, which are not in the record"))
            }
            return .success((asNeeded ? "as needed, " : "") + "on " + valid.joined(separator: ", "))
        }
        let minutes: Double? = switch unit {
        case "s": period / 60
        case "min": period
        case "h": period * 60
        default: nil
        }
        if let minutes {
            // An interval within a day: every X (as needed, the shortest time between doses).
            let interval = minutes / Double(n)
            guard interval >= 1, interval == interval.rounded() else {
                return .failure(Failure(message: "timing.repeat gives \(n) doses every \(Quantity.format(period))\(unit): not a whole number of minutes apart"))
            }
            var text = interval.truncatingRemainder(dividingBy: 60) == 0 ? "every \(Int(interval / 60))h" : "every \(Int(interval))min"
            if n == 1, let periodMax, periodMax > period, unit == "h", period == period.rounded(), periodMax == periodMax.rounded() {
                text = "every \(Int(period)) to \(Int(periodMax)) hours"
            }
            return .success(text + (asNeeded ? " as needed" : ""))
        }
        guard period == period.rounded() else { return .failure(Failure(message: "timing.repeat.period is \(Quantity.format(period))\(unit), not a whole number")) }
        let p = Int(period)
        if asNeeded {
            // `frequency` of an as-needed dose is its most per period (`once daily as needed` is at most one a day).
            if unit == "d", p == 1, dosage["maxDosePerPeriod"] == nil { return .success("as needed, max \(n) per day") }
            return .success("as needed")
        }
        switch (unit, p, n) {
        case ("d", 1, 1): return .success("daily")
        case ("d", 1, 2): return .success("twice daily")
        case ("d", 1, 3): return .success("three times daily")
        case ("d", 1, 4): return .success("four times daily")
        case ("d", 1, _): return n <= 24 ? .success("\(n) times daily") : .failure(Failure(message: "\(n) doses a day is more than the simulator schedules"))
        case ("d", 2, 1): return .success("every other day")
        case ("d", _, 1): return .success("every \(p) days")
        case ("wk", 1, 1): return .success("weekly")
        case ("wk", 1, 2): return .success("twice weekly")
        case ("wk", 1, 3...7): return .success("\(n) times a week")
        case ("wk", _, 1): return .success("every \(p) weeks")
        case ("mo", 1, 1): return .success("monthly")
        case ("mo", _, 1): return .success("every \(p) months")
        case ("a", _, 1): return .success("every \(12 * p) months")
        default:
            return .failure(Failure(message: "timing.repeat gives \(n) doses every \(p) \(unit), which Regimen cannot schedule"))
        }
    }

    /// `Timing.code` (HL7's GTSAbbreviation) as a frequency.
    static func timingCode(_ dosage: JSON) -> (scheduled: String, asNeeded: String?)? {
        let codes = (dosage["timing"]?["code"]?["coding"]?.array?.compactMap { $0["code"]?.string } ?? [])
            + [dosage["timing"]?["code"]?["text"]?.string].compactMap { $0?.uppercased() }
        let table: [String: (String, String?)] = [
            "QD": ("daily", nil), "BID": ("twice daily", nil), "TID": ("three times daily", nil), "QID": ("four times daily", nil),
            "QOD": ("every other day", nil), "AM": ("daily in the morning", nil), "QAM": ("daily in the morning", nil),
            "PM": ("daily in the evening", nil), "QPM": ("daily in the evening", nil), "QHS": ("nightly", nil), "HS": ("nightly", nil),
            "Q4H": ("every 4h", "every 4h as needed"), "Q6H": ("every 6h", "every 6h as needed"), "Q8H": ("every 8h", "every 8h as needed"),
            "Q12H": ("every 12h", "every 12h as needed"), "Q1H": ("every 1h", "every 1h as needed"), "Q2H": ("every 2h", "every 2h as needed"),
            "Q3H": ("every 3h", "every 3h as needed"), "WK": ("weekly", nil), "MO": ("monthly", nil),
        ]
        return codes.lazy.compactMap { table[$0] }.first.map { ($0.0, $0.1) }
    }

    /// The route, by SNOMED CT code or text; a route Regimen cannot write is a note, never oral.
    mutating func route(_ dosage: JSON, notes: inout [String]) -> String? {
        guard let route = dosage["route"] else { return nil }
        let snomed = Dictionary(uniqueKeysWithValues: FHIRExport.routeCodes.map { ($0.value.code, $0.key) })
        let codes = route["coding"]?.array?.compactMap { $0["code"]?.string } ?? []
        let text = route["text"]?.string ?? route["coding"]?.array?.first?["display"]?.string
        let found = codes.lazy.compactMap { snomed[$0] }.first
            ?? text.flatMap { text in Route.words[text.lowercased()] ?? Route.words.first { text.lowercased().hasPrefix($0.key) }?.value }
        guard let found else {
            notes.append("route \(text ?? codes.first ?? "unknown") is not one Regimen models: the checks treat the item as taken by mouth")
            return nil
        }
        return found == .oral ? nil : found.rawValue
    }

    /// `from`, `until`, `for`, `x N doses` from the bounds and count.
    mutating func course(_ repeatFields: JSON, _ group: [JSON], notes: inout [String]) -> Result<[String], Failure> {
        var parts: [String] = []
        func date(_ text: String?) -> String? {
            guard let text, text.count >= 10, CivilDate(parsing: text.prefix(10)) != nil else { return nil }
            if text.count > 10 { notes.append("the period's times of day were dropped: \(text)") }
            return String(text.prefix(10))
        }
        if let start = date(repeatFields["boundsPeriod"]?["start"]?.string) { parts.append("from \(start)") }
        let last = group.last?["timing"]?["repeat"]
        if let end = date(last?["boundsPeriod"]?["end"]?.string) { parts.append("until \(end)") }
        if let duration = repeatFields["boundsDuration"] {
            let units = ["d": "days", "wk": "weeks", "mo": "months", "a": "years", "h": nil, "min": nil] as [String: String?]
            switch whole(duration["value"], "timing.repeat.boundsDuration.value", 1...36_500) {
            case .success(let value?):
                if let word = units[duration["code"]?.string ?? duration["unit"]?.string ?? "d"] ?? nil { parts.append("for \(value) \(word)") } else {
                    notes.append("a course of \(value) \(duration["unit"]?.string ?? "units") is not one Regimen models")
                }
            case .success(nil): break
            case .failure(let failure): return .failure(failure)
            }
        }
        if repeatFields["boundsRange"] != nil { notes.append("the course is given as a range, which Regimen does not model") }
        switch whole(repeatFields["count"], "timing.repeat.count", 1...100_000) {
        case .success(let count?) where count > 1 || repeatFields["frequency"] != nil || repeatFields["period"] != nil: parts.append("x \(count) doses")
        case .failure(let failure): return .failure(failure)
        default: break
        }
        if repeatFields["countMax"] != nil { notes.append("up to \(repeatFields["countMax"]?.int.map(String.init) ?? "more") doses as written") }
        if repeatFields["duration"] != nil || repeatFields["durationMax"] != nil {
            notes.append("each dose lasts a stated time (an infusion), which Regimen does not model")
        }
        return .success(parts)
    }

    /// A scheduled dose's maxima, which Regimen's limits do not take from an order: kept as notes, with their amounts.
    mutating func maximumNotes(_ dosage: JSON, notes: inout [String]) {
        func amount(_ quantity: JSON?) -> String {
            guard let value = quantity?["value"]?.double, value.isFinite else { return "an amount" }
            return Quantity.format(value) + " " + (quantity?["code"]?.string ?? quantity?["unit"]?.string ?? "")
        }
        if let ratio = dosage["maxDosePerPeriod"] {
            notes.append("at most \(amount(ratio["numerator"]).trimmingSpaces()) per \(amount(ratio["denominator"]).trimmingSpaces()) as written")
        }
        if let most = dosage["maxDosePerAdministration"] { notes.append("at most \(amount(most).trimmingSpaces()) per administration as written") }
        if let most = dosage["maxDosePerLifetime"] { notes.append("at most \(amount(most).trimmingSpaces()) per lifetime as written") }
    }

    /// `maxDosePerPeriod` per day, as a number of doses; other maxima are notes.
    mutating func maxPerDay(_ dosage: JSON, notes: inout [String]) -> Int? {
        if let most = dosage["maxDosePerAdministration"] { notes.append("at most \(Quantity.format(most["value"]?.double ?? 0)) \(most["code"]?.string ?? most["unit"]?.string ?? "") per administration as written") }
        if let most = dosage["maxDosePerLifetime"] { notes.append("at most \(Quantity.format(most["value"]?.double ?? 0)) \(most["code"]?.string ?? most["unit"]?.string ?? "") per lifetime as written") }
        guard let ratio = dosage["maxDosePerPeriod"] else { return nil }
        let numerator = ratio["numerator"]?["value"]?.double
        // Per day: 1 d, or 24 h as prescribers also write it.
        let denominatorValue = ratio["denominator"]?["value"]?.double
        let denominatorUnit = ratio["denominator"]?["code"]?.string ?? ratio["denominator"]?["unit"]?.string ?? ""
        let perDay = (denominatorValue == 1 && ["d", "day"].contains(denominatorUnit)) || (denominatorValue == 24 && ["h", "hour", "hours"].contains(denominatorUnit))
        let doseAndRate = dosage["doseAndRate"]?.array?.first
        let dose = doseAndRate?["doseQuantity"]?["value"]?.double ?? doseAndRate?["doseRange"]?["high"]?["value"]?.double
        guard let numerator, numerator.isFinite, numerator > 0, let dose, dose > 0, perDay else {
            notes.append("a maximum dose per period is given that Regimen cannot write as doses a day")
            return nil
        }
        let doses = (numerator / dose).rounded(.down)
        guard doses >= 1, doses <= 100 else { return nil }
        return Int(doses)
    }

    /// Sequential dosages that step evenly over equal intervals: `increase by B every D days to C`.
    func titration(_ group: [JSON]) -> (firstDose: String, clause: String)? {
        let quantities = group.compactMap { $0["doseAndRate"]?.array?.first?["doseQuantity"].flatMap { FHIRQuantity($0, path: "doseQuantity") } }
        guard quantities.count == group.count, quantities.count >= 2, Set(quantities.map(\.unitWord)).count == 1,
              case .success(let firstText) = quantities[0].regimen, case .success(let lastText) = quantities.last!.regimen else { return nil }
        let step = quantities[1].value - quantities[0].value
        guard step != 0, zip(quantities, quantities.dropFirst()).allSatisfy({ abs(($1.value - $0.value) - step) < 1e-9 }) else { return nil }
        let dates = group.compactMap { $0["timing"]?["repeat"]?["boundsPeriod"]?["start"]?.string.flatMap { CivilDate(parsing: $0.prefix(10)) } }
        guard dates.count == group.count else { return nil }
        let interval = dates[1].dayNumber - dates[0].dayNumber
        guard interval >= 1, zip(dates, dates.dropFirst()).allSatisfy({ $1.dayNumber - $0.dayNumber == interval }) else { return nil }
        let unit = String(firstText.drop { $0.isNumber || $0 == "." || $0 == " " })
        let stepText = Quantity.format(abs(step)) + (["mg", "mcg", "g", "mL", "L", "kg"].contains(unit) ? "" : " ") + unit
        return (firstText, "\(step > 0 ? "increase" : "decrease") by \(stepText) every \(interval) days to \(lastText)")
    }

    /// True for a Regimen clause as `regimen export --fhir` writes one (`4h after levothyroxine`):
    /// plain words, numbers and a few marks, and reading as exactly one clause. Anything else is a note.
    static func isRegimenClause(_ text: String) -> Bool {
        // A hold condition compares, with units: `hold if patient.egfr < 30`, `hold if patient.lab.calcium > 10.4 mg/dL`.
        let isHold = text.hasPrefix("hold if ")
        let marks = isHold ? " :.-'<>=/" : " :.-'"
        guard text.count <= 200, text.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || marks.unicodeScalars.contains($0)
            || (isHold && ("A"..."Z").contains($0)) }) else {
            return false
        }
        let tokens = Lexer.tokenize(SourceFile(name: "clause", text: "zinc 1mg daily, " + text + "\n"), id: FileID(0))
        guard tokens.diagnostics.isEmpty else { return false }
        let (statements, errors) = Parser.parse(tokens.tokens, fileID: FileID(0))
        guard errors.isEmpty, statements.count == 1, case .item(let item) = statements[0].kind else { return false }
        return item.clauses.count == 2
    }

    /// `when` codes and `timeOfDay` as Regimen timing.
    /// How many times of day a timing clause from `timing` names: `at 08:00 and 20:00` two, `with meals` three.
    static func timesNamed(_ timing: String) -> Int {
        if ["with meals", "before meals", "after meals"].contains(timing) { return 3 }
        return timing.ranges(of: " and ").count + timing.ranges(of: ", ").count + 1
    }

    static func timing(_ repeatFields: JSON) -> String? {
        if let times = repeatFields["timeOfDay"]?.strings, !times.isEmpty {
            let clocks = times.map { String($0.prefix(5)) }.filter { $0.count == 5 && $0.allSatisfy { $0.isNumber || $0 == ":" } }
            guard clocks.count == times.count else { return nil }
            return "at " + clocks.joined(separator: " and ")
        }
        guard let codes = repeatFields["when"]?.strings, !codes.isEmpty else { return nil }
        let offset = max(0, min(720, repeatFields["offset"]?.int ?? 0))
        let meals: [Character: String] = ["M": "breakfast", "D": "lunch", "V": "dinner"]
        let phrases: [String] = codes.compactMap { code in
            switch code {
            case "WAKE": return offset > 0 ? "\(offset)min after waking" : "on waking"
            case "HS": return "at bedtime"
            case "CM", "CD", "CV": return "with \(meals[code.last!]!)"
            case "ACM", "ACD", "ACV": return "\(offset == 0 ? 30 : offset)min before \(meals[code.last!]!)"
            case "PCM", "PCD", "PCV": return "\(offset == 0 ? 30 : offset)min after \(meals[code.last!]!)"
            case "C": return "with meals"
            case "AC": return "before meals"
            case "PC": return "after meals"
            case "MORN", "MORN.early", "MORN.late": return "in the morning"
            case "NOON": return "at noon"
            case "AFT", "AFT.early", "AFT.late": return "in the afternoon"
            case "EVE", "EVE.early", "EVE.late": return "in the evening"
            case "NIGHT", "PHS": return "at night"
            default: return nil
            }
        }
        // Several meals are said in one clause (`with lunch and dinner`); parts of the day one by one.
        let withMeals = phrases.filter { $0.hasPrefix("with ") && $0 != "with meals" }
        if phrases.count > 1, withMeals.count == phrases.count {
            return "with " + withMeals.map { $0.dropFirst(5) }.joined(separator: " and ")
        }
        let periods = phrases.filter { $0.hasPrefix("in the ") || $0 == "at noon" || $0 == "at night" }
        if phrases.count > 1, periods.count == phrases.count { return periods.joined(separator: ", ") }
        if phrases.count > 1 { return "with meals" }
        return phrases.first
    }
}
