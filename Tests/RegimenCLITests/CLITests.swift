import Foundation
import TestSupport
import Testing

/// The built `regimen` binary, beside the test bundle in the build folder.
private let binary: URL = {
    var folder = Bundle.main.bundleURL
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("regimen").path), folder.path != "/" {
        folder.deleteLastPathComponent()
    }
    return folder.appendingPathComponent("regimen")
}()

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `regimen` with arguments in the package root, optionally feeding standard input.
private func regimen(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> Run {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe(), stdin = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
               stderr: String(decoding: stderrData, as: UTF8.self))
}

@Suite struct CLITests {
    @Test func cleanPlanExitsZero() throws {
        let run = try regimen(["check", "examples/ms-hashimoto.regimen"])
        #expect(run.status == 0)
        #expect(run.stdout.hasSuffix("no errors, no warnings, 1 note\n"))
        #expect(run.stdout.contains("note[R814]"), "the MS combination note from the sources")
    }

    @Test func errorsExitOne() throws {
        let run = try regimen(["check", "Tests/RegimenCoreTests/Golden/diagnostics/R202-unknown-form.regimen"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("error[R202]"))
        #expect(run.stdout.contains("did you mean `glycinate`?"))
        #expect(!run.stdout.contains("\u{1B}["), "no colour when output is not a terminal")
    }

    @Test func unreadableFileExitsTwo() throws {
        let run = try regimen(["check", "no/such/plan.regimen"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot read no/such/plan.regimen: no such file"))
    }

    @Test func usageErrorExitsTwo() throws {
        #expect(try regimen(["check"]).status == 2)
        #expect(try regimen(["check", "--format", "xml", "examples/ms-hashimoto.regimen"]).status == 2)
        #expect(try regimen(["frobnicate"]).status == 2)
    }

    @Test func jsonFormat() throws {
        let run = try regimen(["check", "--format", "json", "Tests/RegimenCoreTests/Golden/diagnostics/R202-unknown-form.regimen"])
        #expect(run.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        let first = try #require(diagnostics.first)
        #expect(first["code"] as? String == "R202")
        #expect(first["severity"] as? String == "error")
        #expect(first["category"] as? String == "name")
        #expect(first["line"] as? Int == 1)
        #expect(first["column"] as? Int == 11)
        #expect(first["subjects"] as? [String] == ["magnesium"])
        #expect(first["hint"] as? String == "did you mean `glycinate`?")
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["errors": 1, "warnings": 1, "notes": 0], "the warning says what was not checked")
    }

    @Test func standardInput() throws {
        let run = try regimen(["check", "-"], input: "magnesium glycinat 300mg nightly\n")
        #expect(run.status == 1)
        #expect(run.stdout.contains("--> -:1:11"))
        #expect(try regimen(["check", "-"], input: "zinc 15mg daily\n").status == 0)
    }

    @Test func showReadsThePlanBack() throws {
        let run = try regimen(["show", "examples/ms-hashimoto.regimen"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("magnesium glycinate 300 mg elemental magnesium (≈2128 mg as glycinate) oral, daily, at bedtime (22:30)"))
    }

    @Test func explain() throws {
        let code = try regimen(["explain", "R201"])
        #expect(code.status == 0 && code.stdout.hasPrefix("R201 unknown-substance (name, error)"))
        let magnesium = try regimen(["explain", "magnesium"])
        #expect(magnesium.stdout.contains("oxide: elemental 60.3%"))
        #expect(magnesium.stdout.contains("[Cipro prescribing information]"))
        #expect(try regimen(["explain", "unobtainium"]).status == 2)
        let form = try regimen(["explain", "magnesium", "oxide"])
        #expect(form.stdout.contains("elemental magnesium: 60.3% of the compound's weight"))
        let condition = try regimen(["explain", "ckd"])
        #expect(condition.stdout.contains("when patient.egfr < 30, major"))
    }

    /// `explain --list KIND`: each name the knowledge base knows, and every one of them explains.
    @Test func explainLists() throws {
        let drugs = try regimen(["explain", "--list", "drugs"])
        #expect(drugs.status == 0)
        // A name a line (with its aliases after a colon), then a blank line and the count.
        let lines = drugs.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast(3)
        let names = lines.filter { !$0.hasPrefix(" ") }.map { String($0.split(separator: ":")[0]) }
        #expect(names.contains("levothyroxine") && names.contains("warfarin"))
        #expect(drugs.stdout.hasSuffix("\n\n\(names.count) drugs\n"), "the count line counts the names")
        for name in stride(from: 0, to: names.count, by: 25).map({ names[$0] }) {
            #expect(try regimen(["explain", name]).status == 0, "\(name) is listed but does not explain")
        }
        let nutrients = try regimen(["explain", "--list", "nutrients"])
        #expect(nutrients.stdout.contains("\n  forms: ") && nutrients.stdout.contains("\nmagnesium"))
        #expect(try regimen(["explain", "--list", "conditions"]).stdout.contains("myasthenia gravis"))
        #expect(try regimen(["explain", "--list", "codes"]).stdout.contains("R305 unstated-dose-basis (warning)"))
        #expect(try regimen(["explain", "--list", "bogus"]).status == 2)
        #expect(try regimen(["explain", "--list", "drugs", "zinc"]).status == 2)
    }

    /// Examples a clinician must be stopped on exit 1; the others have at most warnings.
    @Test func everyExampleExitsAsExpected() throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/examples").filter { $0.hasSuffix(".regimen") }
        let withErrors: Set = ["myasthenia-gravis.regimen", "ckd-egfr25.regimen"]
        #expect(examples.count >= 8)
        for example in examples {
            #expect(try regimen(["check", "examples/" + example]).status == (withErrors.contains(example) ? 1 : 0), "\(example)")
        }
    }
}

@Suite struct SimulateCLITests {
    @Test func tableByDefault() throws {
        let run = try regimen(["simulate", "examples/ms-hashimoto.regimen", "--days", "3"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Schedule 2026-12-01 to 2026-12-03 (3 days), time zone Europe/Berlin"))
        #expect(run.stdout.contains("22:30  magnesium glycinate"))
        #expect(run.stdout.contains("(days 2–3): same as day 1"))
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let run = try regimen(["simulate", "examples/cipro-course.regimen", "--format", "json", "--start", "2026-12-10", "--days", "2"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["start"] as? String == "2026-12-10")
        #expect(object["end"] as? String == "2026-12-11")
        #expect(object["timezone"] as? String == "Europe/Berlin")
        let events = try #require(object["events"] as? [[String: Any]])
        let cipro = try #require(events.first { $0["substance"] as? String == "ciprofloxacin" })
        #expect(cipro["time"] as? String == "08:00")
        #expect((cipro["dose"] as? [String: Any])?["unit"] as? String == "mg")
        #expect(cipro["moved"] as? Bool == false)
        #expect(cipro["line"] as? Int == 14)
        let magnesium = try #require(events.first { $0["substance"] as? String == "magnesium" })
        #expect(magnesium["elemental_mg"] as? Double == 300)
        let totals = try #require(object["totals"] as? [[String: Any]])
        #expect(totals.contains { ($0["limit"] as? [String: Any])?["value"] as? Double == 350 })
        #expect(object["diagnostics"] is [Any])
    }

    @Test func csvAndICalendar() throws {
        let csv = try regimen(["simulate", "examples/ms-hashimoto.regimen", "--days", "1", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("date,time,name,substance,form,dose,unit,elemental_mg,route,moved,reason,line,instruction,note,product,ingredient,ingredients\r\n"))
        #expect(csv.stdout.contains("Take magnesium at least 4 hours after levothyroxine."), "the item's rules in plain words")
        let ics = try regimen(["simulate", "examples/ms-hashimoto.regimen", "--days", "7", "--format", "ics"],
                              environment: ["SOURCE_DATE_EPOCH": "1764547200"])
        #expect(ics.stdout.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(ics.stdout.contains("RRULE:FREQ=DAILY;INTERVAL=1;COUNT=7"))
        #expect(ics.stdout.contains("DTSTAMP:20251201T000000Z\r\n"), "SOURCE_DATE_EPOCH fixes the stamp")
        #expect(ics.stdout.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\n"))
        #expect(ics.stdout.contains("TRIGGER:PT0S\r\n"), "at the dose time by default")
        #expect(ics.stdout.hasSuffix("END:VCALENDAR\r\n"))
        let reminded = try regimen(["simulate", "examples/ms-hashimoto.regimen", "--days", "7", "--format", "ics", "--remind", "10min"])
        #expect(reminded.stdout.contains("TRIGGER:-PT10M\r\n"))
        #expect(!reminded.stdout.contains("DTSTAMP:20251201T000000Z"), "without SOURCE_DATE_EPOCH the stamp is the clock's")
        #expect(try regimen(["simulate", "examples/ms-hashimoto.regimen", "--format", "ics", "--remind", "soon"]).status == 2)
    }

    @Test func svgFormat() throws {
        let run = try regimen(["simulate", "examples/ms-hashimoto.regimen", "--format", "svg"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(run.stdout.components(separatedBy: "class=\"dose\"").count - 1 == 28, "4 doses a day for a week")
        #expect(run.stdout.components(separatedBy: "class=\"limit\"").count - 1 == 3, "calcium, magnesium and vitamin D")
    }

    /// The page's language comes from a message catalog; a language with no catalog is a usage error.
    @Test func handoutLanguage() throws {
        let english = try regimen(["handout", "examples/ms-hashimoto.regimen", "--lang", "en"], environment: ["SOURCE_DATE_EPOCH": "1764547200"])
        #expect(english.stdout.contains("<html lang=\"en\""))
        #expect(try regimen(["handout", "examples/ms-hashimoto.regimen", "--lang", "xx"]).status == 2)
    }

    @Test func handoutExitsAsCheck() throws {
        for plan in ["examples/ms-hashimoto.regimen", "examples/myasthenia-gravis.regimen", "Tests/RegimenCoreTests/Golden/diagnostics/R202-unknown-form.regimen"] {
            let check = try regimen(["check", plan])
            let handout = try regimen(["handout", plan], environment: ["SOURCE_DATE_EPOCH": "1764547200"])
            #expect(handout.status == check.status, "\(plan)")
            #expect(handout.stdout.hasPrefix("<!DOCTYPE html>"), "\(plan)")
            #expect(handout.stdout.contains("Prepared on Monday 1 December 2025"), "SOURCE_DATE_EPOCH fixes the date")
            #expect(handout.stdout.contains("Check this plan with your clinician") == (check.status == 1), "\(plan)")
            #expect(handout.stderr.contains("error[") == (check.status == 1), "errors on standard error: \(plan)")
            #expect(!handout.stdout.contains("<script"), "no script")
            #expect(!handout.stdout.contains("http://") || !handout.stdout.contains("src=\"http"), "nothing fetched")
        }
        let pdf = try regimen(["handout", "examples/ms-hashimoto.regimen", "--format", "pdf"])
        #expect(pdf.status == 2 && pdf.stderr.contains("--format pdf needs -o OUT.pdf"))
        let noBrowser = try regimen(["handout", "examples/ms-hashimoto.regimen", "--format", "pdf", "-o", "/tmp/regimen-cli-test.pdf"],
                                    environment: ["PATH": "/nonexistent"])
        #expect(noBrowser.status == 2 && noBrowser.stderr.contains("apt-get install chromium"))
    }

    @Test func arrangeMovesDosesAndSaysWhy() throws {
        let run = try regimen(["simulate", "Tests/RegimenCoreTests/Golden/simulate/arrange-success.regimen", "--arrange", "--days", "1"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("moved from 07:30"))
    }

    @Test func brokenRulesExitOne() throws {
        let run = try regimen(["simulate", "Tests/RegimenCoreTests/Golden/simulate/violations.regimen", "--days", "1"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error[R701]"), "findings go to standard error")
        #expect(!run.stdout.contains("error["), "the schedule on standard output is data alone")
    }

    @Test func planWithAnUnreadableLineIsNotSimulated() throws {
        let run = try regimen(["simulate", "-"], input: "zinc 15mg daily, twice daily\n")
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("nothing was simulated"))
        #expect(run.stderr.contains("[R818]"))
    }

    /// An unknown name is an error, but the rest is still simulated and exported, each with check's exit status.
    @Test func unknownNameIsSimulatedAndExportedWithExitOne() throws {
        let plan = "magnesium glycinate 300mg nightly\nsenna 15mg nightly\n"
        for format in ["table", "json", "csv", "ics"] {
            let run = try regimen(["simulate", "-", "--days", "2", "--format", format], input: plan)
            #expect(run.status == 1, "\(format)")
            #expect(run.stderr.contains("`senna` is not a substance"), "\(format)")
            #expect(run.stdout.contains("senna"), "\(format): the unknown item is in the schedule")
        }
        let export = try regimen(["export", "--fhir", "-"], input: plan)
        #expect(export.status == 1)
        #expect(export.stderr.contains("`senna`"))
        #expect(export.stdout.contains("\"DetectedIssue\""))
    }

    /// A plan with an error-level finding is still exported (a clinician may need it), but marked, and exits 1.
    @Test func exportOfAContraindicatedPlanIsMarked() throws {
        let run = try regimen(["export", "--fhir", "examples/myasthenia-gravis.regimen"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error[R802]"))
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let resources = (bundle["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
        let issues = resources.filter { $0["resourceType"] as? String == "DetectedIssue" }
        #expect(issues.contains { $0["severity"] as? String == "high" && ($0["detail"] as? String ?? "").contains("myasthenia gravis") })
        #expect(issues.allSatisfy { ($0["implicated"] as? [Any])?.isEmpty == false || $0["implicated"] == nil })
        let ics = try regimen(["simulate", "examples/myasthenia-gravis.regimen", "--days", "1", "--format", "ics"])
        #expect(ics.status == 1)
        #expect(ics.stdout.contains("DESCRIPTION:check this plan: "))
    }

    @Test func badOptionsExitTwo() throws {
        #expect(try regimen(["simulate", "examples/ms-hashimoto.regimen", "--days", "0"]).status == 2)
        #expect(try regimen(["simulate", "examples/ms-hashimoto.regimen", "--start", "2026-13-01"]).status == 2)
        #expect(try regimen(["simulate", "examples/ms-hashimoto.regimen", "--format", "pdf"]).status == 2)
    }
}

@Suite struct FormatCLITests {
    private func temporaryFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "regimen-fmt-\(UUID().uuidString).regimen"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func checkAndWrite() throws {
        let path = try temporaryFile("zinc  15 mg daily\n")
        #expect(try regimen(["fmt", "--check", path]).status == 1)
        #expect(try regimen(["fmt", path]).stdout == "zinc 15mg daily\n")
        #expect(try regimen(["fmt", "--write", path]).status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "zinc 15mg daily\n")
        #expect(try regimen(["fmt", "--check", path]).status == 0)
    }

    @Test func writeLeavesAFileWithAnErrorUntouched() throws {
        let original = "plan \"x\":\nzinc  15 mg daily\n"
        let path = try temporaryFile(original)
        let run = try regimen(["fmt", "--write", path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error[R107]"))
        #expect(run.stderr.contains("was not formatted: it has syntax errors"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(original.utf8), "byte for byte unchanged")
    }

    @Test func theExamplesAreInCanonicalLayout() throws {
        let examples = try FileManager.default.subpathsOfDirectory(atPath: packageRoot + "/examples").filter { $0.hasSuffix(".regimen") }
        #expect(try regimen(["fmt", "--check"] + examples.map { "examples/" + $0 }).status == 0)
    }
}

@Suite struct InterchangeCLITests {
    @Test func exportAndImport() throws {
        let export = try regimen(["export", "--fhir", "examples/ms-hashimoto.regimen"])
        #expect(export.status == 0)
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect(bundle["resourceType"] as? String == "Bundle")
        let path = NSTemporaryDirectory() + "regimen-bundle-\(UUID().uuidString).json"
        try Data(export.stdout.utf8).write(to: URL(fileURLWithPath: path))
        let imported = try regimen(["import", "--fhir", path])
        #expect(imported.status == 0)
        #expect(imported.stdout.contains("levothyroxine 75mcg daily, on waking"))
        #expect(try regimen(["check", "-"], input: imported.stdout).status == 0)
        #expect(try regimen(["export", "examples/ms-hashimoto.regimen"]).status == 2, "the format must be named")
        #expect(try regimen(["import", "--fhir", "examples/ms-hashimoto.regimen"]).status == 1, "a plan file is not a Bundle")
    }
}

@Suite struct ArgumentsCLITests {
    @Test func optionSpellings() throws {
        let attached = try regimen(["check", "--format=json", "examples/ms-hashimoto.regimen"])
        #expect(attached.status == 0 && attached.stdout.hasPrefix("{\n  \"diagnostics\": ["))
        let path = NSTemporaryDirectory() + "regimen-export-\(UUID().uuidString).json"
        #expect(try regimen(["export", "--fhir", "-o", path, "examples/ms-hashimoto.regimen"]).stdout.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"resourceType\": \"Bundle\""))
    }

    @Test func doubleDashEndsOptions() throws {
        let run = try regimen(["check", "--", "--not-an-option"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot read --not-an-option: no such file"))
    }

    @Test func usageErrorsSayWhatIsWrongAndTheUsage() throws {
        let unknown = try regimen(["check", "--colour", "examples/ms-hashimoto.regimen"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error: unknown option `--colour`\nusage: regimen check <files>... [--format <format>]\n"))
        let twice = try regimen(["simulate", "examples/ms-hashimoto.regimen", "--days", "2", "--days", "3"])
        #expect(twice.status == 2 && twice.stderr.hasPrefix("error: --days is given twice"))
        let notANumber = try regimen(["simulate", "examples/ms-hashimoto.regimen", "--days", "week"])
        #expect(notANumber.status == 2 && notANumber.stderr.hasPrefix("error: --days must be a whole number, not `week`"))
        let missingValue = try regimen(["simulate", "examples/ms-hashimoto.regimen", "--days"])
        #expect(missingValue.status == 2 && missingValue.stderr.hasPrefix("error: --days needs a value"))
        let extra = try regimen(["show", "examples/ms-hashimoto.regimen", "examples/cipro-course.regimen"])
        #expect(extra.status == 2 && extra.stderr.hasPrefix("error: unexpected argument `examples/cipro-course.regimen`"))
        let flagValue = try regimen(["simulate", "examples/ms-hashimoto.regimen", "--arrange=yes"])
        #expect(flagValue.status == 2 && flagValue.stderr.hasPrefix("error: --arrange takes no value"))
    }

    @Test func help() throws {
        let overview = try regimen(["--help"])
        #expect(overview.status == 0)
        #expect(overview.stdout.contains("\n  simulate                Expand a plan into a dated schedule"))
        let command = try regimen(["help", "simulate"])
        #expect(command.status == 0)
        #expect(command.stdout.contains("USAGE: regimen simulate <file> [--days <days>] [--start <date>] [--arrange] [--format <format>] [--remind <before>]"))
        #expect(command.stdout.contains("Output format; svg draws the first week and the daily\n"))
        #expect(try regimen(["simulate", "--help"]).stdout == command.stdout)
        #expect(try regimen(["help", "frobnicate"]).status == 2)
        // Not a terminal: plain `regimen` prints the overview rather than starting the REPL.
        #expect(try regimen([]).stdout == overview.stdout)
    }

    @Test func aFolderIsNotAPlan() throws {
        let run = try regimen(["show", "examples"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot read examples: it is a folder, not a file"))
    }

    @Test func writingKeepsTheFilePermissions() throws {
        let path = NSTemporaryDirectory() + "regimen-mode-\(UUID().uuidString).regimen"
        try Data("zinc  15 mg daily\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try regimen(["fmt", "--write", path]).status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "zinc 15mg daily\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        let folder = (path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasPrefix(".regimen-mode-") },
                "no temporary file left behind")
    }

    @Test func aFileThatCannotBeWrittenExitsTwo() throws {
        let run = try regimen(["export", "--fhir", "-o", "/no/such/folder/out.json", "examples/ms-hashimoto.regimen"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("error: cannot write /no/such/folder/out.json: No such file or directory"))
    }
}

@Suite struct SIGImportCLITests {
    @Test func aSIGImportsAndItsOutputChecks() throws {
        let run = try regimen(["import", "--sig", "1 tab po bid x7d"])
        #expect(run.status == 0)
        #expect(run.stdout == "drug medication\nplan \"imported\":\n  medication 1 tablet po, twice daily, for 7 days\n")
        // The printed text checks with no error: only the knowledge-base warning for the declared name.
        let check = try regimen(["check", "-"], input: run.stdout)
        #expect(check.status == 0)
        #expect(check.stdout.contains("warning[R817]"))
        #expect(!check.stdout.contains("error["))
    }

    @Test func theFHIRDosageComesFromTheExport() throws {
        let run = try regimen(["import", "--sig", "2 caps po q6h prn pain", "--format", "fhir", "--medication", "ibuprofen"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"asNeededCodeableConcept\""))
        #expect(run.stdout.contains("\"periodUnit\": \"h\""))
        #expect(run.stdout.contains("\"code\": \"{capsule}\""))
    }

    @Test func aQuoteAndANewlineInTheSIGCannotInjectAClauseOrAnItem() throws {
        let run = try regimen(["import", "--sig", "1 tab po daily\", max 9 per day\n  warfarin 10mg daily"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: not read"))
        #expect(run.stdout.split(separator: "\n").count == 3, "one declaration, the plan line, one item: \(run.stdout)")
        #expect(run.stdout.contains("note \"not read: \\\" "), "the quote is escaped inside the note: \(run.stdout)")
        let check = try regimen(["check", "-"], input: run.stdout)
        #expect(!check.stdout.contains("error["))
        #expect(!check.stdout.contains("warfarin 10"), "no second item: \(check.stdout)")
    }

    @Test func exitStatuses() throws {
        #expect(try regimen(["import", "--sig", "take as directed"]).status == 1, "nothing could be read")
        #expect(try regimen(["import", "--sig", "2 clicks po q4h"]).status == 1, "no dose could be read")
        #expect(try regimen(["import", "--sig", "1-2 tabs po q4h"]).stdout.contains("1-2 tablets"), "a dose range is the language's range")
        #expect(try regimen(["import", "--sig", "1 tab daily", "--medication", "x\"y"]).status == 2, "a name that cannot name an item")
        #expect(try regimen(["import", "--sig", "1 tab daily", "--format", "xml"]).status == 2)
        #expect(try regimen(["import", "--sig", "1 tab daily", "--fhir", "bundle.json"]).status == 2)
        #expect(try regimen(["import", "--medication", "x"]).status == 2)
        #expect(try regimen(["import", "--sig", "1 tab daily", "--medication", "levothyroxine"]).stdout.hasPrefix("plan"),
                "a name the knowledge base knows is not declared")
    }
}
