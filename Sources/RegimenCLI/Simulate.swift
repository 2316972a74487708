import ArgumentParser
import RegimenCore

/// `regimen simulate FILE`: the plan as a dated schedule, with every spacing rule verified.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Expand a plan into a dated schedule and verify every spacing rule; --arrange finds times that keep them all.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, ics }

    @Argument(help: "The plan file; `-` reads standard input.")
    var file: String

    @Option(help: "How many days to simulate (default: the plan's course, at most 365; 14 if open-ended).")
    var days: Int?

    @Option(help: "The first day, YYYY-MM-DD (default: the plan's start).")
    var start: String?

    @Flag(help: "Move doses without a clock time so that every spacing rule holds.")
    var arrange = false

    @Option(help: "Output format: table, json, csv or ics.")
    var format: Format = .table

    func validate() throws {
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
        if let start, CivilDate(parsing: start) == nil { throw ValidationError("--start must be a date such as 2026-12-01") }
    }

    func run() throws {
        let (compilations, unreadable) = compileAll([file])
        if unreadable { throw ExitStatus.unusable }
        let compilation = compilations[0]
        let renderer = DiagnosticRenderer(colour: useColour())
        guard !compilation.hasErrors else {
            for diagnostic in compilation.diagnostics { printError(renderer.render(diagnostic, sources: compilation.sources)) }
            printError("the plan has errors; fix them before simulating")
            throw ExitStatus.findings
        }
        var options = SimulationOptions(start: start.flatMap { CivilDate(parsing: $0) }, days: days, arrange: arrange)
        options.maxDays = 365
        let timeline = Simulator.run(compilation, options: options, today: .today)
        let diagnostics = compilation.findings(on: timeline)
        switch format {
        case .table:
            for diagnostic in diagnostics { print(renderer.render(diagnostic, sources: compilation.sources)) }
            print(TimelineTable(timeline, plan: compilation.plan).render(), terminator: "")
        case .json:
            print(TimelineExport(timeline, compilation: compilation).json(diagnostics: diagnostics).serialized())
        case .csv:
            print(TimelineExport(timeline, compilation: compilation).csv(), terminator: "")
        case .ics:
            print(ICalendar(timeline, plan: compilation.plan, stamp: .today).render(), terminator: "")
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitStatus.findings }
    }
}
