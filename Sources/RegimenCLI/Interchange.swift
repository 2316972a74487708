import RegimenCore
import SystemFiles

/// `regimen export --fhir FILE`: the plan as a FHIR R4 Bundle of MedicationRequests.
struct Export: Command {
    static let spec = CommandSpec(
        name: "export", abstract: "Write a plan as a FHIR R4 Bundle (JSON) of MedicationRequest resources.",
        arguments: [ArgumentSpec(name: "file", count: .one, help: "The plan file; `-` reads standard input.")],
        options: InterchangeOptions.specs + [
            .choice("bundle", default: FHIRExport.BundleType.collection,
                    help: "The Bundle's type: a collection to read, or a transaction a FHIR server carries out (each entry with its request)."),
        ])

    let options: InterchangeOptions
    let type: FHIRExport.BundleType

    init(_ arguments: ParsedArguments) throws(UsageError) {
        options = try InterchangeOptions(arguments)
        type = arguments.choice("bundle")
    }

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
        try emit(FHIRExport(compilation, today: .today).bundle(findings: findings, type: type).serialized() + "\n", to: options.output, force: options.force)
        return reportErrors(findings, compilation)
    }
}

/// `regimen import --fhir BUNDLE.json`: Regimen source from a FHIR Bundle; `regimen import --sig TEXT`:
/// Regimen source (or its FHIR Dosage) from one free-text prescription instruction.
struct Import: Command {
    enum SIGFormat: String, CaseIterable { case regimen, fhir }

    static let spec = CommandSpec(
        name: "import",
        abstract: "Write Regimen source for a FHIR R4 Bundle's MedicationRequest and MedicationStatement resources, or for one prescription instruction (SIG).",
        arguments: [ArgumentSpec(name: "file", count: .optional, help: "The Bundle (JSON) with --fhir; `-` reads standard input.")],
        options: InterchangeOptions.specs + [
            OptionSpec(long: "sig", valueName: "text", help: "A free-text instruction, such as \"1 tab po bid x7d\"."),
            OptionSpec(long: "medication", valueName: "name", help: "The item's name for --sig (default `medication`, a placeholder to replace)."),
            .choice("format", default: SIGFormat.regimen, help: "With --sig: Regimen source, or the FHIR R4 Dosage (JSON)."),
        ])

    enum Mode { case bundle(InterchangeOptions), sig(String, medication: String?, format: SIGFormat, output: String?) }
    let mode: Mode

    init(_ arguments: ParsedArguments) throws(UsageError) {
        if let sig = arguments.values["sig"] {
            guard !arguments.flag("fhir"), arguments.positional.isEmpty else { throw arguments.error("--sig reads the instruction itself: give no file and no --fhir") }
            mode = .sig(sig, medication: arguments.values["medication"], format: arguments.choice("format"), output: arguments.value("output"))
        } else {
            guard arguments.values["medication"] == nil, arguments.values["format"] == nil else { throw arguments.error("--medication and --format go with --sig") }
            guard !arguments.positional.isEmpty else { throw arguments.error("give a Bundle with --fhir, or an instruction with --sig") }
            mode = .bundle(try InterchangeOptions(arguments))
        }
    }

    func run() throws -> ExitStatus {
        switch mode {
        case .bundle(let options): return try runBundle(options)
        case .sig(let sig, let medication, let format, let output): return try runSIG(sig, medication: medication, format: format, output: output)
        }
    }

    private func runSIG(_ sig: String, medication: String?, format: SIGFormat, output: String?) throws -> ExitStatus {
        switch SIGImport.read(sig, medication: medication, today: .today) {
        case .failure(.badName(let name)):
            printError("error: `\(name)` cannot name an item: use letters, digits, spaces, hyphens and apostrophes, starting with a letter")
            return .unusable
        case .failure(.noDose(let words)):
            printError("error: no dose could be read, so no item was written (a range such as `1-2 tablets`, or a form without a unit); not read: "
                + words.joined(separator: " "))
            return .findings
        case .failure(.nothingRead(let words)):
            printError("error: nothing in the instruction could be read (no dose, frequency or `as needed`): " + words.joined(separator: " "))
            return .findings
        case .success(let reading):
            if !reading.complete {
                printError("warning: not read, kept in the item's note: " + reading.unread.joined(separator: " "))
            }
            if format == .fhir {
                guard let dosage = SIGImport.dosage(reading, today: .today) else {
                    printError("error: no FHIR Dosage could be written")
                    return .findings
                }
                try emit(dosage.serialized() + "\n", to: output)
            } else {
                try emit(reading.source, to: output)
            }
            return .clean
        }
    }

    private func runBundle(_ options: InterchangeOptions) throws -> ExitStatus {
        guard case .bytes(let bytes) = FileSourceProvider().read(options.file, maxBytes: Limits.standard.maxFileBytes) else {
            printError("error: cannot read \(Printable.escaped(options.file))")
            return .unusable
        }
        switch FHIRImport.read(bytes, today: .today) {
        case .success(let imported):
            try emit(imported.source, to: options.output, force: options.force)
            // What could not be carried over is said, never dropped silently.
            for warning in imported.warnings { printError("warning: \(Printable.escaped(options.file)): \(Printable.escaped(warning))") }
            return imported.items > 0 ? .clean : .findings
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
