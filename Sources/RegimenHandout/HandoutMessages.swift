/// Every word the handout prints, in one place: a translation is another `static let` of this
/// type in its own file (`HandoutMessages+German.swift`), chosen with `--language`, with no
/// change to the page's code. Functions take the facts and return the sentence, so that word
/// order can differ between languages.
public struct HandoutMessages: Sendable {
    public var language: String
    public var pageTitle: @Sendable (_ who: String?) -> String
    public var preparedOn: @Sendable (_ date: String) -> String
    public var planDates: @Sendable (_ name: String, _ from: String, _ to: String?) -> String
    /// The home time zone, and each stay elsewhere (its zone, first and last day), whose doses are at local time there.
    public var timeZone: @Sendable (_ zone: String, _ stays: [(zone: String, from: String, to: String)]) -> String
    public var checkWithClinicianTitle: String
    public var checkWithClinician: @Sendable (_ errors: Int) -> String

    public var pillCardHeading: String
    public var pillCardCaption: String
    public var itemColumn: String
    public var morning: String, midday: String, evening: String, bedtime: String, setTimes: String
    public var noDose: String
    /// A column of a day that does not start in the morning (a night shift): "Breakfast (20:00)".
    public var mealColumn: @Sendable (_ anchor: String, _ time: String) -> String
    public var doseWithAmount: @Sendable (_ dose: String, _ amount: String, _ substance: String) -> String
    public var dose: @Sendable (_ dose: String, _ substance: String) -> String
    public var anchorWords: @Sendable (_ anchor: String, _ offsetMinutes: Int) -> String
    /// A part of the day by its name (`morning`, `noon`, `afternoon`, `evening`, `night`): "in the morning".
    public let periodWords: @Sendable (String) -> String
    public var atClock: String
    public var frequency: @Sendable (_ kind: FrequencyWords) -> String
    public var supervised: String
    public var changesBelow: String
    public var ifNeeded: String

    public var rulesHeading: String
    public var spacingRule: @Sendable (_ subject: String, _ parts: [(minutes: Int, direction: String)], _ object: String) -> String
    public var apartRule: @Sendable (_ a: String, _ b: String, _ minutes: Int) -> String
    public var notWithRule: @Sendable (_ a: String, _ b: String) -> String
    public var sameMealFine: String
    public var emptyStomach: @Sendable (_ name: String) -> String
    public var anchorConstraint: @Sendable (_ name: String, _ minutes: Int, _ direction: String, _ anchor: String) -> String
    /// An as-needed item: how soon a dose may follow the last (minutes), how many in a row, how many a day or night.
    public var asNeededRule: @Sendable (_ name: String, _ dose: String, _ when: String, _ interval: Int?, _ inARow: Int?,
                                        _ atMost: Int?, _ atNight: Bool) -> String
    public var noRules: String

    public var changesHeading: String
    public var titrationCaption: @Sendable (_ name: String) -> String
    public var fromColumn: String, toColumn: String, eachDoseColumn: String, perDayColumn: String
    public var thenStop: @Sendable (_ date: String) -> String
    public var courseDates: @Sendable (_ from: String, _ to: String) -> String
    /// A course that starts after the plan and has no end.
    public var courseFrom: @Sendable (_ from: String) -> String
    /// Times on the days whose times differ (`on weekends: wake 09:00`): each "09:30" with its days.
    public var otherDayTimes: @Sendable (_ times: [(time: String, days: String)]) -> String
    /// A treatment cycle: the days of each cycle (as runs, "1–14"), its length, and the first day.
    public var cycleDays: @Sendable (_ runs: [String], _ length: Int, _ first: String) -> String
    /// An item taken every few days: the day of its first dose, so the patient knows which days.
    public var firstDose: @Sendable (_ date: String) -> String
    public var courseLine: @Sendable (_ name: String, _ from: String, _ to: String, _ days: Int) -> String
    public var courseStartLine: @Sendable (_ name: String, _ from: String) -> String
    public var noChanges: String

    public var weekHeading: String
    public var weekAlt: @Sendable (_ from: String, _ to: String, _ doses: Int, _ items: [String]) -> String
    public var totalsHeading: String
    public var totalsIntro: String
    public var totalsAlt: @Sendable (_ substance: String, _ lowest: String, _ highest: String, _ limit: String, _ over: Bool) -> String
    public var asNeededCounted: String
    public var upperLimit: @Sendable (_ amount: String) -> String
    public var dayAxis: String
    public var legend: String

    public var findingsHeading: String
    public var severity: @Sendable (_ severity: String) -> String
    public var noFindings: String
    public var sourcesHeading: String
    public var decisionSupport: String

    public var weekdays: [String]
    public var weekdaysShort: [String]
    public var months: [String]
    /// A date in words: "Tuesday 1 December 2026".
    public var longDate: @Sendable (_ weekday: String, _ day: Int, _ month: String, _ year: Int) -> String
    public var shortDate: @Sendable (_ weekday: String, _ day: Int, _ month: String) -> String
    public var duration: @Sendable (_ minutes: Int) -> String

    /// How often an item is taken, for the frequency wording.
    public enum FrequencyWords: Sendable {
        case daily, timesDaily(Int), everyHours(Int), everyMinutes(Int), everyOtherDay, weekly, everyDays(Int), weekdays([String]),
             once(String), asNeeded, everyMonths(Int), timesWeekly(Int), everyHoursWhileAwake(Int)
    }
}
