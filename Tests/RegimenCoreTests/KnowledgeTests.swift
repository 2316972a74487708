import Foundation
@testable import RegimenCore
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

    /// Parsed from the files, not read from the image (which holds only a clean knowledge base).
    @Test func bundledKnowledgeLoadsCleanly() {
        let parsed = BundledKnowledge.load(files: BundledKnowledge.bundledFiles())
        #expect(parsed.diagnostics.isEmpty, "\(DiagnosticRenderer().render(parsed.diagnostics, sources: parsed.sources))")
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
        for product in knowledge.products.values { #expect(product.source != nil, "product \(product.name) has no source") }
        for lab in knowledge.labs.analytes.values { #expect(!lab.sources.isEmpty, "lab \(lab.name) has no source") }
        for lab in knowledge.labs.analytes.values where lab.possible != nil {
            #expect(lab.possible?.source != nil, "lab \(lab.name)'s range of possible values has no source")
        }
    }

    /// The ranges of possible results hold the sources' extremes exactly, in any unit, and a
    /// normal result sits inside each (a range that refused an ordinary result would be a mistake).
    @Test func possibleLabRanges() throws {
        let labs = bundled.knowledge.labs
        func inside(_ name: String, _ amount: Double, _ unit: String) throws -> Bool {
            let analyte = try #require(labs.analyte(named: name)), parsed = try #require(KnowledgeBuilder.compoundUnit(unit))
            guard case .success(let q) = analyte.canonical(Quantity(amount, parsed)) else { Issue.record("\(name) does not convert"); return false }
            return try #require(analyte.possible).contains(q.base)
        }
        #expect(try inside("potassium", 0.9, "mmol/L") && inside("potassium", 14, "mEq/L") && inside("potassium", 4.2, "mmol/L"))
        #expect(try !inside("potassium", 0.89, "mmol/L") && !inside("potassium", 540, "mmol/L"))
        // 16.6 mg/dL is 6.83 mmol/L (the molar mass 24.305): the end holds in either unit.
        #expect(try inside("magnesium", 16.6, "mg/dL") && inside("magnesium", 6.82, "mmol/L") && inside("magnesium", 0.85, "mmol/L"))
        #expect(try !inside("magnesium", 6.84, "mmol/L") && !inside("magnesium", 85, "mmol/L"))
        // 1220 ng/mL is 3045 nmol/L (× 2.496).
        #expect(try inside("vitamin d", 1220, "ng/mL") && inside("vitamin d", 3040, "nmol/L") && inside("vitamin d", 0, "ng/mL"))
        #expect(try !inside("vitamin d", 3050, "nmol/L"))
        #expect(try inside("ferritin", 256000, "ng/mL") && inside("ferritin", 256, "ug/mL") && !inside("ferritin", 256001, "ng/mL"))
    }

    /// Laboratory results convert as their sources say (a molar mass, or the units themselves),
    /// and each analyte's names are its own.
    @Test func labResultsConvert() {
        let labs = bundled.knowledge.labs
        func value(_ name: String, _ amount: Double, _ unit: String) -> Double? {
            guard let analyte = labs.analyte(named: name), let parsed = KnowledgeBuilder.compoundUnit(unit),
                  case .success(let q) = analyte.canonical(Quantity(amount, parsed)) else { return nil }
            return q.base / (analyte.unit?.factor ?? 1)
        }
        // Magnesium: 1.8–2.3 mg/dL is 0.75–0.95 mmol/L (NIH ODS, as DOMAIN.md states it).
        #expect(value("magnesium", 1.8, "mg/dL").map { abs($0 - 0.74) < 0.01 } == true)
        #expect(value("magnesium", 2.3, "mg/dL").map { abs($0 - 0.95) < 0.01 } == true)
        // Calcium: 10.4 mg/dL is 2.60 mmol/L (MSD Manual's hypercalcaemia threshold).
        #expect(value("calcium", 10.4, "mg/dL").map { abs($0 - 2.59) < 0.01 } == true)
        // Potassium: mEq/L is mmol/L.
        #expect(value("potassium", 5.4, "mEq/L") == 5.4)
        // 25-OH vitamin D: µg/L × 2.496 = nmol/L (UCSF); B12: pg/mL × 0.738 = pmol/L.
        #expect(value("calcidiol", 50, "nmol/L").map { abs($0 - 50 / 2.496) < 0.01 } == true)
        #expect(value("vitamin b12", 100, "pmol/L").map { abs($0 - 100 / 0.738) < 0.1 } == true)
        #expect(value("tsh", 3.1, "uIU/mL").map { abs($0 - 3.1) < 1e-9 } == true)
        #expect(value("tsh", 3.1, "mg/dL") == nil, "a mass does not convert to international units")
        #expect(value("inr", 2, "mmol/L") == nil)
        var seen: [String: String] = [:]
        for analyte in labs.analytes.values {
            for name in [analyte.name] + analyte.aliases {
                #expect(seen[name] == nil, "\(name) is claimed by \(analyte.name) and \(seen[name] ?? "")")
                seen[name] = analyte.name
            }
        }
    }

    /// Each ingredient of a product counts its own amount, converted as a single item of it would be
    /// (IU by the substance's conversion, a salt's element as labels state it).
    @Test func productIngredientsCountTheirOwnAmounts() {
        let result = compile("""
            product "D and K": vitamin d3 1000 IU, vitamin k 100mcg per capsule
            product "D alone": vitamin d3 1000 IU per capsule
            "D and K" 2 capsules daily
            "D alone" 1 capsule daily

            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        let items = result.plan.items
        #expect(items.map(\.substance) == ["vitamin d", "vitamin k", "vitamin d"])
        #expect(items.map(\.name) == ["D and K (vitamin d)", "D and K (vitamin k)", "D alone"])
        #expect(items[0].activeMilligrams.map { abs($0 - 0.05) < 1e-9 } == true, "2 × 1000 IU is 50 mcg")
        #expect(items[1].activeMilligrams.map { abs($0 - 0.2) < 1e-9 } == true, "2 × 100 mcg")
        #expect(items[2].activeMilligrams.map { abs($0 - 0.025) < 1e-9 } == true, "a single-ingredient product in IU is weighed too")
        #expect(items[0].productPart == ProductPart(index: 0, count: 2) && items[2].productPart == nil)
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
        #expect(bundled.knowledge.members(of: "fluoroquinolone") == ["ciprofloxacin", "delafloxacin", "levofloxacin", "moxifloxacin", "ofloxacin"])
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

    /// Each substance's upper limits are all of one kind, chosen on purpose: `supplemental` where
    /// the IOM set the UL for supplements (and fortified food, medicines) only, `upper` where it is
    /// for total intake, diet included. A substance that gains a UL must be added here.
    @Test func everyUpperLimitIsMarkedSupplementalOrTotal() {
        let expected: [String: Limit.Kind] = [
            "magnesium": .supplemental, "niacin": .supplemental, "folic acid": .supplemental, "vitamin e": .supplemental,
            "calcium": .upper, "zinc": .upper, "iron": .upper, "vitamin d": .upper, "vitamin a": .upper, "vitamin b6": .upper,
            "vitamin c": .upper, "selenium": .upper, "iodine": .upper, "copper": .upper, "manganese": .upper, "phosphorus": .upper,
        ]
        for substance in bundled.knowledge.substances.values {
            let kinds = Set(substance.limits.map(\.kind).filter { $0 == .supplemental || $0 == .upper })
            guard !kinds.isEmpty else { continue }
            #expect(kinds.count == 1, "\(substance.name) mixes supplemental and total-intake upper limits")
            #expect(expected[substance.name] == kinds.first, "\(substance.name): is its UL supplemental or for total intake?")
            for limit in substance.limits { #expect(limit.source != nil, "a limit of \(substance.name) has no source") }
        }
    }

    /// A drug needs a class, so class rules (fluoroquinolone, integrase inhibitor, …) reach it.
    @Test func everyDrugHasAClass() {
        for drug in bundled.knowledge.substances.values where drug.kind == .drug {
            #expect(!drug.classes.isEmpty, "\(drug.name) has no class")
            #expect(!drug.sources.isEmpty, "\(drug.name) has no source")
        }
    }

    /// A name or alias names one thing: the knowledge base would silently keep only the last.
    @Test func noTwoEntriesClaimTheSameName() {
        var owners: [String: [String]] = [:]
        for substance in bundled.knowledge.substances.values {
            for name in Set([substance.name] + substance.aliases) { owners[name, default: []].append(substance.name) }
            for form in substance.forms.values {
                for name in Set(form.names) where name != substance.name && !substance.aliases.contains(name) {
                    owners[name, default: []].append("\(substance.name) \(form.name)")
                }
            }
        }
        for (name, claims) in owners { #expect(claims.count == 1, "`\(name)` is claimed by \(claims)") }
        let classes = Set(bundled.knowledge.substances.values.flatMap(\.classes))
        for group in classes { #expect(owners[group] == nil, "`\(group)` is both a class and a name of \(owners[group] ?? [])") }
        var conditionOwners: [String: [String]] = [:]
        for condition in bundled.knowledge.conditions.values {
            for name in Set([condition.name] + condition.aliases) { conditionOwners[name, default: []].append(condition.name) }
        }
        for (name, claims) in conditionOwners { #expect(claims.count == 1, "condition name `\(name)` is claimed by \(claims)") }
        // A product's name is its own: not a substance's, a form's or a class's.
        for product in bundled.knowledge.products.values {
            #expect(owners[product.name.lowercased()] == nil, "product `\(product.name)` is also a name of \(owners[product.name.lowercased()] ?? [])")
            #expect(!classes.contains(product.name.lowercased()), "product `\(product.name)` is also a class")
        }
    }

    /// `regimen explain NAME` answers for every substance, drug and condition, and for every alias.
    @Test func explainAnswersForEveryEntry() {
        let knowledge = bundled.knowledge
        for substance in knowledge.substances.values {
            let text = Explanation.explain(substance.name, knowledge: knowledge, sources: bundled.sources)
            #expect(text?.contains(substance.name) == true, "explain \(substance.name)")
            for alias in substance.aliases {
                #expect(Explanation.explain(alias, knowledge: knowledge)?.contains(substance.name) == true, "explain \(alias)")
            }
        }
        for condition in knowledge.conditions.values {
            for name in [condition.name] + condition.aliases {
                #expect(Explanation.explain(name, knowledge: knowledge, sources: bundled.sources)?.contains(condition.name) == true,
                        "explain \(name)")
            }
        }
        for product in knowledge.products.values {
            let text = Explanation.explain(product.name, knowledge: knowledge) ?? ""
            for ingredient in product.ingredients { #expect(text.contains(ingredient.name), "explain \(product.name) names \(ingredient.name)") }
        }
        for analyte in knowledge.labs.analytes.values {
            let text = Explanation.explain("lab " + analyte.name, knowledge: knowledge) ?? ""
            #expect(text.contains("(laboratory result)"), "explain lab \(analyte.name)")
            if let possible = analyte.possible {
                #expect(text.contains("possible: \(possible.described(in: analyte))"), "explain lab \(analyte.name) gives its range")
            }
        }
        #expect(Explanation.explain("lab potassium", knowledge: knowledge)?.contains("possible: 0.9 to 14 mmol/L") == true)
        #expect(Explanation.list(.labs, knowledge: knowledge).contains("potassium (mmol/L)"))
    }

    /// Every name issue 14 lists (Fixtures/issue-14-names.txt), written as a clinician would, is
    /// known: `regimen explain` answers, and the name is an entry of the kind the list gives.
    @Test func everyNameTheIssueListsIsKnown() throws {
        let list = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/issue-14-names.txt")
        let knowledge = bundled.knowledge
        var unknown: [String] = []
        var count = 0
        for line in try String(contentsOf: list, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            let (kind, name) = (parts[0], parts[1])
            count += 1
            let words = name.split(separator: " ").map(String.init)
            let known: Bool
            switch (kind, knowledge.longestMatch(words)) {
            case ("substance", (.substance(let entry, _), let used)?):
                known = knowledge.substances[entry]!.kind != .drug
                    && (used == words.count || knowledge.substances[entry]!.form(named: words[used...].joined(separator: " ")) != nil)
            case ("drug", (.substance(let entry, _), let used)?): known = used == words.count && knowledge.substances[entry]!.kind == .drug
            case ("drug", (.product(let entry), let used)?): known = used == words.count && knowledge.products[entry] != nil
            case ("product", (.product, let used)?): known = used == words.count
            case ("condition", _): known = knowledge.condition(named: name) != nil
            default: known = false
            }
            if !known || Explanation.explain(name, knowledge: knowledge, sources: bundled.sources) == nil { unknown.append("\(kind) \(name)") }
        }
        #expect(count >= 250)
        #expect(unknown.isEmpty, "not known: \(unknown.joined(separator: ", "))")
    }

    @Test func breadthFacts() {
        let knowledge = bundled.knowledge
        let vitaminA = knowledge.substances["vitamin a"]!
        #expect(vitaminA.limits.first { $0.kind == .upper && $0.minAge == 19 }?.amount.base == 10000)
        #expect(vitaminA.mcgPerIU.map { abs($0 - 0.3) < 1e-9 } == true)
        #expect(knowledge.substances["vitamin b6"]!.limits.first { $0.kind == .upper && $0.minAge == 19 }?.amount.base == 100)
        let potassium = knowledge.substances["potassium"]!
        #expect(potassium.molarMass == 39.098 && potassium.valence == 1)
        #expect(knowledge.members(of: "integrase inhibitor").contains("cabotegravir"))
        #expect(knowledge.members(of: "s1p receptor modulator") == ["fingolimod", "ozanimod", "ponesimod", "siponimod"])
        #expect(knowledge.members(of: "polyvalent cation").contains("aluminium hydroxide"))
        #expect(!knowledge.members(of: "bisphosphonate").contains("zoledronic acid"), "an IV bisphosphonate takes no oral spacing rule")
        #expect(knowledge.interactions.contains { $0.first == "vitamin k" && $0.second == "warfarin" && $0.severity == .major })
        #expect(knowledge.condition(named: "rrms") == "relapsing-remitting multiple sclerosis")
        #expect(knowledge.conditions["relapsing-remitting multiple sclerosis"]?.implies == ["multiple sclerosis"])
        #expect(knowledge.condition(named: "complete heart block") == "third-degree heart block")
        #expect(knowledge.substances.values.filter { $0.kind == .drug }.count >= 150)
        #expect(knowledge.conditions.count >= 60)
    }

    /// The commonest drugs carry their RxNorm ingredient and conditions their SNOMED CT code, each
    /// code with the table it came from (docs/codes.md); no code is kept whose form is wrong.
    @Test func codesAreSourcedAndWellFormed() {
        let knowledge = bundled.knowledge
        let drugs = knowledge.substances.values.filter { $0.codes.contains { $0.system == .rxnorm } }
        let conditions = knowledge.conditions.values.filter { $0.codes.contains { $0.system == .snomed } }
        #expect(drugs.count >= 40 && conditions.count >= 20, "\(drugs.count) drugs, \(conditions.count) conditions coded")
        for code in knowledge.substances.values.flatMap(\.codes) + knowledge.conditions.values.flatMap(\.codes) {
            #expect(!code.source.isEmpty && MedicalCode.problem(code.code, in: code.system) == nil, "\(code)")
        }
        #expect(knowledge.substances["ciprofloxacin"]?.codes.map(\.code) == ["2551", "J01MA02"])
        #expect(knowledge.substances.values.filter { $0.codes.contains { $0.system == .atc } }.count >= 15)
        #expect(knowledge.substance(coded: "11289", in: .rxnorm) == "warfarin")
        #expect(knowledge.substance(coded: "11289", in: .atc) == nil, "a code belongs to its system")
        #expect(knowledge.substance(coded: "B01AA03", in: .atc) == "warfarin")
        #expect(knowledge.condition(coded: "24700007") == "multiple sclerosis")
        // Two codes are never one substance's and another's.
        let all = knowledge.substances.values.flatMap { s in s.codes.map { "\($0.system) \($0.code)" } }
        #expect(Set(all).count == all.count)
    }

    /// `regimen explain NAME` shows each code with its source, and the lists show the codes.
    @Test func explainShowsCodes() {
        let knowledge = bundled.knowledge
        let cipro = Explanation.explain("ciprofloxacin", knowledge: knowledge) ?? ""
        #expect(cipro.contains("  code: RxNorm 2551 [CPIC database, drug table"), "\(cipro)")
        #expect(cipro.contains("  code: ATC J01MA02 [WHO ATC/DDD Index"), "\(cipro)")
        let ms = Explanation.explain("ms", knowledge: knowledge) ?? ""
        #expect(ms.contains("  code: SNOMED CT 24700007 ["), "\(ms)")
        let drugs = Explanation.list(.drugs, knowledge: knowledge)
        #expect(drugs.contains("ciprofloxacin: cipro\n  codes: RxNorm 2551, ATC J01MA02\n"), "\(drugs.prefix(400))")
        #expect(Explanation.list(.conditions, knowledge: knowledge).contains("  codes: SNOMED CT 24700007\n"))
        // The count at the end counts names, not the lines under them.
        #expect(drugs.hasSuffix("\n\(knowledge.substances.values.filter { $0.kind == .drug }.count) drugs\n"))
    }

    /// SNOMED CT's check digit catches a mistyped code; the forms of RxNorm and ATC codes are checked too.
    @Test func codeFormsAreChecked() {
        for valid in ["24700007", "709044004", "396331005", "1240581000000104"] { #expect(MedicalCode.problem(valid, in: .snomed) == nil, "\(valid)") }
        for typo in ["24700008", "709044040", "2470007", "24700017"] { #expect(MedicalCode.problem(typo, in: .snomed) != nil, "\(typo)") }
        #expect(MedicalCode.problem("J01MA02", in: .atc) == nil && MedicalCode.problem("J01", in: .atc) == nil)
        #expect(MedicalCode.problem("J01MA2", in: .atc) != nil && MedicalCode.problem("j01ma02", in: .atc) != nil)
        #expect(MedicalCode.problem("2551", in: .rxnorm) == nil && MedicalCode.problem("25a1", in: .rxnorm) != nil)
    }

    /// LOINC's Mod 10 check digit, checked against the LOINC Users' Guide, appendix C ("Calculating Mod 10
    /// Check Digits", loinc.org/kb/users-guide/calculating-mod-10-check-digits): its worked example (12345
    /// has check digit 5), and its list of the 14 LOINC numbers whose published check digit is known to be
    /// wrong, which the check must reject.
    @Test func loincCheckDigitsAreChecked() {
        #expect(MedicalCode.loincCheckDigit("12345") == 5)
        for valid in ["2823-3", "2601-3", "2000-8", "62292-8", "29463-7", "8302-2", "6301-6"] { #expect(MedicalCode.problem(valid, in: .loinc) == nil, "\(valid)") }
        let knownInvalid = ["11491-6", "11501-6", "5895-7", "5896-5", "5897-3", "5928-1", "6028-3", "6415-5", "6580-7",
                            "6645-7", "6646-5", "6647-3", "6648-1", "6649-9"]
        for code in knownInvalid { #expect(MedicalCode.problem(code, in: .loinc) != nil, "\(code)") }
        for malformed in ["2823", "2823-", "-3", "2823-33", "28a3-3", "12345678-9", "2823 3"] { #expect(MedicalCode.problem(malformed, in: .loinc) != nil, "\(malformed)") }
    }

    /// Each bundled laboratory result carries its LOINC code with its source, and `explain` shows it.
    @Test func labsAreCodedInLOINC() {
        let labs = bundled.knowledge.labs.analytes
        let expected = ["magnesium": "2601-3", "potassium": "2823-3", "calcium": "2000-8", "vitamin d": "62292-8", "vitamin b12": "2132-9",
                        "ferritin": "2276-4", "tsh": "3016-3", "inr": "6301-6", "qtc": "8636-3"]
        for (name, code) in expected {
            #expect(labs[name]?.codes.map(\.code) == [code], "\(name): \(labs[name]?.codes ?? [])")
            #expect(labs[name]?.codes.allSatisfy { $0.system == .loinc && !$0.source.isEmpty } == true)
        }
        let potassium = Explanation.explain("lab potassium", knowledge: bundled.knowledge) ?? ""
        #expect(potassium.contains("  code: LOINC 2823-3 [LOINC: Potassium [Moles/volume] in Serum or Plasma"), "\(potassium)")
        #expect(Explanation.list(.labs, knowledge: bundled.knowledge).contains("potassium (mmol/L): serum potassium, k\n  codes: LOINC 2823-3\n"))
    }

    /// A lab's code is LOINC, with its source and a right check digit; anything else is an error with its place.
    @Test func aLabCodeIsCheckedWhenDefined() {
        let wrongSystem = compile("lab sodium:\n  unit \"mmol/L\"\n  code snomed \"24700007\", source \"a list\"\n  source \"x\"\nzinc 1mg daily\n")
        #expect(wrongSystem.diagnostics.contains { $0.message.contains("(systems: loinc)") && $0.span != nil }, "\(wrongSystem.diagnostics.map(\.message))")
        let mistyped = compile("lab sodium:\n  unit \"mmol/L\"\n  code loinc \"2951-3\", source \"a list\"\n  source \"x\"\nzinc 1mg daily\n")
        #expect(mistyped.diagnostics.contains { $0.message.contains("Mod 10 check digit") }, "\(mistyped.diagnostics.map(\.message))")
        let right = compile("lab sodium:\n  unit \"mmol/L\"\n  code loinc \"2951-2\", source \"a list\"\n  source \"x\"\nzinc 1mg daily\n")
        #expect(right.diagnostics.isEmpty, "\(right.diagnostics.map(\.message))")
        #expect(right.knowledge.labs.analytes["sodium"]?.codes.map(\.code) == ["2951-2"])
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

    /// Each rule of DOMAIN.md's Breadth table (ranks 1 to 23), and each product and laboratory
    /// rule, has a golden plan that triggers it and a look-alike `-safe` plan: the triggering plan
    /// has a finding, and the safe plan has no error or warning (a note that holds anyway may stay).
    @Test func breadthRulesTriggerAndTheirLookAlikesStaySilent() {
        let checks = GoldenCase.all(in: "checks").map(\.input)
        for rank in 1...23 {
            let prefix = String(format: "breadth-%02d-", rank)
            let plans = checks.filter { $0.split(separator: "/").last!.hasPrefix(prefix) }
            let safe = plans.filter { $0.hasSuffix("-safe.regimen") }, triggering = plans.filter { !$0.hasSuffix("-safe.regimen") }
            #expect(!safe.isEmpty && !triggering.isEmpty, "Breadth \(rank) needs a triggering plan and a safe look-alike")
        }
        for path in checks where ["breadth-", "product-", "labs-"].contains(where: { path.split(separator: "/").last!.hasPrefix($0) }) {
            let output = checkOutput(for: path)
            if path.hasSuffix("-safe.regimen") {
                #expect(!output.contains("error[") && !output.contains("warning["), "\(path) should stay silent:\n\(output)")
            } else {
                #expect(output.contains("error[") || output.contains("warning[") || output.contains("note["), "\(path) triggers nothing")
            }
        }
    }

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
