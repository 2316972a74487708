import RegimenCore
import SystemFiles

/// `regimen export --fhir FILE`: the plan as a FHIR R4 Bundle of MedicationRequests.
struct Export: Command {
    static let spec = CommandSpec(
        name: "export", abstract: "Write a plan as a FHIR R4 Bundle (JSON) of MedicationRequest resources.",
        arguments: [ArgumentSpec(name: "file", count: .one, help: "The plan file; `-` reads standard input.")],
        options: InterchangeOptions.specs)

    let options: InterchangeOptions

    init(_ arguments: ParsedArguments) throws(UsageError) { options = try InterchangeOptions(arguments) }

    func run() throws -> ExitStatus {
        let (compilations, unreadable) = compileAll([options.file])
        if unreadable { return .unusable }
        let compilation = compilations[0]
        let findings = compilation.checked(today: .today)
        guard !compilation.stopsChecks else {
            reportErrors(findings, compilation, severities: Severity.allCases)
            printError("nothing was exported: the plan written could not be read whole")
            return .findings
        }
        // A plan with findings is still exported (a clinician may need it), marked, with its errors on stderr.
        try emit(FHIRExport(compilation, today: .today).bundle(findings: findings).serialized() + "\n", to: options.output, force: options.force)
        return reportErrors(findings, compilation)
    }
}

/// `regimen import --fhir BUNDLE.json`: Regimen source from a FHIR Bundle.
struct Import: Command {
    static let spec = CommandSpec(
        name: "import",
        abstract: "Write Regimen source for a FHIR R4 Bundle's MedicationRequest and MedicationStatement resources.",
        arguments: [ArgumentSpec(name: "file", count: .one, help: "The Bundle (JSON); `-` reads standard input.")],
        options: InterchangeOptions.specs)

    let options: InterchangeOptions

    init(_ arguments: ParsedArguments) throws(UsageError) { options = try InterchangeOptions(arguments) }

    func run() throws -> ExitStatus {
        guard case .bytes(let bytes) = FileSourceProvider().read(options.file, maxBytes: Limits.standard.maxFileBytes) else {
            printError("error: cannot read \(Printable.escaped(options.file))")
            return .unusable
        }
        switch FHIRImport.source(fromBundle: bytes) {
        case .success(let source):
            try emit(source, to: options.output, force: options.force)
            return .clean
        case .failure(let failure):
            printError("error: \(Printable.escaped(options.file)): \(Printable.escaped(failure.message))")
            return .findings
        }
    }
}

/// What `export` and `import` share: the format, the input, where to write.
struct InterchangeOptions {
    static let specs: [OptionSpec] = [
        .flag("fhir", help: "FHIR R4 JSON (the only interchange format for now)."),
        OptionSpec(long: "output", short: "o", valueName: "file",
                   help: "Write to this file instead of standard output (`-`): a regular file is replaced atomically, keeping its owner and mode; a device or named pipe is written into."),
        .flag("force", help: "Replace the output file even when it is read-only."),
    ]

    let file: String
    let output: String?
    let force: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        guard arguments.flag("fhir") else { throw arguments.error("say which format: --fhir") }
        file = arguments.positional[0]
        output = arguments.value("output")
        force = arguments.flag("force")
    }
}

/// Writes the error-severity findings (or those of `severities`) to standard error, so data on
/// standard output stays clean; the exit status is `check`'s on the same findings.
@discardableResult
func reportErrors(_ findings: [Diagnostic], _ compilation: Compilation, severities: [Severity] = [.error]) -> ExitStatus {
    let renderer = DiagnosticRenderer(colour: useColour(on: 2))
    let shown = findings.filter { severities.contains($0.severity) }
    for diagnostic in shown { printError(renderer.render(diagnostic, sources: compilation.sources)) }
    if !shown.isEmpty { printError(DiagnosticRenderer.summary(findings)) }
    return findings.contains { $0.severity == .error } ? .findings : .clean
}

/// Prints, or writes a file as `writeFile` does.
func emit(_ text: String, to path: String?, force: Bool = false) throws(Files.WriteError) {
    guard let path else { return print(terminalSafe(text), terminator: "") }
    try writeFile(text, to: path, options: Files.WriteOptions(force: force))
}
