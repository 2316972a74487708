/// The REPL's logic, without a terminal: lines in, replies out. Each statement is evaluated in
/// the session's accumulated plan; one with an error is not kept. A line that is not a
/// statement but an expression prints its value with units. The terminal side (editing,
/// history, Ctrl-C) lives in the LineEditor target.
public struct ReplSession {
    /// What to show after a line, and whether the session goes on.
    public struct Reply: Equatable, Sendable {
        public var text: String
        public var quit = false
    }

    /// Writes a file for `:save`: atomically, never over an existing file unless told to.
    public enum SaveResult: Sendable {
        case written
        case exists
        case failed(String)
    }

    /// The accepted statements, each as typed (possibly several lines).
    public private(set) var statements: [String] = []
    /// Lines of a statement still being typed (a block, or a line ending in `,`).
    public private(set) var pending: [String] = []
    private var undo: [[String]] = []
    /// The folder of each statement that `:load` read from a file, by the statement's index: the
    /// base of its includes and the folder they must stay in, as when the file is checked alone.
    private var loadedFolders: [Int: String] = [:]
    private var lastFindings: Set<String> = []
    let today: CivilDate
    let provider: SourceProvider
    let save: @Sendable (_ path: String, _ text: String, _ overwrite: Bool) -> SaveResult
    let listFiles: @Sendable (_ prefix: String) -> [String]
    public var colour = false
    /// Draws the first week and the daily totals as an SVG, for `:plot FILE`. The program gives
    /// it (the pictures are the handout's); without it `:plot` says it is not available.
    public var plot: (@Sendable (Compilation, Timeline) -> String)?

    static let sessionName = "<session>"
    /// Days simulated for the findings shown after each statement.
    static let feedbackDays = 7

    public init(today: CivilDate, provider: SourceProvider,
                save: @escaping @Sendable (String, String, Bool) -> SaveResult,
                listFiles: @escaping @Sendable (String) -> [String] = { _ in [] }) {
        self.today = today
        self.provider = provider
        self.save = save
        self.listFiles = listFiles
    }

    /// The prompt to show: a continuation prompt while a statement is unfinished.
    public var prompt: String { pending.isEmpty ? "regimen> " : "     ... " }

    /// The session as plan source, as `:plan` prints and `:save` writes it.
    public var source: String { statements.map { $0 + "\n" }.joined() }

    // MARK: Lines

    /// Handles one line of input.
    public mutating func handle(_ line: String) -> Reply {
        let trimmed = line.trimmingSpaces()
        if !pending.isEmpty {
            // A block ends at an empty line; a `,` continuation at the first line without one.
            let opensBlock = pending[0].trimmingSpaces().hasSuffix(":")
            if trimmed.isEmpty {
                return finishPending()
            }
            pending.append(line)
            if !opensBlock, !trimmed.hasSuffix(",") { return finishPending() }
            return Reply(text: "")
        }
        if trimmed.isEmpty { return Reply(text: "") }
        if trimmed.hasPrefix(":") { return command(trimmed) }
        if Self.isIncomplete(line) {
            pending = [line]
            return Reply(text: "")
        }
        return evaluate(line)
    }

    /// Abandons a statement being typed (Ctrl-C).
    public mutating func interrupt() { pending = [] }

    private mutating func finishPending() -> Reply {
        let text = pending.joined(separator: "\n")
        pending = []
        return evaluate(text)
    }

    /// Whether the parser needs more input: the line ends in `:` or `,`.
    public static func isIncomplete(_ text: String) -> Bool {
        let tokens = Lexer.tokenize(SourceFile(name: sessionName, text: text), id: FileID(0)).tokens
        return Parser.isIncomplete(tokens)
    }

    // MARK: Evaluation

    func compile(_ statements: [String]) -> Compilation {
        var text = ""
        var regions: [IncludeRegion] = []
        for (index, statement) in statements.enumerated() {
            let start = text.utf8.count
            text += statement + "\n"
            if let folder = loadedFolders[index] { regions.append(IncludeRegion(range: start..<text.utf8.count, folder: folder)) }
        }
        return Frontend.compile(bytes: Array(text.utf8), name: Self.sessionName, path: "./session.regimen",
                                provider: provider, today: today, includeRegions: regions)
    }

    /// Adds a statement; `folder` is the folder of the file it was loaded from.
    private mutating func append(_ statement: String, folder: String? = nil) {
        undo.append(statements)
        loadedFolders[statements.count] = folder
        statements.append(statement)
    }

    private mutating func evaluate(_ text: String) -> Reply {
        let before = source.utf8.count
        let candidate = compile(statements + [text])
        let renderer = DiagnosticRenderer(colour: colour)
        let newErrors = candidate.diagnostics.filter { $0.severity == .error && ($0.span.map { $0.offset >= before } ?? true) }
        // A name the knowledge base does not know, with no likely typo to fix, is kept unjudged, as
        // `check` keeps it; a probable typo (it has a suggestion) or any other error rejects the
        // statement, so it can be typed again.
        if newErrors.contains(where: { !$0.code.letsChecksRun || $0.hint?.hasPrefix("did you mean") == true }) {
            if let value = evaluateExpression(text) { return Reply(text: value) }
            return Reply(text: newErrors.map { renderer.render($0, sources: candidate.sources) }.joined(separator: "\n"))
        }
        append(text)
        var lines = readBack(candidate, from: before)
        // Findings new since the last statement: the session's clinical picture as it changes.
        // The first week is enough to show a statement's effect at once; :check looks at the whole course.
        let findings = candidate.checked(today: today, days: Self.feedbackDays)
        let keys = Set(findings.map(Self.key))
        let fresh = findings.filter { !lastFindings.contains(Self.key($0)) }
        lastFindings = keys
        lines += fresh.map { renderer.render($0, sources: candidate.sources) }
        return Reply(text: lines.joined(separator: "\n"))
    }

    private static func key(_ diagnostic: Diagnostic) -> String { "\(diagnostic.code.id)|\(diagnostic.message)" }

    /// What the new statement added, in words.
    private func readBack(_ compilation: Compilation, from offset: Int) -> [String] {
        let description = PlanDescription(compilation)
        var lines = compilation.plan.items.filter { $0.span.file == compilation.mainFile && $0.span.offset >= offset }
            .map { "+ " + description.describe($0) }
        guard lines.isEmpty, let statement = statements.last?.trimmingSpaces() else { return lines }
        if statement.hasPrefix("patient") {
            lines.append(description.render().split(separator: "\n").prefix(2).joined(separator: "\n"))
        } else if statement.hasPrefix("let "), let name = statement.dropFirst(4).split(separator: "=").first.map({ String($0).trimmingSpaces() }),
                  let value = evaluateExpression(name) {
            lines.append("\(Printable.escaped(name)) = \(value)")
        }
        return lines
    }

    /// Evaluates a line as an expression in the session's scope, returning its value as text.
    private func evaluateExpression(_ text: String) -> String? {
        let result = Frontend.evaluateExpression(text, session: Array(source.utf8), provider: provider, today: today)
        guard let value = result.value, result.diagnostics.isEmpty else { return nil }
        return Printable.escaped(value.description)
    }

    // MARK: Commands

    static let commands = [":help", ":check", ":simulate", ":arrange", ":plot", ":plot!", ":plan", ":explain", ":undo", ":reset", ":load", ":save", ":save!", ":quit"]

    private mutating func command(_ line: String) -> Reply {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingSpaces() : ""
        let renderer = DiagnosticRenderer(colour: colour)
        switch parts[0] {
        case ":help", ":h", ":?":
            return Reply(text: Self.help)
        case ":quit", ":q", ":exit":
            return Reply(text: "", quit: true)
        case ":plan":
            return Reply(text: statements.isEmpty ? "(the session is empty)" : Printable.escaped(source.trimmingTrailingNewline(), keepingLines: true))
        case ":check":
            let compilation = compile(statements)
            let findings = compilation.checked(today: today)
            return Reply(text: renderer.render(findings, sources: compilation.sources).trimmingTrailingNewline())
        case ":simulate", ":arrange":
            var options = SimulationOptions(arrange: parts[0] == ":arrange")
            if !argument.isEmpty {
                guard let days = Int(argument), days > 0 else { return Reply(text: "\(parts[0]) takes a number of days, such as \(parts[0]) 7") }
                options.days = days
            }
            let compilation = compile(statements)
            guard !compilation.plan.items.isEmpty else { return Reply(text: "nothing to simulate yet: add an item, such as `magnesium glycinate 300mg nightly`") }
            let timeline = Simulator.run(compilation, options: options, today: today)
            let findings = timeline.diagnostics.map { renderer.render($0, sources: compilation.sources) }
            return Reply(text: (findings + [TimelineTable(timeline, plan: compilation.plan).render()]).joined(separator: "\n").trimmingTrailingNewline())
        case ":explain":
            guard !argument.isEmpty else { return Reply(text: ":explain takes a name or a code, such as :explain magnesium") }
            let knowledge = compile(statements).knowledge
            return Reply(text: Explanation.explain(argument, knowledge: knowledge).map { Printable.escaped($0.trimmingTrailingNewline(), keepingLines: true) }
                ?? "nothing is known about `\(Printable.escaped(argument))`")
        case ":undo":
            guard let previous = undo.popLast() else { return Reply(text: "nothing to undo") }
            let removed = statements.last ?? ""
            statements = previous
            lastFindings = []
            return Reply(text: "removed: \(Printable.escaped(String(removed.split(separator: "\n").first ?? "")))")
        case ":reset":
            statements = []
            loadedFolders = [:]
            undo = []
            pending = []
            lastFindings = []
            return Reply(text: "the session is empty")
        case ":load":
            return load(argument)
        case ":plot", ":plot!":
            guard let plot else { return Reply(text: ":plot is not available in this program") }
            guard !argument.isEmpty else { return Reply(text: "\(parts[0]) takes a file name, such as :plot week.svg") }
            let compilation = compile(statements)
            guard !compilation.plan.items.isEmpty else { return Reply(text: "nothing to plot yet: add an item, such as `magnesium glycinate 300mg nightly`") }
            let timeline = Simulator.run(compilation, options: SimulationOptions(days: 7), today: today)
            switch save(argument, plot(compilation, timeline), parts[0] == ":plot!") {
            case .written: return Reply(text: "drew the first week and the daily totals in \(Printable.escaped(argument))")
            case .exists: return Reply(text: "\(Printable.escaped(argument)) exists; use :plot! \(Printable.escaped(argument)) to replace it")
            case .failed(let reason): return Reply(text: "could not write \(Printable.escaped(argument)): \(Printable.escaped(reason))")
            }
        case ":save", ":save!":
            guard !argument.isEmpty else { return Reply(text: "\(parts[0]) takes a file name, such as :save plan.regimen") }
            switch save(argument, source, parts[0] == ":save!") {
            case .written: return Reply(text: "saved \(statements.count) statement(s) to \(Printable.escaped(argument))")
            case .exists: return Reply(text: "\(Printable.escaped(argument)) exists; use :save! \(Printable.escaped(argument)) to replace it")
            case .failed(let reason): return Reply(text: "could not save \(Printable.escaped(argument)): \(Printable.escaped(reason))")
            }
        default:
            let hint = closestMatch(to: parts[0], among: Self.commands).map { "; did you mean \($0)?" } ?? "; :help lists them"
            return Reply(text: "unknown command \(Printable.escaped(parts[0]))\(hint)")
        }
    }

    private mutating func load(_ path: String) -> Reply {
        guard !path.isEmpty else { return Reply(text: ":load takes a file name, such as :load plan.regimen") }
        switch provider.read(path, maxBytes: Limits.standard.maxFileBytes) {
        case .bytes(let bytes):
            let text = String(decoding: bytes, as: UTF8.self).trimmingTrailingNewline()
            let compilation = Frontend.compile(bytes: bytes, name: path, path: path, provider: provider, today: today)
            if compilation.stopsChecks {
                let renderer = DiagnosticRenderer(colour: colour)
                return Reply(text: renderer.render(compilation.diagnostics, sources: compilation.sources) + "not loaded: \(Printable.escaped(path)) has errors")
            }
            append(text, folder: Path.folder(of: Path.normalize(path)))
            lastFindings = []
            return Reply(text: "loaded \(Printable.escaped(path)): \(compilation.plan.items.count) item(s)")
        case .tooLarge(let size):
            return Reply(text: "\(Printable.escaped(path)) is too large (\(size) bytes)")
        case .unreadable(let reason):
            return Reply(text: "cannot read \(Printable.escaped(path)): \(reason)")
        case .notRegularFile(let kind):
            return Reply(text: "cannot read \(Printable.escaped(path)): it is \(kind), not a plan file")
        case .outside(let real):
            return Reply(text: "cannot read \(Printable.escaped(path)): it lies outside its folder, at \(Printable.escaped(real))")
        }
    }

    static let help = """
    Type plan lines and see at once what the tool makes of them; type an expression to see its value.
      magnesium glycinate 300mg nightly, 4h after levothyroxine
      5 mg/kg * 68kg
    A line ending in `:` opens a block: type its lines, then an empty line.
    After each statement the findings of the plan's first week are shown; :check looks at its whole course.
    :check             every finding for the session's plan, over its whole course
    :simulate [DAYS]   the schedule, day by day
    :arrange [DAYS]    the schedule, arranged so every spacing rule holds
    :plot FILE         draw the first week and the daily totals as an SVG picture (:plot! replaces)
    :plan              the session as plan source
    :explain NAME      what the knowledge base holds (a substance, drug, condition, form or code)
    :undo              take back the last statement
    :reset             start again
    :load FILE         add a plan file to the session
    :save FILE         save the session (:save! FILE replaces an existing file)
    :quit              leave (or Ctrl-D on an empty line); Ctrl-C abandons the current input
    """
}
