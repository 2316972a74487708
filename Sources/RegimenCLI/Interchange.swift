import ArgumentParser
import Foundation
import RegimenCore

/// `regimen export --fhir FILE`: the plan as a FHIR R4 Bundle of MedicationRequests.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a plan as a FHIR R4 Bundle (JSON) of MedicationRequest resources.")

    @OptionGroup var options: InterchangeOptions

    func run() throws {
        let (compilations, unreadable) = compileAll([options.file])
        if unreadable { throw ExitStatus.unusable }
        let compilation = compilations[0]
        guard !compilation.hasErrors else {
            printError(DiagnosticRenderer(colour: useColour()).render(compilation.diagnostics, sources: compilation.sources)
                + "the plan has errors; fix them before exporting")
            throw ExitStatus.findings
        }
        try emit(FHIRExport(compilation, today: .today).bundle().serialized() + "\n", to: options.output)
    }
}

/// `regimen import --fhir BUNDLE.json`: Regimen source from a FHIR Bundle.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Write Regimen source for a FHIR R4 Bundle's MedicationRequest and MedicationStatement resources.")

    @OptionGroup var options: InterchangeOptions

    func run() throws {
        guard case .bytes(let bytes) = FileSourceProvider().read(options.file, maxBytes: Limits.standard.maxFileBytes) else {
            printError("error: cannot read \(options.file)")
            throw ExitStatus.unusable
        }
        switch FHIRImport.source(fromBundle: bytes) {
        case .success(let source): try emit(source, to: options.output)
        case .failure(let failure):
            printError("error: \(options.file): \(failure.message)")
            throw ExitStatus.findings
        }
    }
}

/// The options `export` and `import` share: the format, the input, where to write.
struct InterchangeOptions: ParsableArguments {
    @Flag(help: "FHIR R4 JSON (the only interchange format for now).")
    var fhir = false

    @Argument(help: "The input file; `-` reads standard input.")
    var file: String

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    func validate() throws {
        if !fhir { throw ValidationError("say which format: --fhir") }
    }
}

/// Prints, or writes a file atomically.
func emit(_ text: String, to path: String?) throws {
    guard let path else { return print(text, terminator: "") }
    try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
}
