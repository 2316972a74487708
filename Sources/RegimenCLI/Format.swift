import ArgumentParser
import Foundation
import RegimenCore

/// `regimen fmt FILE... [--check] [--write]`: the canonical layout, comments kept.
struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Print plan files in the canonical layout (--check: exit 1 if any is not; --write: replace them, atomically).")

    @Argument(help: "Plan files; `-` reads standard input.")
    var files: [String]

    @Flag(help: "Exit 1 when a file is not in the canonical layout; change nothing.")
    var check = false

    @Flag(help: "Replace each file with its formatted text (never a file with a syntax error).")
    var write = false

    func validate() throws {
        if check && write { throw ValidationError("--check and --write cannot be used together") }
        if write && files.contains("-") { throw ValidationError("--write needs files, not standard input") }
    }

    func run() throws {
        var unformatted: [String] = []
        var failed = false
        for path in files {
            guard case .bytes(let bytes) = FileSourceProvider().read(path, maxBytes: Limits.standard.maxFileBytes) else {
                printError("error: cannot read \(path)")
                failed = true
                continue
            }
            switch Formatter.format(bytes, name: path) {
            case .failure(let error):
                // Report the syntax errors and leave the file exactly as it is.
                printError(DiagnosticRenderer(colour: useColour()).render(error.diagnostics, sources: error.sources)
                    + "\(path) was not formatted: it has syntax errors")
                failed = true
            case .success(let text):
                let changed = Array(text.utf8) != bytes
                if check {
                    if changed { unformatted.append(path) }
                } else if write {
                    if changed { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
                } else {
                    print(text, terminator: "")
                }
            }
        }
        for path in unformatted { print("not formatted: \(path)") }
        if failed { throw ExitStatus.findings }
        if !unformatted.isEmpty { throw ExitStatus.findings }
    }
}
