import RegimenCore
import Testing
import TestSupport

/// FHIR import: real orders imported as they mean, hostile ones refused with a clear message,
/// and nothing from the file ever becoming Regimen source.
@Suite struct FHIRImportTests {
    /// A MedicationRequest with the given dosage JSON (and extra top-level fields).
    private func request(_ dosage: String, medication: String = "\"text\": \"levothyroxine\"", extra: String = "") -> String {
        """
        {"resourceType": "MedicationRequest", "id": "r1", "status": "active", "intent": "order", \(extra)
         "medicationCodeableConcept": {\(medication)},
         "dosageInstruction": [\(dosage)]}
        """
    }

    private func imported(_ json: String) -> FHIRImport.Imported? {
        guard case .success(let result) = FHIRImport.read(Array(json.utf8)) else { return nil }
        return result
    }

    /// The item lines of the imported plan.
    private func items(_ json: String) -> [String] {
        (imported(json)?.source ?? "").split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("  #") && !$0.hasPrefix("  source") }
            .map { $0.trimmingPrefix("  ").description }
    }

    /// The imported source compiles with no front-end error but the knowledge base's own.
    private func compiles(_ json: String) -> Bool {
        guard let source = imported(json)?.source else { return false }
        let compilation = Frontend.compile(bytes: Array(source.utf8), name: "imported.regimen", path: "imported.regimen",
                                           provider: MemorySourceProvider([:]), today: testToday)
        return !compilation.stopsChecks
    }

    @Test func aBareResourceIsImported() {
        let json = request(#"{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d", "when": ["WAKE"]}}, "doseAndRate": [{"doseQuantity": {"value": 75, "unit": "mcg", "system": "http://unitsofmeasure.org", "code": "ug"}}]}"#)
        #expect(items(json) == ["levothyroxine 75mcg daily, on waking"])
        #expect(compiles(json))
    }

    @Test func anAsNeededOpioidEveryFourHoursIsNotScheduled() {
        let json = request(#"{"timing": {"repeat": {"frequency": 1, "period": 4, "periodUnit": "h"}}, "asNeededBoolean": true, "doseAndRate": [{"doseQuantity": {"value": 5, "unit": "mg", "code": "mg"}}]}"#,
                           medication: #""text": "oxycodone""#)
        #expect(items(json).first?.hasPrefix("oxycodone 5mg every 4h as needed") == true)
        #expect(compiles(json))
    }

    @Test func frequenciesMeanWhatTheySay() {
        func line(_ repeatJSON: String) -> String? {
            items(request(#"{"timing": {"repeat": \#(repeatJSON)}, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "mg", "code": "mg"}}]}"#, medication: #""text": "zinc""#)).first
        }
        #expect(line(#"{"frequency": 3, "period": 1, "periodUnit": "wk"}"#) == "zinc 1mg 3 times a week")
        #expect(line(#"{"frequency": 1, "period": 1, "periodUnit": "mo"}"#) == "zinc 1mg monthly")
        #expect(line(#"{"frequency": 1, "period": 3, "periodUnit": "mo"}"#) == "zinc 1mg every 3 months")
        #expect(line(#"{"frequency": 1, "period": 2, "periodUnit": "d"}"#) == "zinc 1mg every other day")
        #expect(line(#"{"frequency": 2, "period": 1, "periodUnit": "d", "when": ["CM", "CV"]}"#) == "zinc 1mg twice daily, with breakfast and dinner")
        #expect(line(#"{"frequency": 1, "period": 4, "periodMax": 6, "periodUnit": "h"}"#) == "zinc 1mg every 4 to 6 hours")
        #expect(line(#"{"dayOfWeek": ["mon", "thu"]}"#) == "zinc 1mg on mon, thu")
    }

    @Test func splitDosingKeepsEveryDose() {
        let json = request(#"""
            {"timing": {"repeat": {"timeOfDay": ["08:00:00"]}}, "doseAndRate": [{"doseQuantity": {"value": 2, "unit": "tablet", "code": "TAB"}}]},
            {"timing": {"repeat": {"timeOfDay": ["20:00:00"]}}, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet", "code": "TAB"}}]}
            """#, medication: #""text": "metformin""#)
        #expect(items(json).filter { $0.hasPrefix("metformin") }.count == 2)
        #expect(compiles(json))
    }

    @Test func aNonOralRouteIsNeverSilentlyOral() {
        let nasal = request(#"{"route": {"coding": [{"system": "http://snomed.info/sct", "code": "46713006"}]}, "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "spray", "code": "{spray}"}}]}"#,
                            medication: #""text": "mometasone""#)
        #expect(items(nasal).first?.contains(" nasal") == true, "\(items(nasal))")
        let json = request(#"{"route": {"coding": [{"system": "http://snomed.info/sct", "code": "418133000"}], "text": "intravitreal"}, "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "mo"}}, "doseAndRate": [{"doseQuantity": {"value": 2, "unit": "mg", "code": "mg"}}]}"#,
                           medication: #""text": "aflibercept""#)
        let result = imported(json)
        #expect(result?.warnings.contains { $0.contains("route intravitreal") } == true)
        #expect(result?.source.contains("note \"route intravitreal") == true)
        let iv = request(#"{"route": {"coding": [{"system": "http://snomed.info/sct", "code": "47625008"}]}, "timing": {"repeat": {"count": 1}}, "doseAndRate": [{"doseQuantity": {"value": 2, "unit": "g", "code": "g"}}]}"#,
                         medication: #""text": "magnesium sulfate""#)
        #expect(items(iv).first?.contains(" iv") == true)
    }

    @Test func ordersThatAreNotActiveAreSaidNotImported() {
        for status in ["stopped", "cancelled", "entered-in-error", "completed", "draft"] {
            let json = request(#"{"doseAndRate": [{"doseQuantity": {"value": 1, "unit": "mg", "code": "mg"}}]}"#, extra: "\"status\": \"\(status)\",")
                .replacingOccurrences(of: "\"status\": \"active\", ", with: "")
            let result = imported(json)
            #expect(result?.items == 0, "\(status)")
            #expect(result?.source.contains("# not imported") == true, "\(status)")
            #expect(result?.warnings.contains { $0.contains("status is \(status)") } == true, "\(status)")
        }
        let refused = request(#"{"doseAndRate": [{"doseQuantity": {"value": 1, "unit": "mg", "code": "mg"}}]}"#,
                              extra: #""modifierExtension": [{"url": "http://example.org/x", "valueBoolean": true}],"#)
        #expect(imported(refused)?.warnings.contains { $0.contains("modifierExtension") } == true)
        #expect(imported(refused)?.items == 0)
    }

    @Test func stringsFromTheFileNeverBecomeSource() {
        let hostile = #"levothyroxine\n  zinc 50g daily\n  evil \" , 4h after levothyroxine"#
        let json = request(#"{"additionalInstruction": [{"text": "take with water\n  zinc 100g daily"}], "patientInstruction": "a \"quoted\" word", "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "mg", "code": "mg"}}]}"#,
                           medication: "\"text\": \"\(hostile)\"")
        guard let source = imported(json)?.source else {
            Issue.record("the import failed")
            return
        }
        let compilation = Frontend.compile(bytes: Array(source.utf8), name: "i.regimen", path: "i.regimen", provider: MemorySourceProvider([:]), today: testToday)
        #expect(compilation.plan.items.count == 1, "one item, whatever the strings say:\n\(source)")
        #expect(!compilation.plan.items.contains { $0.substance == "zinc" })
        #expect(compilation.plan.items.first?.relations.isEmpty == true, "a relation in a string is not a clause")
    }

    @Test func hostileNumbersAreErrorsWithTheirPath() {
        for (repeatJSON, path) in [(#"{"frequency": 1, "period": 1e20, "periodUnit": "h"}"#, "period"),
                                   (#"{"frequency": 2.5, "period": 1, "periodUnit": "d"}"#, "frequency"),
                                   (#"{"frequency": -3, "period": 1, "periodUnit": "d"}"#, "frequency"),
                                   (#"{"frequency": 1, "period": 1, "periodUnit": "d", "count": 1e300}"#, "count")] {
            let json = request(#"{"timing": {"repeat": \#(repeatJSON)}, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "mg", "code": "mg"}}]}"#)
            let result = imported(json)
            #expect(result?.items == 0, "\(repeatJSON)")
            #expect(result?.warnings.contains { $0.contains("timing.repeat.\(path)") } == true, "\(repeatJSON): \(result?.warnings ?? [])")
        }
        let dose = request(#"{"doseAndRate": [{"doseQuantity": {"value": -5, "unit": "mg", "code": "mg"}}]}"#)
        #expect(imported(dose)?.warnings.contains { $0.contains("doseQuantity.value") } == true)
    }

    @Test func duplicateKeysAndHugeFilesAreRefused() {
        guard case .failure(let failure) = FHIRImport.read(Array(#"{"resourceType": "MedicationRequest", "status": "active", "status": "stopped"}"#.utf8)) else {
            Issue.record("a duplicate key was accepted")
            return
        }
        #expect(failure.message.contains("$.status"))
        let entries = Array(repeating: #"{"resource": {"resourceType": "Basic"}}"#, count: FHIRImport.maxResources + 1).joined(separator: ",")
        guard case .failure(let tooMany) = FHIRImport.read(Array(#"{"resourceType": "Bundle", "type": "collection", "entry": [\#(entries)]}"#.utf8)) else {
            Issue.record("an oversized Bundle was read")
            return
        }
        #expect(tooMany.message.contains("split"))
    }

    @Test func ndjsonAndAnyBundleTypeAreRead() {
        let line = request(#"{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "mg", "code": "mg"}}]}"#)
            .replacingOccurrences(of: "\n", with: " ")
        #expect(imported(line + "\n" + line + "\n")?.items == 2)
        for type in ["transaction", "searchset", "document"] {
            let bundle = #"{"resourceType": "Bundle", "type": "\#(type)", "entry": [{"resource": \#(line)}]}"#
            #expect(imported(bundle)?.items == 1, "\(type)")
        }
    }

    @Test func eventsAloneAreDosesOnTheirDates() {
        let json = request(#"{"timing": {"event": ["2019-11-01T10:30:00Z", "2015-01-15T22:00:00+11:00"]}, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "mg", "code": "mg"}}]}"#,
                           medication: #""text": "zinc""#)
        let lines = items(json)
        #expect(lines.first == "zinc 1mg once, at 10:30, from 2019-11-01", "\(lines)")
        // A time in another zone than the plan's is said, not dropped and not shifted.
        #expect(lines.last?.hasPrefix("zinc 1mg once, from 2015-01-15, note \"at 2015-01-15T22:00:00+11:00 as written") == true, "\(lines)")
        #expect(compiles(json))
    }

    @Test func anUnknownMedicationIsDeclaredSoThePlanChecks() {
        let json = request(#"{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 15, "unit": "mg", "code": "mg"}}]}"#,
                           medication: #""coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "12345", "display": "Senna 8.6 MG Oral Tablet"}]"#)
        #expect(imported(json)?.source.contains("drug senna") == true)
        #expect(compiles(json))
    }

    /// A code the knowledge base holds names the drug before any words: the record's own display
    /// (a brand and strength here) is not needed to recognise ciprofloxacin by RxNorm 2551.
    @Test func aKnownRxNormCodeNamesTheDrug() {
        let daily = #"{"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 500, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}]}"#
        let coded = request(daily, medication: #""coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "2551"}], "text": "Quinolone XR brand 500""#)
        #expect(items(coded).first?.hasPrefix("ciprofloxacin 500mg") == true, "\(items(coded))")
        #expect(imported(coded)?.source.contains("drug ") == false, "a known code needs no declaration")
        // The same words without the code: an unknown drug, declared.
        let uncoded = request(daily, medication: #""text": "Quinolone XR brand 500""#)
        #expect(imported(uncoded)?.source.contains("drug ") == true)
        // A code of another system with the same digits is not the drug.
        let otherSystem = request(daily, medication: #""coding": [{"system": "http://snomed.info/sct", "code": "2551"}], "text": "Quinolone XR brand 500""#)
        #expect(items(otherSystem).first?.hasPrefix("ciprofloxacin") == false)
    }

    /// A Condition coded with a SNOMED CT code the knowledge base holds is that condition, whatever its text.
    @Test func aKnownSnomedCodeNamesTheCondition() {
        let bundle = """
        {"resourceType": "Bundle", "type": "collection", "entry": [
         {"resource": {"resourceType": "Condition", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "24700007"}], "text": "Demyelinating disease, clinic term"}}},
         {"resource": \(request(#"{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 75, "unit": "mcg", "system": "http://unitsofmeasure.org", "code": "ug"}}]}"#))}]}
        """
        #expect(imported(bundle)?.source.contains("conditions multiple sclerosis") == true, "\(imported(bundle)?.source ?? "")")
    }

    /// A product's ingredient that is a salt states the salt's mass (500 mg of magnesium oxide a capsule);
    /// Regimen's product states the element's, so it is converted (60.3%: 301.5 mg), never copied across.
    @Test func aSaltIngredientsStrengthIsConvertedToTheElement() {
        let json = """
        {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
         "contained": [{"resourceType": "Medication", "id": "m", "code": {"text": "Mag Caps"},
                        "ingredient": [{"itemCodeableConcept": {"text": "magnesium oxide"}, "strength": {"numerator": {"value": 500, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}, "denominator": {"value": 1, "unit": "capsule", "system": "http://unitsofmeasure.org", "code": "{capsule}"}}}]}],
         "medicationReference": {"reference": "#m"},
         "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "capsule", "system": "http://unitsofmeasure.org", "code": "{capsule}"}}]}]}
        """
        #expect(imported(json)?.source.contains("product \"Mag Caps\": magnesium oxide 301.5mg per capsule") == true, "\(imported(json)?.source ?? "")")
        #expect(compiles(json))
    }
}
