import RegimenCore
import RegimenHandout

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
            .choice("format", default: Format.table, help: "Output format; svg draws the first week and the daily totals against their limits."),
            OptionSpec(long: "remind", valueName: "before",
                       help: "With --format ics: each reminder this long before its dose, such as 10min or 1h (default: at the dose time)."),
        ])

    let file: String
    let days: Int?
    let start: CivilDate?
    let arrange: Bool
    let format: Format

    enum Format: String, CaseIterable { case table, json, csv, ics, svg }
    let remind: Int

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
        remind = try arguments.value("remind").map { text throws(UsageError) in
            guard let minutes = ReminderOffset.minutes(text) else { throw arguments.error("--remind must be a duration such as 10min or 1h, not `\(text)`") }
            return minutes
        } ?? 0
    }

    func run() -> ExitStatus {
        let compilation: Compilation
        switch wholePlan(file, refusal: "nothing was simulated") {
        case .success(let whole): compilation = whole
        case .failure(let refused): return refused.status
        }
        var options = SimulationOptions(start: start, days: days, arrange: arrange)
        options.maxDays = 365
        let timeline = Simulator.run(compilation, options: options, today: .today)
        let diagnostics = compilation.findings(on: timeline)
        // Findings go to standard error, so the schedule on standard output is data alone: all of
        // them beside the table a person reads, the errors beside machine formats.
        let status = reportErrors(diagnostics, compilation, severities: format == .table ? Severity.allCases : [.error])
        // Bytes, not a String: a year's JSON is megabytes, written as it was made.
        var output: [UInt8]
        switch format {
        case .table:
            output = Array(TimelineTable(timeline, plan: compilation.plan).render().utf8)
        case .json:
            output = TimelineExport(timeline, compilation: compilation).json(diagnostics: diagnostics).bytes()
            output.append(UInt8(ascii: "\n"))
        case .csv:
            output = Array(TimelineExport(timeline, compilation: compilation).csv().utf8)
        case .ics:
            output = Array(ICalendar(timeline, compilation: compilation, stamp: exportStamp(), reminderMinutes: remind, findings: diagnostics).render().utf8)
        case .svg:
            output = Array(HandoutPictures(timeline, compilation: compilation).standalone().utf8)
        }
        let limit = Limits.standard.maxOutputBytes
        guard format == .table || output.count <= limit else {
            printError("error[R606]: the \(format.rawValue) output would be \(output.count) bytes; the limit is \(limit / 1024 / 1024) MiB, so nothing was written (simulate fewer days with --days)")
            return .unusable
        }
        writeStandardOutput(output)
        return status
    }
}
