import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RegimenCore
import RegimenHandout
import TestSupport
import Testing

/// A plan compiled, simulated over its course, and checked, as `regimen handout` does it.
private struct Prepared {
    let compilation: Compilation
    let timeline: Timeline
    let findings: [Diagnostic]

    init(_ path: String) throws {
        guard case .success(let compilation) = Frontend.compile(path: path, provider: PackageFiles(), today: testToday) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        self.compilation = compilation
        timeline = Simulator.run(compilation, today: testToday)
        findings = compilation.findings(on: timeline)
    }

    var html: String { Handout(compilation, timeline: timeline, findings: findings, preparedOn: testToday).html() }
    var svg: String { HandoutPictures(timeline, compilation: compilation).standalone() }
}

private func examples() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/examples")) ?? []
    return names.filter { $0.hasSuffix(".regimen") }.sorted().map { "examples/" + $0 }
}

/// Every element of an XML document: its name and attributes, in document order.
private final class Elements: NSObject, XMLParserDelegate {
    var found: [(name: String, attributes: [String: String])] = []
    var text: [String: String] = [:]
    private var open: [String] = []
    private var characters = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        found.append((name, attributes))
        open.append(name)
        characters = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { characters += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
        if name == "title" { text["title", default: ""] += characters + "\n" }
    }

    static func parse(_ text: String) -> Elements? {
        let parser = XMLParser(data: Data(text.utf8))
        let delegate = Elements()
        parser.delegate = delegate
        return parser.parse() ? delegate : nil
    }
}

@Suite struct HandoutTests {
    @Test("golden pages", arguments: ["examples/ms-hashimoto.regimen", "examples/migraine-titration.regimen",
                                      "examples/cipro-course.regimen", "examples/myasthenia-gravis.regimen",
                                      "Tests/RegimenHandoutTests/Golden/as-needed-and-taper.regimen"])
    func golden(_ path: String) throws {
        let name = path.split(separator: "/").last!.dropLast(".regimen".count)
        assertGolden(try Prepared(path).html, "Tests/RegimenHandoutTests/Golden/\(name).html")
    }

    @Test func thePageSaysWhatThePatientNeeds() throws {
        let page = try Prepared("examples/ms-hashimoto.regimen").html
        #expect(page.contains("<h1>Medicines and supplements for Jane</h1>"), "the patient named by the first comment line")
        #expect(page.contains("Prepared on Sunday 22 November 2026"))
        #expect(page.contains("<li>Take magnesium at least 4 hours after levothyroxine.</li>"))
        #expect(page.contains("300 mg magnesium"))
        #expect(page.contains("<th scope=\"col\">Morning</th>") && page.contains("<th scope=\"row\">"))
        #expect(!page.contains("Check this plan with your clinician"), "no errors, no alarm")
        #expect(!page.contains("<script") && !page.contains("<link") && !page.contains("src="), "self-contained")
        let noName = try Prepared("examples/cipro-course.regimen").html
        #expect(noName.contains("<h1>Your medicines and supplements</h1>"), "\"A 7-day ciprofloxacin course\" is not a name")
        #expect(noName.contains("Ciprofloxacin: from Thursday 10 December 2026 to Wednesday 16 December 2026 (7 days), then stop."))
    }

    @Test func aNightShiftsColumnsAreNamedByItsMeals() throws {
        let page = try Prepared("Tests/RegimenCoreTests/Golden/simulate/night-shift-table.regimen").html
        #expect(page.contains("<th scope=\"col\">Waking and breakfast (19:30)</th><th scope=\"col\">Lunch (01:00)</th>"))
        #expect(!page.contains(">Morning<"), "19:30 is not the morning")
    }

    @Test func weeklyAndSaltDosesReadAsTheLabelSays() throws {
        #expect(try Prepared("examples/rheumatoid-arthritis.regimen").html.contains("once a week, on Mondays only"))
        #expect(try Prepared("examples/myoclonus-etomidate.regimen").html.contains("1920 mg magnesium sulfate, 190 mg magnesium"))
    }

    @Test func errorsGetTheClinicianBox() throws {
        let page = try Prepared("examples/myasthenia-gravis.regimen").html
        #expect(page.contains("<h2 id=\"alert-heading\">Check this plan with your clinician</h2>"))
        #expect(page.contains("Important:"))
    }

    /// A product with several ingredients is one row and one dose to the patient, however many
    /// items its ingredients make for the checks.
    @Test func aProductWithSeveralIngredientsIsOneRow() throws {
        let prepared = try Prepared("Tests/RegimenCoreTests/Golden/checks/product-cal-mag-zinc-safe.regimen")
        #expect(prepared.compilation.plan.items.filter { $0.product == "Cal-Mag-Zinc" }.count == 3, "one item per ingredient")
        let page = prepared.html
        #expect(page.components(separatedBy: "2 tablets Cal-Mag-Zinc").count - 1 == 1, "one dose in the pill card")
        #expect(!page.contains("Cal-Mag-Zinc (magnesium oxide)") && !page.contains("2 tablets, 666 mg"),
                "no one ingredient stands for the tablet")
        #expect(page.contains("Cal-Mag-Zinc"))
    }

    @Test func asNeededItemsAndTapers() throws {
        let page = try Prepared("Tests/RegimenHandoutTests/Golden/as-needed-and-taper.regimen").html
        #expect(page.contains("<li>Melatonin 3 mg at bedtime if needed, at most once a night.</li>"))
        #expect(page.contains("Magnesium 400 mg if needed, at most twice a day."))
        #expect(page.contains("Gabapentin: the dose changes step by step"))
        #expect(page.contains("Then stop (from Wednesday 16 December 2026)."))
    }

    @Test func wordsAgreeWithTheCalendarsAndSpreadsheets() throws {
        let prepared = try Prepared("examples/cipro-course.regimen")
        let page = prepared.html
        for rule in DoseInstructions(prepared.compilation, timeline: prepared.timeline).rules { #expect(page.contains(rule.sentence), "\(rule.sentence)") }
    }

    @Test("the pictures: XML, one mark per dose of the week, one line per limit, the timeline's totals", arguments: examples())
    func pictures(_ path: String) throws {
        let prepared = try Prepared(path)
        let document = try #require(Elements.parse(prepared.svg), "the SVG parses as XML")
        let marks = document.found.filter { $0.name == "g" && $0.attributes["class"] == "dose" }
        let week = prepared.timeline.events.filter { $0.day < 7 }
        #expect(marks.count == week.count)
        for (mark, event) in zip(marks.sorted { ($0.attributes["data-date"]!, $0.attributes["data-time"]!) < ($1.attributes["data-date"]!, $1.attributes["data-time"]!) },
                                 week.sorted { ($0.date, $0.minutes) < ($1.date, $1.minutes) }) {
            #expect(mark.attributes["data-date"] == event.date.description && mark.attributes["data-time"] == event.time.description)
        }
        let limited = Set(prepared.timeline.totals.filter { $0.limit != nil }.map(\.substance))
        let limits = document.found.filter { $0.name == "line" && $0.attributes["class"] == "limit" }
        #expect(limits.count == limited.count)
        for path in document.found where path.name == "path" && path.attributes["class"] == "total" {
            let substance = try #require(path.attributes["data-substance"])
            var expected = [Double](repeating: 0, count: prepared.timeline.days)
            for total in prepared.timeline.totals where total.substance == substance {
                expected[total.date.dayNumber - prepared.timeline.start.dayNumber] = (total.amount.base * 1000).rounded() / 1000
            }
            let drawn = path.attributes["data-totals"]!.split(separator: " ").compactMap { Double($0) }
            #expect(drawn == expected, "\(substance)")
        }
        // Every picture has a text alternative.
        let pictures = document.found.filter { $0.name == "svg" }
        #expect(pictures.allSatisfy { $0.attributes["role"] == "img" && $0.attributes["aria-labelledby"] != nil })
        #expect(document.found.filter { $0.name == "title" }.count >= pictures.count)
    }
}
