import Foundation
@testable import RegimenLanguageServer
import RegimenCore
import Testing

/// The server survives every input the fuzzer was seeded with or once broke the tool with (the
/// golden test inputs, the fuzz regressions among them, and the examples), each sent as a
/// document: it publishes diagnostics and answers hover, completion, symbols and formatting.
@Suite struct FuzzCorpusTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let corpus: [String] = {
        var files: [String] = []
        for folder in ["Tests/RegimenCoreTests/Golden", "examples"] {
            let base = root + "/" + folder
            guard let walker = FileManager.default.enumerator(atPath: base) else { continue }
            for case let path as String in walker where path.hasSuffix(".regimen") { files.append(folder + "/" + path) }
        }
        return files.sorted()
    }()

    private static func message(_ id: Int?, _ method: String, _ params: JSON) -> JSON {
        var fields: [(String, JSON)] = [("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)]
        if let id { fields.insert(("id", .int(id)), at: 1) }
        return .object(fields)
    }

    @Test func theCorpusIsThere() {
        #expect(Self.corpus.count > 250)
    }

    @Test("every corpus file as an open document", arguments: corpus)
    func everyFileAsADocument(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/" + path))
        // The editor sends text: invalid UTF-8 arrives repaired, as a client would send it.
        let text = String(decoding: data, as: UTF8.self)
        let uri = "file://" + Self.root + "/" + path
        var server = LanguageServer(today: CivilDate(year: 2026, month: 12, day: 1)!, debounceMilliseconds: 0)
        _ = server.receive(.message(Self.message(1, "initialize", .object([("capabilities", .object([]))]))), now: 0)
        _ = server.receive(.message(Self.message(nil, "textDocument/didOpen", .object([("textDocument", .object([
            ("uri", .string(uri)), ("languageId", .string("regimen")), ("version", .int(1)), ("text", .string(text)),
        ]))]))), now: 0)
        let published = server.takeDueChecks(now: 0).flatMap { server.finish($0, $0.run()) }
        #expect(published.count == 1, "\(path): no diagnostics published")
        let document = JSON.object([("uri", .string(uri))])
        let position = JSON.object([("line", .int(min(3, text.split(separator: "\n").count))), ("character", .int(4))])
        for (id, method) in ["textDocument/hover", "textDocument/completion", "textDocument/documentSymbol", "textDocument/formatting",
                             "textDocument/inlayHint"].enumerated() {
            var params: [(String, JSON)] = [("textDocument", document), ("position", position)]
            if method == "textDocument/formatting" { params.append(("options", .object([("tabSize", .int(2)), ("insertSpaces", .bool(true))]))) }
            if method == "textDocument/inlayHint" {
                params.append(("range", .object([("start", .object([("line", .int(0)), ("character", .int(0))])),
                                                 ("end", .object([("line", .int(10_000)), ("character", .int(0))]))])))
            }
            let replies = server.receive(.message(Self.message(id + 2, method, .object(params))), now: 0)
            #expect(replies.contains { $0["id"]?.int == id + 2 }, "\(path): no answer to \(method)")
        }
    }
}
