#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RegimenCore

/// A `regimen` command: what it accepts, how it reads its arguments, what it does.
protocol Command {
    static var spec: CommandSpec { get }
    init(_ arguments: ParsedArguments) throws(UsageError)
    func run() throws -> ExitStatus
}

/// Exit statuses: 0 clean, 1 an error-severity finding, 2 a usage error or unusable file.
enum ExitStatus: Int32 {
    case clean = 0, findings = 1, unusable = 2
}

/// The `regimen` program: checks, simulates, shows and explains plan files.
enum Regimen {
    static let name = "regimen"
    static var commands: [any Command.Type] {
        [Check.self, Simulate.self, HandoutCommand.self, Repl.self, Fmt.self, Export.self, Import.self, Show.self, Explain.self, Lsp.self]
    }

    static var help: String {
        HelpText.program(commands.map { $0.spec }, name: name,
                         abstract: "Check, read back and explain supplement regimens and care plans written as .regimen files.",
                         discussion: "Regimen is decision support: it reports what its sources say and where.")
    }

    static func main(_ words: [String]) -> ExitStatus {
        guard let first = words.first else {
            // Plain `regimen`: the REPL on a terminal, the help otherwise.
            if isatty(STDIN_FILENO) != 0 { return run(Repl.self, []) }
            print(help, terminator: "")
            return .clean
        }
        switch first {
        case "-h", "--help":
            print(help, terminator: "")
            return .clean
        case "help":
            guard let topic = words.dropFirst().first else { print(help, terminator: ""); return .clean }
            guard let command = commands.first(where: { $0.spec.name == topic }) else { return usage(UsageError(message: "no command `\(topic)`")) }
            print(HelpText.command(command.spec, program: name), terminator: "")
            return .clean
        default:
            guard let command = commands.first(where: { $0.spec.name == first }) else {
                return usage(UsageError(message: "no command `\(first)`; the commands are "
                    + commands.map { $0.spec.name }.joined(separator: ", ")))
            }
            return run(command, Array(words.dropFirst()))
        }
    }

    private static func run(_ command: any Command.Type, _ words: [String]) -> ExitStatus {
        do throws(UsageError) {
            switch try ArgumentParsing.parse(words, as: command.spec) {
            case .help:
                print(HelpText.command(command.spec, program: name), terminator: "")
                return .clean
            case .parsed(let arguments):
                let instance = try command.init(arguments)
                do {
                    return try instance.run()
                } catch {
                    printError("error: \(Printable.escaped(String(describing: error)))")
                    return .unusable
                }
            }
        } catch {
            return usage(error)
        }
    }

    /// A usage error: what is wrong, the command's usage, where to read more.
    private static func usage(_ error: UsageError) -> ExitStatus {
        var text = "error: \(Printable.escaped(error.message))"
        if let spec = error.command {
            text += "\nusage: " + HelpText.usage(spec, program: name) + "\n  See '\(name) \(spec.name) --help' for more information."
        } else {
            text += "\n  See '\(name) --help' for the commands."
        }
        printError(text)
        return .unusable
    }
}

exit(Regimen.main(Array(CommandLine.arguments.dropFirst())).rawValue)
