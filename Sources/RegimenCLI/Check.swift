import RegimenCore
import SystemFiles

/// `regimen check FILE...`: reports every problem found, exit 1 when any is an error.
struct Check: Command {
    static let spec = CommandSpec(
        name: "check", abstract: "Report every problem in plan files (exit 1 if any is an error).",
        arguments: [ArgumentSpec(name: "files", count: .oneOrMore,
                                 help: "Plan files to check, or folders: every *.regimen under a folder is checked, in parallel, with a summary table; `-` reads standard input.")],
        options: [.choice("format", default: Format.text, help: "Output format (sarif: SARIF 2.1.0, for code-scanning tools).")])

    enum Format: String, CaseIterable { case text, json, sarif }

    let files: [String]
    let format: Format

    init(_ arguments: ParsedArguments) {
        files = arguments.positional
        format = arguments.choice("format")
    }

    func run() -> ExitStatus {
        if format == .sarif || files.contains(where: { $0 != "-" && Files.isFolder($0) }) { return runBatch() }
        let (compilations, unreadable) = compileAll(files)
        let findings = compilations.map { $0.checked(today: .today) }
        let diagnostics = findings.flatMap { $0 }
        switch format {
        case .text:
            let renderer = DiagnosticRenderer(colour: useColour())
            for (compilation, found) in zip(compilations, findings) {
                for diagnostic in found {
                    print(renderer.render(diagnostic, sources: compilation.sources))
                }
            }
            print(DiagnosticRenderer.summary(diagnostics))
        case .sarif:
            break // checked as a batch above
        case .json:
            let items = zip(compilations, findings).flatMap { c, found in found.map { $0.json(sources: c.sources) } }
            let counts = [Severity.error, .warning, .note].map { s in diagnostics.filter { $0.severity == s }.count }
            print(JSON.object([
                ("diagnostics", .array(items)),
                ("summary", .object([("errors", .int(counts[0])), ("warnings", .int(counts[1])), ("notes", .int(counts[2]))])),
            ]).serialized())
        }
        if unreadable { return .unusable }
        return diagnostics.contains(where: { $0.severity == .error }) ? .findings : .clean
    }
}

extension Check {
    /// Folders, or SARIF: every plan checked on all cores, one report per file, then the summary.
    /// Exit 2 when a plan could not be read, 1 when one has an error.
    func runBatch() -> ExitStatus {
        let plans = Batch.plans(files)
        let output: Batch.Output = switch format {
        case .text: .text
        case .json: .json
        case .sarif: .sarif
        }
        let reports = Batch(paths: plans, colour: format == .text && useColour(), output: output).run()
        switch format {
        case .text: print(Batch.text(reports), terminator: "")
        case .json: print(Batch.json(reports).serialized())
        case .sarif: print(Batch.sarif(reports).serialized())
        }
        for report in reports where report.status == .unreadable {
            printError("error: cannot read \(Printable.escaped(report.path)): \(Printable.escaped(report.reason ?? ""))")
        }
        if reports.contains(where: { $0.status == .unreadable }) { return .unusable }
        return reports.contains { $0.status == .errors } ? .findings : .clean
    }
}

/// `regimen show FILE`: reads the plan back in plain words, as the tool understood it.
struct Show: Command {
    static let spec = CommandSpec(
        name: "show", abstract: "Read a plan back in plain words, as the tool understood it.",
        arguments: [ArgumentSpec(name: "file", count: .one, help: "The plan file; `-` reads standard input.")])

    let file: String

    init(_ arguments: ParsedArguments) { file = arguments.positional[0] }

    func run() -> ExitStatus {
        let (compilations, unreadable) = compileAll([file])
        if unreadable { return .unusable }
        let compilation = compilations[0]
        let renderer = DiagnosticRenderer(colour: useColour())
        for diagnostic in compilation.diagnostics { print(renderer.render(diagnostic, sources: compilation.sources)) }
        print(PlanDescription(compilation).render(), terminator: "")
        return compilation.hasErrors ? .findings : .clean
    }
}

/// Compiles each file, reporting unreadable ones on standard error.
func compileAll(_ paths: [String]) -> (compilations: [Compilation], unreadable: Bool) {
    var compilations: [Compilation] = []
    var unreadable = false
    for path in paths {
        switch Frontend.compile(path: path, provider: FileSourceProvider(), today: .today) {
        case .success(let compilation): compilations.append(compilation)
        case .failure(let error):
            let code = error.code.map { "[\($0.id)]" } ?? ""
            printError("error\(code): cannot read \(error.path == "-" ? "standard input" : Printable.escaped(error.path)): \(Printable.escaped(error.reason))")
            unreadable = true
        }
    }
    return (compilations, unreadable)
}

/// Why a command that needs one plan whole did not go on; its reasons are already on standard error.
struct PlanRefused: Error { let status: ExitStatus }

/// The one plan that `simulate` and `handout` need whole. An unreadable file, or errors that stop the
/// checks, are reported (with `refusal`, what the command did not do) and come back as a refusal.
func wholePlan(_ path: String, refusal: String) -> Result<Compilation, PlanRefused> {
    let (compilations, unreadable) = compileAll([path])
    if unreadable { return .failure(PlanRefused(status: .unusable)) }
    let compilation = compilations[0]
    guard !compilation.stopsChecks else {
        reportErrors(compilation.diagnostics + [compilation.checksNotRun], compilation, severities: Severity.allCases)
        printError("\(refusal): the plan written could not be read whole")
        return .failure(PlanRefused(status: .findings))
    }
    return .success(compilation)
}
