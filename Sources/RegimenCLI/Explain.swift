import ArgumentParser
import RegimenCore

/// `regimen explain CODE|NAME`: a diagnostic code, `limits`, or what the knowledge base holds.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a diagnostic code (R201), the limits, or a substance, drug or condition with its sources.")

    @Argument(help: "A diagnostic code, `limits`, or a name such as magnesium.")
    var topic: [String]

    func run() throws {
        let text = topic.joined(separator: " ")
        let bundled = BundledKnowledge.shared
        guard let explanation = Explanation.explain(text, knowledge: bundled.knowledge, sources: bundled.sources) else {
            printError("error: nothing is known about `\(text)`")
            throw ExitStatus.unusable
        }
        print(explanation, terminator: "")
    }
}
