import Foundation
import SystemFiles
import Testing

/// The file layer's refusals, asked directly (the CLI tests cover what commands do with them).
@Suite struct FilesTests {
    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aFileChangedSinceItWasReadIsNotReplaced() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/plan.regimen"
        try Data("zinc  15 mg daily\n".utf8).write(to: URL(fileURLWithPath: path))
        let stamp = try #require(Files.stamp(path))
        // Another editor saves the file in the meantime.
        try Data("zinc  15 mg daily\nmagnesium glycinate 300mg nightly\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: Files.WriteError.self) {
            try Files.write(Array("zinc 15mg daily\n".utf8), to: path, options: Files.WriteOptions(expected: stamp))
        }
        do {
            try Files.write(Array("x".utf8), to: path, options: Files.WriteOptions(expected: stamp))
        } catch {
            #expect(error.refusal == .changed)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("magnesium"), "the other editor's text is kept")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["plan.regimen"], "no temporary file left")
        // Unchanged since the stamp: written.
        let fresh = try #require(Files.stamp(path))
        try Files.write(Array("zinc 15mg daily\n".utf8), to: path, options: Files.WriteOptions(expected: fresh))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "zinc 15mg daily\n")
    }

    @Test func noReplaceRefusesADanglingLink() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: folder + "/target")
        do {
            try Files.write(Array("x".utf8), to: folder + "/link", options: Files.WriteOptions(replace: false))
            Issue.record("a dangling link was written through")
        } catch {
            #expect(error.refusal == .exists)
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/target"))
        // With replace, a dangling link is refused too: its target would be a file nobody named.
        #expect(throws: Files.WriteError.self) { try Files.write(Array("x".utf8), to: folder + "/link") }
    }

    @Test func readingRefusesWhatIsNotARegularFile() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(mkfifo(folder + "/pipe", 0o600) == 0)
        guard case .notRegular(let kind) = Files.read(folder + "/pipe", maxBytes: 100) else { Issue.record("a pipe was read"); return }
        #expect(kind == "a named pipe (FIFO)")
        guard case .notRegular(let device) = Files.read("/dev/zero", maxBytes: 100) else { Issue.record("a device was read"); return }
        #expect(device == "a character device")
        // A path inside the folder is read; the same file through a link from outside is not.
        try FileManager.default.createDirectory(atPath: folder + "/inside", withIntermediateDirectories: true)
        try Data("zinc 1mg daily\n".utf8).write(to: URL(fileURLWithPath: folder + "/inside/a.regimen"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/inside/up", withDestinationPath: folder)
        try Data("secret\n".utf8).write(to: URL(fileURLWithPath: folder + "/secret"))
        guard case .bytes = Files.read(folder + "/inside/a.regimen", confinedTo: folder + "/inside", maxBytes: 100) else {
            Issue.record("a file inside its folder was not read"); return
        }
        guard case .outside = Files.read(folder + "/inside/up/secret", confinedTo: folder + "/inside", maxBytes: 100) else {
            Issue.record("a link out of the folder was followed"); return
        }
    }
}
