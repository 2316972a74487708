import Foundation
import RegimenCore
import Testing
import TestSupport

/// The fuzzers' harnesses (`FuzzEntry`) on their regressions: the plan inputs that once crashed
/// (`Golden/fuzz/`), and hostile FHIR files with the FHIR fuzzer's finds (`Golden/fuzz-fhir/`),
/// each imported without a crash; what the importer makes of one compiles, with no more items
/// than the file has dosage instructions, so nothing in a string became a plan line.
@Suite struct FuzzRegressionTests {
    static let files: [String] = {
        let folder = packageRoot + "/Tests/RegimenCoreTests/Golden/fuzz-fhir"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            .map { folder + "/" + $0 }
    }()

    /// The plan fuzzer's harness on the inputs it once crashed on (`Golden/fuzz/`).
    @Test func thePlanHarnessRunsItsRegressions() throws {
        let folder = packageRoot + "/Tests/RegimenCoreTests/Golden/fuzz"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".regimen") }
        #expect(!files.isEmpty)
        for file in files { FuzzEntry.plan(Array(try #require(FileManager.default.contents(atPath: folder + "/" + file)))) }
    }

    @Test func theFolderHoldsTheHostileCases() {
        #expect(Self.files.count >= 4)
    }

    @Test(arguments: files)
    func importsWithoutACrashAndInventsNothing(_ path: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        // The fuzzer's own harness first: import, compile, simulate, check, export.
        FuzzEntry.fhir(Array(bytes))
        guard case .success(let imported) = FHIRImport.read(Array(bytes)) else { return }
        let compilation = Frontend.compile(bytes: Array(imported.source.utf8), name: "imported.regimen", path: "imported.regimen",
                                           provider: MemorySourceProvider([:]), today: testToday)
        #expect(compilation.plan.items.count <= Self.dosageCount(bytes), "\(imported.source)")
    }

    /// Dosage instructions in the file, counted by Foundation's own JSON reader (0 when it cannot read it).
    static func dosageCount(_ bytes: Data) -> Int {
        guard let root = try? JSONSerialization.jsonObject(with: bytes) else { return 0 }
        func count(_ value: Any) -> Int {
            if let array = value as? [Any] { return array.map(count).reduce(0, +) }
            guard let object = value as? [String: Any] else { return 0 }
            let own = ["dosageInstruction", "dosage"].compactMap { object[$0] as? [Any] }.map(\.count).reduce(0, +)
                + (object["dosage"] is [String: Any] ? 1 : 0)
            return own + object.values.map(count).reduce(0, +)
        }
        return count(root)
    }
}
