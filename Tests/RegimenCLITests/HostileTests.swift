import Foundation
import Testing

// Attacks on the tool through the files it reads and writes (issue #17). Each test makes its
// hostile files itself in a fresh temporary folder: no link or named pipe is committed.

/// The package root, from this file's path.
private let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `regimen` binary, beside the test bundle in the build folder.
private let tool: URL = {
    var folder = Bundle.main.bundleURL
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("regimen").path), folder.path != "/" {
        folder.deleteLastPathComponent()
    }
    return folder.appendingPathComponent("regimen")
}()

struct HostileRun {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool
}

/// Runs `regimen`, killing it after `timeout` seconds (a hang is a failure, never a stuck test run).
func runTool(_ arguments: [String], in folder: String? = nil, input: String = "", timeout: Double = 20) throws -> HostileRun {
    let process = Process()
    process.executableURL = tool
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder ?? root)
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-out-\(UUID().uuidString)")
    let err = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    let stdin = Pipe()
    process.standardInput = stdin
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    var timedOut = false
    if done.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        process.terminate()
        if done.wait(timeout: .now() + 2) == .timedOut { kill(process.processIdentifier, SIGKILL); done.wait() }
    }
    return HostileRun(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8), timedOut: timedOut)
}

/// A fresh temporary folder, removed by the caller.
func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-hostile-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return Files.realPath(path)
}

func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func makeFIFO(_ path: String) {
    #expect(mkfifo(path, 0o600) == 0, "mkfifo \(path)")
}

enum Files {
    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

@Suite struct SandboxTests {
    @Test func aSymbolicLinkOutOfThePlanFolderIsRefused() throws {
        let outside = try temporaryFolder(), plan = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: outside); try? FileManager.default.removeItem(atPath: plan) }
        try write("zinc 10mg daily with the SECRET-CONTENT\n", to: outside + "/secret.regimen")
        try FileManager.default.createSymbolicLink(atPath: plan + "/link.regimen", withDestinationPath: outside + "/secret.regimen")
        try FileManager.default.createSymbolicLink(atPath: plan + "/linked-folder", withDestinationPath: outside)
        try write("include \"link.regimen\"\ninclude \"linked-folder/secret.regimen\"\nmagnesium glycinate 300mg nightly\n",
                  to: plan + "/plan.regimen")
        let run = try runTool(["check", "plan.regimen"], in: plan)
        #expect(run.status == 1)
        #expect(run.stdout.contains("error[R502]: \"link.regimen\" leads outside the plan's folder through a symbolic link"))
        #expect(run.stdout.contains("error[R502]: \"linked-folder/secret.regimen\" leads outside"))
        #expect(run.stdout.contains("--> plan.regimen:1:9"), "a located error")
        #expect(!run.stdout.contains("SECRET-CONTENT") && !run.stderr.contains("SECRET-CONTENT"), "never the content of the target")
        // The same plan read through `show` and the REPL's :load.
        #expect(!(try runTool(["show", "plan.regimen"], in: plan)).stdout.contains("SECRET"))
        let repl = try runTool(["repl"], in: plan, input: ":load plan.regimen\n:plan\n")
        #expect(!repl.stdout.contains("SECRET-CONTENT"))
    }

    @Test func aLinkInsideThePlanFolderStillWorks() throws {
        let plan = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: plan) }
        try FileManager.default.createDirectory(atPath: plan + "/clinic", withIntermediateDirectories: true)
        try write("zinc 10mg daily\n", to: plan + "/clinic/zinc.regimen")
        try FileManager.default.createSymbolicLink(atPath: plan + "/zinc.regimen", withDestinationPath: "clinic/zinc.regimen")
        try write("include \"zinc.regimen\"\n", to: plan + "/plan.regimen")
        let run = try runTool(["show", "plan.regimen"], in: plan)
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("zinc"))
    }

    @Test func includeOfANamedPipeDoesNotHang() throws {
        let plan = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: plan) }
        makeFIFO(plan + "/pipe.regimen")
        try FileManager.default.createDirectory(atPath: plan + "/folder.regimen", withIntermediateDirectories: true)
        try write("include \"pipe.regimen\"\ninclude \"folder.regimen\"\nzinc 10mg daily\n", to: plan + "/plan.regimen")
        let run = try runTool(["check", "plan.regimen"], in: plan, timeout: 10)
        #expect(!run.timedOut, "reading a named pipe must never hang")
        #expect(run.status == 1)
        #expect(run.stdout.contains("error[R504]: \"pipe.regimen\" is a named pipe (FIFO), not a plan file"))
        #expect(run.stdout.contains("error[R504]: \"folder.regimen\" is a folder, not a plan file"))
        #expect(run.stdout.contains("--> plan.regimen:1:9"))
    }

    @Test func aNamedPipeOrDeviceAsThePlanIsRefused() throws {
        let plan = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: plan) }
        makeFIFO(plan + "/pipe.regimen")
        for command in [["check"], ["show"], ["simulate"], ["fmt"], ["export", "--fhir"]] {
            let run = try runTool(command + ["pipe.regimen"], in: plan, timeout: 10)
            #expect(!run.timedOut, "\(command) must not hang on a named pipe")
            #expect(run.status == 2 || run.status == 1, "\(command)")
            #expect(run.stderr.contains("pipe.regimen"), "\(command): \(run.stderr)")
        }
        let device = try runTool(["check", "/dev/zero"], timeout: 10)
        #expect(!device.timedOut, "/dev/zero never ends; it must not be read")
        #expect(device.stderr.contains("error[R504]: cannot read /dev/zero: it is a character device, not a file"))
        let repl = try runTool(["repl"], in: plan, input: ":load pipe.regimen\n", timeout: 10)
        #expect(!repl.timedOut)
        #expect(repl.stdout.contains("cannot read pipe.regimen: it is a named pipe (FIFO), not a plan file"))
    }

    @Test func loadKeepsTheLoadedFilesFolderAsTheBaseOfItsIncludes() throws {
        let work = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: work + "/plans/clinic", withIntermediateDirectories: true)
        try write("zinc 10mg daily\n", to: work + "/plans/clinic/zinc.regimen")
        try write("include \"clinic/zinc.regimen\"\nmagnesium glycinate 300mg nightly\n", to: work + "/plans/plan.regimen")
        let repl = try runTool(["repl"], in: work, input: ":load plans/plan.regimen\n:check\n")
        #expect(repl.stdout.contains("loaded plans/plan.regimen: 2 item(s)"), "\(repl.stdout)")
        #expect(!repl.stdout.contains("R501"), "the include is found from the loaded file's folder: \(repl.stdout)")
    }
}

@Suite struct EscapingTests {
    @Test func controlAndBidiCharactersInANoteAreWrittenOut() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write("zinc 10mg daily, note \"\u{1B}]0;owned\u{07}\u{1B}[2J \u{202E}evil\u{202C} \u{9B}31m\"\n", to: folder + "/plan.regimen")
        for command in ["show", "check"] {
            let run = try runTool([command, "plan.regimen"], in: folder)
            #expect(run.status == 0, "\(command): \(run.stdout)")
            #expect(!run.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" || $0 == "\u{9B}" },
                    "\(command) must not pass control or bidi characters to the terminal")
            #expect(run.stdout.contains("\\u{1B}]0;owned\\u{7}\\u{1B}[2J \\u{202E}evil\\u{202C} \\u{9B}31m"), "\(command): \(run.stdout)")
        }
        let check = try runTool(["check", "plan.regimen"], in: folder)
        #expect(check.stdout.contains("warning[R114]: this string holds a control character, \\u{1B} (and 5 more)"))
    }

    @Test func aFileNameWithAnEscapeSequenceIsWrittenOut() throws {
        let run = try runTool(["check", "no-such-\u{1B}[31m.regimen"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot read no-such-\\u{1B}[31m.regimen"))
        #expect(!run.stderr.contains("\u{1B}"))
    }
}

@Suite struct CarefulWritingTests {
    private func mode(_ path: String) throws -> Int { try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int }

    private func kind(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : 0
    }

    /// `-o` on a path that is not a regular file writes into it: a named pipe stays a named pipe
    /// (as /dev/null stays a device; the machine's own /dev/null is not put at risk by a test).
    @Test func outputToANamedPipeWritesIntoItAndKeepsIt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pipe = folder + "/out.fifo"
        makeFIFO(pipe)
        // A reader on the other end, as a shell's `cat out.fifo` would be.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [pipe]
        let received = Pipe()
        reader.standardOutput = received
        try reader.run()
        let run = try runTool(["export", "--fhir", "-o", pipe, "examples/ms-hashimoto.regimen"], timeout: 20)
        let data = received.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        #expect(!run.timedOut)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(kind(pipe) == S_IFIFO, "the named pipe is still a named pipe, not replaced by a file")
        #expect(String(decoding: data, as: UTF8.self).contains("\"resourceType\": \"Bundle\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.fifo"], "no temporary file")
    }

    @Test func outputDashIsStandardOutput() throws {
        let run = try runTool(["export", "--fhir", "-o", "-", "examples/ms-hashimoto.regimen"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"resourceType\": \"Bundle\""))
        #expect(!FileManager.default.fileExists(atPath: root + "/-"))
    }

    @Test func aSymbolicLinkIsWrittenThroughAndKept() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write("zinc  15 mg daily\n", to: folder + "/target.regimen")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: folder + "/target.regimen")
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.regimen", withDestinationPath: "target.regimen")
        let run = try runTool(["fmt", "--write", "link.regimen"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(kind(folder + "/link.regimen") == S_IFLNK, "the link is still a link")
        #expect(try String(contentsOfFile: folder + "/target.regimen", encoding: .utf8) == "zinc 15mg daily\n")
        #expect(try mode(folder + "/target.regimen") == 0o640)
    }

    @Test func ownerAndGroupAreKept() throws {
        guard getuid() == 0 else { return } // only root can give a file to someone else
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/plan.regimen"
        try write("zinc  15 mg daily\n", to: path)
        #expect(chown(path, 4321, 4322) == 0)
        #expect(try runTool(["fmt", "--write", path]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.ownerAccountID] as? Int == 4321)
        #expect(attributes[.groupOwnerAccountID] as? Int == 4322)
    }

    @Test func aReadOnlyFileIsRefusedUnlessForcedAndTheOthersAreStillWritten() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write("zinc  15 mg daily\n", to: folder + "/a.regimen")
        try write("zinc  20 mg daily\n", to: folder + "/b.regimen")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: folder + "/a.regimen")
        let run = try runTool(["fmt", "--write", "a.regimen", "b.regimen"], in: folder)
        #expect(run.status == 2, "some files failed")
        #expect(run.stderr.contains("cannot write a.regimen: it is read-only (--force replaces it anyway)"))
        #expect(try String(contentsOfFile: folder + "/a.regimen", encoding: .utf8) == "zinc  15 mg daily\n")
        #expect(try String(contentsOfFile: folder + "/b.regimen", encoding: .utf8) == "zinc 20mg daily\n", "the next file is still written")
        let forced = try runTool(["fmt", "--write", "--force", "a.regimen"], in: folder)
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: folder + "/a.regimen", encoding: .utf8) == "zinc 15mg daily\n")
        #expect(try mode(folder + "/a.regimen") == 0o444, "still read-only")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["a.regimen", "b.regimen"], "no temporary file")
    }

    /// SIGTERM at any moment of `fmt --write`: the file is the old text or the new one, whole,
    /// and no temporary file is left, whenever the signal lands.
    @Test func aSignalDuringAWriteLeavesNoTemporaryFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/plan.regimen"
        let original = String(repeating: "zinc  15 mg daily\n", count: 20_000)
        let formatted = String(repeating: "zinc 15mg daily\n", count: 20_000)
        for delay in [0, 30, 100, 200, 350, 500] {
            try write(original, to: path)
            let process = Process()
            process.executableURL = tool
            process.arguments = ["fmt", "--write", path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(delay * 1000))
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text == original || text == formatted, "after \(delay) ms: a partial file")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["plan.regimen"], "after \(delay) ms: a temporary file left")
        }
    }

    @Test func saveWithoutBangNeverReplacesAnything() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/dangling.regimen", withDestinationPath: "made-by-save.regimen")
        try write("kept\n", to: folder + "/existing.regimen")
        let run = try runTool(["repl"], in: folder, input: "zinc 10mg daily\n:save dangling.regimen\n:save existing.regimen\n:save new.regimen\n")
        #expect(run.stdout.contains("dangling.regimen exists; use :save! dangling.regimen to replace it"), "\(run.stdout)")
        #expect(run.stdout.contains("existing.regimen exists"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/made-by-save.regimen"), "a dangling link's target is not made")
        #expect(try String(contentsOfFile: folder + "/existing.regimen", encoding: .utf8) == "kept\n")
        #expect(try String(contentsOfFile: folder + "/new.regimen", encoding: .utf8) == "zinc 10mg daily\n")
        let bang = try runTool(["repl"], in: folder, input: "zinc 10mg daily\n:save! existing.regimen\n")
        #expect(bang.stdout.contains("saved 1 statement(s) to existing.regimen"))
    }
}

@Suite struct BatchTests {
    @Test func aFolderIsCheckedWholeAndOneBadFileStopsNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/plans/sub", withIntermediateDirectories: true)
        try write("zinc 10mg daily\n", to: folder + "/plans/clean.regimen")
        try write("zinc 10mg dialy\n", to: folder + "/plans/sub/error.regimen")
        try write("\u{FF}\u{FE}binary", to: folder + "/plans/sub/binary.regimen")
        makeFIFO(folder + "/plans/sub/pipe.regimen")
        try write("not a plan", to: folder + "/plans/notes.txt")
        let run = try runTool(["check", "plans"], in: folder, timeout: 20)
        #expect(!run.timedOut)
        #expect(run.status == 2, "a plan could not be read")
        #expect(run.stdout.contains("plans/clean.regimen: no errors"))
        #expect(run.stdout.contains("plans/sub/error.regimen: 1 error"))
        #expect(run.stdout.contains("plans/sub/pipe.regimen: not readable: it is a named pipe (FIFO), not a file"))
        #expect(run.stdout.contains("plans  clean  with warnings  with errors  not readable\n    4      1              0            2             1\n"),
                "\(run.stdout)")
        let json = try runTool(["check", "--format", "json", "plans"], in: folder)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["files"] as? [[String: Any]])?.count == 4)
        #expect((object["summary"] as? [String: Int])?["unreadable"] == 1)
    }
}
