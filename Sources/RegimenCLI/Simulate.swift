import RegimenCore

/// `regimen simulate FILE`: the plan as a dated schedule, with every spacing rule verified.
struct Simulate: Command {
    static let spec = CommandSpec(
        name: "simulate",
        abstract: "Expand a plan into a dated schedule and verify every spacing rule; --arrange finds times that keep them all.",
        arguments: [ArgumentSpec(name: "file", count: .one, help: "The plan file; `-` reads standard input.")],
        options: [
            OptionSpec(long: "days", valueName: "days",
                       help: "How many days to simulate (default: the plan's course, at most 365; 14 if open-ended)."),
            OptionSpec(long: "start", valueName: "date", help: "The first day, YYYY-MM-DD (default: the plan's start)."),
            .flag("arrange", help: "Move doses without a clock time so that every spacing rule holds."),
            .choice("format", default: Format.table, help: "Output format."),
        ])

    let file: String
    let days: Int?
    let start: CivilDate?
    let arrange: Bool
    let format: Format

    enum Format: String, CaseIterable { case table, json, csv, ics }

    init(_ arguments: ParsedArguments) throws(UsageError) {
        file = arguments.positional[0]
        days = try arguments.integer("days")
        if let days, days < 1 { throw arguments.error("--days must be at least 1") }
        start = try arguments.value("start").map { text throws(UsageError) in
            guard let date = CivilDate(parsing: text) else { throw arguments.error("--start must be a date such as 2026-12-01") }
            return date
        }
        arrange = arguments.flag("arrange")
        format = arguments.choice("format")
    }

    func run() -> ExitStatus {
        let (compilations, unreadable) = compileAll([file])
        if unreadable { return .unusable }
        let compilation = compilations[0]
        let renderer = DiagnosticRenderer(colour: useColour())
        guard !compilation.hasErrors else {
            for diagnostic in compilation.diagnostics { printError(renderer.render(diagnostic, sources: compilation.sources)) }
            printError("the plan has errors; fix them before simulating")
            return .findings
        }
        var options = SimulationOptions(start: start, days: days, arrange: arrange)
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
        return diagnostics.contains(where: { $0.severity == .error }) ? .findings : .clean
    }
}
