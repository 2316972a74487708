/// The result of reading a plan: what it means, and every problem found on the way.
public struct Compilation: Sendable {
    public var plan: Plan
    public var knowledge: KnowledgeBase
    /// In source order.
    public var diagnostics: [Diagnostic]
    public var sources: SourceManager
    public var mainFile: FileID

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// True when an error means the evaluated plan is not the plan written (a line that could not be
    /// read, an item left out), so simulating or checking it would mislead. An unknown name does not
    /// stop the checks: its item is kept, unjudged, and everything else is still checked.
    public var stopsChecks: Bool { diagnostics.contains { $0.severity == .error && !$0.code.letsChecksRun } }
}

extension Compilation {
    /// The plan's findings over its whole course: the front end's, then, unless an error stops them,
    /// those of the simulated schedule (spacing rules, timing) and the clinical checks, and last what
    /// could not be checked, as `regimen check` reports them.
    /// `days` limits the simulated horizon (the REPL's immediate feedback looks at the first week).
    public func checked(today: CivilDate, days: Int? = nil) -> [Diagnostic] {
        guard !stopsChecks else { return diagnostics + [checksNotRun] }
        return findings(on: Simulator.run(self, options: SimulationOptions(days: days), today: today))
    }

    /// The front end's findings, then the timeline's and the clinical checks', in source order, and
    /// last the names that could not be checked against the knowledge base.
    public func findings(on timeline: Timeline) -> [Diagnostic] {
        // Each stage is capped as the front end is: the schedule's findings and the clinical checks'.
        var later = DiagnosticBag()
        later.add(contentsOf: timeline.diagnostics + ClinicalChecker.findings(self, timeline: timeline))
        var bag = DiagnosticBag()
        bag.add(contentsOf: diagnostics + Frontend.capped(later.sorted))
        if let unjudged = unjudgedSummary { bag.add(unjudged) }
        return bag.sorted
    }

    /// Said when front-end errors stop the schedule and clinical checks, so that their silence is
    /// never read as an all-clear.
    public var checksNotRun: Diagnostic {
        let count = diagnostics.filter { $0.severity == .error && !$0.code.letsChecksRun }.count
        return Diagnostic(.notChecked, "the schedule and the clinical checks were not run: \(plural(count, "error")) above \(count == 1 ? "leaves" : "leave") the plan different from what is written",
                          at: nil, hint: "fix \(count == 1 ? "it" : "them"), then every spacing rule, limit and caution is checked")
    }

    /// One finding naming everything the knowledge base could not judge, or nil when it judged all.
    var unjudgedSummary: Diagnostic? {
        var seen = Set<String>()
        let unjudged = plan.unjudged.filter { seen.insert($0.name).inserted }
        guard !unjudged.isEmpty else { return nil }
        let names = unjudged.map(\.name)
        return Diagnostic(
            .notChecked,
            "\(plural(unjudged.count, "name")) in this plan \(unjudged.count == 1 ? "was" : "were") not checked against the knowledge base: \(names.joined(separator: ", "))",
            at: nil,
            hint: "\(unjudged.count == 1 ? "its" : "their") interactions, limits and cautions are unknown to the tool; check \(unjudged.count == 1 ? "it" : "them") against another source",
            notes: unjudged.map { "\($0.name) (\(sources.describe($0.span, main: mainFile))): \($0.reason.rawValue)" },
            subjects: names)
    }
}

/// Runs the front end: lex, parse and evaluate a plan file and its includes.
public enum Frontend {

    /// Compiles the plan at `path`, or says why the file itself could not be read.
    public static func compile(
        path: String, provider: SourceProvider, today: CivilDate, limits: Limits = .standard,
        bundled: BundledKnowledge = .shared
    ) -> Result<Compilation, FileError> {
        switch provider.read(path, maxBytes: limits.maxFileBytes) {
        case .bytes(let bytes):
            return .success(compile(bytes: bytes, name: path, path: path, provider: provider, today: today, limits: limits, bundled: bundled))
        case .tooLarge(let size):
            return .failure(FileError(path: path, reason: "the file is \(size) bytes; the limit is \(limits.maxFileBytes)"))
        case .unreadable(let reason):
            return .failure(FileError(path: path, reason: reason))
        case .notRegularFile(let kind):
            return .failure(FileError(path: path, reason: "it is \(kind), not a file", code: .notRegularFile))
        case .outside(let real):
            return .failure(FileError(path: path, reason: "it lies outside its folder, at \(real)"))
        }
    }

    /// Compiles source held in memory; `path` places it for relative includes.
    /// `includeRegions` give parts of the source their own include folder (the REPL's `:load`ed files).
    public static func compile(
        bytes: [UInt8], name: String, path: String, provider: SourceProvider, today: CivilDate,
        limits: Limits = .standard, bundled: BundledKnowledge = .shared, includeRegions: [IncludeRegion] = []
    ) -> Compilation {
        var sources = bundled.sources
        let id = sources.add(SourceFile(name: name, bytes: bytes))
        var evaluator = Evaluator(sources: sources, provider: provider, knowledge: bundled.knowledge,
                                  rootFolder: Path.folder(of: Path.normalize(path)), today: today, limits: limits)
        evaluator.includeRegions = includeRegions.map { (id, $0) }
        evaluator.run(file: id, path: path)
        evaluator.checkRelationTargets()
        evaluator.applyImpliedEGFR()
        evaluator.checkDayOrder()
        evaluator.checkVariantDayOrder()
        var diagnostics = DiagnosticBag()
        diagnostics.add(contentsOf: evaluator.diagnostics)
        return Compilation(plan: evaluator.plan, knowledge: evaluator.knowledge, diagnostics: capped(diagnostics.sorted, limits),
                           sources: evaluator.sources, mainFile: id)
    }

    /// The first `maxDiagnostics`, then a note counting the rest.
    static func capped(_ diagnostics: [Diagnostic], _ limits: Limits = .standard) -> [Diagnostic] {
        guard diagnostics.count > limits.maxDiagnostics else { return diagnostics }
        let more = diagnostics.count - limits.maxDiagnostics
        return Array(diagnostics.prefix(limits.maxDiagnostics))
            + [Diagnostic(.evaluationLimit, "\(more) more problems were found and not shown", at: nil, severity: .note)]
    }
}

/// A stretch of a source (UTF-8 byte offsets) whose includes are relative to, and confined to,
/// `folder` instead of the file's own folder: a file the REPL loaded into its session.
public struct IncludeRegion: Sendable {
    public var range: Range<Int>
    public var folder: String

    public init(range: Range<Int>, folder: String) {
        self.range = range
        self.folder = folder
    }
}

/// A plan file that could not be read at all.
public struct FileError: Error, Sendable {
    public let path: String
    public let reason: String
    /// The diagnostic code that names the problem, when one does (R504 for a named pipe or a device).
    public let code: DiagnosticCode?

    public init(path: String, reason: String, code: DiagnosticCode? = nil) {
        self.path = path
        self.reason = reason
        self.code = code
    }
}

extension Frontend {
    /// Evaluates an expression in the scope a session's statements leave (`5 mg/kg * patient.weight`).
    public static func evaluateExpression(
        _ text: String, session: [UInt8], provider: SourceProvider, today: CivilDate, bundled: BundledKnowledge = .shared
    ) -> (value: Value?, diagnostics: [Diagnostic]) {
        var sources = bundled.sources
        let sessionID = sources.add(SourceFile(name: "<session>", bytes: session))
        let expressionID = sources.add(SourceFile(name: "<input>", text: text))
        var evaluator = Evaluator(sources: sources, provider: provider, knowledge: bundled.knowledge, rootFolder: ".", today: today)
        if !session.isEmpty { evaluator.run(file: sessionID, path: "./session.regimen") }
        let before = evaluator.diagnostics.count
        let (tokens, lexErrors) = Lexer.tokenize(evaluator.sources[expressionID], id: expressionID)
        var parser = Parser(tokens: tokens, fileID: expressionID)
        guard lexErrors.isEmpty, let expression = try? parser.parseExpression(), parser.atEndOfInput else {
            return (nil, lexErrors + [Diagnostic(.unexpectedToken, "not an expression", at: nil)])
        }
        let value = evaluator.evaluate(expression)
        return (value, Array(evaluator.diagnostics.dropFirst(before)))
    }
}

extension Parser {
    /// True when only line ends remain.
    var atEndOfInput: Bool {
        (index..<tokens.count).allSatisfy { [.newline, .end, .dedent].contains(tokens.kind(at: $0)) }
    }
}
