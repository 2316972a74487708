import Foundation

/// The knowledge base that ships inside the tool: `.regimen` files under `Knowledge/Base`,
/// read once per process with the same lexer, parser and builder as plan files.
public struct BundledKnowledge: Sendable {
    public let knowledge: KnowledgeBase
    /// The knowledge files, so diagnostics and sources can point into them.
    public let sources: SourceManager
    /// Problems in the bundled files themselves; a test keeps this empty.
    public let diagnostics: [Diagnostic]

    /// The knowledge base shipped with the tool, loaded on first use.
    public static let shared: BundledKnowledge = load(files: bundledFiles())

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

    /// The `.regimen` files in the resource folder, sorted so conditions and substances load before the rules naming them.
    public static func bundledFiles() -> [(name: String, bytes: [UInt8])] {
        guard let folder = Bundle.module.url(forResource: "Base", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".regimen") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
            return ("<knowledge>/\(name)", [UInt8](data))
        }
    }
}
