import ArgumentParser

/// The `regimen` command: checks, shows and explains plan files.
struct Regimen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regimen",
        abstract: "Check, read back and explain supplement regimens and care plans written as .regimen files.",
        discussion: "Regimen is decision support: it reports what its sources say and where.",
        subcommands: [Check.self, Show.self, Explain.self]
    )
}

Regimen.main()
