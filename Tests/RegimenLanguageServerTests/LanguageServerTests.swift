import Foundation
@testable import RegimenLanguageServer
import RegimenCore
import Testing

/// The server without a process: frames and positions, and messages in, messages out, with the
/// clock given by the test, so debouncing is checked exactly.
@Suite struct LanguageServerTests {
    static let today = CivilDate(year: 2026, month: 12, day: 1)!

    // MARK: Framing

    @Test func framesSplitAnywhereAreReassembled() {
        let bytes = MessageFraming.frame(.fields(("jsonrpc", .string("2.0")), ("method", .string("initialized")))) + Array("Content-Length: 2\r\n\r\n{}".utf8)
        var framing = MessageFraming()
        var frames: [MessageFraming.Frame] = []
        for byte in bytes {
            framing.append([byte])
            while let frame = framing.next() { frames.append(frame) }
        }
        #expect(frames == [.message(.fields(("jsonrpc", .string("2.0")), ("method", .string("initialized")))), .message(.object([]))])
    }

    /// A message cut anywhere, in its header or its body, is a partial frame; whole ones are not.
    @Test func aMessageInPiecesIsAPartialFrame() {
        let whole = MessageFraming.frame(request(1, "initialize")), second = MessageFraming.frame(request(2, "shutdown"))
        for cut in 1..<second.count {
            var framing = MessageFraming()
            framing.append(whole + second[0..<cut])
            #expect(framing.endsInPartialFrame, "cut at \(cut)")
        }
        var framing = MessageFraming()
        framing.append(whole + Array("Content-Type: x\r\n\r\n".utf8) + second)
        #expect(!framing.endsInPartialFrame, "whole frames, and a header without a length, which is skipped")
        _ = framing.next()
        #expect(!framing.endsInPartialFrame)
    }

    @Test func brokenFramesAreSkipped() {
        var framing = MessageFraming()
        framing.append(Array("Content-Type: x\r\n\r\nContent-Length: 3\r\n\r\n{]}Content-Length: 2\r\n\r\n[]".utf8))
        guard case .malformed = framing.next(), case .malformed = framing.next(), case .message(.array([])) = framing.next() else {
            Issue.record("expected two malformed frames, then a message")
            return
        }
    }

    // MARK: Positions

    @Test func positionsCountUTF16CodeUnits() {
        let text = "# Jürgen’s plan — µg 😀\nmagnesum 1mg\n"
        let file = SourceFile(name: "p", text: text)
        let line = "# Jürgen’s plan — µg 😀"
        // Before the emoji: characters; after it, one more (a surrogate pair).
        let emoji = line.utf8.count - "😀".utf8.count
        #expect(file.position(of: emoji) == TextPosition(line: 0, character: 21))
        #expect(file.position(of: line.utf8.count) == TextPosition(line: 0, character: 23))
        #expect(file.position(of: line.utf8.count + 1) == TextPosition(line: 1, character: 0))
        #expect(file.offset(of: TextPosition(line: 0, character: 21)) == emoji)
        #expect(file.offset(of: TextPosition(line: 0, character: 22)) == emoji, "inside a surrogate pair: the character's start")
        #expect(file.offset(of: TextPosition(line: 0, character: 99)) == line.utf8.count, "past the end of the line: its end")
        #expect(file.offset(of: TextPosition(line: 9, character: 0)) == text.utf8.count)
    }

    @Test func fileURIsRoundTrip() {
        let path = "/tmp/Jürgen plans/a#1.regimen"
        #expect(FileURI.uri(of: path) == "file:///tmp/J%C3%BCrgen%20plans/a%231.regimen")
        #expect(FileURI.path(of: FileURI.uri(of: path)) == path)
        #expect(FileURI.path(of: "untitled:1") == nil)
    }

    // MARK: Messages

    private func request(_ id: Int, _ method: String, _ params: JSON = .object([])) -> JSON {
        .fields(("jsonrpc", .string("2.0")), ("id", .int(id)), ("method", .string(method)), ("params", params))
    }

    private func notification(_ method: String, _ params: JSON) -> JSON {
        .fields(("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params))
    }

    private func document(_ text: String, version: Int) -> JSON {
        .fields(("uri", .string("file:///plans/a.regimen")), ("version", .int(version)), ("text", .string(text)))
    }

    private func initialized() -> LanguageServer {
        var server = LanguageServer(today: Self.today, debounceMilliseconds: 150)
        _ = server.receive(.message(request(1, "initialize")), now: 0)
        return server
    }

    /// Runs the checks due at `now` and returns what they publish.
    private func runChecks(_ server: inout LanguageServer, now: Int) -> [JSON] {
        server.takeDueChecks(now: now).flatMap { server.finish($0, $0.run()) }
    }

    /// Over an upper limit, a code action marks the item `supervised`, before a trailing comment.
    @Test func anOverLimitItemCanBeMarkedSupervised() {
        var server = initialized()
        let text = "patient:\n  age 50\nmagnesium glycinate 500mg nightly  # for migraine\n"
        _ = server.receive(.message(notification("textDocument/didOpen", .fields(("textDocument", document(text, version: 1))))), now: 0)
        _ = runChecks(&server, now: 1000)
        let range = JSON.fields(("start", .fields(("line", .int(2)), ("character", .int(0)))), ("end", .fields(("line", .int(2)), ("character", .int(10)))))
        let replies = server.receive(.message(request(7, "textDocument/codeAction", .fields(
            ("textDocument", .fields(("uri", .string("file:///plans/a.regimen")))), ("range", range),
            ("context", .fields(("diagnostics", .array([])))))
        )), now: 1000)
        let actions = replies.first { $0["id"]?.int == 7 }?["result"]?.array ?? []
        let supervised = actions.first { ($0["title"]?.string ?? "").hasPrefix("Mark `magnesium glycinate` supervised") }
        let edit = supervised?["edit"]?["changes"]?["file:///plans/a.regimen"]?.array?.first
        #expect(edit?["newText"]?.string == ", supervised", "\(actions.compactMap { $0["title"]?.string })")
        #expect(edit?["range"]?["start"]?["character"]?.int == 33, "before the comment")
    }

    @Test func editsAreDebouncedAndOnlyTheLatestIsPublished() {
        var server = initialized()
        _ = server.receive(.message(notification("textDocument/didOpen", .fields(("textDocument", document("zinc 15mg daily\n", version: 1))))), now: 0)
        let opened = runChecks(&server, now: 0)
        #expect(opened.first?["params"]?["version"]?.int == 1)
        for version in 2...4 {
            let change = notification("textDocument/didChange", .fields(
                ("textDocument", .fields(("uri", .string("file:///plans/a.regimen")), ("version", .int(version)))),
                ("contentChanges", .array([.fields(("text", .string("magnesum \(version)mg daily\n")))]))))
            _ = server.receive(.message(change), now: version * 50)
        }
        #expect(runChecks(&server, now: 300).isEmpty, "the last edit came at 200 ms; due at 350 ms")
        #expect(server.nextDeadline == 350)
        let published = runChecks(&server, now: 350)
        #expect(published.count == 1)
        #expect(published[0]["params"]?["version"]?.int == 4)
        let codes = published[0]["params"]?["diagnostics"]?.array?.compactMap { $0["code"]?.string }
        #expect(codes == ["R201", "R818"])
    }

    @Test func aCheckOverTakenByAnEditIsDropped() {
        var server = initialized()
        _ = server.receive(.message(notification("textDocument/didOpen", .fields(("textDocument", document("zinc 15mg daily\n", version: 1))))), now: 0)
        let jobs = server.takeDueChecks(now: 0)
        let change = notification("textDocument/didChange", .fields(
            ("textDocument", .fields(("uri", .string("file:///plans/a.regimen")), ("version", .int(2)))),
            ("contentChanges", .array([.fields(("text", .string("zinc 10mg daily\n")))]))))
        _ = server.receive(.message(change), now: 10)
        #expect(jobs.flatMap { server.finish($0, $0.run()) }.isEmpty)
        #expect(runChecks(&server, now: 160).first?["params"]?["version"]?.int == 2)
    }

    /// Closed, a document's findings are cleared: the editor would show them for ever otherwise,
    /// and a check of it still running is never published.
    @Test func closingADocumentClearsItsDiagnostics() {
        var server = initialized()
        _ = server.receive(.message(notification("textDocument/didOpen", .fields(("textDocument", document("magnesum 1mg daily\n", version: 1))))), now: 0)
        let jobs = server.takeDueChecks(now: 0)
        let closed = server.receive(.message(notification("textDocument/didClose", .fields(
            ("textDocument", .fields(("uri", .string("file:///plans/a.regimen"))))))), now: 10)
        #expect(closed.count == 1 && closed[0]["method"]?.string == "textDocument/publishDiagnostics")
        #expect(closed.first?["params"]?["uri"]?.string == "file:///plans/a.regimen")
        #expect(closed.first?["params"]?["diagnostics"] == .array([]))
        #expect(jobs.flatMap { server.finish($0, $0.run()) }.isEmpty, "the check of the closed file is dropped")
    }

    /// A client that can watch files is asked to report plan files changed on disk; such a change
    /// re-checks the open documents that include the file, or that could not read an include.
    @Test func filesChangedOnDiskRecheckTheirIncluders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-lsp-watch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func write(_ text: String, _ name: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }
        try write("zinc 15mg daily\n", "b.regimen")
        var server = LanguageServer(today: Self.today, debounceMilliseconds: 150)
        let capabilities = JSON.fields(("capabilities", .fields(("workspace", .fields(("didChangeWatchedFiles", .fields(("dynamicRegistration", .bool(true)))))))))
        _ = server.receive(.message(request(1, "initialize", capabilities)), now: 0)
        let registration = server.receive(.message(notification("initialized", .object([]))), now: 0)
        #expect(registration.first?["method"]?.string == "client/registerCapability")
        #expect(registration.first?["params"]?["registrations"]?.array?.first?["registerOptions"]?["watchers"]?.array?.first?["globPattern"]?.string == "**/*.regimen")
        #expect(server.receive(.message(.fields(("jsonrpc", .string("2.0")), ("id", .string("regimen-register-watchers")), ("result", .null))), now: 0).isEmpty,
                "the client's answer needs none")

        func open(_ name: String, _ text: String) {
            let item = JSON.fields(("uri", .string(FileURI.uri(of: folder + "/" + name))), ("version", .int(1)), ("text", .string(text)))
            _ = server.receive(.message(notification("textDocument/didOpen", .fields(("textDocument", item)))), now: 0)
        }
        func changed(_ name: String, at now: Int) {
            let change = JSON.fields(("uri", .string(FileURI.uri(of: folder + "/" + name))), ("type", .int(2)))
            _ = server.receive(.message(notification("workspace/didChangeWatchedFiles", .fields(("changes", .array([change]))))), now: now)
        }
        open("a.regimen", "include \"b.regimen\"\n")
        open("c.regimen", "include \"missing.regimen\"\n")
        open("d.regimen", "zinc 15mg daily\n")
        let first = runChecks(&server, now: 0)
        #expect(first.count == 3)
        // Saved elsewhere with a typo: the includer is checked again and sees it.
        try write("magnesum 1mg daily\n", "b.regimen")
        changed("b.regimen", at: 1000)
        #expect(Set(server.due.keys) == [FileURI.uri(of: folder + "/a.regimen"), FileURI.uri(of: folder + "/c.regimen")],
                "the includer, and the plan with an include it could not read; not the plan with neither")
        let again = runChecks(&server, now: 1150)
        let a = again.first { $0["params"]?["uri"]?.string == FileURI.uri(of: folder + "/a.regimen") }
        #expect(a?["params"]?["diagnostics"]?.array?.contains { $0["code"]?.string == "R201" } == true)
        // A file no open document reads changes nothing.
        try write("zinc 15mg daily\n", "other.regimen")
        changed("other.regimen", at: 2000)
        #expect(server.due.keys.allSatisfy { $0 == FileURI.uri(of: folder + "/c.regimen") })
    }

    /// A check made to answer a request (completion as one types) is the one published when the
    /// edit falls due, not made twice; but not once an included file has changed since.
    @Test func aCheckMadeForARequestIsPublishedUnlessAnIncludeChanged() {
        var server = initialized()
        func open(_ name: String, _ text: String) {
            let item = JSON.fields(("uri", .string("file:///plans/\(name)")), ("version", .int(1)), ("text", .string(text)))
            _ = server.receive(.message(notification("textDocument/didOpen", .fields(("textDocument", item)))), now: 0)
        }
        func edit(_ name: String, _ text: String, version: Int, at now: Int) {
            let change = notification("textDocument/didChange", .fields(
                ("textDocument", .fields(("uri", .string("file:///plans/\(name)")), ("version", .int(version)))),
                ("contentChanges", .array([.fields(("text", .string(text)))]))))
            _ = server.receive(.message(change), now: now)
        }
        open("b.regimen", "zinc 15mg daily\n")
        open("a.regimen", "include \"b.regimen\"\nmagnesium citrate 100mg daily\n")
        _ = runChecks(&server, now: 0)
        edit("a.regimen", "include \"b.regimen\"\nmagnesium citrate 200mg daily\n", version: 2, at: 100)
        let hover = JSON.fields(("textDocument", .fields(("uri", .string("file:///plans/a.regimen")))),
                                ("position", TextPosition(line: 1, character: 2).json))
        _ = server.receive(.message(request(9, "textDocument/hover", hover)), now: 110)
        let jobs = server.takeDueChecks(now: 250)
        #expect(jobs.count == 1 && jobs.first?.ready?.version == 2, "the hover's check is reused")
        #expect(jobs.flatMap { server.finish($0, $0.run()) }.first?["params"]?["version"]?.int == 2)
        // The include changes: the plan's own text has not, but its last check is out of date.
        edit("b.regimen", "magnesum 1mg daily\n", version: 2, at: 300)
        _ = server.receive(.message(request(10, "textDocument/hover", hover)), now: 310)
        let again = server.takeDueChecks(now: 450)
        #expect(again.contains { $0.uri == "file:///plans/a.regimen" }, "the includer is due again")
        let published = again.flatMap { server.finish($0, $0.run()) }.first { $0["params"]?["uri"]?.string == "file:///plans/a.regimen" }
        #expect(published?["params"]?["diagnostics"]?.array?.contains { $0["code"]?.string == "R201" } == true)
    }

    /// While a check runs, the waiting messages are looked at without being taken; an edit or a
    /// close of the same document gives the check up halfway, anything else does not.
    @Test func aWaitingEditOfTheSameDocumentGivesARunningCheckUp() {
        var server = initialized()
        _ = server.receive(.message(notification("textDocument/didOpen", .fields(("textDocument", document("zinc 15mg daily\n", version: 1))))), now: 0)
        let job = server.takeDueChecks(now: 0)[0]
        func change(_ uri: String) -> JSON {
            notification("textDocument/didChange", .fields(("textDocument", .fields(("uri", .string(uri)), ("version", .int(2)))),
                                                           ("contentChanges", .array([.fields(("text", .string("zinc 10mg daily\n")))]))))
        }
        var framing = MessageFraming()
        framing.append(MessageFraming.frame(request(5, "textDocument/hover")) + MessageFraming.frame(change("file:///plans/other.regimen")))
        #expect(framing.pending().count == 2)
        #expect(!job.isOvertaken(by: framing.pending()), "a request, and an edit of another document")
        framing.append(MessageFraming.frame(change("file:///plans/a.regimen")))
        #expect(job.isOvertaken(by: framing.pending()))
        var taken = 0
        while case .message = framing.next() { taken += 1 }
        #expect(taken == 3, "looking left every message in place")
        var asked = false
        #expect(job.run(abandon: { asked = true; return true }) == nil)
        #expect(asked)
        #expect(job.run(abandon: { false })?.version == 1)
    }

    @Test func protocolErrorsAndShutdown() {
        var server = LanguageServer(today: Self.today)
        #expect(server.receive(.message(request(1, "textDocument/hover")), now: 0).first?["error"]?["code"]?.int == -32002)
        _ = server.receive(.message(request(2, "initialize")), now: 0)
        #expect(server.receive(.message(request(3, "regimen/unknown")), now: 0).first?["error"]?["code"]?.int == -32601)
        #expect(server.receive(.message(request(4, "textDocument/hover")), now: 0).first?["error"]?["code"]?.int == -32602)
        #expect(server.receive(.malformed("junk"), now: 0).isEmpty)
        #expect(server.receive(.message(request(5, "shutdown")), now: 0).first?["result"] == .null)
        _ = server.receive(.message(notification("exit", .null)), now: 0)
        #expect(server.exitCode == 0)
    }
}
