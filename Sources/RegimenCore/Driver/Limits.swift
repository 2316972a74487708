/// Every resource limit of the pipeline, in one place. Each one, when hit, gives an
/// R6xx diagnostic rather than a crash or a hang; `regimen explain limits` lists them.
public struct Limits: Sendable {
    /// Largest source file read, in bytes.
    public var maxFileBytes = 16 * 1024 * 1024
    /// Longest line, in bytes; a longer line is skipped with a diagnostic.
    public var maxLineBytes = 64 * 1024
    /// Deepest nesting of blocks, and of parentheses in one expression.
    public var maxNesting = 64
    /// Deepest expression tree: operators in a row (`a + b + c …`) and parentheses together.
    public var maxExpressionDepth = 256
    /// Deepest chain of includes.
    public var maxIncludeDepth = 16
    /// Most distinct files included by one plan (each is read and parsed once).
    public var maxIncludedFiles = 256
    /// Most bytes of included files, all of them together, for one plan.
    public var maxIncludedBytes = 32 * 1024 * 1024
    /// Most `include` statements carried out for one plan (a file included twice counts twice).
    public var maxIncludes = 1_000
    /// Most evaluation steps (statements and expression nodes) for one plan.
    public var maxEvaluationSteps = 2_000_000
    /// Deepest chain of `use` inside `define`.
    public var maxUseDepth = 32
    /// Most doses a day of one item (`every 30min`, `48 times daily`).
    public var maxDosesPerDay = 48
    /// Most days simulated by default (a longer course is cut, with a note).
    public var maxSimulatedDays = 365
    /// Most dose events in one simulation; past it the timeline stops, and the checks say their
    /// totals are lower bounds.
    public var maxEvents = 2_000_000
    /// Most breaches of one spacing rule listed, each at its own times of day; the rest are counted.
    public var maxBreachesPerRule = 20
    /// Most diagnostics reported by each stage (front end; schedule and clinical checks); past it a
    /// note says how many more there were.
    public var maxDiagnostics = 200
    /// Largest output of `simulate --format json|csv|ics`, in bytes.
    public var maxOutputBytes = 256 * 1024 * 1024
    /// Most diagnostics of one kind reported per file by the lexer, so a binary file stays readable.
    public var maxRepeatedLexerErrors = 10

    public init() {}

    public static let standard = Limits()

    /// The limits as text, for `regimen explain limits`.
    public var described: String {
        """
        file size            \(maxFileBytes / 1024 / 1024) MiB
        line length          \(maxLineBytes / 1024) KiB
        nesting depth        \(maxNesting) blocks or parentheses
        expression depth     \(maxExpressionDepth) operators in a row and parentheses together
        include depth        \(maxIncludeDepth) files
        included files       \(maxIncludedFiles) distinct files, \(maxIncludedBytes / 1024 / 1024) MiB in all, \(maxIncludes) includes carried out
        evaluation steps     \(maxEvaluationSteps)
        define/use depth     \(maxUseDepth)
        doses a day          \(maxDosesPerDay) per item (every \(1440 / maxDosesPerDay) min at the most)
        simulated days       \(maxSimulatedDays) (simulate --days may not go past it)
        dose events          \(maxEvents) per simulation
        breaches listed      \(maxBreachesPerRule) per spacing rule, the rest counted
        diagnostics          \(maxDiagnostics) per stage, the rest counted
        output size          \(maxOutputBytes / 1024 / 1024) MiB (simulate --format json, csv, ics)
        lexer errors         \(maxRepeatedLexerErrors) of one kind per file
        """
    }
}
