import RegimenCore

/// `regimen explain CODE|NAME`: a diagnostic code, `limits`, or what the knowledge base holds;
/// `regimen explain --list KIND`: every name of one kind the knowledge base knows.
struct Explain: Command {
    static let spec = CommandSpec(
        name: "explain",
        abstract: "Explain a diagnostic code (R201), the limits, or a substance, drug or condition with its sources; or list what the knowledge base knows.",
        arguments: [ArgumentSpec(name: "topic", count: .zeroOrMore, help: "A diagnostic code, `limits`, or a name such as magnesium.")],
        options: [OptionSpec(long: "list", valueName: "kind", choices: Explanation.ListKind.allCases.map(\.rawValue),
                             help: "List every name of this kind, one a line, with its aliases.")])

    let topic: String
    let list: Explanation.ListKind?

    init(_ arguments: ParsedArguments) {
        topic = arguments.positional.joined(separator: " ")
        list = arguments.value("list").flatMap(Explanation.ListKind.init(rawValue:))
    }

    func run() -> ExitStatus {
        let bundled = BundledKnowledge.shared
        if let list {
            guard topic.isEmpty else {
                printError("error: give either a topic or --list, not both")
                return .unusable
            }
            print(Printable.escaped(Explanation.list(list, knowledge: bundled.knowledge), keepingLines: true), terminator: "")
            return .clean
        }
        guard !topic.isEmpty else {
            printError("error: give a topic (a code, `limits` or a name), or --list KIND")
            return .unusable
        }
        guard let explanation = Explanation.explain(topic, knowledge: bundled.knowledge, sources: bundled.sources) else {
            printError("error: nothing is known about `\(Printable.escaped(topic))`")
            return .unusable
        }
        print(Printable.escaped(explanation, keepingLines: true), terminator: "")
        return .clean
    }
}
