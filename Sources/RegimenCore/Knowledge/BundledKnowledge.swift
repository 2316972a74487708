/// The knowledge base that ships inside the tool: `.regimen` files under `Knowledge/Base`,
/// compiled into the binary (SwiftPM's `embedInCode`) so the tool is one self-contained file.
/// It is read once per process from its image (`KnowledgeImage`), built ahead of time from those
/// files with the same lexer, parser and builder as plan files, or from the files themselves when
/// the image was built from other files.
public struct BundledKnowledge: Sendable {
    public let knowledge: KnowledgeBase
    /// The knowledge files, so diagnostics and sources can point into them.
    public let sources: SourceManager
    /// Problems in the bundled files themselves; a test keeps this empty.
    public let diagnostics: [Diagnostic]

    /// The knowledge base shipped with the tool, loaded on first use.
    public static let shared: BundledKnowledge = load(files: bundledFiles(), image: bundledImage)

    /// The image compiled into the binary (`Knowledge/Image/knowledge.image`).
    public static var bundledImage: [UInt8] { PackageResources.knowledge_image }

    /// The knowledge base in `image` when it was built from `files`; else built from the files.
    public static func load(files: [(name: String, bytes: [UInt8])], image: [UInt8]) -> BundledKnowledge {
        guard case .success(let knowledge) = KnowledgeImage.decode(image, for: files) else { return load(files: files) }
        var sources = SourceManager()
        for file in files { _ = sources.add(SourceFile(name: file.name, bytes: file.bytes)) }
        return BundledKnowledge(knowledge: knowledge, sources: sources, diagnostics: [])
    }

    /// The image of the knowledge base built from `files`, or nil when the files have problems
    /// (an image holds only a knowledge base that loads cleanly).
    public static func image(of files: [(name: String, bytes: [UInt8])]) -> [UInt8]? {
        let built = load(files: files)
        return built.diagnostics.isEmpty ? KnowledgeImage.encode(built.knowledge, builtFrom: files) : nil
    }

    /// Why `image` cannot stand for `files`, or nil when it can.
    public static func problem(with image: [UInt8], for files: [(name: String, bytes: [UInt8])]) -> String? {
        if case .failure(let error) = KnowledgeImage.decode(image, for: files) { return error.reason }
        return nil
    }

    /// Builds a knowledge base from named file contents, in the order given.
    public static func load(files: [(name: String, bytes: [UInt8])]) -> BundledKnowledge {
        var sources = SourceManager()
        var builder = KnowledgeBuilder(knowledge: KnowledgeBase(), sources: sources)
        var diagnostics: [Diagnostic] = []
        for file in files {
            let id = sources.add(SourceFile(name: file.name, bytes: file.bytes))
            let (tokens, lexErrors) = Lexer.tokenize(sources[id], id: id)
            let (statements, parseErrors) = Parser.parse(tokens, fileID: id)
            diagnostics += lexErrors + parseErrors
            for statement in statements {
                switch statement.kind {
                case .knowledge(let definition):
                    builder.apply(definition, span: statement.span)
                case .rule(let rule):
                    builder.knowledge.advice.append(UserRule(name: rule.name, condition: rule.condition, severity: rule.severity,
                                                             message: rule.message, span: statement.span, source: rule.source))
                default:
                    diagnostics.append(Diagnostic(.misplacedStatement, "knowledge files hold only knowledge definitions and rules",
                                                  at: statement.span))
                }
            }
        }
        return BundledKnowledge(knowledge: builder.knowledge, sources: sources, diagnostics: diagnostics + builder.diagnostics)
    }

    /// The knowledge files in load order: conditions and substances before the rules naming them.
    /// A file added to `Knowledge/Base` is listed here and in Package.swift; a test checks both.
    public static func bundledFiles() -> [(name: String, bytes: [UInt8])] {
        [
            ("conditions.regimen", PackageResources.conditions_regimen),
            ("magnesium.regimen", PackageResources.magnesium_regimen),
            ("nutrients.regimen", PackageResources.nutrients_regimen),
            ("drugs.regimen", PackageResources.drugs_regimen),
            ("interactions.regimen", PackageResources.interactions_regimen),
            ("condition-rules.regimen", PackageResources.condition_rules_regimen),
            ("advice.regimen", PackageResources.advice_regimen),
        ].map { ("<knowledge>/\($0.0)", $0.1) }
    }
}
