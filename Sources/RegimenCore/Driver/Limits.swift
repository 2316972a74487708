/// Every resource limit of the pipeline, in one place. Each one, when hit, gives an
/// R6xx diagnostic rather than a crash or a hang; `regimen explain limits` lists them.
public struct Limits: Sendable {
    /// Largest source file read, in bytes.
    public var maxFileBytes = 16 * 1024 * 1024
    /// Longest line, in bytes; a longer line is skipped with a diagnostic.
    public var maxLineBytes = 64 * 1024
    /// Deepest nesting of blocks, and of parentheses in one expression.
    public var maxNesting = 64
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
        include depth        \(maxIncludeDepth) files
        included files       \(maxIncludedFiles) distinct files, \(maxIncludedBytes / 1024 / 1024) MiB in all, \(maxIncludes) includes carried out
        evaluation steps     \(maxEvaluationSteps)
        define/use depth     \(maxUseDepth)
        """
    }
}
