import RegimenCore
import Testing
import TestSupport

@Suite struct EvaluatorTests {
    @Test func includeIsRelativeToTheIncludingFile() {
        let result = compile("include \"clinic/a.regimen\"\n", files: [
            "clinic/a.regimen": "include \"b.regimen\"\n",
            "clinic/b.regimen": "zinc 15mg daily\n",
        ])
        #expect(result.diagnostics.isEmpty)
        #expect(result.plan.items.map(\.substance) == ["zinc"])
    }

    @Test func includeOutsideThePlanFolderIsRefused() {
        let result = compile("include \"../secret.regimen\"\n", files: ["../secret.regimen": "zinc 15mg daily\n"])
        #expect(codes(result) == ["R502"])
        #expect(result.plan.items.isEmpty)
    }

    @Test func includeCycleNamesTheChain() {
        let result = compile("include \"a.regimen\"\n", files: ["a.regimen": "include \"plan.regimen\"\n"])
        #expect(codes(result) == ["R503"])
        #expect(result.diagnostics[0].message.contains("plan.regimen → a.regimen → plan.regimen"))
    }

    @Test func defineUseWithDefaultsAndNamedArguments() {
        let result = compile("""
        define calm(dose = 200mg, time = 21:00):
          magnesium glycinate dose at time
        use calm()
        use calm(150mg)
        use calm(time = 22:00)

        """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.plan.items.map(\.dose.description) == ["200 mg", "150 mg", "200 mg"])
        #expect(result.plan.items.map(\.schedule.slots) == [[.clock(ClockTime(21, 0))], [.clock(ClockTime(21, 0))], [.clock(ClockTime(22, 0))]])
    }

    @Test func ifTakesOneBranchButChecksBoth() {
        let result = compile("""
        patient:
          egfr 25
        if patient.egfr < 30:
          magnesium glycinate 100mg nightly
        else:
          magnesum glycinate 300mg nightly

        """)
        #expect(result.plan.items.map(\.dose.description) == ["100 mg"])
        #expect(codes(result) == ["R201"], "the misspelling in the branch not taken is still found")
    }

    @Test func patientFactsAndDefaults() {
        let result = compile("patient:\n  sex female\n  born 1984-11-23\n  conditions MS, hashimoto's thyroiditis\n  wake 06:30\n")
        let patient = result.plan.patient
        #expect(result.diagnostics.isEmpty)
        #expect(patient.sex == .female)
        #expect(Int(patient.age!) == 41)
        #expect(patient.conditions == ["multiple sclerosis", "hashimoto thyroiditis"])
        #expect(patient.anchors[.wake] == ClockTime(6, 30))
        #expect(patient.anchors[.bed] == ClockTime(22, 30))
    }

    @Test func universalMedicationScheduleDefaults() {
        let result = compile("zinc 1mg daily\nzinc 1mg bid\nzinc 1mg tid\nzinc 1mg qid\nzinc 1mg nightly\n")
        let slots = result.plan.items.map { $0.schedule.slots.map { slot -> String in
            if case .anchor(let anchor, _) = slot { return anchor.rawValue }
            return "clock"
        } }
        #expect(slots == [["breakfast"], ["breakfast", "dinner"], ["breakfast", "lunch", "dinner"],
                          ["breakfast", "lunch", "dinner", "bed"], ["bed"]])
    }

    @Test func relationsAndCourses() {
        let result = compile("""
        levothyroxine 75mcg daily on waking
        magnesium citrate 150mg daily, 2h before ciprofloxacin or 6h after ciprofloxacin
        ciprofloxacin 500mg every 12h for 7 days starting day 10

        """)
        #expect(result.diagnostics.isEmpty)
        let relation = result.plan.items[1].relations[0]
        #expect(relation.alternatives.map(\.minutes) == [120, 360])
        #expect(relation.alternatives.map(\.direction) == [.before, .after])
        let cipro = result.plan.items[2]
        #expect(cipro.schedule.frequency == .everyMinutes(720))
        #expect(cipro.course.durationDays == 7 && cipro.course.startDay == 10)
    }

    @Test func titrationSteps() {
        let item = compile("magnesium glycinate from 100mg nightly, increase by 100mg every week to 400mg\n").plan.items[0]
        #expect(item.titration?.intervalDays == 7)
        #expect(item.titration!.steps(from: item.dose).map(\.description) == ["100 mg", "200 mg", "300 mg", "400 mg"])
    }

    @Test func productsDefinedInThePlan() {
        let result = compile("product \"Calm Night\": magnesium glycinate 120mg per capsule\n\"Calm Night\" 2 capsules nightly\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.plan.items[0].activeMilligrams == 240)
    }
}

/// Each limit, hit on purpose, gives its diagnostic rather than a crash or a hang.
@Suite struct LimitsTests {
    @Test func fileTooLarge() {
        var limits = Limits()
        limits.maxFileBytes = 100
        let result = compile("include \"big.regimen\"\n", files: ["big.regimen": String(repeating: "zinc 15mg daily\n", count: 20)], limits: limits)
        #expect(codes(result) == ["R601"])
        let top = Frontend.compile(path: "big.regimen", provider: MemorySourceProvider(["big.regimen": String(repeating: "x", count: 200)]),
                                   today: testToday, limits: limits)
        guard case .failure(let error) = top else { Issue.record("a too-large file was read"); return }
        #expect(error.reason.contains("limit is 100"))
    }

    @Test func tenMegabyteLineIsSkipped() {
        let result = compile("zinc 15mg daily, note \"" + String(repeating: "a", count: 10_000_000) + "\"\niron 65mg daily\n")
        #expect(codes(result) == ["R602"])
        #expect(result.plan.items.map(\.substance) == ["iron"])
    }

    @Test func deeplyNestedBlocks() {
        let depth = 3000
        var text = ""
        for level in 0..<depth { text += String(repeating: " ", count: level) + "if true:\n" }
        text += String(repeating: " ", count: depth) + "zinc 15mg daily\n"
        var limits = Limits()
        limits.maxFileBytes = 64 * 1024 * 1024
        let result = compile(text, limits: limits)
        #expect(codes(result).contains("R603"))
        #expect(result.diagnostics.count <= 3)
    }

    @Test func includeDepth() {
        var files: [String: String] = [:]
        for i in 0..<20 { files["f\(i).regimen"] = "include \"f\(i + 1).regimen\"\n" }
        files["f20.regimen"] = "zinc 15mg daily\n"
        #expect(codes(compile("include \"f0.regimen\"\n", files: files)) == ["R604"])
    }

    @Test func evaluationSteps() {
        var limits = Limits()
        limits.maxEvaluationSteps = 50
        let text = String(repeating: "let x = 1 + 2 + 3 + 4\n", count: 40)
        #expect(codes(compile(text, limits: limits)) == ["R605"])
    }

    @Test func useRecursion() {
        #expect(codes(compile("define a:\n  use a\nuse a\n")) == ["R605"])
    }

    /// Found by the fuzzer: a define that uses itself twice branches 2³² ways unless stopped at once.
    @Test func branchingRecursionStopsAtOnce() {
        let result = compile("define a:\n  use a\n  use a\n  zinc 1mg daily\nuse a\nuse a\n")
        #expect(codes(result) == ["R605"])
        #expect(result.plan.items.count < 100)
    }
}
