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

    /// Observations from HL7's Potential Drug-Drug Interaction IG examples (hl7.org/fhir/uv/pddi,
    /// Observation observation-digoxin-cyclosporine-magnesium, -potassium and -digoxin; their codes, values
    /// and units as the examples give them): magnesium coded 2601-3, whose unit is coded in SNOMED CT
    /// (258813002, mM), is a laboratory result by its LOINC code; potassium coded 22760-3 (mass per volume,
    /// a code the knowledge base does not hold) and digoxin are no result the patient block can hold, so each
    /// is a comment and a warning, never dropped silently.
    @Test func observationsFromHL7sExamplesFillTheLabs() throws {
        let daily = #"{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 125, "unit": "mcg", "system": "http://unitsofmeasure.org", "code": "ug"}}]}"#
        let bundle = """
        {"resourceType": "Bundle", "type": "collection", "entry": [
         {"resource": {"resourceType": "Observation", "id": "observation-digoxin-cyclosporine-magnesium", "status": "final",
          "code": {"coding": [{"system": "http://loinc.org", "code": "2601-3", "display": "Magnesium [Moles/volume] in Serum or Plasma"}]},
          "issued": "2018-08-04T14:34:00+01:00", "valueQuantity": {"value": 0.9, "unit": "mmol/L", "system": "http://snomed.info/sct", "code": "258813002"}}},
         {"resource": {"resourceType": "Observation", "id": "observation-digoxin-cyclosporine-potassium", "status": "final",
          "code": {"coding": [{"system": "http://loinc.org", "code": "22760-3", "display": "Potassium [Mass/volume] in Serum or Plasma"}]},
          "valueQuantity": {"value": 0.9, "unit": "mmol/L"}}},
         {"resource": {"resourceType": "Observation", "id": "observation-digoxin-cyclosporine-digoxin", "status": "final",
          "code": {"coding": [{"system": "http://loinc.org", "code": "10535-3", "display": "Digoxin [Mass/volume] in Serum or Plasma"}]},
          "valueQuantity": {"value": 2.3, "unit": "ng/mL", "system": "http://snomed.info/sct", "code": "258806002"}}},
         {"resource": \(request(daily, medication: #""text": "digoxin""#))}]}
        """
        let result = try #require(imported(bundle))
        #expect(result.source.contains("  labs magnesium 0.9 mmol/L\n"), "\(result.source)")
        #expect(result.source.contains("# observation not imported: \"Potassium [Mass/volume] in Serum or Plasma\" (0.9 mmol/L) is no laboratory result the knowledge base knows"), "\(result.source)")
        #expect(result.source.contains("# observation not imported: \"Digoxin [Mass/volume] in Serum or Plasma\""), "\(result.source)")
        #expect(result.warnings.filter { $0.hasPrefix("Observation ") && $0.contains("not imported") }.count == 2, "\(result.warnings)")
        #expect(compiles(bundle))
    }

    /// A result by its name, in a unit the analyte converts from (mg/dL of magnesium), with its date; one in
    /// a unit of another kind, or with no value, is said and left out.
    @Test func aLabResultIsReadInItsUnitWithItsDate() throws {
        func bundle(_ observation: String) -> String {
            """
            {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Observation", "status": "final", \(observation)}},
             {"resource": \(request(#"{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 75, "unit": "mcg", "code": "ug"}}]}"#))}]}
            """
        }
        let named = try #require(imported(bundle(#""code": {"text": "serum magnesium"}, "effectiveDateTime": "2026-11-20T08:30:00Z", "valueQuantity": {"value": 1.5, "unit": "mg/dL", "system": "http://unitsofmeasure.org", "code": "mg/dL"}"#)))
        #expect(named.source.contains("  labs magnesium 1.5 mg/dL on 2026-11-20\n"), "\(named.source)")
        let tsh = try #require(imported(bundle(#""code": {"coding": [{"system": "http://loinc.org", "code": "3016-3"}]}, "valueQuantity": {"value": 3.1, "unit": "uIU/mL", "system": "http://unitsofmeasure.org", "code": "u[IU]/mL"}"#)))
        #expect(tsh.source.contains("  labs tsh 3.1 µIU/mL\n"), "\(tsh.source)")
        let wrongKind = try #require(imported(bundle(#""code": {"text": "potassium"}, "valueQuantity": {"value": 5, "unit": "ms", "system": "http://unitsofmeasure.org", "code": "ms"}"#)))
        #expect(!wrongKind.source.contains("labs ") && wrongKind.source.contains("# observation not imported: \"potassium\" is in ms, which does not convert"), "\(wrongKind.source)")
        // A name that tries to add a plan line stays inside its comment.
        let hostile = try #require(imported(bundle(#""code": {"text": "sodium\n  magnesium oxide 9000mg daily"}, "valueQuantity": {"value": 139, "unit": "mmol/L\nzinc 900mg daily"}"#)))
        #expect(!hostile.source.split(separator: "\n").contains { $0.hasPrefix("  magnesium oxide") || $0.hasPrefix("zinc") }, "\(hostile.source)")
        #expect(hostile.source.contains("# observation not imported: \"sodium\\n  magnesium oxide 9000mg daily\" (139 mmol/L zinc 900mg daily)"), "\(hostile.source)")
        let empty = try #require(imported(bundle(#""code": {"text": "potassium"}, "valueString": "high""#)))
        #expect(empty.source.contains("# observation not imported: \"potassium\" has no valueQuantity"), "\(empty.source)")
        #expect(compiles(bundle(#""code": {"text": "serum magnesium"}, "effectiveDateTime": "2026-11-20", "valueQuantity": {"value": 1.5, "unit": "mg/dL", "code": "mg/dL"}"#)))
    }

    /// A series of results of one kind: the latest dated one fills the patient block, each other is a comment
    /// and a warning; a result entered in error is none of the patient's.
    @Test func ofASeriesTheLatestResultIsThePatients() throws {
        func potassium(_ value: Double, _ date: String, status: String = "final") -> String {
            #"{"resource": {"resourceType": "Observation", "status": "\#(status)", "code": {"coding": [{"system": "http://loinc.org", "code": "2823-3"}]}, "effectiveDateTime": "\#(date)", "valueQuantity": {"value": \#(value), "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L"}}}"#
        }
        let weight = #"{"resource": {"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]}, "effectiveDateTime": "2026-10-01", "valueQuantity": {"value": 71, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}}"#
        let laterWeight = weight.replacingOccurrences(of: "2026-10-01", with: "2026-11-01").replacingOccurrences(of: "71", with: "69")
        let bundle = """
        {"resourceType": "Bundle", "type": "collection", "entry": [\(potassium(4.1, "2026-11-02")), \(potassium(5.9, "2026-11-19")), \(potassium(4.4, "2026-10-20")),
         \(potassium(7.9, "2026-11-21", status: "entered-in-error")), \(weight), \(laterWeight),
         {"resource": \(request(#"{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 75, "unit": "mcg", "code": "ug"}}]}"#))}]}
        """
        let result = try #require(imported(bundle))
        #expect(result.source.contains("  weight 69 kg\n") && result.source.contains("  labs potassium 5.9 mmol/L on 2026-11-19\n"), "\(result.source)")
        #expect(result.source.contains("# observation not imported: another potassium result, potassium 4.1 mmol/L on 2026-11-02, not the latest dated one"), "\(result.source)")
        #expect(result.source.contains("# observation not imported: another potassium result, potassium 4.4 mmol/L on 2026-10-20"), "\(result.source)")
        #expect(result.source.contains("# observation not imported: another weight result, weight 71 kg on 2026-10-01"), "\(result.source)")
        #expect(result.source.contains("has the status entered-in-error") && !result.source.contains("7.9 mmol/L on"), "\(result.source)")
        #expect(compiles(bundle))
    }

    /// A patient fact the plan would refuse (a weight no one has, a result dated after the day the plan is
    /// checked on, a facts line that is not one) is said and left out, so the imported plan still checks.
    @Test func aPatientFactThePlanWouldRefuseIsLeftOutAndSaid() throws {
        let order = request(#"{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 75, "unit": "mcg", "code": "ug"}}]}"#)
        let bundle = """
        {"resourceType": "Bundle", "type": "collection", "entry": [
         {"resource": {"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]}, "valueQuantity": {"value": 700, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}},
         {"resource": {"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "2823-3"}]}, "effectiveDateTime": "2026-12-24", "valueQuantity": {"value": 4.2, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L"}}},
         {"resource": {"resourceType": "Patient", "extension": [{"url": "https://regimen.dev/fhir/StructureDefinition/patient-facts", "valueString": "conditions multiple sclerosis garlic 220 mg/day"}]}},
         {"resource": \(order)}]}
        """
        guard case .success(let result) = FHIRImport.read(Array(bundle.utf8), today: testToday) else {
            Issue.record("not imported")
            return
        }
        for said in ["# patient line not imported: weight 700 kg", "# patient line not imported: labs potassium 4.2 mmol/L on 2026-12-24", "# patient line not imported: conditions multiple sclerosis garlic"] {
            #expect(result.source.contains(said), "\(said) not in:\n\(result.source)")
        }
        #expect(result.warnings.filter { $0.hasPrefix("patient: not imported") }.count == 3, "\(result.warnings)")
        let compilation = Frontend.compile(bytes: Array(result.source.utf8), name: "i.regimen", path: "i.regimen", provider: MemorySourceProvider([:]), today: testToday)
        #expect(!compilation.hasErrors, "\(compilation.diagnostics.map(\.message))")
        // Without a day to check against, no date is in the future: the result is kept.
        #expect(imported(bundle)?.source.contains("  labs potassium 4.2 mmol/L on 2026-12-24\n") == true)
    }

    /// Times that do not match the doses a day (two a day, one `when`) cannot both hold: the frequency is
    /// kept and the times are a note; a Regimen clause that contradicts the frequency leaves the item out, said.
    @Test func timesThatDoNotMatchTheDosesADayAreSaid() throws {
        let mismatched = request(#"{"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d", "when": ["ACM"], "offset": 15}}, "doseAndRate": [{"doseQuantity": {"value": 75, "unit": "mcg", "code": "ug"}}]}"#)
        let line = try #require(items(mismatched).first)
        #expect(line.hasPrefix("levothyroxine 75mcg twice daily, note \"the record gives the times \\\"15min before breakfast\\\" for 2 doses a day"), "\(line)")
        #expect(compiles(mismatched))
        let clause = request(#"{"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}, "additionalInstruction": [{"text": "15min before breakfast"}], "doseAndRate": [{"doseQuantity": {"value": 75, "unit": "mcg", "code": "ug"}}]}"#)
        let result = try #require(imported(clause))
        #expect(result.items == 0 && result.source.contains("# not imported: levothyroxine 75mcg twice daily, 15min before breakfast: the item is taken twice a day, but its timing names one time"), "\(result.source)")
        #expect(result.warnings.contains { $0.contains("its timing names one time") })
    }

    /// An order on hold that another system wrote is not scheduled: a comment that gives its reason, and a warning.
    @Test func anOrderOnHoldSaysWhy() throws {
        let json = request(#"{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 75, "unit": "mcg", "code": "ug"}}]}"#,
                           extra: #""statusReason": {"text": "awaiting thyroid function tests"},"#).replacingOccurrences(of: "\"status\": \"active\"", with: "\"status\": \"on-hold\"")
        let result = try #require(imported(json))
        #expect(items(json).isEmpty, "\(result.source)")
        #expect(result.source.contains("because its status is on-hold (awaiting thyroid function tests)"), "\(result.source)")
        #expect(result.warnings.contains { $0.contains("on-hold (awaiting thyroid function tests)") })
    }

    /// A Medication of several ingredients, each a substance the knowledge base knows with its strength per
    /// tablet, is a product declaration (a salt's mass as the element's); one with an ingredient it does not
    /// know keeps the ingredients in a note.
    @Test func aMedicationOfSeveralIngredientsIsAProduct() {
        func medication(_ second: String) -> String {
            """
            {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
             "contained": [{"resourceType": "Medication", "id": "m", "code": {"text": "Cal-D"},
                            "ingredient": [{"itemCodeableConcept": {"text": "calcium carbonate"}, "strength": {"numerator": {"value": 1500, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}, "denominator": {"value": 1, "unit": "tablet", "system": "http://unitsofmeasure.org", "code": "{tablet}"}}},
                                           {"itemCodeableConcept": {"text": "\(second)"}, "strength": {"numerator": {"value": 400, "unit": "IU", "system": "http://unitsofmeasure.org", "code": "[iU]"}, "denominator": {"value": 1, "unit": "tablet", "system": "http://unitsofmeasure.org", "code": "{tablet}"}}}]}],
             "medicationReference": {"reference": "#m"},
             "dosageInstruction": [{"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet", "system": "http://unitsofmeasure.org", "code": "{tablet}"}}]}]}
            """
        }
        let known = medication("cholecalciferol")
        #expect(imported(known)?.source.contains("product \"Cal-D\": calcium carbonate 600mg elemental, cholecalciferol 400 IU per tablet") == true, "\(imported(known)?.source ?? "")")
        #expect(items(known) == ["\"Cal-D\" 1 tablet twice daily"], "\(items(known))")
        #expect(compiles(known))
        let unknown = medication("examplamin")
        #expect(imported(unknown)?.source.contains("product ") == false)
        #expect(imported(unknown)?.source.contains("ingredients: calcium carbonate 1500 mg per 1 tablet; examplamin 400 IU per 1 tablet") == true, "\(imported(unknown)?.source ?? "")")
    }
}
