import RegimenCore

/// One file open in the editor: its text as the editor holds it, and the last check of it.
struct OpenDocument {
    var uri: String
    /// The file's path (normalised), which places its includes.
    var path: String
    var version: Int
    var bytes: [UInt8]
    /// The last check, for the version it was made from.
    var analysis: Analysis? {
        didSet { includesChanged = false }
    }
    /// A file the last check read has changed since (an include edited, closed or saved).
    var includesChanged = false

    /// The last check, when nothing it read has changed since.
    var current: Analysis? { analysis?.version == version && !includesChanged ? analysis : nil }
}

/// What a check of one version of a document found: the compilation (plan, knowledge, sources),
/// the findings as `regimen check` reports them, and the main file's syntax.
public struct Analysis: Sendable {
    let uri: String
    let version: Int
    let path: String
    let compilation: Compilation
    let findings: [Diagnostic]
    let statements: [Statement]

    var file: SourceFile { compilation.sources[compilation.mainFile] }
    var mainFile: FileID { compilation.mainFile }

    /// The plan files the check read besides the document itself (its includes, nested too).
    var includedPaths: Set<String> {
        let bundledCount = BundledKnowledge.shared.sources.files.count
        return Set(compilation.sources.files.enumerated().filter { $0.offset >= bundledCount && $0.offset != mainFile.rawValue }
            .map { Path.normalize($0.element.name) })
    }

    /// Compiles and checks a document's text, reading its includes through `provider`.
    static func make(uri: String, path: String, version: Int, bytes: [UInt8], provider: SourceProvider, today: CivilDate) -> Analysis {
        make(uri: uri, path: path, version: version, bytes: bytes, provider: provider, today: today, abandon: { false })!
    }

    /// The same, given up (nil) when `abandon` says so between compiling and the checks (about
    /// half the work): a newer edit of the document has arrived, so the result would be dropped.
    static func make(uri: String, path: String, version: Int, bytes: [UInt8], provider: SourceProvider, today: CivilDate,
                     abandon: () -> Bool) -> Analysis? {
        let compilation = Frontend.compile(bytes: bytes, name: path, path: path, provider: provider, today: today)
        if abandon() { return nil }
        let findings = compilation.checked(today: today)
        let file = compilation.sources[compilation.mainFile]
        let tokens = Lexer.tokenize(file, id: compilation.mainFile).tokens
        let statements = Parser.parse(tokens, fileID: compilation.mainFile).statements
        return Analysis(uri: uri, version: version, path: path, compilation: compilation, findings: findings, statements: statements)
    }

    /// The `include` statements of the main file, each with the path it resolves to.
    var includes: [(resolved: String, span: Span)] {
        var found: [(String, Span)] = []
        Self.walk(statements) { statement in
            if case .include(let path, let span) = statement.kind {
                found.append((Path.join(Path.folder(of: self.path), path), span))
            }
        }
        return found
    }

    /// Visits every statement, blocks' statements included (both branches of an `if`).
    static func walk(_ statements: [Statement], _ visit: (Statement) -> Void) {
        for statement in statements {
            visit(statement)
            switch statement.kind {
            case .plan(let block): walk(block.body, visit)
            case .define(let definition): walk(definition.body, visit)
            case .conditional(let conditional):
                for branch in conditional.branches { walk(branch.body, visit) }
                if let body = conditional.elseBody { walk(body, visit) }
            default: break
            }
        }
    }

    /// The item syntax an evaluated item came from, when it is written in the main file.
    func syntax(of item: PlanItem) -> ItemSyntax? {
        guard item.span.file == mainFile else { return nil }
        var found: ItemSyntax?
        Self.walk(statements) { statement in
            if case .item(let syntax) = statement.kind, syntax.span.offset == item.span.offset { found = syntax }
        }
        return found
    }
}

extension Span {
    /// True when the byte offset lies in the span or at its end (where a cursor after a word stands).
    func touches(_ offset: Int) -> Bool { offset >= self.offset && offset <= end }
}
