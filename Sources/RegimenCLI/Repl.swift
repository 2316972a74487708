#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LineEditor
import RegimenCore
import RegimenHandout
import SystemFiles

/// `regimen repl [FILE]`: try regimens out interactively.
struct Repl: Command {
    static let spec = CommandSpec(
        name: "repl", abstract: "Try regimens out interactively (also: `regimen` on a terminal).",
        arguments: [ArgumentSpec(name: "file", count: .optional, help: "A plan file to load first.")])

    let file: String?

    init(_ arguments: ParsedArguments) { file = arguments.positional.first }

    func run() -> ExitStatus {
        var session = ReplSession(today: .today, provider: FileSourceProvider(), save: saveAtomically, listFiles: filesStarting)
        session.colour = useColour()
        session.plot = { compilation, timeline in HandoutPictures(timeline, compilation: compilation).standalone() }
        if let file {
            let reply = session.handle(":load \(file)")
            print(reply.text)
        }
        if isatty(STDIN_FILENO) != 0 {
            if let editor = LineEditor(program: "regimen", historyFile: LineEditor.defaultHistoryFile()) {
                print("Regimen — type plan lines, :help for commands, :quit or Ctrl-D to leave.")
                editor.complete = { session.completions(for: $0) }
                interactive(&session, editor)
                return .clean
            }
            let reason = LineEditor.loadError ?? "libedit could not start on this terminal"
            printError("note: line editing, history and completion are off: \(reason) (on Debian: apt-get install libedit2)")
        }
        // Not a terminal: read lines without prompts or editing, so sessions can be scripted.
        while let line = readLine(strippingNewline: true) {
            let reply = session.handle(line)
            if !reply.text.isEmpty { print(reply.text) }
            if reply.quit { return .clean }
        }
        if !session.pending.isEmpty { print(session.handle("").text) }
        return .clean
    }

    private func interactive(_ session: inout ReplSession, _ editor: LineEditor) {
        while true {
            editor.complete = { [session] in session.completions(for: $0) }
            switch editor.read(prompt: session.prompt) {
            case .end:
                print("")
                return
            case .interrupted:
                session.interrupt()
            case .line(let line):
                editor.remember(line)
                let reply = session.handle(line)
                if !reply.text.isEmpty { print(reply.text) }
                if reply.quit { return }
            }
        }
    }
}

/// Writes a file for `:save` as `writeFile` does. Without `!` nothing that exists is replaced,
/// not even a dangling symbolic link (whose target would be made); with `!` a read-only file is
/// replaced too, as `:w!` does in vi.
@Sendable func saveAtomically(_ path: String, _ text: String, _ overwrite: Bool) -> ReplSession.SaveResult {
    do {
        try writeFile(text, to: path, options: Files.WriteOptions(replace: overwrite, force: overwrite))
        return .written
    } catch {
        return error.refusal == .exists ? .exists : .failed(error.reason)
    }
}

/// Paths starting with `prefix`, for completion after :load and :save.
@Sendable func filesStarting(_ prefix: String) -> [String] {
    let folder = prefix.contains("/") ? String(prefix[..<prefix.lastIndex(of: "/")!]) : "."
    let shown = prefix.contains("/") ? folder + "/" : ""
    let base = folder.isEmpty ? "/" : folder
    return Files.entries(inFolder: base).map { shown + $0 + (Files.isFolder(base + "/" + $0) ? "/" : "") }
        .filter { $0.hasPrefix(prefix) && !$0.hasPrefix(".") }.sorted()
}
