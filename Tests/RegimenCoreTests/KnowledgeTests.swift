import Foundation
import RegimenCore
import Testing

@Suite struct KnowledgeTests {
    let bundled = BundledKnowledge.shared

    /// Every file in Knowledge/Base is compiled in, byte for byte (Package.swift and
    /// BundledKnowledge.bundledFiles list them by name).
    @Test func everyKnowledgeFileIsEmbedded() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/RegimenCore/Knowledge/Base").standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".regimen") }
        let embedded = BundledKnowledge.bundledFiles()
        #expect(Set(embedded.map(\.name)) == Set(names.map { "<knowledge>/" + $0 }))
        for file in embedded {
            let name = String(file.name.dropFirst("<knowledge>/".count))
            #expect(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) == Data(file.bytes), "\(name)")
        }
    }

    @Test func bundledKnowledgeLoadsCleanly() {
        #expect(bundled.diagnostics.isEmpty, "\(DiagnosticRenderer().render(bundled.diagnostics, sources: bundled.sources))")
        #expect(bundled.knowledge.substances["magnesium"] != nil)
    }

    @Test func everyFactHasASource() {
        let knowledge = bundled.knowledge
        for substance in knowledge.substances.values {
            #expect(!substance.sources.isEmpty, "\(substance.name) has no source")
            for form in substance.forms.values { #expect(form.source != nil, "\(substance.name) \(form.name) has no source") }
            for limit in substance.limits { #expect(limit.source != nil, "a limit of \(substance.name) has no source") }
        }
        for condition in knowledge.conditions.values { #expect(condition.source != nil, "\(condition.name) has no source") }
        for interaction in knowledge.interactions { #expect(interaction.source != nil, "\(interaction.first)/\(interaction.second) has no source") }
        for rule in knowledge.conditionRules { #expect(rule.source != nil, "\(rule.subject) in \(rule.condition) has no source") }
        for advice in knowledge.advice { #expect(advice.source != nil, "advice \"\(advice.name)\" has no source") }
        for substance in knowledge.substances.values { #expect(substance.emptyStomach.map { $0.source != nil } ?? true) }
    }

    @Test func magnesiumFacts() {
        let magnesium = bundled.knowledge.substances["magnesium"]!
        #expect(magnesium.forms["oxide"]?.elementalFraction == 0.603)
        #expect(magnesium.forms["glycinate"]?.elementalFraction == 0.141)
        #expect(magnesium.molarMass == 24.305 && magnesium.valence == 2)
        let ul = magnesium.limits.first { $0.kind == .supplemental && $0.minAge == 9 }
        #expect(ul?.amount.base == 350)
    }

    @Test func classesGroupDrugs() {
        #expect(bundled.knowledge.members(of: "fluoroquinolone") == ["ciprofloxacin", "levofloxacin", "moxifloxacin"])
        #expect(bundled.knowledge.members(of: "polyvalent cation").contains("magnesium"))
    }

    @Test func directedSpacingKeepsTheLabelsDirection() {
        let cipro = bundled.knowledge.interactions.first { $0.second == "ciprofloxacin" }!
        #expect(cipro.directed.map(\.subject) == ["ciprofloxacin", "ciprofloxacin"])
        #expect(cipro.directed.map(\.minutes) == [120, 360])
        #expect(cipro.directed.map(\.direction) == [.before, .after])
    }

    @Test func conditionAliases() {
        #expect(bundled.knowledge.condition(named: "ms") == "multiple sclerosis")
        #expect(bundled.knowledge.condition(named: "type 2 diabetes") == "diabetes")
        #expect(bundled.knowledge.condition(named: "ckd") == "chronic kidney disease")
    }

    @Test func planCanExtendTheKnowledgeBase() {
        let result = compile("substance magnesium:\n  form picolinate: elemental 12%, source \"label\"\nmagnesium picolinate 100mg daily\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.plan.items[0].form == "picolinate")
        #expect(result.knowledge.substances["magnesium"]?.forms["oxide"] != nil, "extending keeps the bundled forms")
    }
}

@Suite struct CatalogTests {
    /// Codes whose triggering test is a unit test rather than a golden file (they need huge or generated inputs).
    static let unitTested: Set<String> = ["R504", "R601", "R602", "R604", "R606", "R706"]

    /// Every clinical code has a golden plan that triggers it; where a `-clean` plan exists, it must not.
    @Test func cleanPlansDoNotTrigger() {
        for golden in GoldenCase.all(in: "checks") where golden.input.contains("-clean") {
            let code = String(golden.input.split(separator: "/").last!.prefix(4))
            #expect(!checkOutput(for: golden.input).contains("[\(code)]"), "\(golden.input) triggers \(code)")
        }
    }

    @Test func everyCodeHasATriggeringTest() throws {
        var covered = Self.unitTested
        for golden in GoldenCase.all(in: "diagnostics") + GoldenCase.all(in: "bad-input") + GoldenCase.all(in: "language") {
            let output = goldenOutput(for: golden.input)
            for code in DiagnosticCode.catalog where output.contains("[\(code.id)]") { covered.insert(code.id) }
        }
        for golden in GoldenCase.all(in: "checks") + GoldenCase.examples() {
            let output = checkOutput(for: golden.input)
            for code in DiagnosticCode.catalog where output.contains("[\(code.id)]") { covered.insert(code.id) }
        }
        for golden in GoldenCase.all(in: "simulate") {
            let output = simulationOutput(for: golden.input)
            for code in DiagnosticCode.catalog where output.contains("[\(code.id)]") || output.contains("\"\(code.id)\"") {
                covered.insert(code.id)
            }
        }
        for code in DiagnosticCode.catalog {
            #expect(covered.contains(code.id), "no test triggers \(code.id) \(code.name)")
        }
    }

    @Test func codesAreUniqueAndExplained() {
        let ids = DiagnosticCode.catalog.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(Set(DiagnosticCode.catalog.map(\.name)).count == ids.count)
        for code in DiagnosticCode.catalog { #expect(code.explanation.count > 20) }
    }
}
