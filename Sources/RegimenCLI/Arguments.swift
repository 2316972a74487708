/// The command-line interface as data: what each command accepts, read by one parser and printed
/// by one help writer. Hand-written rather than ArgumentParser, whose reflection-based set-up
/// cost about two thirds of a `regimen fmt` process (measured with perf; see the README's benchmarks).
struct CommandSpec: Sendable {
    var name: String
    var abstract: String
    var arguments: [ArgumentSpec] = []
    var options: [OptionSpec] = []
}

/// A positional argument.
struct ArgumentSpec: Sendable {
    enum Count: Sendable { case one, optional, oneOrMore, zeroOrMore }
    var name: String
    var count: Count
    var help: String
}

/// A `--long` option, with a value (`valueName`) or as a flag (no value).
struct OptionSpec: Sendable {
    var long: String
    var short: Character? = nil
    var valueName: String? = nil
    var choices: [String] = []
    var defaultValue: String? = nil
    var help: String

    static func flag(_ long: String, help: String) -> OptionSpec { OptionSpec(long: long, help: help) }

    /// An option whose value is one of an enumeration's cases, by raw value.
    static func choice<Choice: RawRepresentable & CaseIterable>(_ long: String, default value: Choice, help: String) -> OptionSpec
    where Choice.RawValue == String {
        OptionSpec(long: long, valueName: long, choices: Choice.allCases.map(\.rawValue), defaultValue: value.rawValue, help: help)
    }
}

/// A command line the user got wrong: said on standard error with the usage, exit status 2.
struct UsageError: Error {
    var message: String
    var command: CommandSpec?
}

/// What the parser found, checked against the spec: positional values and options by long name.
struct ParsedArguments {
    let spec: CommandSpec
    var positional: [String] = []
    var values: [String: String] = [:]
    var flags: Set<String> = []

    func value(_ long: String) -> String? {
        values[long] ?? spec.options.first { $0.long == long }?.defaultValue
    }

    func flag(_ long: String) -> Bool { flags.contains(long) }

    /// A `.choice` option's value (the parser has checked it is one of the cases).
    func choice<Choice: RawRepresentable>(_ long: String) -> Choice where Choice.RawValue == String {
        value(long).flatMap(Choice.init(rawValue:))!
    }

    /// An integer option; a value that is not one is a usage error.
    func integer(_ long: String) throws(UsageError) -> Int? {
        guard let text = values[long] else { return nil }
        guard let number = Int(text) else { throw UsageError(message: "--\(long) must be a whole number, not `\(text)`", command: spec) }
        return number
    }

    func error(_ message: String) -> UsageError { UsageError(message: message, command: spec) }
}

enum ArgumentParsing {
    /// Either the parsed arguments or a request for the command's help.
    enum Outcome { case parsed(ParsedArguments), help }

    /// Reads `--name value`, `--name=value`, `-n value`, flags, `--` (the rest are positional) and
    /// `-` (standard input, a positional), then checks the positional count and option choices.
    static func parse(_ words: [String], as spec: CommandSpec) throws(UsageError) -> Outcome {
        var parsed = ParsedArguments(spec: spec)
        var index = 0
        var optionsEnded = false
        while index < words.count {
            let word = words[index]
            index += 1
            if optionsEnded || word == "-" || !word.hasPrefix("-") {
                parsed.positional.append(word)
                continue
            }
            if word == "--" { optionsEnded = true; continue }
            if word == "-h" || word == "--help" { return .help }
            let (name, attached) = split(word)
            guard let option = spec.options.first(where: { name == "--" + $0.long || $0.short.map { "-\($0)" } == name }) else {
                throw parsed.error("unknown option `\(name)`")
            }
            guard let valueName = option.valueName else {
                if attached != nil { throw parsed.error("--\(option.long) takes no value") }
                parsed.flags.insert(option.long)
                continue
            }
            let value: String
            if let attached {
                value = attached
            } else if index < words.count {
                value = words[index]
                index += 1
            } else {
                throw parsed.error("--\(option.long) needs a value: <\(valueName)>")
            }
            if !option.choices.isEmpty && !option.choices.contains(value) {
                throw parsed.error("--\(option.long) must be one of \(option.choices.joined(separator: ", ")), not `\(value)`")
            }
            if parsed.values[option.long] != nil { throw parsed.error("--\(option.long) is given twice") }
            parsed.values[option.long] = value
        }
        try checkCount(parsed)
        return .parsed(parsed)
    }

    /// `--name=value` into its name and value.
    private static func split(_ word: String) -> (String, String?) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    /// Too few or too many positional arguments for the spec.
    private static func checkCount(_ parsed: ParsedArguments) throws(UsageError) {
        var remaining = parsed.positional.count
        for argument in parsed.spec.arguments {
            switch argument.count {
            case .one, .oneOrMore:
                if remaining == 0 { throw parsed.error("missing <\(argument.name)>") }
                remaining = argument.count == .one ? remaining - 1 : 0
            case .optional:
                remaining = max(0, remaining - 1)
            case .zeroOrMore:
                remaining = 0
            }
        }
        if remaining > 0 { throw parsed.error("unexpected argument `\(parsed.positional[parsed.positional.count - remaining])`") }
    }
}

/// Help text in the familiar layout: overview, usage, arguments, options, wrapped at 80 columns.
enum HelpText {
    static func usage(_ spec: CommandSpec, program: String) -> String {
        var parts = [program, spec.name]
        for argument in spec.arguments {
            switch argument.count {
            case .one: parts.append("<\(argument.name)>")
            case .optional: parts.append("[<\(argument.name)>]")
            case .oneOrMore: parts.append("<\(argument.name)>...")
            case .zeroOrMore: parts.append("[<\(argument.name)>...]")
            }
        }
        for option in spec.options {
            parts.append("[--\(option.long)" + (option.valueName.map { " <\($0)>" } ?? "") + "]")
        }
        return parts.joined(separator: " ")
    }

    static func command(_ spec: CommandSpec, program: String) -> String {
        var text = "OVERVIEW: " + wrap(spec.abstract, indent: 0, first: 10) + "\n\nUSAGE: " + usage(spec, program: program) + "\n"
        if !spec.arguments.isEmpty {
            text += "\nARGUMENTS:\n" + spec.arguments.map { entry("<\($0.name)>", $0.help) }.joined()
        }
        text += "\nOPTIONS:\n"
        for option in spec.options {
            var label = (option.short.map { "-\($0), " } ?? "") + "--\(option.long)"
            if let valueName = option.valueName { label += " <\(valueName)>" }
            var help = option.help
            if option.defaultValue != nil || !option.choices.isEmpty {
                let facts = [option.choices.isEmpty ? nil : "values: " + option.choices.joined(separator: ", "),
                             option.defaultValue.map { "default: \($0)" }].compactMap { $0 }
                let sentence = help.hasSuffix(".") ? String(help.dropLast()) : help
                help = sentence + " (\(facts.joined(separator: "; ")))."
            }
            text += entry(label, help)
        }
        return text + entry("-h, --help", "Show help information.")
    }

    static func program(_ commands: [CommandSpec], name: String, abstract: String, discussion: String) -> String {
        "OVERVIEW: " + wrap(abstract, indent: 0, first: 10) + "\n\n" + wrap(discussion, indent: 0, first: 0)
            + "\n\nUSAGE: \(name) <command> [<arguments>]\n\nOPTIONS:\n" + entry("-h, --help", "Show help information.")
            + "\nCOMMANDS:\n" + commands.map { entry($0.name, $0.abstract) }.joined()
            + "\n  See '\(name) help <command>' for detailed help.\n"
    }

    /// One two-column line: the label at 2, the help at 26, continued lines aligned under it.
    private static func entry(_ label: String, _ help: String) -> String {
        let column = 26
        let head = "  " + label
        let lead = head.count + 2 <= column ? head + String(repeating: " ", count: column - head.count) : head + "\n" + String(repeating: " ", count: column)
        return lead + wrap(help, indent: column, first: column) + "\n"
    }

    /// Words wrapped to 80 columns; `first` is the column the first line starts at.
    private static func wrap(_ text: String, indent: Int, first: Int) -> String {
        var lines: [String] = []
        var line = ""
        var start = first
        for word in text.split(separator: " ") {
            if !line.isEmpty && start + line.count + 1 + word.count > 80 {
                lines.append(line)
                line = ""
                start = indent
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
    }
}
