/// The result of reading a plan: what it means, and every problem found on the way.
public struct Compilation: Sendable {
    public var plan: Plan
    public var knowledge: KnowledgeBase
    /// In source order.
    public var diagnostics: [Diagnostic]
    public var sources: SourceManager
    public var mainFile: FileID

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

extension Compilation {
    /// The plan's findings over its whole course: the front end's, then, when the plan has no
    /// errors, those of the simulated schedule (spacing rules, timing) and the clinical checks,
    /// as `regimen check` reports them.
    /// `days` limits the simulated horizon (the REPL's immediate feedback looks at the first week).
    public func checked(today: CivilDate, days: Int? = nil) -> [Diagnostic] {
        guard !hasErrors else { return diagnostics }
        return findings(on: Simulator.run(self, options: SimulationOptions(days: days), today: today))
    }

    /// The front end's findings, then the timeline's and the clinical checks', in source order.
    public func findings(on timeline: Timeline) -> [Diagnostic] {
        var bag = DiagnosticBag()
        bag.add(contentsOf: diagnostics + timeline.diagnostics + ClinicalChecker.findings(self, timeline: timeline))
        return bag.sorted
    }
}

/// Runs the front end: lex, parse and evaluate a plan file and its includes.
public enum Frontend {
    /// Most diagnostics reported for one plan; past it a note says how many more there were.
    static let maxDiagnostics = 200

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
        }
    }

    /// Compiles source held in memory; `path` places it for relative includes.
    public static func compile(
        bytes: [UInt8], name: String, path: String, provider: SourceProvider, today: CivilDate,
        limits: Limits = .standard, bundled: BundledKnowledge = .shared
    ) -> Compilation {
        var sources = bundled.sources
        let id = sources.add(SourceFile(name: name, bytes: bytes))
        var evaluator = Evaluator(sources: sources, provider: provider, knowledge: bundled.knowledge,
                                  rootFolder: Path.folder(of: Path.normalize(path)), today: today, limits: limits)
        evaluator.run(file: id, path: path)
        evaluator.checkRelationTargets()
        evaluator.checkDayOrder()
        var diagnostics = DiagnosticBag()
        diagnostics.add(contentsOf: evaluator.diagnostics)
        return Compilation(plan: evaluator.plan, knowledge: evaluator.knowledge, diagnostics: capped(diagnostics.sorted),
                           sources: evaluator.sources, mainFile: id)
    }

    private static func capped(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard diagnostics.count > maxDiagnostics else { return diagnostics }
        let more = diagnostics.count - maxDiagnostics
        return Array(diagnostics.prefix(maxDiagnostics))
            + [Diagnostic(.evaluationLimit, "\(more) more problems were found and not shown", at: nil, severity: .note)]
    }
}

/// A plan file that could not be read at all.
public struct FileError: Error, Sendable {
    public let path: String
    public let reason: String
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
