import Foundation
import RegimenCore
import Testing

/// HL7's own FHIR R4 example MedicationRequests and MedicationStatements (`Golden/fhir-hl7/`,
/// cited in its SOURCES.md), imported as `regimen import --fhir` would: each `.json` beside its
/// `.out`, which holds the Regimen source, the warnings said on standard error and the findings
/// of `regimen check` on the imported plan. UPDATE_GOLDEN=1 rewrites the `.out` files.
@Suite struct FHIRExampleTests {
    static let folder = "Tests/RegimenCoreTests/Golden/fhir-hl7"

    /// Every example resource, by file name.
    static let examples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/" + folder)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    @Test(arguments: examples)
    func importsAsGolden(_ name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: packageRoot + "/\(Self.folder)/\(name)"))
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
        assertGolden(output, "\(Self.folder)/\(name.dropLast(".json".count)).out")
    }

    /// Every example is cited: SOURCES.md names each file, and names no file that is not there.
    @Test func everyExampleIsCited() throws {
        let sources = try String(contentsOfFile: packageRoot + "/\(Self.folder)/SOURCES.md", encoding: .utf8)
        #expect(Self.examples.count >= 40)
        for name in Self.examples {
            #expect(sources.contains("`\(name)`"), "\(name) is not cited in SOURCES.md")
        }
        let cited = sources.split(separator: "`").filter { $0.hasSuffix(".json") }.map(String.init)
        for name in cited where !name.contains("/") {
            #expect(Self.examples.contains(name), "SOURCES.md cites \(name), which is not in the folder")
        }
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
