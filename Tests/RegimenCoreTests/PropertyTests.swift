import RegimenCore
import Testing
import TestSupport

/// Properties over generated input: the front end never crashes or hangs, and every diagnostic
/// points inside its file.
@Suite struct PropertyTests {
    static let vocabulary = ["patient", ":", "plan", "\"x\"", "magnesium", "glycinate", "300mg", "4h", "after", "levothyroxine",
                             "daily", "nightly", "with", "breakfast", ",", "if", "else", "let", "=", "(", ")", "+", "-", "*",
                             "patient.egfr", "<", "30", "define", "use", "rule", "when", "warn", "\"m\"", "at", "08:00",
                             "2026-12-01", "for", "7 days", "increase", "by", "every", "week", "to", "#", "\n", "\n  ", "\n    ",
                             "substance", "form", "60%", "interaction", "separate", "or", "and", "not", "include", "\"a.regimen\""]

    @Test(arguments: 0..<200)
    func tokenSoupNeverCrashes(_ seed: Int) {
        var random = SeededRandom(seed: UInt64(seed) &* 7919 &+ 3)
        var text = ""
        for _ in 0..<(5 + Int(random.next() % 60)) { text += random.pick(Self.vocabulary) + (random.next() % 3 == 0 ? "" : " ") }
        let result = compile(text, files: ["a.regimen": text])
        assertSpansInside(result)
        if !result.hasErrors {
            _ = Simulator.run(result, options: SimulationOptions(days: 3, arrange: true), today: testToday)
        }
    }

    @Test(arguments: 0..<100)
    func randomBytesNeverCrash(_ seed: Int) {
        var random = SeededRandom(seed: UInt64(seed) &+ 99)
        let bytes = (0..<(random.next() % 400)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let result = Frontend.compile(bytes: bytes, name: "plan.regimen", path: "plan.regimen",
                                      provider: MemorySourceProvider([:]), today: testToday)
        assertSpansInside(result)
        _ = DiagnosticRenderer().render(result.diagnostics, sources: result.sources)
    }

    private func assertSpansInside(_ result: Compilation) {
        for diagnostic in result.diagnostics {
            guard let span = diagnostic.span else { continue }
            let file = result.sources[span.file]
            #expect(span.offset >= 0 && span.end <= file.bytes.count + 1, "\(diagnostic.code.id) points outside its file")
        }
    }
}
