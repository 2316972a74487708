/// Regimen source from a FHIR R4 Bundle's MedicationRequest and MedicationStatement resources,
/// so a plan can start from a records system's export. Timing becomes frequencies, timings and
/// courses; a sequence of dosages with evenly stepped doses becomes a titration; Regimen clauses
/// in `additionalInstruction` (as `regimen export --fhir` writes them) come back as written.
/// What has no Regimen form is kept as a `note`.
public enum FHIRImport {
    public struct Failure: Error, Sendable {
        public let message: String
    }

    public static func source(fromBundle data: [UInt8]) -> Result<String, Failure> {
        guard let object = JSON(parsing: data), case .object = object else {
            return .failure(Failure(message: "the file is not JSON"))
        }
        guard object["resourceType"]?.string == "Bundle" else {
            return .failure(Failure(message: "the JSON is not a FHIR Bundle (resourceType is \(object["resourceType"]?.string ?? "missing"))"))
        }
        let resources = (object["entry"]?.array ?? []).compactMap { $0["resource"] }
        var lines: [String] = ["# Imported from a FHIR Bundle by `regimen import --fhir`."]
        if let patient = resources.first(where: { $0["resourceType"]?.string == "Patient" }) {
            lines += patientLines(patient)
        }
        let requests = resources.filter { ["MedicationRequest", "MedicationStatement"].contains($0["resourceType"]?.string ?? "") }
        guard !requests.isEmpty else { return .failure(Failure(message: "the Bundle has no MedicationRequest or MedicationStatement")) }
        // Products from contained Medications with a strength: `product "NAME": SUBSTANCE 120mg per capsule`.
        var products = Set<String>()
        for request in requests {
            guard let medication = request["contained"]?.array?.first(where: { $0["resourceType"]?.string == "Medication" }),
                  let name = medication["code"]?["text"]?.string,
                  let ingredient = medication["ingredient"]?.array?.first,
                  let substance = ingredient["itemCodeableConcept"]?["text"]?.string,
                  let strength = ingredient["strength"],
                  let amount = strength["numerator"].flatMap(dose(quantity:)),
                  let per = strength["denominator"]?["unit"]?.string,
                  products.insert(name).inserted else { continue }
            lines.append("product \"\(name)\": \(substance) \(amount.text) per \(per)")
        }
        lines.append("plan \"imported\":")
        for request in requests { lines.append("  " + item(request)) }
        return .success(lines.joined(separator: "\n") + "\n")
    }

    private static func patientLines(_ patient: JSON) -> [String] {
        var lines = ["patient:"]
        if let gender = patient["gender"]?.string, ["female", "male"].contains(gender) { lines.append("  sex \(gender)") }
        if let born = patient["birthDate"]?.string, born.count == 10 { lines.append("  born \(born)") }
        for extensionObject in patient["extension"]?.array ?? [] {
            guard let value = extensionObject["valueString"]?.string else { continue }
            switch extensionObject["url"]?.string {
            case FHIRExport.dayExtension?: lines.append("  " + value)
            case FHIRExport.timeZoneExtension?: lines.append("  timezone \"\(value)\"")
            case FHIRExport.factsExtension?: lines += value.split(separator: "\n").map { "  " + $0 }
            default: break
            }
        }
        return lines.count > 1 ? lines : []
    }

    private static func item(_ request: JSON) -> String {
        let medication = request["medicationCodeableConcept"]
        let product = request["medicationReference"]?["display"]?.string
        let name = product.map { "\"\($0)\"" } ?? medication?["text"]?.string
            ?? medication?["coding"]?.array?.first?["display"]?.string ?? "unnamed medication"
        let dosages = (request["dosageInstruction"]?.array ?? request["dosage"]?.array ?? [])
            .sorted { ($0["sequence"]?.int ?? 0) < ($1["sequence"]?.int ?? 0) }
        guard let first = dosages.first else { return "\(name.lowercased()), note \"no dosage in the FHIR resource\"" }
        var parts: [String] = []
        let doses = dosages.compactMap { dose($0) }
        let repeatFields = first["timing"]?["repeat"] ?? .object([])
        var head = product == nil ? name.lowercased() : name
        if doses.count > 1, let titration = titration(doses, dosages) {
            head += " from \(doses[0].text)"
            parts.append(titration)
        } else if let dose = doses.first {
            head += " " + dose.text
        }
        if let route = first["route"]?["text"]?.string.flatMap({ Route.words[$0.lowercased()] }), route != .oral {
            head += " \(route.rawValue)"
        }
        let often = frequency(repeatFields, asNeeded: first["asNeededBoolean"]?.bool == true)
        parts.insert(often.isEmpty ? head : head + " " + often, at: 0)
        if let timing = timing(repeatFields) { parts.append(timing) }
        parts += course(repeatFields, dosages)
        if first["asNeededBoolean"]?.bool == true, let most = maxPerDay(first, dose: doses.first?.value) { parts.append("max \(most) per day") }
        for instruction in first["additionalInstruction"]?.array ?? [] {
            if let text = instruction["text"]?.string { parts.append(text) }
        }
        if request["resourceType"]?.string == "MedicationStatement" { parts.append("current") }
        for note in request["note"]?.array ?? [] {
            guard let text = note["text"]?.string else { continue }
            parts.append(text == "under medical supervision" ? "supervised" : "note \"\(text.replacing("\"", with: "'"))\"")
        }
        return parts.joined(separator: ", ")
    }

    private struct Dose {
        var value: Double
        var text: String
    }

    private static func dose(_ dosage: JSON) -> Dose? {
        dosage["doseAndRate"]?.array?.first?["doseQuantity"].flatMap(dose(quantity:))
    }

    /// A FHIR Quantity as Regimen writes a dose.
    private static func dose(quantity: JSON) -> Dose? {
        guard let value = quantity["value"]?.double else { return nil }
        let code = quantity["code"]?.string ?? quantity["unit"]?.string ?? ""
        let units = ["ug": "mcg", "[iU]": "IU", "[IU]": "IU", "meq": "mEq", "[cup_us]": "cups", "[tsp_us]": "tsp", "[tbs_us]": "tbsp"]
        var unit = units[code] ?? code
        if unit.hasPrefix("{"), unit.hasSuffix("}") { unit = String(unit.dropFirst().dropLast()) + (value == 1 ? "" : "s") }
        let tight = ["mg", "mcg", "g", "kg", "mL", "L", "h", "min"].contains(unit)
        return Dose(value: value, text: Quantity.format(value) + (tight ? "" : " ") + unit)
    }

    private static func frequency(_ repeatFields: JSON, asNeeded: Bool) -> String {
        if asNeeded { return "as needed" }
        if repeatFields["count"]?.int == 1 { return "once" }
        if let days = repeatFields["dayOfWeek"]?.strings, !days.isEmpty { return "on " + days.joined(separator: ", ") }
        let n = repeatFields["frequency"]?.int ?? 1
        let period = repeatFields["period"]?.double.map { Int($0) } ?? 1
        switch repeatFields["periodUnit"]?.string ?? "d" {
        case "h": return "every \(period)h"
        case "min": return "every \(period)min"
        case "wk": return period == 1 ? "weekly" : "every \(period) weeks"
        default:
            if period == 2, n == 1 { return "every other day" }
            if period > 1 { return "every \(period) days" }
            // Clock times carry their own count (`at 08:00 and 20:00`).
            if let times = repeatFields["timeOfDay"]?.strings, times.count == n { return "" }
            return [1: "daily", 2: "twice daily", 3: "three times daily", 4: "four times daily"][n] ?? "daily"
        }
    }

    /// `when` codes and `timeOfDay` as Regimen timing.
    private static func timing(_ repeatFields: JSON) -> String? {
        if let times = repeatFields["timeOfDay"]?.strings, !times.isEmpty {
            return "at " + times.map { String($0.prefix(5)) }.joined(separator: " and ")
        }
        guard let codes = repeatFields["when"]?.strings, !codes.isEmpty else { return nil }
        let offset = repeatFields["offset"]?.int ?? 0
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
            case "NIGHT": return "at night"
            default: return nil
            }
        }
        // Several meals are said in one clause (`with lunch and dinner`); other mixtures of codes
        // are Regimen's `with meals` (breakfast, lunch, dinner, bedtime by count).
        let withMeals = phrases.filter { $0.hasPrefix("with ") && $0 != "with meals" }
        if phrases.count > 1, withMeals.count == phrases.count {
            return "with " + withMeals.map { $0.dropFirst(5) }.joined(separator: " and ")
        }
        let periods = phrases.filter { $0.hasPrefix("in the ") || $0 == "at noon" || $0 == "at night" }
        if phrases.count > 1, periods.count == phrases.count { return periods.joined(separator: ", ") }
        if phrases.count > 1 { return "with meals" }
        return phrases.first
    }

    private static func course(_ repeatFields: JSON, _ dosages: [JSON]) -> [String] {
        let lastRepeat = dosages.last?["timing"]?["repeat"]
        var parts: [String] = []
        if let start = repeatFields["boundsPeriod"]?["start"]?.string { parts.append("from \(start.prefix(10))") }
        if let end = lastRepeat?["boundsPeriod"]?["end"]?.string { parts.append("until \(end.prefix(10))") }
        if let duration = repeatFields["boundsDuration"], let value = duration["value"]?.double.map({ Int($0) }) {
            parts.append("for \(value) \(duration["code"]?.string == "wk" ? "weeks" : "days")")
        }
        return parts
    }

    /// Doses stepping evenly over dosages of equal length: `increase by B every D days to C`.
    private static func titration(_ doses: [Dose], _ dosages: [JSON]) -> String? {
        let step = doses[1].value - doses[0].value
        guard step != 0, zip(doses, doses.dropFirst()).dropLast().allSatisfy({ abs(($1.value - $0.value) - step) < 1e-9 }) else { return nil }
        let starts = dosages.compactMap { $0["timing"]?["repeat"]?["boundsPeriod"]?["start"]?.string }
        guard starts.count >= 2 else { return nil }
        let dates = starts.compactMap { text -> CivilDate? in
            let p = text.prefix(10).split(separator: "-").compactMap { Int($0) }
            return p.count == 3 ? CivilDate(year: p[0], month: p[1], day: p[2]) : nil
        }
        guard dates.count >= 2 else { return nil }
        let interval = dates[1].dayNumber - dates[0].dayNumber
        let unitText = String(doses[0].text.drop { $0.isNumber || $0 == "." })
        let last = doses.last!
        return "\(step > 0 ? "increase" : "decrease") by \(Quantity.format(abs(step)))\(unitText) every \(interval) days to \(last.text)"
    }

    private static func maxPerDay(_ dosage: JSON, dose: Double?) -> Int? {
        guard let dose, dose > 0, let numerator = dosage["maxDosePerPeriod"]?["numerator"]?["value"]?.double else { return nil }
        return Int((numerator / dose).rounded())
    }
}
