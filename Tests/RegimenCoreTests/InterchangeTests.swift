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
        let original = try compilation(golden.input)
        let bundle = FHIRExport(original, today: testToday).bundle().serialized()
        // The golden Bundle is what `export` writes: the plan's errors and warnings as DetectedIssues.
        let marked = FHIRExport(original, today: testToday).bundle(findings: original.checked(today: testToday)).serialized()
        assertGolden(marked + "\n", golden.expected.replacingOccurrences(of: "/examples/", with: "/fhir/").replacingOccurrences(of: ".out", with: ".json"))
        guard case .success(let source) = FHIRImport.source(fromBundle: Array(bundle.utf8)) else {
            Issue.record("the exported Bundle of \(golden.input) does not import")
            return
        }
        let imported = Frontend.compile(bytes: Array(source.utf8), name: "imported.regimen", path: "imported.regimen",
                                        provider: MemorySourceProvider([:]), today: testToday)
        #expect(!imported.hasErrors, "the imported plan has errors:\n\(source)\n\(imported.diagnostics.map(\.message))")
        var simulator = Simulator(original, today: testToday)
        let (start, days) = simulator.horizon()
        #expect(schedule(imported, start: start, days: days) == schedule(original, start: start, days: days),
                "\(golden.input): the schedule changed through FHIR:\n\(source)")
        let again = FHIRExport(imported, today: testToday).bundle().serialized()
        #expect(strippedOfText(again) == strippedOfText(bundle), "\(golden.input): the second export differs from the first")
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
        #expect(strengths == [333, 133, 5])
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
