import ArgumentParser
import RegimenCore

/// `regimen check FILE...`: reports every problem found, exit 1 when any is an error.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Report every problem in plan files (exit 1 if any is an error).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Plan files to check; `-` reads standard input.")
    var files: [String]

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
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
        case .json:
            let items = zip(compilations, findings).flatMap { c, found in found.map { $0.json(sources: c.sources) } }
            let counts = [Severity.error, .warning, .note].map { s in diagnostics.filter { $0.severity == s }.count }
            print(JSON.object([
                ("diagnostics", .array(items)),
                ("summary", .object([("errors", .int(counts[0])), ("warnings", .int(counts[1])), ("notes", .int(counts[2]))])),
            ]).serialized())
        }
        if unreadable { throw ExitStatus.unusable }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitStatus.findings }
    }
}

/// `regimen show FILE`: reads the plan back in plain words, as the tool understood it.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read a plan back in plain words, as the tool understood it.")

    @Argument(help: "The plan file; `-` reads standard input.")
    var file: String

    func run() throws {
        let (compilations, unreadable) = compileAll([file])
        if unreadable { throw ExitStatus.unusable }
        let compilation = compilations[0]
        let renderer = DiagnosticRenderer(colour: useColour())
        for diagnostic in compilation.diagnostics { print(renderer.render(diagnostic, sources: compilation.sources)) }
        print(PlanDescription(compilation).render(), terminator: "")
        if compilation.hasErrors { throw ExitStatus.findings }
    }
}
