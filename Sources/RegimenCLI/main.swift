import ArgumentParser
import Foundation

/// The `regimen` command: checks, shows and explains plan files.
struct Regimen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regimen",
        abstract: "Check, read back and explain supplement regimens and care plans written as .regimen files.",
        discussion: "Regimen is decision support: it reports what its sources say and where.",
        subcommands: [Check.self, Simulate.self, Repl.self, Fmt.self, Export.self, Import.self, Show.self, Explain.self]
    )

    /// Plain `regimen`: the REPL on a terminal, the help otherwise.
    func run() throws {
        if isatty(STDIN_FILENO) != 0 {
            try Repl().run()
        } else {
            print(Regimen.helpMessage())
        }
    }
}

// Usage errors exit with status 2, as the CLI reference promises, not ArgumentParser's 64.
do {
    var command = try Regimen.parseAsRoot()
    try command.run()
} catch {
    if Regimen.exitCode(for: error) == .validationFailure {
        printError(Regimen.fullMessage(for: error))
        exit(2)
    }
    Regimen.exit(withError: error)
}
