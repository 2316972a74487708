import Foundation
import RegimenCore
import RegimenHandout
import TestSupport
import Testing

/// The handout says what the new vocabulary changes for the patient: which days of a treatment
/// cycle, and the times on the days whose times differ. The card shows the first day only, so
/// without these a patient would take a cycle's doses on the days off, or the weekday times on
/// a Saturday.
@Suite struct HandoutVocabularyTests {
    private func page(_ path: String) throws -> String {
        guard case .success(let compilation) = Frontend.compile(path: path, provider: PackageFiles(), today: testToday) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        let timeline = Simulator.run(compilation, today: testToday)
        return Handout(compilation, timeline: timeline, findings: compilation.findings(on: timeline), preparedOn: testToday).html()
    }

    @Test func aCycleSaysWhichDays() throws {
        let html = try page("Tests/RegimenCoreTests/Golden/simulate/treatment-cycles.regimen")
        #expect(html.contains("only on days 1–14 of each 21-day cycle, day 1 being Tue 1 Dec"))
        #expect(html.contains("only on days 1, 8 and 15 of each 28-day cycle, day 1 being Tue 1 Dec"))
    }

    /// A daily item on a cycle is not "every day": the cycle's days are the whole of it.
    @Test func aCycledDailyItemIsNotEveryDay() throws {
        let html = try page("Tests/RegimenCoreTests/Golden/simulate/treatment-cycles.regimen")
        #expect(!html.contains("every day"))
        #expect(html.contains("twice a day"))
    }

    /// How soon a dose may follow the last, and how many in a row, for an as-needed item.
    @Test func asNeededLimitsAreSaid() throws {
        let html = try page("Tests/RegimenHandoutTests/Golden/as-needed-episodes.regimen")
        #expect(html.contains("Nitroglycerin 0.4 mg if needed, no sooner than 5 minutes after the last dose, at most 3 doses in a row."))
        #expect(html.contains("Ibuprofen 400 mg if needed, no sooner than 6 hours after the last dose, at most 3 times a day."))
    }

    /// A stay in another time zone: the patient takes the doses at the same clock times there.
    @Test func aStayInAnotherTimeZoneIsSaid() throws {
        let html = try page("Tests/RegimenCoreTests/Golden/simulate/travel-time-zones.regimen")
        #expect(html.contains("Times are in the Europe/Berlin time zone. From Sun 10 Jan to Wed 13 Jan, take them at the same clock times in the Asia/Tokyo time zone (local time there)."))
    }

    /// Doses that take turns (`75mcg and 100mcg on alternate days`): the second starts a day
    /// later and goes on as long as the first. The page simulates a few weeks; it must not read
    /// as if the second stopped where they end, nor as a change over time.
    @Test func dosesOnAlternateDaysGoOnTogether() throws {
        let html = try page("Tests/RegimenCoreTests/Golden/simulate/doses-by-day.regimen")
        #expect(html.contains("first on Tue 1 Dec"))
        #expect(html.contains("first on Wed 2 Dec"))
        #expect(!html.contains("then stop"))
        #expect(!html.contains("only from"))
    }

    /// A course that ends within the plan says when, from the plan, not from the weeks shown.
    @Test func aCourseEndsWhenThePlanSays() throws {
        let html = try page("Tests/RegimenCoreTests/Golden/simulate/treatment-cycles.regimen")
        // Capecitabine for 2 cycles of 21 days from Tue 1 Dec: to Mon 11 Jan, past the weeks shown.
        #expect(html.contains("only from Tue 1 Dec to Mon 11 Jan"))
    }

    @Test func daysWithTheirOwnTimesAreSaid() throws {
        let html = try page("Tests/RegimenCoreTests/Golden/simulate/days-that-differ.regimen")
        #expect(html.contains("other days: 09:30 on weekends; 18:30 on 2026-12-07 to 2026-12-08"))
        // A dose at a clock time is the same every day: nothing more is said of it.
        #expect(!html.contains("other days: 12:00"))
    }
}
