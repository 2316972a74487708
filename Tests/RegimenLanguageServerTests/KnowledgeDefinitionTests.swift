import Foundation
@testable import RegimenLanguageServer
import RegimenCore
import Testing

/// "Go to definition" on a name the knowledge base defines: the bundled file, written read-only
/// to the cache folder, opened at the definition's line.
@Suite struct KnowledgeDefinitionTests {
    static let today = CivilDate(year: 2026, month: 12, day: 1)!
    static let plan = """
        patient:
          conditions hashimoto, ms
        drug quuxamine:
          source "declared in this plan"
        product "Calm Night": magnesium glycinate 120mg per capsule
        "Calm Night" 2 capsules nightly
        levothyroxine 75mcg daily on waking
        magnesium glycinate 300mg daily, 4h after levothyroxine
        zinc 15mg daily, not with iron
        quuxamine 5mg daily

        """

    /// A cache folder of its own for each test.
    private func cache() -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-kb-\(UUID().uuidString)").path
        return folder
    }

    private func definition(_ needle: String, offset: Int = 1, files: KnowledgeFiles) -> (uri: String, line: String)? {
        let path = "/plans/a.regimen"
        let analysis = Analysis.make(uri: FileURI.uri(of: path), path: path, version: 1, bytes: Array(Self.plan.utf8),
                                     provider: WorkspaceSourceProvider(open: [path: Array(Self.plan.utf8)]), today: Self.today)
        let lines = Self.plan.split(separator: "\n", omittingEmptySubsequences: false)
        guard let line = lines.firstIndex(where: { $0.contains(needle) }), let column = lines[line].range(of: needle)?.lowerBound else { return nil }
        let character = lines[line][..<column].utf16.count + offset
        let params = JSON.fields(("position", TextPosition(line: line, character: character).json))
        let result = Features.definition(analysis, params, files)
        guard let uri = result["uri"]?.string, let start = result["range"]?["start"]?["line"]?.int else { return nil }
        let text = uri == analysis.uri ? Self.plan : (try? String(contentsOfFile: FileURI.path(of: uri)!, encoding: .utf8)) ?? ""
        let target = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (uri, start < target.count ? String(target[start]) : "")
    }

    @Test func namesGoToTheirKnowledgeBaseEntries() throws {
        let folder = cache()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = KnowledgeFiles(environment: { $0 == "XDG_CACHE_HOME" ? folder : nil })
        let expected = [
            ("levothyroxine 75mcg", "drug levothyroxine:"),      // an item
            ("magnesium glycinate", "substance magnesium:"),     // an item with a form: its substance
            ("after levothyroxine", "drug levothyroxine:"),      // a relation's target
            ("iron", "substance iron:"),                         // `not with`
            ("hashimoto", "condition hashimoto thyroiditis:"),   // a condition by its alias
            ("ms", "condition multiple sclerosis:"),
        ]
        for (needle, line) in expected {
            let offset = needle == "after levothyroxine" ? 8 : 1
            let found = try #require(definition(needle, offset: offset, files: files), "\(needle)")
            #expect(found.line == line, "\(needle)")
            #expect(found.uri.hasPrefix(FileURI.uri(of: folder + "/regimen/knowledge/")), "\(found.uri)")
        }
        // The file is the bundled text, read-only.
        let uri = try #require(definition("levothyroxine 75mcg", files: files)).uri
        let path = try #require(FileURI.path(of: uri))
        let bundled = try #require(BundledKnowledge.bundledFiles().first { $0.name == "<knowledge>/drugs.regimen" })
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == bundled.bytes)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o444)
    }

    /// A drug or product the plan declares is defined in the plan, not the knowledge base.
    @Test func aNameThePlanDeclaresGoesToThePlan() throws {
        let files = KnowledgeFiles(environment: { _ in nil })
        let found = try #require(definition("quuxamine 5mg", files: files))
        #expect(found.uri == FileURI.uri(of: "/plans/a.regimen") && found.line == "drug quuxamine:")
        let product = try #require(definition("\"Calm Night\" 2", offset: 2, files: files))
        #expect(product.line == "product \"Calm Night\": magnesium glycinate 120mg per capsule", "the product, not its substance")
    }

    /// A cache file changed by hand (or by another version) is written again before it is shown.
    @Test func aChangedCacheFileIsRewritten() throws {
        let folder = cache()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = KnowledgeFiles(environment: { $0 == "HOME" ? folder : nil })
        let path = try #require(files.path(of: "<knowledge>/drugs.regimen"))
        #expect(path.hasPrefix(folder + "/.cache/regimen/knowledge/\(KnowledgeFiles.contentHash)/"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try Data("changed".utf8).write(to: URL(fileURLWithPath: path))
        #expect(files.path(of: "<knowledge>/drugs.regimen") == path)
        let bundled = try #require(BundledKnowledge.bundledFiles().first { $0.name == "<knowledge>/drugs.regimen" })
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == bundled.bytes)
        #expect(files.path(of: "/plans/a.regimen") == nil, "only bundled files")
    }
}
