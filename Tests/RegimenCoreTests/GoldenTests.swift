import RegimenCore
import Testing
import TestSupport

/// Golden tests: every input's diagnostics and read-back must match its `.out` file.
@Suite struct GoldenTests {
    @Test("every example in examples/: its findings and read-back", arguments: GoldenCase.examples())
    func example(_ golden: GoldenCase) {
        assertGolden(checkOutput(for: golden.input) + "\n" + PlanReadback.of(golden.input), golden.expected)
    }

    @Test("every line of LANGUAGE.md", arguments: GoldenCase.all(in: "language"))
    func language(_ golden: GoldenCase) {
        assertGolden(goldenOutput(for: golden.input), golden.expected)
    }

    @Test("each diagnostic in the catalog", arguments: GoldenCase.all(in: "diagnostics"))
    func diagnostics(_ golden: GoldenCase) {
        assertGolden(goldenOutput(for: golden.input), golden.expected)
    }

    @Test("what the tool understood: doses, conversions and rounding read back", arguments: GoldenCase.all(in: "readback"))
    func readback(_ golden: GoldenCase) {
        assertGolden(goldenOutput(for: golden.input), golden.expected)
    }

    @Test("bad input gets a diagnostic, never a crash", arguments: GoldenCase.all(in: "bad-input"))
    func badInput(_ golden: GoldenCase) {
        assertGolden(goldenOutput(for: golden.input), golden.expected)
    }

    @Test("simulated schedules", arguments: GoldenCase.all(in: "simulate"))
    func simulate(_ golden: GoldenCase) {
        assertGolden(simulationOutput(for: golden.input), golden.expected)
    }

    @Test("clinical checks: each triggered, and a plan that must not trigger it", arguments: GoldenCase.all(in: "checks"))
    func checks(_ golden: GoldenCase) {
        assertGolden(checkOutput(for: golden.input), golden.expected)
    }

    @Test("inputs the fuzzer once broke, run through the whole pipeline", arguments: GoldenCase.all(in: "fuzz"))
    func fuzzRegressions(_ golden: GoldenCase) {
        assertGolden(checkOutput(for: golden.input) + "\n" + simulationOutput(for: golden.input), golden.expected)
    }

    @Test func examplesExist() {
        #expect(GoldenCase.examples().count >= 8)
    }
}
