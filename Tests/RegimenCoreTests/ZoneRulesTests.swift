import Foundation
@testable import RegimenCore
import Testing

/// The time zone rules read from the system's database, checked against hand-worked dates and
/// against Foundation's time zones (ICU's copy of the same IANA data) as an independent reading.
@Suite struct ZoneRulesTests {
    private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Int {
        CivilDate(year: year, month: month, day: day)!.dayNumber * 86_400 + hour * 3600 + minute * 60
    }

    @Test func europeanRule() throws {
        let rule = try #require(PosixRule(parsing: "CET-1CEST,M3.5.0,M10.5.0/3"))
        #expect(rule.standard == LocalTimeType(offset: 3600, isDaylight: false, abbreviation: "CET"))
        // 2026: last Sunday of March 02:00 CET = 01:00 UTC; last Sunday of October 03:00 CEST = 01:00 UTC.
        #expect(rule.type(at: utc(2026, 3, 29, 0, 59)).abbreviation == "CET")
        #expect(rule.type(at: utc(2026, 3, 29, 1)).abbreviation == "CEST")
        #expect(rule.type(at: utc(2026, 10, 25, 0, 59)).offset == 7200)
        #expect(rule.type(at: utc(2026, 10, 25, 1)).offset == 3600)
    }

    @Test func southernHemisphereRule() throws {
        // Sydney: daylight saving from the first Sunday of October to the first Sunday of April.
        let rule = try #require(PosixRule(parsing: "AEST-10AEDT,M10.1.0,M4.1.0/3"))
        #expect(rule.type(at: utc(2026, 1, 15, 0)).offset == 11 * 3600)
        #expect(rule.type(at: utc(2026, 4, 4, 15, 59)).offset == 11 * 3600)
        #expect(rule.type(at: utc(2026, 4, 4, 16)).offset == 10 * 3600)
        #expect(rule.type(at: utc(2026, 10, 3, 15, 59)).offset == 10 * 3600)
        #expect(rule.type(at: utc(2026, 10, 3, 16)).offset == 11 * 3600)
    }

    @Test func ruleForms() throws {
        let quoted = try #require(PosixRule(parsing: "<+03>-3"))
        #expect(quoted.standard == LocalTimeType(offset: 3 * 3600, isDaylight: false, abbreviation: "+03"))
        #expect(quoted.daylight == nil)
        // Julian days: J60 is March 1 in every year; 59 (from 0) is February 29 in a leap year.
        let julian = try #require(PosixRule(parsing: "XST5XDT,J60/0,300/-1"))
        #expect(julian.daylight!.start.date(in: 2028) == CivilDate(year: 2028, month: 3, day: 1))
        #expect(PosixRule.DateRule(day: .zeroBased(59), time: 0).date(in: 2028) == CivilDate(year: 2028, month: 2, day: 29))
        #expect(julian.daylight!.end.time == -3600)
        #expect(julian.daylight!.type.offset == -4 * 3600, "daylight defaults to one hour ahead of standard")
        for bad in ["", "C1", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M3.5.0", "CET-1CEST,M3.5.0,M10.5.0,"] {
            #expect(PosixRule(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func namesThatCannotBeZones() {
        for name in ["", "../../etc/passwd", "/etc/localtime", "Europe/../Europe/Berlin", "Europe/Berlin\u{0}", "Mars/Olympus_Mons"] {
            #expect(TimeZoneDatabase.rules(named: name) == nil, "\(name)")
        }
        #expect(TimeZoneDatabase.rules(named: "UTC")?.type(at: 0).offset == 0)
    }

    @Test func theDatabaseListsItsZones() {
        let names = TimeZoneDatabase.allNames()
        #expect(names.contains("Europe/Berlin") && names.contains("America/Argentina/Buenos_Aires"))
        #expect(!names.contains { $0.hasPrefix("posix/") || $0.hasPrefix("right/") || $0.hasSuffix(".tab") })
    }

    /// The file's table and its closing rule agree where both apply (the table runs to 2037).
    @Test func tableAndRuleAgree() throws {
        let berlin = try #require(TimeZoneDatabase.rules(named: "Europe/Berlin"))
        let rule = try #require(PosixRule(parsing: "CET-1CEST,M3.5.0,M10.5.0/3"))
        for day in stride(from: utc(2000, 1, 1, 0) / 86_400, to: utc(2100, 1, 1, 0) / 86_400, by: 3) {
            for hour in [0, 1, 2, 3] {
                let instant = day * 86_400 + hour * 3600
                #expect(berlin.type(at: instant).offset == rule.type(at: instant).offset)
            }
        }
    }

    /// Every offset from 1990 to 2060, every six hours, equals Foundation's for zones on every
    /// continent, both hemispheres, half-hour offsets and a zone without daylight saving.
    @Test(arguments: ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "America/Sao_Paulo",
                      "Australia/Sydney", "Australia/Adelaide", "Pacific/Auckland", "Asia/Kolkata", "Asia/Tokyo", "Africa/Johannesburg"])
    func offsetsMatchFoundation(_ name: String) throws {
        let rules = try #require(TimeZoneDatabase.rules(named: name))
        let zone = try #require(TimeZone(identifier: name))
        var mismatches = 0
        for instant in stride(from: utc(1990, 1, 1, 0), to: utc(2060, 1, 1, 0), by: 6 * 3600) {
            if rules.type(at: instant).offset != zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0, "\(name): \(mismatches) instants differ")
    }

    /// A hand-made TZif file whose table already runs past the years the rule is tabulated
    /// through: the table is read as it is, and the rule still answers for later instants.
    @Test func aTableThatRunsPastTheRule() throws {
        func int32(_ value: Int) -> [UInt8] { withUnsafeBytes(of: Int32(value).bigEndian, Array.init) }
        func int64(_ value: Int) -> [UInt8] { withUnsafeBytes(of: Int64(value).bigEndian, Array.init) }
        // One transition, in 2200, from CET to CEST; the footer's rule is Central Europe's.
        func header(times: Int) -> [UInt8] { Array("TZif2".utf8) + Array(repeating: 0, count: 15) + [0, 0, 0, times, 2, 9].flatMap(int32) }
        let types = int32(3600) + [0, 0] + int32(7200) + [1, 4] + Array("CET\0CEST\0".utf8)
        let version1 = header(times: 0) + int32(3600) + [0, 0] + int32(7200) + [1, 4] + Array("CET\0CEST\0".utf8)
        let transition = utc(2200, 6, 1, 0)
        let version2 = header(times: 1) + int64(transition) + [1] + types + Array("\nCET-1CEST,M3.5.0,M10.5.0/3\n".utf8)
        let rules = try #require(ZoneRules(name: "Test/Future", tzif: version1 + version2))
        #expect(rules.type(at: utc(2026, 1, 15, 12)).abbreviation == "CET")
        #expect(rules.type(at: transition).abbreviation == "CEST")
        #expect(rules.type(at: utc(2201, 1, 15, 12)).abbreviation == "CET")
        #expect(rules.type(at: utc(2201, 7, 15, 12)).abbreviation == "CEST")
    }

    @Test func nextTransition() throws {
        let berlin = try #require(TimeZoneDatabase.rules(named: "Europe/Berlin"))
        #expect(berlin.nextTransition(after: utc(2026, 1, 1, 0)) == utc(2026, 3, 29, 1))
        #expect(berlin.nextTransition(after: utc(2026, 3, 29, 1)) == utc(2026, 10, 25, 1))
        #expect(TimeZoneDatabase.rules(named: "Asia/Kolkata")!.nextTransition(after: utc(2026, 1, 1, 0)) == nil)
    }
}
