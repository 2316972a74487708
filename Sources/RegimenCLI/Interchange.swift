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
        guard !compilation.hasErrors else {
            printError(DiagnosticRenderer(colour: useColour()).render(compilation.diagnostics, sources: compilation.sources)
                + "the plan has errors; fix them before exporting")
            return .findings
        }
        try emit(FHIRExport(compilation, today: .today).bundle().serialized() + "\n", to: options.output)
        return .clean
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
            printError("error: cannot read \(options.file)")
            return .unusable
        }
        switch FHIRImport.source(fromBundle: bytes) {
        case .success(let source):
            try emit(source, to: options.output)
            return .clean
        case .failure(let failure):
            printError("error: \(options.file): \(failure.message)")
            return .findings
        }
    }
}

/// What `export` and `import` share: the format, the input, where to write.
struct InterchangeOptions {
    static let specs: [OptionSpec] = [
        .flag("fhir", help: "FHIR R4 JSON (the only interchange format for now)."),
        OptionSpec(long: "output", short: "o", valueName: "file", help: "Write to this file (atomically) instead of standard output."),
    ]

    let file: String
    let output: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        guard arguments.flag("fhir") else { throw arguments.error("say which format: --fhir") }
        file = arguments.positional[0]
        output = arguments.value("output")
    }
}

/// Prints, or writes a file atomically.
func emit(_ text: String, to path: String?) throws(Files.WriteError) {
    guard let path else { return print(text, terminator: "") }
    try writeAtomically(text, to: path)
}
