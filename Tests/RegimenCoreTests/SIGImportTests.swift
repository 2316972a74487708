import Foundation
import RegimenCore
import Testing
import TestSupport

/// One row of `Golden/sig/sigs.tsv`: a SIG, the Regimen line it means, the FHIR Dosage it means
/// (as the compact projection below), and where the SIG comes from.
struct SIGCase: CustomTestStringConvertible, Sendable {
    var line: Int
    var sig: String
    var regimen: String
    var fhir: String
    var source: String
    var testDescription: String { "line \(line): \(sig)" }

    static func all() -> [SIGCase] {
        let path = packageRoot + "/Tests/RegimenCoreTests/Golden/sig/sigs.tsv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var cases: [SIGCase] = []
        for (number, row) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if row.hasPrefix("#") || row.trimmingCharacters(in: .whitespaces).isEmpty || row.hasPrefix("sig\t") { continue }
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else { continue }
            cases.append(SIGCase(line: number + 1, sig: fields[0].replacingOccurrences(of: "\\n", with: "\n"),
                                 regimen: fields[1], fhir: fields[2], source: fields[3]))
        }
        return cases
    }
}

/// The parts of a FHIR Dosage a SIG decides, as `key=value;…` in a fixed order:
/// dose, route, freq, period, periodMax, unit, when, offset, time, dow, count, days, prn, max.
/// A week is written as 7 days, so `weekly` (period 7 d) and `period 1 wk` compare equal.
enum DosageProjection {
    static func of(_ dosage: JSON) -> [String: String] {
        var out: [String: String] = [:]
        if let q = dosage["doseAndRate"]?.array?.first?["doseQuantity"], let v = q["value"]?.double {
            out["dose"] = "\(format(v)) \(q["code"]?.string ?? "")"
        }
        if let range = dosage["doseAndRate"]?.array?.first?["doseRange"], let low = range["low"]?["value"]?.double,
           let high = range["high"]?["value"]?.double {
            out["dose"] = "\(format(low))-\(format(high)) \(range["high"]?["code"]?.string ?? "")"
        }
        if let route = dosage["route"]?["text"]?.string { out["route"] = route }
        let r = dosage["timing"]?["repeat"]
        var period = r?["period"]?.double, periodMax = r?["periodMax"]?.double, unit = r?["periodUnit"]?.string
        if unit == "wk" { period = period.map { $0 * 7 }; periodMax = periodMax.map { $0 * 7 }; unit = "d" }
        // Whole days in hours are days (`every 72 hours` is every 3 days).
        if unit == "h", let p = period, p.truncatingRemainder(dividingBy: 24) == 0, (periodMax ?? 0).truncatingRemainder(dividingBy: 24) == 0 {
            period = p / 24; periodMax = periodMax.map { $0 / 24 }; unit = "d"
        }
        if let f = r?["frequency"]?.int { out["freq"] = String(f) }
        if let period { out["period"] = format(period) }
        if let periodMax { out["periodMax"] = format(periodMax) }
        if let unit { out["unit"] = unit }
        if let when = r?["when"]?.strings { out["when"] = when.joined(separator: ",") }
        if let offset = r?["offset"]?.int { out["offset"] = String(offset) }
        if let times = r?["timeOfDay"]?.strings { out["time"] = times.map { String($0.prefix(5)) }.joined(separator: ",") }
        if let days = r?["dayOfWeek"]?.strings { out["dow"] = days.joined(separator: ",") }
        if let count = r?["count"]?.int { out["count"] = String(count) }
        if let bounds = r?["boundsPeriod"], let start = bounds["start"]?.string.flatMap({ CivilDate(parsing: $0) }),
           let end = bounds["end"]?.string.flatMap({ CivilDate(parsing: $0) }) {
            out["days"] = String(end.dayNumber - start.dayNumber + 1)
        }
        // A single dose's bounds are its one day: nothing a SIG says.
        if out["count"] == "1", out["days"] == "1" { out["days"] = nil }
        if dosage["asNeededBoolean"]?.bool == true { out["prn"] = "true" }
        if let reason = dosage["asNeededCodeableConcept"]?["text"]?.string { out["prn"] = reason }
        if let max = dosage["maxDosePerPeriod"], let v = max["numerator"]?["value"]?.double {
            out["max"] = "\(format(v)) \(max["numerator"]?["code"]?.string ?? "")/\(max["denominator"]?["code"]?.string ?? "")"
        }
        return out
    }

    static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: ";") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { out[kv[0]] = kv[1] }
        }
        return out
    }

    /// Equal on every key; a SIG that names no time of day leaves `when`/`time` to the Universal
    /// Medication Schedule defaults, which are not compared.
    static func matches(expected: [String: String], actual: [String: String]) -> Bool {
        var actual = actual
        if expected["when"] == nil, expected["time"] == nil, expected["offset"] == nil {
            actual["when"] = nil
            actual["time"] = nil
            actual["offset"] = nil
        }
        return expected == actual
    }

    static func format(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }

    static func describe(_ p: [String: String]) -> String {
        let order = ["dose", "route", "freq", "period", "periodMax", "unit", "when", "offset", "time", "dow", "count", "days", "prn", "max"]
        return order.compactMap { key in p[key].map { "\(key)=\($0)" } }.joined(separator: ";")
    }
}

@Suite struct SIGImportTests {
    @Test func theSuiteHoldsAtLeast150SIGsEachWithASource() {
        let cases = SIGCase.all()
        #expect(cases.count >= 150)
        #expect(cases.allSatisfy { !$0.source.isEmpty && !$0.fhir.isEmpty && !$0.regimen.isEmpty })
    }

    /// Imports every SIG; none may crash; the share whose Dosage equals the expected one is reported
    /// and must be at least 90%, and every SIG not read whole is reported with its unread words.
    @Test func goldenSIGs() {
        let cases = SIGCase.all()
        var fhirEqual = 0, lineEqual = 0, partial: [String] = [], mismatches: [String] = []
        for c in cases {
            switch SIGImport.read(c.sig, today: testToday) {
            case .failure(let failure):
                // `TAKE AS DIRECTED`: nothing to import is the expected outcome.
                if c.fhir == "none" { fhirEqual += 1; if c.regimen == "none" { lineEqual += 1 }; continue }
                mismatches.append("line \(c.line) `\(c.sig)`: not imported (\(failure))")
            case .success(let reading):
                if reading.itemLine == c.regimen { lineEqual += 1 }
                if !reading.complete { partial.append("line \(c.line) `\(c.sig)`: not read: \(reading.unread.joined(separator: " "))") }
                // The item line must check in its plan block with no front-end error.
                #expect(!reading.compilation.hasErrors, "line \(c.line): \(reading.source)")
                guard let dosage = SIGImport.dosage(reading, today: testToday) else {
                    mismatches.append("line \(c.line) `\(c.sig)`: no Dosage")
                    continue
                }
                let actual = DosageProjection.of(dosage), expected = DosageProjection.parse(c.fhir)
                if DosageProjection.matches(expected: expected, actual: actual) {
                    fhirEqual += 1
                } else {
                    mismatches.append("line \(c.line) `\(c.sig)`\n    expected \(DosageProjection.describe(expected))\n    actual   \(DosageProjection.describe(actual))\n    line     \(reading.itemLine)")
                }
            }
        }
        let share = cases.isEmpty ? 0 : Double(fhirEqual) / Double(cases.count)
        let report = """
            SIG golden suite: \(fhirEqual) of \(cases.count) FHIR Dosages equal the expected one (\(String(format: "%.1f", share * 100))%); \
            \(lineEqual) Regimen lines equal the expected text; \(partial.count) not read whole
            \(partial.joined(separator: "\n"))
            mismatches:
            \(mismatches.joined(separator: "\n"))
            """
        print(report)
        if let path = ProcessInfo.processInfo.environment["SIG_REPORT"] { try? report.write(toFile: path, atomically: true, encoding: .utf8) }
        #expect(share >= 0.9, "\(report)")
    }

    @Test func aQuoteOrANewlineInTheSIGStaysInsideTheNote() throws {
        let sig = "1 tab po daily \"\nsenna 2 tablets bid, note \"x\\"
        let reading = try SIGImport.read(sig, today: testToday).get()
        #expect(reading.compilation.plan.items.count == 1, "one item, whatever the SIG holds")
        #expect(!reading.compilation.hasErrors)
        #expect(reading.source.split(separator: "\n").count == 3, "drug line, plan line, one item line: \(reading.source)")
        #expect(reading.compilation.plan.items[0].notes.first?.contains("senna") == true)
        #expect(!reading.complete)
    }

    /// `2 tablets in the morning and 1 at night`: read as one line, the night dose would be 2
    /// tablets. It is two items, each with its own dose and time; a dose said twice is one item.
    @Test func aSecondDifferentDoseIsItsOwnItem() throws {
        let reading = try SIGImport.read("take 2 tablets in the morning and 1 at night", today: testToday).get()
        let items = reading.compilation.plan.items
        #expect(!reading.compilation.hasErrors, "\(reading.source)")
        #expect(items.map(\.dose.description) == ["2 tablets", "1 tablet"])
        #expect(items.map { $0.schedule.slots.count } == [1, 1])
        #expect(reading.complete, "\(reading.unread)")
        let again = try SIGImport.read("take 1 tablet by mouth every morning and take 1 tablet by mouth every evening", today: testToday).get()
        #expect(again.compilation.plan.items.count == 1)
        #expect(again.compilation.plan.items.first?.schedule.slots.count == 2)
        #expect(again.complete, "\(again.unread)")
    }

    @Test func nothingReadableFails() {
        #expect(throws: SIGImport.Failure.self) { try SIGImport.read("hello world", today: testToday).get() }
    }

    @Test func aNameThatCannotNameAnItemIsRefused() {
        guard case .failure(.badName) = SIGImport.read("1 tab daily", medication: "x\"\n  evil 5mg daily", today: testToday) else {
            Issue.record("expected badName")
            return
        }
    }

    @Test func aKnownNameIsNotDeclared() throws {
        let reading = try SIGImport.read("1 tab po daily", medication: "levothyroxine", today: testToday).get()
        #expect(!reading.source.contains("drug "))
        #expect(!reading.compilation.hasErrors)
    }

    @Test func nonOralRoutesHaveTheirSNOMEDCodesAndDoNotCountOrally() throws {
        let codes = ["inhaled": "447694001", "nasal": "46713006", "ophthalmic": "54485002", "otic": "10547007",
                     "rectal": "37161004", "vaginal": "16857009", "transdermal": "45890007"]
        for (route, code) in codes {
            let reading = try SIGImport.read("1 spray \(route) daily", today: testToday).get()
            let dosage = try #require(SIGImport.dosage(reading, today: testToday))
            #expect(dosage["route"]?["coding"]?.array?.first?["code"]?.string == code, "\(route)")
        }
    }
}
