/// A plan as a FHIR R4 Bundle: a Patient and one MedicationRequest per item (a MedicationStatement
/// for what the patient already takes, `current`), each with its
/// dosage in the Dosage and Timing datatypes. What FHIR cannot say is in the dosage's `text`
/// (the tool's read-back), never dropped. The plan's relations travel as `additionalInstruction`
/// written as Regimen clauses, so `regimen import` can restore them; the knowledge base's
/// spacing rules as `patientInstruction`.
public struct FHIRExport {
    let compilation: Compilation
    /// Resolves slots to clock times and items to their courses.
    let simulator: Simulator
    var plan: Plan { compilation.plan }
    static let ucum = "http://unitsofmeasure.org"
    static let snomed = "http://snomed.info/sct"
    /// Extensions for what FHIR's Patient has no field for; `regimen import` reads them back.
    public static let dayExtension = "https://regimen.dev/fhir/StructureDefinition/day-anchors"
    public static let timeZoneExtension = "https://regimen.dev/fhir/StructureDefinition/time-zone"
    /// The patient's age in years when the plan gives an age and no birth date (an Age: UCUM `a`).
    public static let ageExtension = "https://regimen.dev/fhir/StructureDefinition/age"
    /// Setting, conditions and diet as patient-block fields, for a lossless round trip (weight, height,
    /// eGFR and laboratory results are Observations).
    public static let factsExtension = "https://regimen.dev/fhir/StructureDefinition/patient-facts"

    public init(_ compilation: Compilation, today: CivilDate) {
        self.compilation = compilation
        self.simulator = Simulator(compilation, today: today)
    }

    /// Our diagnostic codes, as the `code` of a DetectedIssue.
    public static let findingCodes = "https://regimen.dev/fhir/CodeSystem/finding"

    /// The Bundle as JSON. Each error and warning among `findings` travels as a DetectedIssue that
    /// names the MedicationRequest it concerns, so a plan that needs review is marked as such.
    /// The Bundle's kind: a `collection` of resources to read, or a `transaction` a FHIR server
    /// carries out, each entry with its `request` (POST to the resource's type; the urn:uuid fullUrls
    /// that the references use are resolved by the server, http://hl7.org/fhir/R4/http.html#trules).
    public enum BundleType: String, CaseIterable, Sendable { case collection, transaction }

    public func bundle(findings: [Diagnostic] = [], type: BundleType = .collection) -> JSON {
        var simulation = simulator
        let (start, _) = simulation.horizon()
        let constraints = SpacingConstraint.build(plan: plan, substances: SubstanceIndex(plan), knowledge: compilation.knowledge, sources: compilation.sources)
        let patientURL = "urn:uuid:" + Self.uuid("patient|" + compilation.sources[compilation.mainFile].name)
        var entries: [JSON] = [.object([("fullUrl", .string(patientURL)), ("resource", patientResource())])]
        var itemURLs: [String] = []
        for (index, item) in plan.items.enumerated() {
            // A product with several ingredients is one order, with them all in its Medication.
            if let part = item.productPart, !part.isFirst {
                itemURLs.append(itemURLs[index - part.index])
                continue
            }
            let url = "urn:uuid:" + Self.uuid("item|\(index)|\(item.name)|\(compilation.sources[compilation.mainFile].name)")
            itemURLs.append(url)
            let range = simulator.itemRange(index, horizonStart: start)
            entries.append(.object([("fullUrl", .string(url)),
                                    ("resource", medicationRequest(item, index: index, range: range, patient: patientURL, constraints: constraints))]))
        }
        // A held item (`hold if …` holds for this patient) is an order on hold, with the reason, so the
        // record keeps it without anyone giving it; a product's ingredients are one order.
        var heldOrders: [(url: String, plan: String)] = []
        for (index, item) in plan.heldItems.enumerated() where item.productPart?.isFirst ?? true {
            guard let hold = item.holdIf else { continue }
            let parts = Array(plan.heldItems[index..<min(index + (item.productPart?.count ?? 1), plan.heldItems.count)])
            let url = "urn:uuid:" + Self.uuid("held|\(index)|\(item.name)|\(compilation.sources[compilation.mainFile].name)")
            if !item.current { heldOrders.append((url, item.plan)) }
            entries.append(.object([("fullUrl", .string(url)),
                                    ("resource", medicationRequest(item, index: nil, held: (hold, parts), range: simulator.itemRange(of: item, horizonStart: start),
                                                                   patient: patientURL, constraints: constraints))]))
        }
        for (number, finding) in findings.filter({ $0.severity != .note }).enumerated() {
            let url = "urn:uuid:" + Self.uuid("finding|\(number)|\(finding.code.id)|\(finding.message)")
            entries.append(.object([("fullUrl", .string(url)), ("resource", detectedIssue(finding, patient: patientURL, items: itemURLs))]))
        }
        entries += patientFactResources(patient: patientURL)
        entries += carePlans(patient: patientURL, items: itemURLs, held: heldOrders)
        // Every resource gets an id and a narrative, and no array or object is left empty (dom-6, ele-1).
        var finished = entries.enumerated().map { number, entry in Self.finish(entry, number: number) }
        if type == .transaction { finished = finished.map(Self.requested) }
        return Self.pruned(.object([("resourceType", .string("Bundle")), ("type", .string(type.rawValue)), ("entry", .array(finished))]))
    }

    /// A finding as FHIR's DetectedIssue: what the tool found, how serious, and on which order.
    private func detectedIssue(_ finding: Diagnostic, patient: String, items: [String]) -> JSON {
        var fields: [(String, JSON)] = [
            ("resourceType", .string("DetectedIssue")),
            ("status", .string("final")),
            ("code", .object([
                ("coding", .array([.object([("system", .string(Self.findingCodes)), ("code", .string(finding.code.id)),
                                            ("display", .string(finding.code.name))])])),
                ("text", .string(finding.code.name)),
            ])),
            ("severity", .string(finding.severity == .error ? "high" : "moderate")),
            ("patient", .object([("reference", .string(patient))])),
            ("detail", .string(([finding.message] + finding.notes).joined(separator: "; "))),
        ]
        let implicated = plan.items.indices.filter { index in
            guard let span = finding.span else { return false }
            let item = plan.items[index].span
            return item.file == span.file && item.offset <= span.offset && span.offset < item.end
        }
        if !implicated.isEmpty {
            var seen = Set<String>()
            let references = implicated.map { items[$0] }.filter { seen.insert($0).inserted }
            fields.append(("implicated", .array(references.map { .object([("reference", .string($0))]) })))
        }
        return .object(fields)
    }

    private func patientResource() -> JSON {
        let patient = plan.patient
        var fields: [(String, JSON)] = [("resourceType", .string("Patient"))]
        let day = Anchor.allCases.map { "\($0.rawValue) \(patient.anchors[$0]!)" }.joined(separator: ", ")
        var extensions: [JSON] = [.object([("url", .string(Self.dayExtension)), ("valueString", .string(day))])]
        if let zone = patient.timeZone {
            extensions.append(.object([("url", .string(Self.timeZoneExtension)), ("valueString", .string(zone))]))
        }
        // Days that differ and stays elsewhere: FHIR's Patient has no field for them.
        for variant in patient.dayVariants {
            extensions.append(.object([("url", .string(FHIRPatientDays.dayVariantExtension)), ("valueString", .string(FHIRPatientDays.line(variant)))]))
        }
        for stay in patient.zoneStays {
            extensions.append(.object([("url", .string(FHIRPatientDays.zoneStayExtension)), ("valueString", .string(FHIRPatientDays.value(stay)))]))
        }
        if let age = patient.age, patient.born == nil {
            extensions.append(.object([("url", .string(Self.ageExtension)),
                                       ("valueAge", .object([("value", .number(age)), ("unit", .string("years")),
                                                             ("system", .string(Self.ucum)), ("code", .string("a"))]))]))
        }
        // Weight, height, eGFR and laboratory results are Observations; what has no resource of its own stays here.
        var facts: [String] = []
        if let setting = patient.setting { facts.append("setting \(setting)") }
        if !patient.conditions.isEmpty { facts.append("conditions " + patient.conditions.joined(separator: ", ")) }
        for (substance, amount) in patient.diet.sorted(by: { $0.key < $1.key }) { facts.append("diet \(substance) \(Quantity.format(amount.base)) mg/day") }
        if !facts.isEmpty {
            extensions.append(.object([("url", .string(Self.factsExtension)), ("valueString", .string(facts.joined(separator: "\n")))]))
        }
        fields.append(("extension", .array(extensions)))
        if let sex = patient.sex { fields.append(("gender", .string(sex.rawValue))) }
        if let born = patient.born { fields.append(("birthDate", .string(born.description))) }
        return .object(fields)
    }

    /// An order, or a statement for what the patient already takes; `held` is the condition that holds
    /// the item now and the item's parts (its product's ingredients), for an order on hold.
    private func medicationRequest(_ item: PlanItem, index: Int?, held: (HoldCondition, [PlanItem])? = nil, range: ItemRange?, patient: String,
                                   constraints: [SpacingConstraint]) -> JSON {
        var notes = item.notes.map { JSON.object([("text", .string($0))]) }
        if item.supervised { notes.append(.object([("text", .string("under medical supervision"))])) }
        // What the patient already takes is a statement of fact, not a request.
        var fields: [(String, JSON)] = [("resourceType", .string(item.current ? "MedicationStatement" : "MedicationRequest"))]
        // A product carries its strength in a contained Medication (120 mg per capsule).
        if let name = item.product, let product = compilation.knowledge.products[name.lowercased()] {
            let perUnit = Quantity(1, CompoundUnit(numerator: product.unit ?? Unit.named("capsule")!, denominator: nil))
            let ingredients = product.ingredients.isEmpty
                ? [ProductIngredient(substance: product.substance, form: product.form, amount: product.amountPerUnit)] : product.ingredients
            var medication: [(String, JSON)] = [
                ("resourceType", .string("Medication")), ("id", .string("product")), ("code", .object([("text", .string(product.name))])),
                ("ingredient", .array(ingredients.map { ingredient in
                    .object([("itemCodeableConcept", concept(ingredient.name, codes: compilation.knowledge.substances[ingredient.substance]?.codes ?? [])),
                             ("strength", .object([("numerator", ingredientStrength(ingredient)), ("denominator", quantity(perUnit))]))])
                })),
            ]
            // A contained resource is a resource too: it needs its own narrative (dom-6).
            medication.insert(("text", .object([("status", .string("generated")),
                                                ("div", .string(Self.narrative("Medication", .object(medication))))])), at: 2)
            fields.append(("contained", .array([.object(medication)])))
        }
        // A mineral salt dosed by mass is a contained Medication that states its elemental share, and its
        // doses are the salt's own mass: the elemental amount is never written as the compound's.
        let salt = saltFraction(item)
        if let fraction = salt {
            let element = compilation.knowledge.substances[item.substance]
            var medication: [(String, JSON)] = [
                ("resourceType", .string("Medication")), ("id", .string("salt")), ("code", concept(item.name, codes: [])),
                ("ingredient", .array([.object([("itemCodeableConcept", concept(item.substance, codes: element?.codes ?? [])),
                                                ("isActive", .bool(true)),
                                                ("strength", .object([("numerator", Self.milligrams(fraction * 100)),
                                                                      ("denominator", Self.milligrams(100))]))])])),
            ]
            medication.insert(("text", .object([("status", .string("generated")),
                                                ("div", .string(Self.narrative("Medication", .object(medication))))])), at: 2)
            fields.append(("contained", .array([.object(medication)])))
        }
        if let (hold, _) = held {
            // FHIR's on-hold: "actions implied by the prescription are to be temporarily halted".
            let reason = JSON.object([("text", .string("held: hold if \(hold.condition) holds for this patient"
                + (hold.facts.isEmpty ? "" : " (\(hold.facts.joined(separator: "; ")))")))])
            fields += [("status", .string("on-hold")), ("statusReason", item.current ? .array([reason]) : reason)]
        } else {
            fields += [("status", .string("active"))]
        }
        if !item.current { fields.append(("intent", .string("plan"))) }
        let reference = item.product.map { ("#product", $0) } ?? (salt != nil ? ("#salt", item.name) : nil)
        fields += [
            reference.map { ("medicationReference", .object([("reference", .string($0.0)), ("display", .string($0.1))])) }
                ?? ("medicationCodeableConcept", concept(item.name, codes: compilation.knowledge.substances[item.substance]?.codes ?? [])),
            ("subject", .object([("reference", .string(patient))])),
            (item.current ? "dosage" : "dosageInstruction", .array(dosages(item, index: index, held: held?.1 ?? [], range: range, constraints: constraints))),
        ]
        if !notes.isEmpty { fields.append(("note", .array(notes))) }
        return .object(fields)
    }

    /// A CodeableConcept: the knowledge base's codes, each with its system's URI, and the plan's words
    /// as text always. A code is never made up: a name the knowledge base has no code for has text only.
    func concept(_ text: String, codes: [MedicalCode]) -> JSON {
        let coding = codes.map { JSON.object([("system", .string($0.system.uri)), ("code", .string($0.code))]) }
        return .object((coding.isEmpty ? [] : [("coding", .array(coding))]) + [("text", .string(text))])
    }

    /// One dosage, or a sequence of them for a titration's steps. A held item (no `index`: it is not
    /// among the plan's items) is read back from its `held` parts, with its course and no rules: it is not scheduled.
    private func dosages(_ item: PlanItem, index: Int?, held: [PlanItem] = [], range: ItemRange?, constraints: [SpacingConstraint]) -> [JSON] {
        // A product with several ingredients is one order: its text reads back every ingredient,
        // and the knowledge base's rules of each of them go with it.
        let parts = index.map { Array(plan.itemsOfLine($0)) } ?? []
        let description = (index == nil ? held : parts.map { plan.items[$0] }).map { PlanDescription(compilation).describe($0) }.joined(separator: "; ")
        let instructions = additionalInstructions(item)
        let rules = constraints.filter { { if case .knowledge = $0.origin { true } else { false } }($0) }.flatMap { constraint in
            parts.filter { constraint.first.contains($0) }
                .map { "\(plan.items[$0].name) \(constraint.rule) (\(constraint.ruleOwner.replacingOccurrences(of: "the ", with: "")))" }
        }
        if item.titration == nil, let cycle = item.course.cycle, let range, let end = range.last {
            // FHIR's Timing has no treatment cycle, and one Timing over the whole course would read as
            // every day: each run of the cycle's dosing days is a Dosage of its own, bounded to it.
            var runs: [(CivilDate, CivilDate)] = []
            var date = range.first
            while date <= end {
                if cycle.includes(date, itemStart: range.first) {
                    if let last = runs.last, last.1.adding(days: 1) == date { runs[runs.count - 1].1 = date } else { runs.append((date, date)) }
                }
                date = date.adding(days: 1)
            }
            return runs.map { first, last in
                dosage(item, dose: item.dose, sequence: nil, bounds: (first, last), text: "from \(first) to \(last): \(description)",
                       instructions: instructions, rules: rules)
            }
        }
        guard let titration = item.titration, let range else {
            return [dosage(item, dose: item.dose, sequence: nil, bounds: range.map { ($0.first, $0.last) }, text: description,
                           instructions: instructions, rules: rules)]
        }
        let steps = titration.steps(from: item.dose)
        return steps.enumerated().map { step, dose in
            let first = range.first.adding(days: step * titration.intervalDays)
            var last = step == steps.count - 1 ? range.last : first.adding(days: titration.intervalDays - 1)
            if let end = range.last, let stepEnd = last, stepEnd > end { last = end }
            // Each step's text states that step's dose and dates; the whole item's read-back follows.
            let dates = "from \(first)" + (last.map { " to \($0)" } ?? "")
            let text = "step \(step + 1) of \(steps.count): \(dose.description) \(dates); \(description)"
            return dosage(item, dose: dose, sequence: step + 1, bounds: (first, last), text: text,
                          instructions: instructions, rules: rules)
        }
    }

    private func dosage(_ item: PlanItem, dose: Quantity, sequence: Int?, bounds: (CivilDate, CivilDate?)?, text: String,
                        instructions: [String], rules: [String]) -> JSON {
        var fields: [(String, JSON)] = []
        if let sequence { fields.append(("sequence", .int(sequence))) }
        fields.append(("text", .string(text)))
        if !instructions.isEmpty { fields.append(("additionalInstruction", .array(instructions.map { .object([("text", .string($0))]) }))) }
        if !rules.isEmpty { fields.append(("patientInstruction", .string(rules.joined(separator: "; ")))) }
        fields.append(("timing", .object([("repeat", timingRepeat(item, bounds: bounds))])))
        if item.schedule.frequency == .asNeeded {
            // What it is for travels as the reason, as FHIR's asNeededCodeableConcept carries it.
            if let purpose = item.schedule.asNeededFor {
                fields.append(("asNeededCodeableConcept", .object([("text", .string(purpose))])))
            } else {
                fields.append(("asNeededBoolean", .bool(true)))
            }
        }
        fields.append(("route", route(item.route)))
        // A mineral salt's doses are its own mass: the dose itself when written as the salt's weight,
        // else the elemental amount over its share.
        let fraction = saltFraction(item)
        func amount(_ q: Quantity) -> JSON {
            guard let fraction else { return quantity(q) }
            return Self.milligrams(item.basis == .salt ? q.base : q.base / fraction)
        }
        // A dose range travels as FHIR's doseRange; limits counted its upper end.
        // An infusion's rate travels beside its dose, as Dosage.doseAndRate.rateQuantity.
        let rate: [(String, JSON)] = item.infusion?.rate.map { [("rateQuantity", quantity($0))] } ?? []
        if let low = item.doseLow, dose.base == item.dose.base {
            fields.append(("doseAndRate", .array([.object([("doseRange", .object([("low", amount(low)), ("high", amount(dose))]))] + rate)])))
        } else {
            fields.append(("doseAndRate", .array([.object([("doseQuantity", amount(dose))] + rate)])))
        }
        if item.schedule.frequency == .asNeeded, let most = item.schedule.maxPerDay {
            var total = dose
            total.base *= Double(most)
            fields.append(("maxDosePerPeriod", .object([("numerator", amount(total)),
                                                          ("denominator", .object([("value", .int(1)), ("unit", .string("d")),
                                                                                   ("system", .string(Self.ucum)), ("code", .string("d"))]))])))
        }
        return .object(fields)
    }

    /// The plan's relations and timing limits, written as the Regimen clauses they came from.
    private func additionalInstructions(_ item: PlanItem) -> [String] {
        var clauses: [String] = []
        for relation in item.relations {
            clauses.append(relation.alternatives.map { compilation.sources[$0.span.file].text($0.span) }.joined(separator: " or ")
                .replacingOccurrences(of: "\n", with: " "))
        }
        for limit in item.schedule.anchorConstraints where limit.direction != .with {
            clauses.append("\(limit.minutes)min \(limit.direction.rawValue) \(limit.anchor.phrase == "waking" ? "waking" : limit.anchor.rawValue)")
        }
        if item.emptyStomach { clauses.append("empty stomach") }
        // FHIR's Dosage has no field for the most doses of an as-needed item in a row.
        if let row = item.schedule.maxInARow { clauses.append("max \(row) doses") }
        // FHIR's Dosage has no field for the volume a dose is given in.
        if let volume = item.infusion?.volume { clauses.append("in \(volume.description)") }
        // A condition to hold the item by (not holding now, or the item would not be exported).
        if let hold = item.holdIf { clauses.append("hold if \(hold.condition)") }
        // FHIR's Timing has no treatment cycle: it travels as the Regimen clause.
        if let cycle = item.course.cycle { clauses.append("on \(cycle.text.replacingOccurrences(of: "–", with: "-"))") }
        return clauses
    }

    // MARK: Timing

    private func timingRepeat(_ item: PlanItem, bounds: (CivilDate, CivilDate?)?) -> JSON {
        var fields: [(String, JSON)] = []
        if let (first, last) = bounds {
            var period: [(String, JSON)] = [("start", .string(first.description))]
            if let last { period.append(("end", .string(last.description))) }
            fields.append(("boundsPeriod", .object(period)))
        }
        let schedule = item.schedule
        switch schedule.frequency {
        case .timesDaily(let n):
            fields += [("frequency", .int(n)), ("period", .int(1)), ("periodUnit", .string("d"))]
        case .everyMinutes(let minutes):
            // A range (`q4-6h`) travels whole: period is its shorter end, periodMax its longer.
            fields += [("frequency", .int(1))] + Self.period(schedule.intervalRange?.lowerBound ?? minutes, max: schedule.intervalRange?.upperBound)
        case .everyDays(let k):
            fields += [("frequency", .int(1)), ("period", .int(k)), ("periodUnit", .string("d"))]
        case .weekdays(let days):
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            fields.append(("dayOfWeek", .array(days.map { .string(names[$0]) })))
        case .once:
            fields.append(("count", .int(1)))
        case .asNeeded:
            if let interval = schedule.asNeededInterval {
                fields += [("frequency", .int(1))] + Self.period(interval, max: schedule.intervalRange?.upperBound)
            }
        case .everyMonths(let k):
            fields += [("frequency", .int(1)), ("period", .int(k)), ("periodUnit", .string("mo"))]
        case .timesWeekly(let n):
            fields += [("frequency", .int(n)), ("period", .int(1)), ("periodUnit", .string("wk"))]
        }
        if let doses = item.course.doseCount, schedule.frequency != .once(day: 1) { fields.append(("count", .int(doses))) }
        // How long each dose runs (an infusion): Timing.repeat.duration, in minutes or whole hours.
        if let minutes = item.infusion?.minutes {
            let hours = minutes % 60 == 0
            fields += [("duration", .int(hours ? minutes / 60 : minutes)), ("durationUnit", .string(hours ? "h" : "min"))]
        }
        if case .everyMinutes = schedule.frequency {
            // The first dose's time; the rest follow by the interval.
            if let first = schedule.slots.first { fields.append(("timeOfDay", .array([.string(clockText(first))]))) }
        } else if let (codes, offset) = whenCodes(schedule.slots), !codes.isEmpty {
            fields.append(("when", .array(codes.map(JSON.string))))
            if offset > 0 { fields.append(("offset", .int(offset))) }
        } else if !schedule.slots.isEmpty {
            fields.append(("timeOfDay", .array(schedule.slots.map { .string(clockText($0)) })))
        }
        return .object(fields)
    }

    /// `period`/`periodUnit` for an interval in minutes (hours when whole), with `periodMax` for a range.
    private static func period(_ minutes: Int, max longest: Int?) -> [(String, JSON)] {
        let hours = minutes % 60 == 0 && (longest ?? 0) % 60 == 0
        let scale = hours ? 60 : 1
        var fields: [(String, JSON)] = [("period", .int(minutes / scale))]
        if let longest, longest > minutes { fields.append(("periodMax", .int(longest / scale))) }
        fields.append(("periodUnit", .string(hours ? "h" : "min")))
        return fields
    }

    /// FHIR event codes for anchored slots, with one shared offset; nil when they cannot say it.
    private func whenCodes(_ slots: [Slot]) -> ([String], Int)? {
        var codes: [String] = []
        var offsets = Set<Int>()
        for slot in slots {
            if case .period(let period) = slot {
                codes.append(period.fhirCode)
                offsets.insert(0)
                continue
            }
            guard case .anchor(let anchor, let offset) = slot else { return nil }
            let meal: [Anchor: String] = [.breakfast: "M", .lunch: "D", .dinner: "V"]
            switch (anchor, offset) {
            case (.wake, 0...): codes.append("WAKE")
            case (.bed, 0): codes.append("HS")
            case (_, 0) where anchor.isMeal: codes.append("C" + meal[anchor]!)
            case (_, ..<0) where anchor.isMeal: codes.append("AC" + meal[anchor]!)
            case (_, 1...) where anchor.isMeal: codes.append("PC" + meal[anchor]!)
            default: return nil
            }
            offsets.insert(abs(offset))
        }
        // One offset for all codes, and none with the plain meal codes (FHIR's tim-9).
        guard offsets.count <= 1, let offset = offsets.first ?? Optional(0) else { return nil }
        if offset > 0, codes.contains(where: { ["CM", "CD", "CV"].contains($0) }) { return nil }
        return (codes, offset)
    }

    private func clockText(_ slot: Slot) -> String {
        ClockTime(minutes: simulator.minutes(of: slot)).description + ":00"
    }

    // MARK: Datatypes

    /// The elemental share of an item that is a mineral salt dosed by mass (magnesium glycinate: 0.141),
    /// or nil for anything else (a product, a dose in units, a substance without forms).
    func saltFraction(_ item: PlanItem) -> Double? {
        guard item.product == nil, item.dose.dimension == .mass, let form = item.form,
              let fraction = compilation.knowledge.substances[item.substance]?.forms[form]?.elementalFraction,
              fraction > 0, fraction < 1 else { return nil }
        return fraction
    }

    /// A product ingredient's strength as its mass: a salt's own mass (Regimen states the element's,
    /// 120 mg of magnesium as glycinate, which is 851.06 mg of magnesium glycinate), else as written.
    func ingredientStrength(_ ingredient: ProductIngredient) -> JSON {
        guard let form = ingredient.form.flatMap({ compilation.knowledge.substances[ingredient.substance]?.forms[$0] }),
              ingredient.amount.dimension == .mass, let fraction = form.elementalFraction,
              fraction > 0, fraction < 1 else { return quantity(ingredient.amount) }
        // Written `salt`, or a form dosed as its salt, the amount already is the salt's own mass.
        let isSaltWeight = ingredient.basis == .salt || (ingredient.basis == nil && form.dosedAsSalt)
        return Self.milligrams(isSaltWeight ? ingredient.amount.base : ingredient.amount.base / fraction)
    }

    /// A mass in mg, to the hundredth of a milligram.
    static func milligrams(_ value: Double) -> JSON {
        .object([("value", .number((value * 100).rounded() / 100)), ("unit", .string("mg")), ("system", .string(ucum)), ("code", .string("mg"))])
    }

    private func quantity(_ q: Quantity) -> JSON {
        let (value, symbol) = q.displayed
        let unit = Unit.named(symbol)
        // A decimal as a clinician writes it: 105, not 104.99999999999999 from 5 mg/kg × 21 kg.
        let decimal = (value * 1_000_000).rounded() / 1_000_000
        return .object([("value", .number(decimal)), ("unit", .string(symbol)), ("system", .string(Self.ucum)),
                        ("code", .string(unit?.ucum ?? symbol))])
    }

    /// SNOMED CT route codes, for export and import alike.
    static let routeCodes: [Route: (code: String, display: String)] = [
            .oral: ("26643006", "Oral route"), .iv: ("47625008", "Intravenous route"), .im: ("78421000", "Intramuscular route"),
            .subcutaneous: ("34206005", "Subcutaneous route"), .topical: ("6064005", "Topical route"), .sublingual: ("37839007", "Sublingual route"),
            .inhaled: ("447694001", "Respiratory tract route"), .nasal: ("46713006", "Nasal route"),
            .ophthalmic: ("54485002", "Ophthalmic route"), .otic: ("10547007", "Otic route"), .rectal: ("37161004", "Rectal route"),
            .vaginal: ("16857009", "Vaginal route"), .transdermal: ("45890007", "Transdermal route"),
    ]

    private func route(_ route: Route) -> JSON {
        let (code, display) = Self.routeCodes[route]!
        return .object([("coding", .array([.object([("system", .string(Self.snomed)), ("code", .string(code)), ("display", .string(display))])])),
                        ("text", .string(route.rawValue))])
    }

    /// A UUID-shaped id derived from a string, so exports are reproducible.
    static func uuid(_ seed: String) -> String {
        func fnv(_ text: String, _ basis: UInt64) -> UInt64 {
            text.utf8.reduce(basis) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        }
        let a = fnv(seed, 0xCBF2_9CE4_8422_2325), b = fnv(seed + "#", 0x84222325CBF29CE4)
        let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
        let chars = Array(hex)
        func part(_ from: Int, _ to: Int) -> String { String(chars[from..<to]) }
        // Version 4 and variant bits, so validators accept it as a UUID.
        return "\(part(0, 8))-\(part(8, 12))-4\(part(13, 16))-a\(part(17, 20))-\(part(20, 32))"
    }
}
