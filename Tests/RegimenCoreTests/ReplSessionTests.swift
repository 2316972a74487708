import RegimenCore
import Testing
import TestSupport

/// Saves into memory, so `:save` can be tested without a file system.
final class SavedFiles: @unchecked Sendable {
    var files: [String: String] = [:]
}

@Suite struct ReplSessionTests {
    let saved = SavedFiles()

    private func session(files: [String: String] = [:]) -> ReplSession {
        let store = saved
        return ReplSession(today: testToday, provider: MemorySourceProvider(files), save: { path, text, overwrite in
            if store.files[path] != nil, !overwrite { return .exists }
            store.files[path] = text
            return .written
        }, listFiles: { prefix in ["plan.regimen", "plans/"].filter { $0.hasPrefix(prefix) } })
    }

    @Test func statementsAreReadBackAndKept() {
        var repl = session()
        let reply = repl.handle("magnesium glycinate 300mg nightly")
        #expect(reply.text.hasPrefix("+ magnesium glycinate 300 mg elemental magnesium"))
        #expect(repl.statements == ["magnesium glycinate 300mg nightly"])
    }

    @Test func anErrorIsShownAndTheStatementIsNotKept() {
        var repl = session()
        let reply = repl.handle("magnesium glycinat 300mg nightly")
        #expect(reply.text.contains("error[R202]"))
        #expect(reply.text.contains("did you mean `glycinate`?"))
        #expect(repl.statements.isEmpty)
    }

    /// A real name the knowledge base does not know is kept, marked, and hides nothing else.
    @Test func anUnknownNameIsKeptUnjudged() {
        var repl = session()
        _ = repl.handle("patient:")
        _ = repl.handle("  conditions myasthenia gravis")
        _ = repl.handle("")
        let reply = repl.handle("senna 15mg nightly")
        #expect(reply.text.contains("error[R201]"))
        #expect(reply.text.contains("NOT CHECKED"))
        #expect(repl.statements.last == "senna 15mg nightly")
        let next = repl.handle("magnesium oxide 400mg daily")
        #expect(next.text.contains("error[R802]"), "the finding after an unknown name is still shown")
        #expect(repl.handle(":check").text.contains("[R818]"))
    }

    /// `:plot FILE` draws through the picture the program gives, and never replaces a file without `!`.
    @Test func plotWritesThePictureItIsGiven() {
        var repl = session()
        repl.plot = { compilation, timeline in "<svg>\(compilation.plan.items.count) items, \(timeline.events.count) doses</svg>" }
        #expect(repl.handle(":plot week.svg").text.hasPrefix("nothing to plot"))
        _ = repl.handle("magnesium glycinate 300mg nightly")
        #expect(repl.handle(":plot week.svg").text.hasPrefix("drew"))
        #expect(saved.files["week.svg"] == "<svg>1 items, 7 doses</svg>")
        #expect(repl.handle(":plot week.svg").text.contains("exists"))
        #expect(repl.handle(":plot! week.svg").text.hasPrefix("drew"))
    }

    @Test func expressionsPrintTheirValueWithUnits() {
        var repl = session()
        #expect(repl.handle("5 mg/kg * 68kg").text == "340 mg")
        #expect(repl.handle("5 mg/kg * 14.583kg").text == "72.9 mg", "no false precision")
        _ = repl.handle("patient:")
        _ = repl.handle("  age 42")
        _ = repl.handle("")
        #expect(repl.handle("patient.age").text == "42")
        #expect(repl.handle("let dose = 2 * 150mg").text == "dose = 300 mg")
        #expect(repl.handle("dose + 4h").text.contains("error"), "a unit error in an expression is shown, not kept")
    }

    @Test func blocksContinueUntilAnEmptyLine() {
        var repl = session()
        #expect(repl.prompt == "regimen> ")
        #expect(repl.handle("plan \"sleep\":").text.isEmpty)
        #expect(repl.prompt == "     ... ")
        #expect(repl.handle("  magnesium glycinate 200mg nightly").text.isEmpty)
        let reply = repl.handle("")
        #expect(reply.text.contains("+ magnesium glycinate 200 mg"))
        #expect(repl.prompt == "regimen> ")
        #expect(repl.statements.count == 1)
    }

    @Test func aCommaContinuesOnTheNextLine() {
        var repl = session()
        _ = repl.handle("levothyroxine 75mcg daily on waking,")
        let reply = repl.handle("  30min before breakfast")
        #expect(reply.text.contains("at least 30 min before breakfast"))
    }

    @Test func errorsInsideABlockPointIntoIt() {
        var repl = session()
        _ = repl.handle("if true:")
        _ = repl.handle("  magnesum 100mg daily")
        let reply = repl.handle("")
        #expect(reply.text.contains("error[R201]"))
        #expect(reply.text.contains("magnesum 100mg daily"))
        #expect(repl.statements.isEmpty)
    }

    @Test func newFindingsAreShownOnce() {
        var repl = session()
        _ = repl.handle("levothyroxine 75mcg daily on waking")
        let first = repl.handle("calcium carbonate 500mg daily with breakfast")
        #expect(first.text.contains("warning[R702]"))
        let second = repl.handle("zinc 10mg daily with dinner")
        #expect(!second.text.contains("R702"), "an old finding is not repeated")
    }

    @Test func undoAndReset() {
        var repl = session()
        _ = repl.handle("zinc 10mg daily")
        _ = repl.handle("iron 30mg daily")
        #expect(repl.handle(":undo").text == "removed: iron 30mg daily")
        #expect(repl.statements == ["zinc 10mg daily"])
        #expect(repl.handle(":reset").text == "the session is empty")
        #expect(repl.statements.isEmpty)
        #expect(repl.handle(":undo").text == "nothing to undo")
    }

    @Test func checkSimulateArrangePlanExplain() {
        var repl = session()
        #expect(repl.handle(":simulate").text.hasPrefix("nothing to simulate yet"))
        _ = repl.handle("levothyroxine 75mcg daily on waking")
        _ = repl.handle("magnesium glycinate 300mg daily")
        #expect(repl.handle(":check").text.contains("warning[R702]"))
        let simulated = repl.handle(":simulate 2")
        #expect(simulated.text.contains("Schedule 2026-11-22 to 2026-11-23 (2 days)"))
        let arranged = repl.handle(":arrange 1")
        #expect(arranged.text.contains("moved from 07:30"))
        #expect(repl.handle(":simulate soon").text.contains("takes a number of days"))
        #expect(repl.handle(":plan").text == "levothyroxine 75mcg daily on waking\nmagnesium glycinate 300mg daily")
        #expect(repl.handle(":explain magnesium").text.hasPrefix("magnesium (nutrient)"))
        #expect(repl.handle(":explain R201").text.hasPrefix("R201 unknown-substance"))
        #expect(repl.handle(":help").text.contains(":arrange [DAYS]"))
    }

    @Test func loadAndSave() {
        var repl = session(files: ["plan.regimen": "zinc 10mg daily\n", "bad.regimen": "zinc 10mg dail\n"])
        #expect(repl.handle(":load plan.regimen").text == "loaded plan.regimen: 1 item(s)")
        #expect(repl.handle(":load bad.regimen").text.contains("not loaded: bad.regimen has errors"))
        #expect(repl.handle(":load missing.regimen").text == "cannot read missing.regimen: no such file")
        #expect(repl.handle(":save out.regimen").text == "saved 1 statement(s) to out.regimen")
        #expect(saved.files["out.regimen"] == "zinc 10mg daily\n")
        #expect(repl.handle(":save out.regimen").text.contains("exists; use :save! out.regimen"))
        #expect(repl.handle(":save! out.regimen").text.hasPrefix("saved"))
    }

    @Test func quitAndUnknownCommands() {
        var repl = session()
        #expect(repl.handle(":quit").quit)
        #expect(repl.handle(":chek").text == "unknown command :chek; did you mean :check?")
    }

    @Test func interruptAbandonsTheBlock() {
        var repl = session()
        _ = repl.handle("plan \"x\":")
        repl.interrupt()
        #expect(repl.prompt == "regimen> ")
        #expect(repl.pending.isEmpty)
    }

    @Test func completionCandidates() {
        var repl = session()
        #expect(repl.completions(for: ":ch") == [":check"])
        #expect(repl.completions(for: ":load pl") == ["plan.regimen", "plans/"])
        #expect(repl.completions(for: "magnesium glyc") == ["glycerophosphate", "glycinate"])
        #expect(repl.completions(for: "magnes").contains("magnesium"))
        #expect(repl.completions(for: "pat") == ["patient"])
        #expect(repl.completions(for: "patient.eg") == ["patient.egfr"])
        #expect(repl.completions(for: "  conditions myasth") == ["myasthenia"])
        #expect(repl.completions(for: "zinc 15mg nigh") == ["nightly"])
        #expect(repl.completions(for: "vitamin d").contains("d3"))
        // The knowledge base's names: drugs, products, conditions and laboratory results.
        #expect(repl.completions(for: "dolutegr") == ["dolutegravir", "dolutegravir-rilpivirine"])
        #expect(repl.completions(for: "hydroxychl") == ["hydroxychloroquine"])
        #expect(repl.completions(for: "generic prenatal ") == ["multivitamin"])
        #expect(repl.completions(for: "  conditions guillain-") == ["guillain-barre", "guillain-barré"])
        #expect(repl.completions(for: "  labs magnesium 0.62 mmol/L on 2026-11-20, potas") == ["potassium"])
        #expect(repl.completions(for: "  labs vitamin b") == ["b12"])
        #expect(repl.completions(for: "  labs potassium 5") == [], "a value follows the name")
        #expect(repl.completions(for: "when patient has ts") == ["tsh"])
        #expect(repl.completions(for: "patient.lab.pot") == ["patient.lab.potassium"])
        #expect(repl.completions(for: "patient.la") == ["patient.lab"])
        _ = repl.handle("product \"Calm Night\": magnesium glycinate 120mg per capsule")
        #expect(repl.completions(for: "calm n") == ["night"], "the session's own definitions complete too")
    }
}
