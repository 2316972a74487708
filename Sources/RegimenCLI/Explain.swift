import RegimenCore

/// `regimen explain CODE|NAME`: a diagnostic code, `limits`, or what the knowledge base holds.
struct Explain: Command {
    static let spec = CommandSpec(
        name: "explain",
        abstract: "Explain a diagnostic code (R201), the limits, or a substance, drug or condition with its sources.",
        arguments: [ArgumentSpec(name: "topic", count: .oneOrMore, help: "A diagnostic code, `limits`, or a name such as magnesium.")])

    let topic: String

    init(_ arguments: ParsedArguments) { topic = arguments.positional.joined(separator: " ") }

    func run() -> ExitStatus {
        let bundled = BundledKnowledge.shared
        guard let explanation = Explanation.explain(topic, knowledge: bundled.knowledge, sources: bundled.sources) else {
            printError("error: nothing is known about `\(Printable.escaped(topic))`")
            return .unusable
        }
        print(Printable.escaped(explanation, keepingLines: true), terminator: "")
        return .clean
    }
}
