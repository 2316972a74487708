import Foundation
@testable import RegimenLanguageServer
import RegimenCore
import Testing

/// The quick fix for a spacing breach, as a clinician uses it: apply the edit, and the plan still
/// reads and the breach is gone. Checked on small plans with the exact line expected, and on every
/// plan of the corpus that has a breach the server offers to fix.
@Suite struct TimingFixTests {
    static let today = CivilDate(year: 2026, month: 12, day: 1)!

    /// A breach and its fix: the plan, the action's title and the fixed line.
    struct Case: Sendable, CustomStringConvertible {
        var plan: String
        var title: String
        var fixed: String
        var description: String { title }
    }

    static let cases: [Case] = [
        // An anchored dose moves within its meal's window no further than the rule needs: a clock time.
        Case(plan: "# Jürgen’s plan — µg 😀\nzinc 15mg daily at 08:00\niron bisglycinate 25mg daily with breakfast\n",
             title: "Take zinc at 09:30", fixed: "zinc 15mg daily at 09:30"),
        // Neither dose can move far enough within its window: the nearest other meal.
        Case(plan: "levothyroxine 75mcg daily on waking\nmagnesium glycinate 300mg daily with breakfast  # for sleep\n",
             title: "Move magnesium glycinate to lunch", fixed: "magnesium glycinate 300mg daily with lunch  # for sleep"),
        // `nightly` says when as well as how often: the time replaces it, and "daily" stays.
        Case(plan: "levothyroxine 75mcg daily at bedtime\nmagnesium glycinate 300mg nightly\n",
             title: "Move magnesium glycinate to dinner", fixed: "magnesium glycinate 300mg daily with dinner"),
        // One of several clock times changes; the others stay.
        Case(plan: "ciprofloxacin 500mg bid at 08:00 and 20:00\ncalcium carbonate 500mg daily with dinner\n",
             title: "Take the 20:00 dose of ciprofloxacin at 16:30", fixed: "ciprofloxacin 500mg bid at 08:00 and 16:30"),
        // An item with no timing clause gets one after its frequency.
        Case(plan: "iron bisglycinate 25mg daily at 08:00\nzinc 15mg daily, note \"with food\"\n",
             title: "Take iron bisglycinate at 09:30", fixed: "iron bisglycinate 25mg daily at 09:30"),
    ]

    @Test("the fix ends the breach", arguments: cases)
    func theFixEndsTheBreach(_ example: Case) throws {
        let path = "/plans/a.regimen"
        let before = analysis(path, example.plan)
        let actions = timingActions(before)
        let action = try #require(actions.first { $0.title == example.title }, "offered: \(actions.map(\.title))")
        let breach = try #require(before.findings.first { $0.timingFix != nil && $0.code == action.code })
        let text = apply(action.edits, to: example.plan)
        #expect(text.split(separator: "\n").contains { $0 == example.fixed }, "\(text)")
        let after = analysis(path, text)
        #expect(after.findings.filter { $0.severity == .error }.isEmpty, "\(after.findings.map(\.message))")
        #expect(!after.findings.contains { [.interactionSpacing, .relationNotKept].contains($0.code) && $0.subjects == breach.subjects },
                "\(after.findings.map(\.message))")
    }

    /// No edit when it could say more than the fix: an item written in a `define` (its body serves
    /// every `use`), and an item with two meals of which one would move.
    @Test func noEditThatWouldSayMoreThanTheFix() {
        let plans = [
            "define m(d = 200mg):\n  magnesium citrate d daily with breakfast\nlevothyroxine 75mcg daily on waking\nuse m(100mg)\n",
            "levothyroxine 75mcg daily on waking\nmagnesium glycinate 300mg with breakfast and dinner\n",
        ]
        for plan in plans {
            let analysis = analysis("/plans/a.regimen", plan)
            #expect(analysis.findings.contains { $0.timingFix != nil }, "the verifier proposes a move: \(plan)")
            #expect(timingActions(analysis).isEmpty, "\(plan)")
        }
    }

    /// Every plan of the corpus with a breach the server offers to fix: applied, the plan has no
    /// error it did not have, and one breach fewer between the two items.
    @Test func everyOfferedFixInTheCorpusEndsItsBreach() throws {
        var offered = 0
        for relative in FuzzCorpusTests.corpus {
            let path = FuzzCorpusTests.root + "/" + relative
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            guard text.utf8.count < 20_000 else { continue }
            let before = analysis(path, text)
            // Past the cap on breaches listed per rule, a fixed breach lets an unlisted one of the
            // same two items be listed: such a plan cannot show one breach fewer.
            guard !before.findings.contains(where: { $0.notes.contains { $0.hasSuffix("are listed per rule)") } }) else { continue }
            for action in timingActions(before) {
                offered += 1
                #expect(action.pair != nil, "\(relative): \(action.title) is for a breach")
                let after = analysis(path, apply(action.edits, to: text))
                let errors = { (a: Analysis) in a.findings.filter { $0.severity == .error }.count }
                #expect(errors(after) <= errors(before), "\(relative): \(action.title)")
                // The same two items may breach the rule at other doses, or with other items of the
                // same substances: what must go is one breach between these two items.
                let count = { (a: Analysis) in a.findings.filter { Self.pair($0, a) == action.pair }.count }
                #expect(count(after) < count(before), "\(relative): \(action.title)")
            }
        }
        #expect(offered >= 50, "the corpus has breaches to fix (75 when written)")
    }

    // MARK: Helpers

    struct Action {
        var title: String
        var edits: [(range: JSON, text: String)]
        var code: DiagnosticCode
        var subjects: [String]
        var pair: Pair?
    }

    /// A breach's rule and the lines of its two items (an edit changes no line count).
    struct Pair: Equatable {
        var code: DiagnosticCode
        var first: String
        var second: String
    }

    static func pair(_ finding: Diagnostic, _ analysis: Analysis) -> Pair? {
        guard let span = finding.span, let other = finding.related.first?.span else { return nil }
        let sources = analysis.compilation.sources
        func line(_ span: Span) -> String { "\(sources[span.file].name):\(sources[span.file].lineIndex(of: span.offset))" }
        return Pair(code: finding.code, first: line(span), second: line(other))
    }

    private func analysis(_ path: String, _ text: String) -> Analysis {
        Analysis.make(uri: FileURI.uri(of: path), path: path, version: 1, bytes: Array(text.utf8),
                      provider: WorkspaceSourceProvider(open: [path: Array(text.utf8)]), today: Self.today)
    }

    /// The server's actions that move a dose, each with the finding it fixes.
    private func timingActions(_ analysis: Analysis) -> [Action] {
        let whole = JSON.fields(("start", TextPosition(line: 0, character: 0).json), ("end", TextPosition(line: 100_000, character: 0).json))
        let actions = Features.codeActions(analysis, .fields(("range", whole))).array ?? []
        return actions.compactMap { action in
            guard let title = action["title"]?.string, title.hasPrefix("Take ") || title.hasPrefix("Move "),
                  let code = action["diagnostics"]?.array?.first?["code"]?.string.flatMap(DiagnosticCode.lookup),
                  let edits = action["edit"]?["changes"]?[analysis.uri]?.array else { return nil }
            let message = action["diagnostics"]?.array?.first?["message"]?.string
            // The LSP message is the finding's, with its hint and notes after it.
            let finding = analysis.findings.first { $0.code == code && message?.hasPrefix($0.message + "\n") == true }
            return Action(title: title, edits: edits.map { ($0["range"]!, $0["newText"]?.string ?? "") },
                          code: code, subjects: finding?.subjects ?? [], pair: finding.flatMap { Self.pair($0, analysis) })
        }
    }

    /// The text with LSP edits applied (from the last, so earlier ranges stay valid).
    private func apply(_ edits: [(range: JSON, text: String)], to text: String) -> String {
        let file = SourceFile(name: "", text: text)
        var bytes = Array(text.utf8)
        let spans = edits.map { edit in
            (file.offset(of: TextPosition(edit.range["start"])!), file.offset(of: TextPosition(edit.range["end"])!), edit.text)
        }
        for (from, to, new) in spans.sorted(by: { $0.0 > $1.0 }) { bytes.replaceSubrange(from..<to, with: Array(new.utf8)) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
