import RegimenCore
import TestSupport

/// Compiles source text as if it were the file `plan.regimen`, with `files` available to include.
func compile(_ text: String, files: [String: String] = [:], limits: Limits = .standard) -> Compilation {
    var all = files
    all["plan.regimen"] = text
    return Frontend.compile(bytes: Array(text.utf8), name: "plan.regimen", path: "plan.regimen",
                            provider: MemorySourceProvider(all), today: testToday, limits: limits)
}

/// The codes of a compilation's diagnostics, in order.
func codes(_ compilation: Compilation) -> [String] { compilation.diagnostics.map(\.code.id) }

/// Lexes text and returns its tokens, without newline/indent bookkeeping tokens.
func tokens(_ text: String) -> [Token] {
    Array(Lexer.tokenize(SourceFile(name: "t", text: text), id: FileID(0)).tokens)
        .filter { ![.newline, .indent, .dedent, .end].contains($0.kind) }
}
