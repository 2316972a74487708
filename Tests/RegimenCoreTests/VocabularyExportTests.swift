import Foundation
@testable import RegimenCore

import Testing
import TestSupport

/// The FHIR fields of the prescription vocabulary that FHIR has a place for: an infusion's rate
/// (Dosage.doseAndRate.rateQuantity) and length (Timing.repeat.duration), a dose per kg as the
/// worked-out amount, and what FHIR has no field for (a cycle, a volume, `hold if`) as an
/// additional instruction, never dropped.
@Suite struct VocabularyExportTests {
    private func dosages(_ source: String) throws -> [[String: Any]] {
        let compilation = Frontend.compile(bytes: Array(source.utf8), name: "t.regimen", path: "t.regimen",
                                           provider: MemorySourceProvider([:]), today: testToday)
        #expect(!compilation.hasErrors, "\(compilation.diagnostics.map(\.message))")
        let bundle = FHIRExport(compilation, today: testToday).bundle().serialized()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bundle.utf8)) as? [String: Any])
        let entries = try #require(json["entry"] as? [[String: Any]])
        return entries.compactMap { $0["resource"] as? [String: Any] }
            .filter { $0["resourceType"] as? String == "MedicationRequest" }
            .compactMap { ($0["dosageInstruction"] as? [[String: Any]])?.first }
    }

    private let ward = "drug ceftriaxone\npatient:\n  age 60\n  setting hospital\nplan \"x\" from 2026-12-01 for 3 days:\n"

    @Test func infusionRateAndLength() throws {
        let dosage = try #require(try dosages(ward + "  ceftriaxone 2g iv daily at 2 g/h\n").first)
        let doseAndRate = try #require((dosage["doseAndRate"] as? [[String: Any]])?.first)
        let rate = try #require(doseAndRate["rateQuantity"] as? [String: Any])
        #expect(rate["value"] as? Double == 2)
        #expect(rate["code"] as? String == "g/h")
        let repeatFields = try #require((dosage["timing"] as? [String: Any])?["repeat"] as? [String: Any])
        // 2 g at 2 g/h runs 1 h.
        #expect(repeatFields["duration"] as? Int == 1)
        #expect(repeatFields["durationUnit"] as? String == "h")
    }

    @Test func infusionLengthAndVolume() throws {
        let dosage = try #require(try dosages(ward + "  magnesium sulfate 2g salt iv over 20 min, in 100 mL\n").first)
        let repeatFields = try #require((dosage["timing"] as? [String: Any])?["repeat"] as? [String: Any])
        #expect(repeatFields["duration"] as? Int == 20)
        #expect(repeatFields["durationUnit"] as? String == "min")
        let doseAndRate = try #require((dosage["doseAndRate"] as? [[String: Any]])?.first)
        #expect(doseAndRate["rateQuantity"] == nil)
        let instructions = (dosage["additionalInstruction"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(instructions.contains("in 100 mL"))
    }

    @Test func weightBasedDoseIsTheWorkedOutAmount() throws {
        let source = "patient:\n  age 6\n  weight 20kg\nplan \"x\" from 2026-12-01 for 3 days:\n  ibuprofen 30 mg/kg/day divided every 8h\n"
        let dosage = try #require(try dosages(source).first)
        let dose = try #require(((dosage["doseAndRate"] as? [[String: Any]])?.first?["doseQuantity"]) as? [String: Any])
        // 30 mg/kg/day × 20 kg = 600 mg a day, in 3 doses: 200 mg each.
        #expect(dose["value"] as? Double == 200)
        #expect(dose["code"] as? String == "mg")
        #expect((dosage["text"] as? String)?.contains("30 mg/kg/day × 20 kg = 600 mg a day; divided into 3 doses of 200 mg") == true)
    }

    @Test func cycleAndHoldTravelAsInstructions() throws {
        let source = "patient:\n  age 60\n  egfr 80\nplan \"x\" from 2026-12-01:\n"
            + "  capecitabine 1000mg twice daily on days 1-14 of each 21-day cycle, for 2 cycles, hold if patient.egfr < 30\n"
        let dosage = try #require(try dosages(source).first)
        let instructions = (dosage["additionalInstruction"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(instructions.contains("on days 1-14 of each 21-day cycle"))
        #expect(instructions.contains("hold if patient.egfr < 30"))
    }

    /// One Timing over a cycled course would read as every day: each run of dosing days is a
    /// Dosage of its own, bounded to it (2 cycles of 21 days, days 1-14: Dec 1-14 and Dec 22 - Jan 4).
    @Test func eachRunOfACycleIsItsOwnBoundedDosage() throws {
        let source = "patient:\n  age 60\nplan \"x\" from 2026-12-01:\n"
            + "  capecitabine 1000mg twice daily on days 1-14 of each 21-day cycle, for 2 cycles\n"
        let compilation = Frontend.compile(bytes: Array(source.utf8), name: "t.regimen", path: "t.regimen",
                                           provider: MemorySourceProvider([:]), today: testToday)
        let bundle = FHIRExport(compilation, today: testToday).bundle().serialized()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bundle.utf8)) as? [String: Any])
        let order = try #require((json["entry"] as? [[String: Any]])?.compactMap { $0["resource"] as? [String: Any] }
            .first { $0["resourceType"] as? String == "MedicationRequest" })
        let bounds = (order["dosageInstruction"] as? [[String: Any]] ?? []).compactMap { dosage -> [String]? in
            guard let period = ((dosage["timing"] as? [String: Any])?["repeat"] as? [String: Any])?["boundsPeriod"] as? [String: String] else { return nil }
            return [period["start"] ?? "", period["end"] ?? ""]
        }
        #expect(bounds == [["2026-12-01", "2026-12-14"], ["2026-12-22", "2027-01-04"]])
    }

    /// A held item is an order on hold with its reason (FHIR's on-hold: "temporarily halted"), never an active one.
    @Test func aHeldItemIsAnOrderOnHold() throws {
        let source = "patient:\n  age 70\n  egfr 25\nplan \"x\" from 2026-12-01 for 3 days:\n"
            + "  metformin 500mg twice daily, hold if patient.egfr < 30\n  vitamin d3 1000 IU daily\n"
        let compilation = Frontend.compile(bytes: Array(source.utf8), name: "t.regimen", path: "t.regimen",
                                           provider: MemorySourceProvider([:]), today: testToday)
        let orders = (FHIRExport(compilation, today: testToday).bundle()["entry"]?.array ?? []).compactMap { $0["resource"] }
            .filter { $0["resourceType"]?.string == "MedicationRequest" }
        #expect(orders.map { $0["status"]?.string ?? "" } == ["active", "on-hold"])
        let held = try #require(orders.last)
        #expect(held["medicationCodeableConcept"]?["text"]?.string == "metformin")
        #expect(held["statusReason"]?["text"]?.string == "held: hold if patient.egfr < 30 holds for this patient (patient.egfr = 25)")
        // Its course stays stated, for when the hold is lifted.
        #expect(held["dosageInstruction"]?.array?.first?["timing"]?["repeat"]?["boundsPeriod"]?["end"]?.string == "2026-12-03")
    }

    /// A day's total in a SIG (`1200 mg/day divided tid`) is imported as the day's total, so the dose
    /// is 400 mg three times a day; read as `1200 mg` with `tid` it would be three times the dose.
    @Test func aSIGDailyTotalIsDividedNotRepeated() throws {
        let reading = try SIGImport.read("1200 mg/day divided tid", today: testToday).get()
        #expect(reading.itemLine.hasPrefix("medication 1200 mg/day, 3 times daily"))
        #expect(reading.compilation.plan.items.first?.dose.base == 400)
    }

    /// A dose per kg or per m² in a SIG has no patient to work it out for: no item, never `50 mg`.
    @Test(arguments: ["50 mg/kg/day divided twice daily", "375 mg/m2 iv weekly", "10 mg/kg every 8 hours"])
    func aSIGDosePerKgIsNotGuessed(_ sig: String) {
        guard case .failure(.noDose(let unread)) = SIGImport.read(sig, today: testToday) else {
            Issue.record("\(sig) was imported with a dose")
            return
        }
        #expect(unread.contains("per"))
    }

    /// Days that differ and stays elsewhere travel in Regimen's Patient extensions and come back:
    /// the plan imported from the Bundle gives the same doses at the same instants.
    @Test func daysAndStaysRoundTripThroughFHIR() throws {
        let source = """
            patient:
              age 50
              timezone "Europe/Berlin"
              timezone "Asia/Tokyo" from 2027-01-10 until 2027-01-12
              wake 06:30, breakfast 07:00
              on weekends: wake 09:00, breakfast 09:30
              on mon, wed: wake 05:00
              from 2027-01-14 until 2027-01-15: wake 18:00, breakfast 18:30, lunch 00:30, dinner 06:00, bed 10:00
            plan "x" from 2027-01-06 for 12 days:
              vitamin d3 1000 IU daily with breakfast
              magnesium glycinate 200mg nightly

            """
        let original = Frontend.compile(bytes: Array(source.utf8), name: "t.regimen", path: "t.regimen",
                                        provider: MemorySourceProvider([:]), today: testToday)
        #expect(!original.hasErrors)
        let bundle = FHIRExport(original, today: testToday).bundle().serialized()
        guard case .success(let imported) = FHIRImport.source(fromBundle: Array(bundle.utf8)) else {
            Issue.record("the Bundle does not import")
            return
        }
        #expect(imported.contains("on weekends: wake 09:00, breakfast 09:30"))
        #expect(imported.contains("timezone \"Asia/Tokyo\" from 2027-01-10 until 2027-01-12"))
        let again = Frontend.compile(bytes: Array(imported.utf8), name: "i.regimen", path: "i.regimen",
                                     provider: MemorySourceProvider([:]), today: testToday)
        #expect(!again.hasErrors, "\(again.diagnostics.map(\.message))\n\(imported)")
        func instants(_ compilation: Compilation) -> [Int] {
            Simulator.run(compilation, options: SimulationOptions(start: CivilDate(year: 2027, month: 1, day: 6)!, days: 12), today: testToday)
                .events.map(\.instant)
        }
        #expect(instants(again) == instants(original))
    }

    /// An extension that is not exactly a day line or a stay is not imported: no text reaches the plan.
    @Test(arguments: ["on weekends: wake 09:00\nrule \"x\"", "on funday: wake 09:00", "from 2027-01-01: wake 09:00", "on sat: coffee 08:00"])
    func aForgedDayLineIsNotImported(_ value: String) {
        #expect(FHIRPatientDays.checkedDayLine(value) == nil)
    }

    /// SIG phrases of the new vocabulary: an infusion's length, and the most doses in a row.
    @Test func aSIGInfusionAndAMostInARow() throws {
        let infusion = try SIGImport.read("1 g IV over 30 minutes every 12 hours", today: testToday).get()
        #expect(infusion.complete)
        #expect(infusion.compilation.plan.items.first?.infusion?.minutes == 30)
        let nitroglycerin = try SIGImport.read("0.4 mg SL every 5 minutes as needed for chest pain, max 3 doses", today: testToday).get()
        #expect(nitroglycerin.complete)
        #expect(nitroglycerin.compilation.plan.items.first?.schedule.maxInARow == 3)
        #expect(nitroglycerin.compilation.plan.items.first?.schedule.asNeededInterval == 5)
        // By mouth an infusion's length means nothing: the front end refuses it and it stays unread.
        let oral = try SIGImport.read("1 tab po over 30 minutes daily", today: testToday).get()
        #expect(!oral.complete)
    }
}
