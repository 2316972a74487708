/// The patient's days that differ (`on weekends: wake 09:00`) and stays in other time zones,
/// which FHIR's Patient has no field for: each travels as one of Regimen's extensions, written
/// as the Regimen line it came from, and is read back only when it is exactly such a line.
enum FHIRPatientDays {
    static let dayVariantExtension = "https://regimen.dev/fhir/StructureDefinition/day-variant"
    static let zoneStayExtension = "https://regimen.dev/fhir/StructureDefinition/time-zone-stay"

    /// `on weekends: wake 09:00, breakfast 09:30`, `from 2026-12-10 until 2026-12-14: wake 18:00`.
    static func line(_ variant: DayVariant) -> String {
        let days: String
        switch variant.days {
        case .weekdays(let list):
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            let sorted = list.sorted()
            days = sorted == [5, 6] ? "on weekends" : sorted == [0, 1, 2, 3, 4] ? "on weekdays" : "on " + sorted.map { names[$0] }.joined(separator: ", ")
        case .dates(let first, let last):
            days = first == last ? "on \(first)" : "from \(first) until \(last)"
        }
        let times = Anchor.allCases.compactMap { anchor in variant.anchors[anchor].map { "\(anchor.rawValue) \($0)" } }
        return days + ": " + times.joined(separator: ", ")
    }

    /// `timezone "Asia/Tokyo" from 2027-01-10 until 2027-01-17`, without the keyword.
    static func value(_ stay: ZoneStay) -> String { "\(stay.zone) from \(stay.first) until \(stay.last)" }

    /// A day line read back from the extension, when it is one exactly; nil otherwise.
    static func checkedDayLine(_ value: String) -> String? {
        let halves = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard halves.count == 2, halves[1].hasPrefix(" ") else { return nil }
        let words = halves[0].split(separator: " ").map(String.init)
        let weekdayWords = Set(Parser.weekdays.keys).union(["weekends", "weekdays"])
        let daysOK: Bool
        if words.first == "on", words.count == 2, CivilDate(parsing: words[1]) != nil {
            daysOK = true
        } else if words.count == 4, words[0] == "from", words[2] == "until", CivilDate(parsing: words[1]) != nil, CivilDate(parsing: words[3]) != nil {
            daysOK = true
        } else {
            daysOK = words.first == "on" && words.count >= 2
                && words.dropFirst().allSatisfy { weekdayWords.contains($0.hasSuffix(",") ? String($0.dropLast()) : $0) }
        }
        guard daysOK else { return nil }
        let times = halves[1].dropFirst().split(separator: ",").map { $0.split(separator: " ").map(String.init) }
        guard !times.isEmpty, times.allSatisfy({ $0.count == 2 && Anchor(rawValue: $0[0]) != nil && $0[1].count == 5
            && $0[1].allSatisfy { $0.isNumber || $0 == ":" } }) else { return nil }
        return value
    }

    /// A stay read back from the extension as a `timezone` line, when it is one exactly; nil otherwise.
    static func checkedStay(_ value: String) -> String? {
        let words = value.split(separator: " ").map(String.init)
        guard words.count == 5, words[1] == "from", words[3] == "until", CivilDate(parsing: words[2]) != nil, CivilDate(parsing: words[4]) != nil,
              words[0].allSatisfy({ $0.isLetter || $0.isNumber || "/_+-".contains($0) }) else { return nil }
        return "timezone \(RegimenText.literal(words[0])) from \(words[2]) until \(words[4])"
    }
}
