import RegimenCore
import RegimenLanguageServer

/// `regimen lsp`: the language server for editors, over standard input and output.
struct Lsp: Command {
    static let spec = CommandSpec(
        name: "lsp",
        abstract: "Run the language server (LSP 3.17 over standard input and output) for editors.")

    init(_ arguments: ParsedArguments) {}

    func run() -> ExitStatus {
        // The protocol's exit codes: 0 after `shutdown`, 1 otherwise.
        StdioServer.run(today: .today) == 0 ? .clean : .findings
    }
}
