import Foundation
import RegimenCore
import Testing
import TestSupport

@Suite struct FormatterTests {
    /// Every example and every golden input without syntax errors.
    static let inputs: [String] = (GoldenCase.examples() + GoldenCase.all(in: "language") + GoldenCase.all(in: "simulate")
        + GoldenCase.all(in: "checks") + GoldenCase.all(in: "readback")).map(\.input)

    private func tokens(_ text: String) -> [String] {
        Lexer.tokenize(SourceFile(name: "t", text: text), id: FileID(0)).tokens.map { "\($0.kind)|\($0.value)" }
    }

    private func format(_ text: String) -> String? {
        guard case .success(let formatted) = Formatter.format(Array(text.utf8)) else { return nil }
        return formatted
    }

    @Test("formatting is idempotent and keeps the syntax tree", arguments: inputs)
    func idempotentAndMeaningPreserving(_ path: String) throws {
        let text = try String(contentsOfFile: packageRoot + "/" + path, encoding: .utf8)
        let once = try #require(format(text), "\(path) did not format")
        #expect(format(once) == once, "formatting \(path) twice changes it again")
        #expect(tokens(once) == tokens(text), "formatting \(path) changed its tokens")
    }

    @Test(arguments: 0..<40)
    func generatedPlans(_ seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &+ 1000)
        // Messy spacing on purpose: the formatter must tidy it and change nothing else.
        let text = GeneratedPlan.make(&random).replacingOccurrences(of: ", ", with: " ,  ").replacingOccurrences(of: "mg ", with: " mg  ")
        let once = try #require(format(text))
        #expect(format(once) == once)
        #expect(tokens(once) == tokens(text))
    }

    /// A form in parentheses stands a space from its name; a call (`round(x)`, `use thyroid(75mcg)`) does not.
    @Test func parenthesesAfterANameOrACall() throws {
        let text = "iron(ferrous sulfate) 325mg salt daily\nzinc round (10.4mg) daily\nuse thyroid (75mcg)\n"
        #expect(format(text) == "iron (ferrous sulfate) 325mg salt daily\nzinc round(10.4mg) daily\nuse thyroid(75mcg)\n")
    }

    /// The new vocabulary's canonical layout: a cycle's ranges and length as one word each, a dose
    /// per kg and per day as one unit, a day line with its colon against the days.
    /// `ckd stage 3a` names a condition: the stage stays one word (it once became `ckd stage 3 a`,
    /// which no condition is called), and the words around it still get single spaces.
    @Test func stageDesignatorStaysOneWord() throws {
        let text = "patient:\n  conditions ckd stage 3a,   ckd  stage 3b\n"
        let once = try #require(format(text))
        #expect(once == "patient:\n  conditions ckd stage 3a, ckd stage 3b\n")
        #expect(format(once) == once)
        #expect(tokens(once) == tokens(text))
    }

    @Test func vocabularyLayout() throws {
        let text = "patient:\n  on weekends :wake 09:00,breakfast 09:30\nplan \"x\":\n"
            + "  capecitabine 1000mg bid on days 1 - 14 of each 21 - day cycle ,for 6 cycles\n"
            + "  ibuprofen 30 mg/kg / day divided every 8h\n"
        #expect(format(text) == "patient:\n  on weekends: wake 09:00, breakfast 09:30\nplan \"x\":\n"
            + "  capecitabine 1000mg bid on days 1-14 of each 21-day cycle, for 6 cycles\n"
            + "  ibuprofen 30 mg/kg/day divided every 8h\n")
    }

    @Test func canonicalSpellings() throws {
        let text = "zinc  15 mg   daily ,with lunch #  noon\nlet x=(1+2)*-3\nvitamin d3 2000iu daily for 1 weeks\nlet y = patient . age\n"
        #expect(format(text) == "zinc 15mg daily, with lunch  #  noon\nlet x = (1 + 2) * -3\nvitamin d3 2000 IU daily for 1 week\nlet y = patient.age\n")
    }

    @Test func blocksAndContinuationsAreIndented() throws {
        let text = "plan \"x\":\n      zinc 15mg daily,\n  with lunch\n\n\n\n      iron 30mg daily\n"
        #expect(format(text) == "plan \"x\":\n  zinc 15mg daily,\n      with lunch\n\n  iron 30mg daily\n")
    }

    @Test func syntaxErrorsStopFormatting() {
        guard case .failure(let error) = Formatter.format(Array("plan \"x\":\nzinc 15mg daily\n".utf8)) else {
            Issue.record("a file with a syntax error was formatted")
            return
        }
        #expect(error.diagnostics.map(\.code.id) == ["R107"])
    }
}
