import Foundation
@testable import RegimenCore

import Testing
import TestSupport

@Suite struct InterchangeTests {
    private func compilation(_ path: String) throws -> Compilation {
        guard case .success(let compilation) = Frontend.compile(path: path, provider: PackageFiles(), today: testToday) else {
            throw CancellationError()
        }
        return compilation
    }

    /// The schedule as comparable text: every dose's date, time, substance, dose and route.
    private func schedule(_ compilation: Compilation, start: CivilDate, days: Int) -> [String] {
        let timeline = Simulator.run(compilation, options: SimulationOptions(start: start, days: days), today: testToday)
        return timeline.events.map { event in
            let item = compilation.plan.items[event.item]
            return "\(event.date) \(event.time) \(item.substance) \(timeline.dose(of: event).description) \(item.route.rawValue)"
        }
    }

    /// plan → FHIR → plan → FHIR: both plans give the same simulated schedule, and the two Bundles are equal.
    @Test("every example round-trips through FHIR with the same schedule", arguments: GoldenCase.examples().filter { !$0.input.contains("/clinic/") })
    func roundTrip(_ golden: GoldenCase) throws {
        try assertRoundTrip(golden.input, bundle: golden.expected.replacingOccurrences(of: "/examples/", with: "/fhir/").replacingOccurrences(of: ".out", with: ".json"))
    }

    /// Plans made to cross FHIR with what the examples do not hold (laboratory results, a product of several
    /// ingredients, a held item, days that differ, a stay abroad), each beside its golden Bundle.
    @Test("each round-trip plan crosses FHIR unchanged", arguments: GoldenCase.all(in: "fhir-roundtrip"))
    func roundTripPlans(_ golden: GoldenCase) throws {
        try assertRoundTrip(golden.input, bundle: golden.expected.replacingOccurrences(of: ".out", with: ".json"), notesToo: true)
    }

    /// `notesToo`: the notes must match as well (a laboratory result's advice is often a note).
    private func assertRoundTrip(_ input: String, bundle goldenBundle: String, notesToo: Bool = false) throws {
        let original = try compilation(input)
        let bundle = FHIRExport(original, today: testToday).bundle().serialized()
        // The golden Bundle is what `export` writes: the plan's errors and warnings as DetectedIssues.
        let marked = FHIRExport(original, today: testToday).bundle(findings: original.checked(today: testToday)).serialized()
        assertGolden(marked + "\n", goldenBundle)
        guard case .success(let source) = FHIRImport.source(fromBundle: Array(bundle.utf8)) else {
            Issue.record("the exported Bundle of \(input) does not import")
            return
        }
        let imported = Frontend.compile(bytes: Array(source.utf8), name: "imported.regimen", path: "imported.regimen",
                                        provider: MemorySourceProvider([:]), today: testToday)
        #expect(!imported.hasErrors, "the imported plan has errors:\n\(source)\n\(imported.diagnostics.map(\.message))")
        var simulator = Simulator(original, today: testToday)
        let (start, days) = simulator.horizon()
        #expect(schedule(imported, start: start, days: days) == schedule(original, start: start, days: days),
                "\(input): the schedule changed through FHIR:\n\(source)")
        let again = FHIRExport(imported, today: testToday).bundle().serialized()
        #expect(strippedOfText(again) == strippedOfText(bundle), "\(input): the second export differs from the first")
        // The same findings (each code with its message, without the line numbers it names), the same
        // plan names and the same declared drugs. A plan's own `rule` does not travel: FHIR holds no rule,
        // and text from a file never becomes source; its findings travel as DetectedIssues instead.
        func findings(_ compilation: Compilation) -> [String] {
            compilation.checked(today: testToday).filter { (notesToo || $0.severity != .note) && $0.code != .userRule }
                .map { "\($0.code.id) " + $0.message.replacing(/lines? [0-9]+(, [0-9]+)*( and [0-9]+)?/, with: "line") }.sorted()
        }
        #expect(findings(imported) == findings(original), "\(input): the findings changed through FHIR:\n\(source)")
        let ruled = original.checked(today: testToday).filter { $0.code == .userRule }
        let issues = (FHIRExport(original, today: testToday).bundle(findings: original.checked(today: testToday))["entry"]?.array ?? [])
            .filter { $0["resource"]?["resourceType"]?.string == "DetectedIssue" && $0["resource"]?["code"]?["coding"]?.array?.first?["code"]?.string == "R815" }
        #expect(issues.count == ruled.count, "\(input): a plan rule's finding is not in the export")
        #expect(imported.plan.blocks.map(\.name) == original.plan.blocks.map(\.name))
        func declared(_ compilation: Compilation) -> [String] {
            compilation.plan.unjudged.filter { $0.reason == .declaredInPlan }.map { $0.name.lowercased() }.sorted()
        }
        #expect(declared(imported) == declared(original), "\(input): the declared drugs changed through FHIR")
        // The patient's measurements and laboratory results, each in its canonical unit and with its date
        // (the weight to the gram, as FHIR carries it in kg to three places).
        func measured(_ compilation: Compilation) -> [String] {
            let patient = compilation.plan.patient
            let facts = ["weight \(patient.weight.map { ($0.base / 1000).rounded() } ?? -1)", "height \(patient.height?.base ?? -1)", "egfr \(patient.egfr ?? -1)"]
            return facts + compilation.plan.labs.values.map { "\($0.analyte) \($0.value.base) \($0.date?.description ?? "undated")" }.sorted()
        }
        #expect(measured(imported) == measured(original), "\(input): the patient's measurements changed through FHIR:\n\(source)")
        // Each product the plan uses has the same ingredients, each the same mass of its substance (to 0.01 mg).
        func products(_ compilation: Compilation) -> [String] {
            Set(compilation.plan.items.compactMap(\.product)).sorted().map { name in
                let ingredients = compilation.knowledge.products[name.lowercased()]?.ingredients ?? []
                return name + ": " + ingredients.map { "\($0.name) \((($0.milligrams ?? $0.amount.base) * 100).rounded() / 100)" }.joined(separator: ", ")
            }
        }
        #expect(products(imported) == products(original), "\(input): a product changed through FHIR:\n\(source)")
        // What is held stays held, with the same condition.
        #expect(imported.plan.heldItems.map { "\($0.name) \($0.holdIf?.condition ?? "")" } == original.plan.heldItems.map { "\($0.name) \($0.holdIf?.condition ?? "")" })
    }

    /// A mineral salt's dose is unambiguous: the order's dose is the salt's own mass, and a contained
    /// Medication states the elemental share; the elemental amount is never written as the compound's.
    /// Read back, each dose is as the plan wrote it, the salt's mass where the form is dosed as the salt.
    @Test func saltDosesAreTheSaltsMass() throws {
        let plan = """
        plan "salts" from 2026-12-01 for 14 days:
          magnesium glycinate 300mg nightly
          ferrous sulfate 325mg daily with breakfast
          magnesium oxide 400mg salt daily with dinner
          magnesium citrate 100-200mg as needed for cramps, max 2 per day

        """
        let compiled = Frontend.compile(bytes: Array(plan.utf8), name: "salts.regimen", path: "salts.regimen",
                                        provider: MemorySourceProvider([:]), today: testToday)
        let bundle = FHIRExport(compiled, today: testToday).bundle()
        let requests = (bundle["entry"]?.array ?? []).compactMap { $0["resource"] }.filter { $0["resourceType"]?.string == "MedicationRequest" }
        func dose(_ request: JSON) -> Double? { request["dosageInstruction"]?.array?.first?["doseAndRate"]?.array?.first?["doseQuantity"]?["value"]?.double }
        func share(_ request: JSON) -> (Double?, Double?) {
            let strength = request["contained"]?.array?.first?["ingredient"]?.array?.first?["strength"]
            return (strength?["numerator"]?["value"]?.double, strength?["denominator"]?["value"]?.double)
        }
        #expect(requests.count == 4)
        guard requests.count == 4 else { return }
        // 300 mg of magnesium is 2127.66 mg of magnesium glycinate (14.1% magnesium).
        #expect(dose(requests[0]) == 2127.66 && share(requests[0]) == (14.1, 100))
        #expect(requests[0]["medicationReference"]?["reference"]?.string == "#salt")
        #expect(requests[0]["contained"]?.array?.first?["ingredient"]?.array?.first?["itemCodeableConcept"]?["text"]?.string == "magnesium")
        // `ferrous sulfate 325mg` is read as 325 mg of iron (the label convention): 1625 mg of the salt.
        #expect(dose(requests[1]) == 1625 && share(requests[1]) == (20, 100))
        // Written as the salt's weight: the dose is that weight.
        #expect(dose(requests[2]) == 400 && share(requests[2]) == (60.3, 100))
        let range = requests[3]["dosageInstruction"]?.array?.first?["doseAndRate"]?.array?.first?["doseRange"]
        #expect(range?["low"]?["value"]?.double == 617.28 && range?["high"]?["value"]?.double == 1234.57)
        guard case .success(let source) = FHIRImport.source(fromBundle: Array(bundle.serialized().utf8)) else {
            Issue.record("the Bundle does not import")
            return
        }
        for line in ["magnesium glycinate 300mg daily", "ferrous sulfate 325mg daily", "magnesium oxide 241.2mg daily", "magnesium citrate 100-200mg as needed"] {
            #expect(source.contains(line), "\(line) not in:\n\(source)")
        }
    }

    /// A Medication that states an elemental share of a salt the knowledge base does not know: its doses
    /// are not imported (the salt's mass would be read as the element's), and the comment and warning say why.
    @Test func anUnknownSaltKeepsItsMass() {
        let json = """
        {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
         "contained": [{"resourceType": "Medication", "id": "m", "code": {"text": "zinc orotate"},
                        "ingredient": [{"itemCodeableConcept": {"text": "zinc"}, "strength": {"numerator": {"value": 17, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}, "denominator": {"value": 100, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}}]}],
         "medicationReference": {"reference": "#m"},
         "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 100, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}]}]}
        """
        guard case .success(let imported) = FHIRImport.read(Array(json.utf8)) else {
            Issue.record("not imported")
            return
        }
        let items = imported.source.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("  #") }
        #expect(items.isEmpty, "the salt's mass was read as zinc's: \(imported.source)")
        #expect(imported.source.contains("# not imported: ") && imported.source.contains("17 mg of its ingredient per 100 mg"), "\(imported.source)")
        #expect(imported.warnings.contains { $0.contains("not a salt form the knowledge base knows") }, "\(imported.warnings)")
    }

    /// `--bundle transaction`: the same resources, each entry with its fullUrl and a POST request to its
    /// type, so a FHIR server creates them together (the golden Bundles are validated by the cross-checks);
    /// it imports to the same plan as the collection.
    @Test("every example exports as a transaction", arguments: GoldenCase.examples().filter { !$0.input.contains("/clinic/") })
    func transaction(_ golden: GoldenCase) throws {
        let original = try compilation(golden.input)
        let export = FHIRExport(original, today: testToday)
        let transaction = export.bundle(findings: original.checked(today: testToday), type: .transaction)
        assertGolden(transaction.serialized() + "\n",
                     golden.expected.replacingOccurrences(of: "/examples/", with: "/fhir-transaction/").replacingOccurrences(of: ".out", with: ".json"))
        #expect(transaction["type"]?.string == "transaction")
        for entry in transaction["entry"]?.array ?? [] {
            #expect(entry["fullUrl"]?.string?.hasPrefix("urn:uuid:") == true)
            #expect(entry["request"]?["method"]?.string == "POST" && entry["request"]?["url"]?.string == entry["resource"]?["resourceType"]?.string)
        }
        let collection = export.bundle()
        #expect(export.bundle(type: .transaction)["entry"]?.array?.count == collection["entry"]?.array?.count)
        guard case .success(let fromTransaction) = FHIRImport.source(fromBundle: Array(export.bundle(type: .transaction).serialized().utf8)),
              case .success(let fromCollection) = FHIRImport.source(fromBundle: Array(collection.serialized().utf8)) else {
            Issue.record("\(golden.input): a Bundle does not import")
            return
        }
        #expect(fromTransaction == fromCollection)
    }

    /// Every extension the export writes has its StructureDefinition in the repository
    /// (fhir/StructureDefinition/NAME.json, its canonical URL's last part), with that URL and the value
    /// type the export writes; the cross-checks validate the definitions themselves.
    @Test func everyExtensionIsDefined() throws {
        var used: [String: Set<String>] = [:]  // url: the value[x] keys written
        func collect(_ value: JSON) {
            switch value {
            case .object(let fields):
                if let url = value["url"]?.string, url.hasPrefix("https://regimen.dev/fhir/StructureDefinition/") {
                    used[url, default: []].formUnion(fields.map(\.0).filter { $0.hasPrefix("value") })
                }
                fields.forEach { collect($0.1) }
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        for golden in GoldenCase.examples().filter({ !$0.input.contains("/clinic/") }) + GoldenCase.all(in: "fhir-roundtrip") {
            collect(FHIRExport(try compilation(golden.input), today: testToday).bundle())
        }
        #expect(used.count >= 4, "\(used.keys.sorted())")
        for (url, keys) in used {
            let name = String(url.split(separator: "/").last!)
            let path = packageRoot + "/fhir/StructureDefinition/\(name).json"
            guard let bytes = FileManager.default.contents(atPath: path), let definition = JSON(parsing: Array(bytes)) else {
                Issue.record("\(url) has no StructureDefinition at fhir/StructureDefinition/\(name).json")
                continue
            }
            #expect(definition["url"]?.string == url && definition["type"]?.string == "Extension")
            let types = (definition["differential"]?["element"]?.array ?? []).first { $0["path"]?.string == "Extension.value[x]" }?["type"]?.array?
                .compactMap { $0["code"]?.string } ?? []
            for key in keys {
                #expect(types.contains { "value" + $0.prefix(1).uppercased() + $0.dropFirst() == key }, "\(url): \(key) is not among \(types)")
            }
        }
    }

    /// Two named plans and a drug the plan declares: through FHIR (a CarePlan per plan, whose
    /// activities are its orders) they come back as two plans of the same names, the same declaration,
    /// the same findings and the same schedule.
    @Test func plansAndDeclarationsRoundTrip() {
        let plan = """
        patient:
          age 60
          conditions ms

        drug examplamab:
          source "a trial protocol"

        plan "morning" from 2026-12-01 for 14 days:
          examplamab 10mg daily with breakfast
          magnesium oxide 400mg daily with dinner
          levothyroxine 75mcg daily on waking

        plan "evening" from 2026-12-01 for 14 days:
          zinc 15mg daily at bedtime

        """
        let original = Frontend.compile(bytes: Array(plan.utf8), name: "two.regimen", path: "two.regimen", provider: MemorySourceProvider([:]), today: testToday)
        let bundle = FHIRExport(original, today: testToday).bundle()
        let carePlans = (bundle["entry"]?.array ?? []).filter { $0["resource"]?["resourceType"]?.string == "CarePlan" }
        #expect(carePlans.map { $0["resource"]?["title"]?.string } == ["morning", "evening"])
        #expect(carePlans.map { $0["resource"]?["activity"]?.array?.count } == [3, 1])
        guard case .success(let source) = FHIRImport.source(fromBundle: Array(bundle.serialized().utf8)) else {
            Issue.record("the Bundle does not import")
            return
        }
        let imported = Frontend.compile(bytes: Array(source.utf8), name: "imported.regimen", path: "imported.regimen", provider: MemorySourceProvider([:]), today: testToday)
        #expect(imported.plan.blocks.map(\.name) == ["morning", "evening"], "\(source)")
        #expect(imported.plan.items.map(\.plan) == original.plan.items.map(\.plan))
        func declared(_ compilation: Compilation) -> [String] {
            compilation.plan.unjudged.filter { $0.reason == .declaredInPlan }.map { $0.name.lowercased() }.sorted()
        }
        #expect(declared(imported) == ["examplamab"] && declared(original) == ["examplamab"])
        func findings(_ compilation: Compilation) -> [String] {
            compilation.checked(today: testToday).map { "\($0.code.id) " + $0.message.replacing(/lines? [0-9]+(, [0-9]+)*( and [0-9]+)?/, with: "line") }.sorted()
        }
        #expect(findings(imported) == findings(original), "\(source)")
        var simulator = Simulator(original, today: testToday)
        let (start, days) = simulator.horizon()
        #expect(schedule(imported, start: start, days: days) == schedule(original, start: start, days: days))
    }

    /// Bundles compared without the read-back text and ids, which name source lines and files.
    private func strippedOfText(_ bundle: String) -> String {
        bundle.split(separator: "\n").filter {
            !$0.contains("\"text\": \"") && !$0.contains("urn:uuid:") && !$0.contains("\"reference\"") && !$0.contains("\"div\": \"")
        }
            .joined(separator: "\n")
    }

    /// A product with several ingredients is one order whose contained Medication lists every
    /// ingredient with its strength, and one calendar reminder per dose, not one per ingredient.
    @Test func aProductWithSeveralIngredientsIsOneOrder() throws {
        let plan = try compilation("Tests/RegimenCoreTests/Golden/checks/product-cal-mag-zinc-safe.regimen")
        let text = FHIRExport(plan, today: testToday).bundle().serialized()
        guard let bundle = JSON(parsing: Array(text.utf8)) else { Issue.record("the Bundle is not JSON"); return }
        let resources = bundle["entry"]?.array?.compactMap { $0["resource"] } ?? []
        let orders = resources.filter { $0["resourceType"]?.string == "MedicationRequest" }
        #expect(orders.count == 2, "levothyroxine and the product, once")
        let medication = orders.compactMap { $0["contained"]?.array?.first }.first
        let ingredients = medication?["ingredient"]?.array?.compactMap { $0["itemCodeableConcept"]?["text"]?.string } ?? []
        #expect(ingredients == ["calcium carbonate", "magnesium oxide", "zinc oxide"])
        let strengths = medication?["ingredient"]?.array?.compactMap { $0["strength"]?["numerator"]?["value"]?.double } ?? []
        // Each salt's own mass a tablet (333 mg of calcium as carbonate is 832.5 mg of calcium carbonate),
        // never the element's amount under the salt's name.
        #expect(strengths == [832.5, 220.56, 6.23])
        let timeline = Simulator.run(plan, options: SimulationOptions(start: CivilDate(year: 2026, month: 12, day: 1)!, days: 1), today: testToday)
        let calendar = ICalendar(timeline, compilation: plan, stamp: 0).render()
        #expect(calendar.components(separatedBy: "BEGIN:VEVENT").count - 1 == 2, "one reminder for levothyroxine, one for the tablets")
    }

    /// Laboratory results travel in the patient-facts extension and come back on import, as written.
    @Test func labResultsRoundTripThroughFHIR() throws {
        let plan = try compilation("Tests/RegimenCoreTests/Golden/readback/labs-units.regimen")
        let bundle = FHIRExport(plan, today: testToday).bundle().serialized()
        guard case .success(let source) = FHIRImport.source(fromBundle: Array(bundle.utf8)) else { Issue.record("no import"); return }
        let imported = Frontend.compile(bytes: Array(source.utf8), name: "imported.regimen", path: "imported.regimen",
                                        provider: MemorySourceProvider([:]), today: testToday)
        #expect(!imported.hasErrors, "\(source)")
        let back = imported
        #expect(Set(back.plan.labs.keys) == Set(plan.plan.labs.keys))
        for (name, result) in plan.plan.labs {
            #expect(back.plan.labs[name].map { abs($0.value.base - result.value.base) < 1e-12 && $0.date == result.date } == true, "\(name)")
        }
    }

    @Test func importRejectsWhatIsNotABundle() {
        guard case .failure(let failure) = FHIRImport.source(fromBundle: Array("{\"resourceType\": \"Patient\"}".utf8)) else {
            Issue.record("a Patient was imported as a Bundle")
            return
        }
        #expect(failure.message.contains("no MedicationRequest"))
        guard case .failure = FHIRImport.source(fromBundle: Array("not json".utf8)) else { Issue.record("not JSON was imported"); return }
    }
}
