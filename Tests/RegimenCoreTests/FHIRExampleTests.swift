import Foundation
import RegimenCore
import Testing
import TestSupport

/// Real FHIR R4 medication resources, imported as `regimen import --fhir` would: HL7's own R4
/// example MedicationRequests and MedicationStatements (`Golden/fhir-hl7/`) and the dosage
/// examples of NHS Digital's Dose Syntax Implementation guide (`Golden/fhir-nhs-dose-syntax/`),
/// each folder citing its sources in SOURCES.md. Each `.json` is beside its `.out`, which holds the
/// Regimen source, the warnings said on standard error and the findings of `regimen check` on the
/// imported plan. UPDATE_GOLDEN=1 rewrites the `.out` files.
@Suite struct FHIRExampleTests {
    static let folder = "Tests/RegimenCoreTests/Golden/fhir-hl7"
    /// Each corpus with the fewest examples it must hold.
    static let corpora = [("Tests/RegimenCoreTests/Golden/fhir-hl7", 44), ("Tests/RegimenCoreTests/Golden/fhir-nhs-dose-syntax", 30)]

    /// The example resources of a folder, by file name.
    static func examples(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/" + folder)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Every example of every corpus, as a path from the package root.
    static let all: [String] = corpora.flatMap { folder, _ in examples(in: folder).map { "\(folder)/\($0)" } }

    @Test(arguments: all)
    func importsAsGolden(_ path: String) throws {
        let name = String(path.split(separator: "/").last!)
        let data = try #require(FileManager.default.contents(atPath: packageRoot + "/\(path)"))
        guard case .success(let imported) = FHIRImport.read([UInt8](data)) else {
            Issue.record("\(name) was refused")
            return
        }
        let compilation = Frontend.compile(bytes: Array(imported.source.utf8), name: "imported.regimen", path: "imported.regimen",
                                           provider: MemorySourceProvider([:]), today: testToday)
        if imported.items > 0 {
            // The point of the corpus: a real order always gives a plan the front end accepts.
            #expect(!compilation.hasErrors, "\(name): the imported plan has front-end errors:\n\(DiagnosticRenderer().render(compilation.diagnostics, sources: compilation.sources))")
        } else {
            // Nothing to plan (an order that is over, a statement without a dose): said, and no plan block pretends otherwise.
            #expect(imported.warnings.contains { $0.contains("not imported") || $0.contains("no dosage") }, "\(name): nothing was imported and no warning says why")
            #expect(!imported.source.contains("\nplan "), "\(name)")
        }
        let findings = DiagnosticRenderer().render(compilation.checked(today: testToday), sources: compilation.sources)
        let output = imported.source
            + "\n# warnings (standard error)\n" + imported.warnings.map { "# " + $0 + "\n" }.joined()
            + "\n# regimen check\n" + findings
        assertGolden(output, String(path.dropLast(".json".count)) + ".out")
    }

    /// Every example is cited: each SOURCES.md names each file of its folder, and no file that is not there.
    @Test(arguments: zip(corpora.map { $0.0 }, corpora.map { $0.1 }))
    func everyExampleIsCited(_ folder: String, _ least: Int) throws {
        let sources = try String(contentsOfFile: packageRoot + "/\(folder)/SOURCES.md", encoding: .utf8)
        let examples = Self.examples(in: folder)
        #expect(examples.count >= least)
        for name in examples {
            #expect(sources.contains("`\(name)`"), "\(name) is not cited in \(folder)/SOURCES.md")
        }
        let cited = sources.split(separator: "`").filter { $0.hasSuffix(".json") }.map(String.init)
        for name in cited where !name.contains("/") {
            #expect(examples.contains(name), "\(folder)/SOURCES.md cites \(name), which is not in the folder")
        }
    }

    /// Hostile FHIR files (`Golden/fhir-hostile/`, also seeds of the fuzzer): huge, negative and
    /// fractional numbers, strings that try to become Regimen source, an unknown modifierExtension,
    /// a repeated key, deep nesting. Each is refused with a message or imported as data, never a
    /// trap; the `.out` beside it holds what the import said.
    @Test(arguments: examples(in: "Tests/RegimenCoreTests/Golden/fhir-hostile"))
    func hostileFilesAreRefusedOrReadAsData(_ name: String) throws {
        let folder = "Tests/RegimenCoreTests/Golden/fhir-hostile"
        let data = try #require(FileManager.default.contents(atPath: packageRoot + "/\(folder)/\(name)"))
        let output: String
        switch FHIRImport.read([UInt8](data)) {
        case .failure(let failure):
            output = "refused: \(failure.message)\n"
        case .success(let imported):
            let plan = Frontend.compile(bytes: Array(imported.source.utf8), name: "i.regimen", path: "i.regimen", provider: MemorySourceProvider([:]), today: testToday)
            if imported.items > 0 {
                #expect(!plan.hasErrors, "\(name)")
                #expect(plan.plan.items.count == 1, "\(name): one resource, one item, whatever its strings say")
                #expect(!plan.plan.items.contains { $0.substance == "zinc" || $0.substance == "iron" }, "\(name)")
                #expect(plan.plan.items.allSatisfy { $0.relations.isEmpty }, "\(name): a relation in a string is not a clause")
            }
            output = imported.source + "\n# warnings (standard error)\n" + imported.warnings.map { "# " + $0 + "\n" }.joined()
        }
        assertGolden(output, "\(folder)/\(name.dropLast(".json".count)).out")
    }

    /// A MedicationStatement whose dosage has no timing is not scheduled daily: HL7's example006
    /// says "5ml three times daily" in text only, and a frequency is never guessed.
    @Test func aDosageWithoutTimingIsNotScheduled() throws {
        let data = try #require(FileManager.default.contents(atPath: packageRoot + "/\(Self.folder)/medicationstatementexample6.json"))
        guard case .success(let imported) = FHIRImport.read([UInt8](data)) else {
            Issue.record("refused")
            return
        }
        #expect(imported.items == 0)
        #expect(imported.warnings.contains { $0.contains("no timing") && $0.contains("5ml three times daily") })
    }

    /// Sequential dosages that each last some days (the NHS guide's prednisolone taper) follow one
    /// another: 60 mg for 4 days, then 50 mg from day 5, 40 mg from day 6, and so on.
    @Test func stepsThatLastSomeDaysFollowOneAnother() throws {
        let data = try #require(FileManager.default.contents(atPath: packageRoot + "/Tests/RegimenCoreTests/Golden/fhir-nhs-dose-syntax/sequential-prednisolone-taper.json"))
        guard case .success(let imported) = FHIRImport.read([UInt8](data)) else {
            Issue.record("refused")
            return
        }
        let compilation = Frontend.compile(bytes: Array(imported.source.utf8), name: "i.regimen", path: "i.regimen", provider: MemorySourceProvider([:]), today: testToday)
        let timeline = Simulator.run(compilation, options: SimulationOptions(days: 10), today: testToday)
        let doses = timeline.events.map { Quantity.format(timeline.dose(of: $0).displayed.0) }
        #expect(doses == ["60", "60", "60", "60", "50", "40", "30", "20", "10"], "\(imported.source)\n\(compilation.diagnostics)")
    }

    /// Sequential dosages without dates (HL7's azithromycin medrx0302): the later step is not
    /// scheduled at the same time as the first, which would double the dose.
    @Test func aLaterStepWithoutDatesIsNotScheduledAlongsideTheFirst() throws {
        let data = try #require(FileManager.default.contents(atPath: packageRoot + "/\(Self.folder)/medicationrequest0302.json"))
        guard case .success(let imported) = FHIRImport.read([UInt8](data)) else {
            Issue.record("refused")
            return
        }
        let itemLines = imported.source.split(separator: "\n").filter { $0.hasPrefix("  azithromycin") }
        #expect(itemLines.count == 1, "\(imported.source)")
        #expect(imported.warnings.contains { $0.contains("step 2") })
    }
}
