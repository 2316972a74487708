import RegimenCore

/// `regimen fmt FILE... [--check] [--write]`: the canonical layout, comments kept.
struct Fmt: Command {
    static let spec = CommandSpec(
        name: "fmt",
        abstract: "Print plan files in the canonical layout (--check: exit 1 if any is not; --write: replace them, atomically).",
        arguments: [ArgumentSpec(name: "files", count: .oneOrMore, help: "Plan files; `-` reads standard input.")],
        options: [
            .flag("check", help: "Exit 1 when a file is not in the canonical layout; change nothing."),
            .flag("write", help: "Replace each file with its formatted text (never a file with a syntax error)."),
        ])

    let files: [String]
    let check: Bool
    let write: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        files = arguments.positional
        check = arguments.flag("check")
        write = arguments.flag("write")
        if check && write { throw arguments.error("--check and --write cannot be used together") }
        if write && files.contains("-") { throw arguments.error("--write needs files, not standard input") }
    }

    func run() throws -> ExitStatus {
        var unformatted: [String] = []
        var failed = false
        for path in files {
            guard case .bytes(let bytes) = FileSourceProvider().read(path, maxBytes: Limits.standard.maxFileBytes) else {
                printError("error: cannot read \(Printable.escaped(path))")
                failed = true
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
                    if changed { try writeAtomically(text, to: path) }
                } else {
                    print(text, terminator: "")
                }
            }
        }
        for path in unformatted { print("not formatted: \(Printable.escaped(path))") }
        return failed || !unformatted.isEmpty ? .findings : .clean
    }
}
