/// The resources around the orders: the patient's facts as Condition and Observation resources,
/// the plan as a CarePlan, and what every resource needs (an id and a narrative).
extension FHIRExport {
    static let loinc = "http://loinc.org"

    /// A Condition for each condition, and an Observation for the weight, height, eGFR and each
    /// laboratory result the plan gives (the eGFR only when given, never one a staged condition implies).
    func patientFactResources(patient: String) -> [JSON] {
        var resources: [(String, JSON)] = []
        for condition in plan.patient.conditions {
            resources.append(("condition|\(condition)", .object([
                ("resourceType", .string("Condition")),
                ("clinicalStatus", .object([("coding", .array([.object([
                    ("system", .string("http://terminology.hl7.org/CodeSystem/condition-clinical")), ("code", .string("active")),
                ])]))])),
                ("code", concept(condition, codes: compilation.knowledge.condition(named: condition).flatMap { compilation.knowledge.conditions[$0]?.codes } ?? [])),
                ("subject", .object([("reference", .string(patient))])),
            ])))
        }
        func observation(_ key: String, coding: [JSON], text: String, value: Double, unit: String, ucum: String, date: CivilDate? = nil,
                         vitalSign: Bool = false) {
            var fields: [(String, JSON)] = [
                ("resourceType", .string("Observation")),
                ("status", .string("final")),
            ]
            // Weight and height are vital signs (http://hl7.org/fhir/R4/observation-vitalsigns.html); the profile also
            // wants the day they were measured, which the patient block does not give, so none is made up.
            if vitalSign {
                fields.append(("category", .array([.object([("coding", .array([.object([
                    ("system", .string("http://terminology.hl7.org/CodeSystem/observation-category")), ("code", .string("vital-signs")),
                    ("display", .string("Vital Signs")),
                ])]))])])))
            }
            fields += [
                ("code", .object((coding.isEmpty ? [] : [("coding", .array(coding))]) + [("text", .string(text))])),
                ("subject", .object([("reference", .string(patient))])),
            ]
            if let date { fields.append(("effectiveDateTime", .string(date.description))) }
            fields.append(("valueQuantity", .object([("value", .number((value * 1000).rounded() / 1000)), ("unit", .string(unit)),
                                                      ("system", .string(Self.ucum)), ("code", .string(ucum))])))
            resources.append(("observation|\(key)", .object(fields)))
        }
        func loinc(_ code: String, _ display: String) -> [JSON] {
            [.object([("system", .string(Self.loinc)), ("code", .string(code)), ("display", .string(display))])]
        }
        // The vital-signs profiles' LOINC codes for body weight and body height (http://hl7.org/fhir/R4/observation-vitalsigns.html);
        // eGFR by its name only, as the plan does not say which equation.
        if let weight = plan.patient.weight {
            // As written when in pounds (the profile's [lb_av]), else in kg.
            if weight.unit?.numerator.symbol == "lb", weight.unit?.denominator == nil {
                observation("weight", coding: loinc("29463-7", "Body weight"), text: "weight", value: weight.displayed.value, unit: "lb", ucum: "[lb_av]",
                            vitalSign: true)
            } else {
                observation("weight", coding: loinc("29463-7", "Body weight"), text: "weight", value: weight.base / 1_000_000, unit: "kg", ucum: "kg",
                            vitalSign: true)
            }
        }
        if let height = plan.patient.height {
            observation("height", coding: loinc("8302-2", "Body height"), text: "height", value: height.base, unit: "cm", ucum: "cm", vitalSign: true)
        }
        if let egfr = plan.patient.egfr, plan.patient.egfrImpliedBy == nil {
            observation("egfr", coding: [], text: "eGFR", value: egfr, unit: "mL/min/1.73m2", ucum: "mL/min/{1.73_m2}")
        }
        // Each laboratory result as written, with its date. Its LOINC code names one kind of result (moles
        // per volume, for potassium in mmol/L), so a result written in another kind (mg/dL) has its name only.
        for result in plan.labs.values.sorted(by: { $0.analyte < $1.analyte }) {
            let analyte = compilation.knowledge.labs.analytes[result.analyte]
            let codes = result.written.dimension == analyte?.dimension ? analyte?.codes ?? [] : []
            let coding = codes.map { JSON.object([("system", .string($0.system.uri)), ("code", .string($0.code))]) }
            let (value, symbol) = result.written.displayed
            // A ratio (the INR) is a number of UCUM's unit 1.
            let unit = result.written.unit
            observation("lab|\(result.analyte)", coding: coding, text: result.analyte, value: value,
                        unit: unit == nil ? "1" : symbol, ucum: unit?.ucum ?? "1", date: result.date)
        }
        return resources.map { key, resource in
            .object([("fullUrl", .string("urn:uuid:" + Self.uuid(key + "|" + compilation.sources[compilation.mainFile].name))), ("resource", resource)])
        }
    }

    /// Each plan block as a CarePlan, with its name, period and the orders it holds as activities
    /// (an order on hold among them).
    func carePlans(patient: String, items: [String], held: [(url: String, plan: String)] = []) -> [JSON] {
        plan.blocks.enumerated().compactMap { number, block in
            // A product of several ingredients is one order, its first part's.
            let orders = plan.items.indices.filter { !plan.items[$0].current && plan.items[$0].plan == block.name && plan.items[$0].productPart?.isFirst != false }
                .map { items[$0] } + held.filter { $0.plan == block.name }.map(\.url)
            guard !orders.isEmpty else { return nil }
            var fields: [(String, JSON)] = [
                ("resourceType", .string("CarePlan")),
                ("status", .string("active")),
                ("intent", .string("plan")),
            ]
            if !block.name.isEmpty { fields.append(("title", .string(block.name))) }
            fields.append(("subject", .object([("reference", .string(patient))])))
            if let start = block.start {
                var period: [(String, JSON)] = [("start", .string(start.description))]
                if let days = block.durationDays { period.append(("end", .string(start.adding(days: days - 1).description))) }
                else if let until = block.until { period.append(("end", .string(until.description))) }
                fields.append(("period", .object(period)))
            }
            fields.append(("activity", .array(orders.map { .object([("reference", .object([("reference", .string($0))]))]) })))
            let key = number == 0 ? "careplan|" : "careplan|\(number)|\(block.name)|"  // the first block's as before: ids stay stable
            let url = "urn:uuid:" + Self.uuid(key + compilation.sources[compilation.mainFile].name)
            return .object([("fullUrl", .string(url)), ("resource", .object(fields))])
        }
    }

    /// A Bundle entry's resource with an `id` and a generated narrative of its own words.
    static func finish(_ entry: JSON, number: Int) -> JSON {
        guard case .object(var entryFields) = entry, let index = entryFields.firstIndex(where: { $0.0 == "resource" }),
              case .object(var fields) = entryFields[index].1, let type = fields.first?.1.string else { return entry }
        if !fields.contains(where: { $0.0 == "id" }) { fields.insert(("id", .string("\(type.lowercased())-\(number + 1)")), at: 1) }
        if !fields.contains(where: { $0.0 == "text" }) {
            fields.insert(("text", .object([("status", .string("generated")), ("div", .string(narrative(type, .object(fields))))])), at: 2)
        }
        entryFields[index].1 = .object(fields)
        return .object(entryFields)
    }

    /// A transaction's entry: its resource created by a POST to its type.
    static func requested(_ entry: JSON) -> JSON {
        guard case .object(let fields) = entry, let type = entry["resource"]?["resourceType"]?.string else { return entry }
        return .object(fields + [("request", .object([("method", .string("POST")), ("url", .string(type))]))])
    }

    /// The narrative: the resource's own words (a dosage's read-back, a finding's detail, a code's
    /// text), escaped as XHTML.
    static func narrative(_ type: String, _ resource: JSON) -> String {
        var words: [String] = []
        switch type {
        case "MedicationRequest", "MedicationStatement":
            let dosages = resource["dosageInstruction"]?.array ?? resource["dosage"]?.array ?? []
            words = dosages.compactMap { $0["text"]?.string }
            if words.isEmpty { words = [resource["medicationCodeableConcept"]?["text"]?.string ?? type] }
        case "Medication":
            let name = resource["code"]?["text"]?.string ?? "a product"
            let strengths = (resource["ingredient"]?.array ?? []).compactMap { ingredient -> String? in
                guard let what = ingredient["itemCodeableConcept"]?["text"]?.string,
                      let amount = ingredient["strength"]?["numerator"], let per = ingredient["strength"]?["denominator"] else { return nil }
                let count = per["value"]?.double.map { $0 == 1 ? "" : Quantity.format($0) + " " } ?? ""
                // Per a mass of the medication itself (a salt's elemental share): name it.
                let of = Unit.named(per["unit"]?.string ?? "")?.dimension == .mass ? " " + name : ""
                return "\(amount["value"]?.double.map { Quantity.format($0) } ?? "") \(amount["unit"]?.string ?? "") \(what) per \(count)\(per["unit"]?.string ?? "")\(of)"
            }
            words = [([name] + strengths).joined(separator: ": ")]
        case "DetectedIssue": words = [resource["detail"]?.string ?? "a finding"]
        case "Condition": words = ["condition: " + (resource["code"]?["text"]?.string ?? "")]
        case "Observation":
            let value = resource["valueQuantity"]
            let unit = value?["unit"]?.string.map { $0 == "1" ? "" : " " + $0 } ?? ""
            let date = resource["effectiveDateTime"]?.string.map { " on " + $0 } ?? ""
            words = ["\(resource["code"]?["text"]?.string ?? "observation"): \(value?["value"]?.double.map { Quantity.format($0) } ?? "")\(unit)\(date)"]
        case "CarePlan": words = ["care plan" + (resource["title"]?.string.map { ": " + $0 } ?? "")]
        case "Patient": words = ["the patient of this plan" + (resource["gender"]?.string.map { ", \($0)" } ?? "")]
        default: words = [type]
        }
        return "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + words.map { "<p>\(XMLText.escaped($0))</p>" }.joined() + "</div>"
    }


    /// The JSON without empty arrays, empty objects or empty strings anywhere (FHIR's ele-1 and dom-6).
    static func pruned(_ value: JSON) -> JSON {
        switch value {
        case .object(let fields):
            return .object(fields.compactMap { key, child in
                let kept = pruned(child)
                return isEmpty(kept) ? nil : (key, kept)
            })
        case .array(let items):
            return .array(items.map(pruned).filter { !isEmpty($0) })
        default:
            return value
        }
    }

    private static func isEmpty(_ value: JSON) -> Bool {
        switch value {
        case .object(let fields): fields.isEmpty
        case .array(let items): items.isEmpty
        case .string(let text): text.isEmpty
        default: false
        }
    }
}
