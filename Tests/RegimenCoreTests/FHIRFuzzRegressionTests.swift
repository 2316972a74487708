import Foundation
import RegimenCore
import Testing

/// Hostile FHIR files and the fuzzer's finds (`scripts/fuzz.sh SECONDS fhir` keeps a crashing input
/// in `Golden/fuzz-fhir/`): each is imported without a crash, and what the importer makes of it
/// compiles, with no more items than the file has dosage instructions, so nothing in a string
/// became a plan line.
@Suite struct FHIRFuzzRegressionTests {
    static let files: [String] = {
        let folder = packageRoot + "/Tests/RegimenCoreTests/Golden/fuzz-fhir"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            .map { folder + "/" + $0 }
    }()

    @Test func theFolderHoldsTheHostileCases() {
        #expect(Self.files.count >= 4)
    }

    @Test(arguments: files)
    func importsWithoutACrashAndInventsNothing(_ path: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: path))
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
