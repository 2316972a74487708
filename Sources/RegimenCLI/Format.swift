import RegimenCore
import SystemFiles

/// `regimen fmt FILE... [--check] [--write]`: the canonical layout, comments kept.
struct Fmt: Command {
    static let spec = CommandSpec(
        name: "fmt",
        abstract: "Print plan files in the canonical layout (--check: exit 1 if any is not; --write: replace them, atomically).",
        arguments: [ArgumentSpec(name: "files", count: .oneOrMore, help: "Plan files; `-` reads standard input.")],
        options: [
            .flag("check", help: "Exit 1 when a file is not in the canonical layout; change nothing."),
            .flag("write", help: "Replace each file with its formatted text (never a file with a syntax error, a read-only file or one changed since it was read)."),
            .flag("force", help: "With --write, replace read-only files too."),
        ])

    let files: [String]
    let check: Bool
    let write: Bool
    let force: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        files = arguments.positional
        check = arguments.flag("check")
        write = arguments.flag("write")
        force = arguments.flag("force")
        if force && !write { throw arguments.error("--force goes with --write") }
        if check && write { throw arguments.error("--check and --write cannot be used together") }
        if write && files.contains("-") { throw arguments.error("--write needs files, not standard input") }
    }

    /// Every file is tried, whatever happened to the ones before it; the exit status is 2 when a
    /// file could not be read or written, else 1 when one is not formatted or has syntax errors.
    func run() -> ExitStatus {
        var unformatted: [String] = []
        var failed = false
        var unusable = false
        for path in files {
            // Taken before reading: a change after this makes the write refuse.
            let stamp = Files.stamp(path)
            let bytes: [UInt8]
            switch FileSourceProvider().read(path, maxBytes: Limits.standard.maxFileBytes) {
            case .bytes(let read): bytes = read
            case .unreadable(let reason), .notRegularFile(let reason), .outside(let reason):
                printError("error: cannot read \(Printable.escaped(path)): \(Printable.escaped(reason))")
                unusable = true
                continue
            case .tooLarge(let size):
                printError("error: cannot read \(Printable.escaped(path)): it is \(size) bytes; the limit is \(Limits.standard.maxFileBytes)")
                unusable = true
                continue
            }
            switch Formatter.format(bytes, name: path) {
            case .failure(let error):
                // Report the syntax errors and leave the file exactly as it is.
                printError(DiagnosticRenderer(colour: useColour()).render(error.diagnostics, sources: error.sources)
                    + "\(Printable.escaped(path)) was not formatted: it has syntax errors")
                failed = true
            case .success(let text):
                let changed = Array(text.utf8) != bytes
                if check {
                    if changed { unformatted.append(path) }
                } else if write {
                    guard changed else { continue }
                    do {
                        try writeFile(text, to: path, options: Files.WriteOptions(force: force, expected: stamp))
                    } catch {
                        printError("error: \(Printable.escaped(error.description))")
                        unusable = true
                    }
                } else {
                    print(terminalSafe(text), terminator: "")
                }
            }
        }
        for path in unformatted { print("not formatted: \(Printable.escaped(path))") }
        if unusable { return .unusable }
        return failed || !unformatted.isEmpty ? .findings : .clean
    }
}
