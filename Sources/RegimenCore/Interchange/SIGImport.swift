/// `regimen import --sig`: one free-text prescription instruction ("1 tab po bid x7d") read into
/// Regimen's own vocabulary. The text is normalised (case, dotted abbreviations, number words,
/// `tab`/`cap`, `by mouth`), read phrase by phrase into clauses, and the item line is compiled by
/// the real front end before it is given back: what the front end refuses is not printed.
/// Whatever cannot be read is kept as a `note`, escaped (the instruction is data, never code),
/// and named in `unread`; a dose or a frequency is never guessed.
public enum SIGImport {
    /// The name used when no medication is given; `--medication NAME` replaces it.
    public static let placeholderName = "medication"

    public struct Reading: Sendable {
        /// The item line alone, as it stands inside a plan block.
        public var itemLine: String
        /// The whole text to print: a `drug NAME` declaration when the knowledge base does not know
        /// the name, and a plan block holding the item line.
        public var source: String
        /// Words of the instruction that could not be read (kept in the item's note).
        public var unread: [String]
        /// The compiled plan of `source`, for the FHIR dosage.
        public var compilation: Compilation
        public var complete: Bool { unread.isEmpty }
    }

    public enum Failure: Error, Equatable, Sendable {
        /// Nothing the instruction says could be read: no dose and no frequency.
        case nothingRead(unread: [String])
        /// No dose could be read (a range such as `1-2 tablets`, or a form Regimen has no unit for); nothing is printed.
        case noDose(unread: [String])
        /// The medication name cannot stand as an item name.
        case badName(String)
    }

    /// Reads `sig`; `medication` names the item (the knowledge base's name, or one it declares).
    public static func read(_ sig: String, medication: String? = nil, today: CivilDate,
                            bundled: BundledKnowledge = .shared) -> Result<Reading, Failure> {
        var tokens = SIGText.tokens(sig)
        if let (first, second) = splitAtSecondDose(&tokens) {
            return readBoth(first, second, medication: medication, today: today, bundled: bundled)
        }
        return read(tokens: tokens, medication: medication, today: today, bundled: bundled)
    }

    /// `take 2 tablets in the morning and 1 at night`: a second dose, different from the first, with
    /// its own timing. Read as one line it would give 2 tablets at night too; it is two lines, the
    /// second in the first's unit when it names none. Nil when there is no such second dose; the
    /// same dose said again (`1 tablet every morning and take 1 tablet every evening`) is taken out
    /// of `tokens`, as it says nothing new.
    static func splitAtSecondDose(_ tokens: inout [String]) -> ([String], [String])? {
        for k in tokens.indices where tokens[k] == "and" && k > 0 {
            var j = k + 1
            if j < tokens.count, tokens[j] == "then" { j += 1 }
            if j < tokens.count, tokens[j] == "take" { j += 1 }
            guard j < tokens.count, let value = Double(tokens[j]), value > 0 else { continue }
            var reader = Reader(tokens: Array(tokens[..<k]))
            reader.readAll()
            guard let dose = reader.parts.dose else { continue }
            if dose.value == value {
                if j + 1 < tokens.count, Reader.units[tokens[j + 1]] == dose.unit { tokens.removeSubrange((k + 1)...(j + 1)) }
                return nil
            }
            var second = Array(tokens[j...])
            if second.count == 1 || Reader.units[second[1]] == nil { second.insert(SIGParts.unitText((value, dose.unit)), at: 1) }
            return (Array(tokens[..<k]), second)
        }
        return nil
    }

    /// Both halves of a split instruction, as two item lines of one plan.
    static func readBoth(_ first: [String], _ second: [String], medication: String?, today: CivilDate,
                         bundled: BundledKnowledge) -> Result<Reading, Failure> {
        let one = read(tokens: first, medication: medication, today: today, bundled: bundled)
        let two = read(tokens: second, medication: medication, today: today, bundled: bundled)
        guard case .success(let a) = one else { return one }
        guard case .success(let b) = two else { return two }
        let declaration = a.source.hasPrefix("drug ") ? String(a.source.prefix { $0 != "\n" }) + "\n" : ""
        let source = declaration + "plan \"imported\":\n  " + a.itemLine + "\n  " + b.itemLine + "\n"
        let compilation = Frontend.compile(bytes: Array(source.utf8), name: "<sig>", path: "./sig.regimen",
                                           provider: MemorySourceProvider([:]), today: today, bundled: bundled)
        return .success(Reading(itemLine: a.itemLine + "\n  " + b.itemLine, source: source, unread: a.unread + b.unread, compilation: compilation))
    }

    static func read(tokens: [String], medication: String?, today: CivilDate, bundled: BundledKnowledge) -> Result<Reading, Failure> {
        let name = (medication ?? placeholderName).lowercased().split(whereSeparator: { $0 == " " }).joined(separator: " ")
        guard isPlainName(name) else { return .failure(.badName(medication ?? "")) }
        var reader = Reader(tokens: tokens)
        reader.readAll()
        var parts = reader.parts
        // A form that has one route says it (a puff is inhaled); one that has several needs it written.
        if parts.route == nil, let unit = parts.dose?.unit {
            switch unit {
            case "puff": parts.route = "inhaled"
            case "application": parts.route = "topical"
            case "patch": parts.route = "transdermal"
            case "tablet", "capsule", "softgel", "tsp", "tbsp": break
            default: if !reader.saidTake { parts.notes.append("route not given: read as oral, Regimen's default") }
            }
        }
        guard parts.dose != nil || parts.frequency != nil || parts.prn else {
            return .failure(.nothingRead(unread: reader.unread.isEmpty ? tokens : reader.unread))
        }
        if parts.frequency == nil, !parts.prn, parts.timings.allSatisfy({ $0.slots == 0 }), !parts.timings.contains(where: { $0.clause.hasSuffix("meals") }) {
            parts.notes.append("frequency not given: read as daily, Regimen's default")
        }
        let known = bundled.knowledge.names[name] != nil || bundled.knowledge.substances[name] != nil
            || bundled.knowledge.products[name] != nil
        // Each clause the front end refuses is taken out and its words kept as unread, until the line compiles.
        var unread = reader.unread
        for _ in 0..<24 {
            let line = parts.line(name: name, unread: unread)
            let source = text(line: line, name: name, declare: !known)
            let compilation = Frontend.compile(bytes: Array(source.utf8), name: "<sig>", path: "./sig.regimen",
                                               provider: MemorySourceProvider([:]), today: today, bundled: bundled)
            let errors = compilation.diagnostics.filter { $0.severity == .error }
            guard let error = errors.first else {
                return .success(Reading(itemLine: line, source: source, unread: unread, compilation: compilation))
            }
            // The clause the error points into; without one, the name itself is unusable.
            if parts.dose == nil { return .failure(.noDose(unread: unread)) }
            guard let span = error.span, let removed = parts.removeClause(covering: span, in: compilation, line: line, source: source)
            else { return .failure(.badName(medication ?? name)) }
            unread += removed
        }
        return .failure(.nothingRead(unread: unread))
    }

    /// The FHIR R4 Dosage of a reading, exactly as `regimen export --fhir` writes it for the same line.
    public static func dosage(_ reading: Reading, today: CivilDate) -> JSON? {
        let bundle = FHIRExport(reading.compilation, today: today).bundle()
        guard let entries = bundle["entry"]?.array, entries.count > 1 else { return nil }
        let resource = entries[1]["resource"]
        return (resource?["dosageInstruction"] ?? resource?["dosage"])?.array?.first
    }

    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, name.count <= 100 else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " || $0 == "-" || $0 == "'" }
            && !name.contains("--") && !name.hasSuffix("-")
    }

    static func text(line: String, name: String, declare: Bool) -> String {
        (declare ? "drug \(name)\n" : "") + "plan \"imported\":\n  " + line + "\n"
    }
}

// MARK: - Normalising the text

enum SIGText {
    static let vulgar: [Character: Double] = ["½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1.0 / 3, "⅔": 2.0 / 3]

    /// Lower case, control characters as spaces, dotted abbreviations without dots, punctuation as
    /// its own token, a number split from a unit written against it (`10mg`, `2x`).
    static func tokens(_ sig: String) -> [String] {
        var text = ""
        let chars = Array(sig.lowercased())
        for (index, ch) in chars.enumerated() {
            // `50,000`: a thousands separator, not a comma between phrases.
            if ch == ",", index > 0, chars[index - 1].isNumber, index + 1 < chars.count, chars[index + 1].isNumber { continue }
            if let v = vulgar[ch] {
                // `1½` → `1.5`; a lone `½` → `0.5`
                if let last = text.last, last.isNumber {
                    var digits = ""
                    while let l = text.last, l.isNumber { digits.insert(text.removeLast(), at: digits.startIndex) }
                    text += Quantity.format((Double(digits) ?? 0) + v)
                } else {
                    text += " " + Quantity.format(v)
                }
                continue
            }
            if ch.isNewline || ch == "\t" || (ch.asciiValue.map { $0 < 0x20 } ?? false) { text += " "; continue }
            if ",;()[]{}\"!?*#=+".contains(ch) { text += " \(ch == ";" ? "," : ch) "; continue }
            text.append(ch)
        }
        var out: [String] = []
        for raw in text.split(separator: " ") {
            var chunk = String(raw)
            // A full stop ending a sentence, not a decimal point.
            while chunk.count > 1, chunk.hasSuffix("."), !(chunk.dropLast().last?.isNumber ?? false) || chunk.hasSuffix("a.m.") || chunk.hasSuffix("p.m.") {
                if chunk.hasSuffix("a.m.") || chunk.hasSuffix("p.m.") { chunk = String(chunk.dropLast(4)) + (chunk.dropLast(3).hasSuffix("a") ? "am" : "pm"); break }
                chunk.removeLast()
            }
            // `b.i.d.`, `p.o.`, `q.4.h`: letters and dots only (digits allowed inside) → without dots.
            if chunk.contains("."), chunk.first?.isLetter == true, chunk.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." }) {
                chunk = chunk.replacingOccurrences(of: ".", with: "")
            }
            if chunk == "." || chunk.isEmpty { continue }
            // `tablets/day` → `tablets per day`
            if chunk.contains("/"), let slash = chunk.firstIndex(of: "/"), chunk[..<slash].last?.isLetter == true {
                out += [String(chunk[..<slash]), "per", String(chunk[chunk.index(after: slash)...])].filter { !$0.isEmpty }
                continue
            }
            out += splitNumber(chunk)
        }
        return out
    }

    /// `10mg` → `10`, `mg`; `2x` → `2`, `x`; clock times (`5pm`, `5:00`) and `q6h` stay whole.
    static func splitNumber(_ chunk: String) -> [String] {
        guard chunk.first?.isNumber == true else { return [chunk] }
        let digits = chunk.prefix { $0.isNumber || $0 == "." || $0 == "," || $0 == "/" }
        let rest = chunk.dropFirst(digits.count)
        guard !rest.isEmpty, !digits.hasSuffix("."), !digits.hasSuffix(","), rest.first!.isLetter else { return [chunk] }
        if rest == "am" || rest == "pm" { return [chunk] }
        return [String(digits), String(rest)]
    }
}

// MARK: - Reading phrases

/// What the instruction says, as Regimen clauses.
struct SIGParts {
    enum Frequency: Equatable {
        case times(Int), everyHours(Int, Int?), everyMinutes(Int), everyDays(Int), everyOtherDay, weekly, timesWeekly(Int)
        case everyMonths(Int), weekdays([String]), once

        var text: String {
            switch self {
            case .times(1): "daily"
            case .times(2): "twice daily"
            case .times(let n): "\(n) times daily"
            case .everyHours(let h, nil): "every \(h)h"
            case .everyHours(let low, let high?): "every \(low) to \(high) hours"
            case .everyMinutes(let m): "every \(m)min"
            case .everyDays(let d): "every \(d) days"
            case .everyOtherDay: "every other day"
            case .weekly: "weekly"
            case .timesWeekly(1): "weekly"
            case .timesWeekly(let n): "\(n) times a week"
            case .everyMonths(1): "monthly"
            case .everyMonths(let n): "every \(n) months"
            case .weekdays(let days): "on " + days.joined(separator: ", ")
            case .once: "once"
            }
        }
    }

    var dose: (value: Double, unit: String)?
    /// `1200 mg/day`: the dose is the day's total, divided among the day's doses.
    var dosePerDay = false
    /// The lower end of a dose range (`1-2 tablets`); `dose` holds the upper end.
    var doseLow: Double?
    var route: String?
    var frequency: Frequency?
    /// Timing clauses in order, with how many of the day's doses each places (0: it places none alone).
    var timings: [(clause: String, slots: Int)] = []
    var prn = false
    var prnFor: String?
    var maxPerDay: (count: Double, unit: String?)?
    /// `max 3 doses` of an as-needed item: at most so many in a row.
    var maxInARow: Int?
    /// `over 30 minutes`: an infusion's length, as Regimen writes it.
    var infusion: String?
    var course: String?
    var notes: [String] = []
    /// Clauses taken out after the front end refused them.
    var dropped: Set<String> = []

    /// The clauses in the order they are written.
    func clauses() -> [String] {
        var clauses: [String] = []
        var frequency = self.frequency
        let placed = timings.map(\.slots).reduce(0, +)
        if frequency == nil, !prn, placed > 0 { frequency = .times(placed) }
        // `before meals` alone: before each of the day's three meals.
        if frequency == nil, !prn, placed == 0, timings.contains(where: { $0.clause.hasSuffix("meals") }) { frequency = .times(3) }
        if prn {
            // As needed with a daily count is "at most so many a day": `as needed, max 2 per day`.
            if case .times = frequency { frequency = nil }
        }
        if let frequency { clauses.append(frequency.text) }
        clauses += timings.map(\.clause)
        if prn { clauses.append("as needed" + (prnFor.map { " for " + $0 } ?? "")) }
        if let max = maxDoses { clauses.append("max \(max) per day") }
        if let row = maxInARow { clauses.append("max \(row) doses") }
        if let infusion { clauses.append(infusion) }
        if let course { clauses.append(course) }
        return clauses.filter { !dropped.contains($0) }
    }

    /// Doses a day at most: a count in the dose's own unit is divided by the dose (the smaller reading).
    var maxDoses: Int? {
        var count: Double?
        if let max = maxPerDay ?? (prn ? Self.prnDailyCount(frequency) : nil) {
            if max.unit == nil || max.unit == "doses" {
                // A bare count after a dose of several units counts those units ("2 capsules …, max 8 per day").
                if max.unit == nil, let dose, dose.value > 1, ["tablet", "capsule", "puff", "spray", "drop", "each", "softgel"].contains(dose.unit) {
                    count = max.count / dose.value
                } else {
                    count = max.count
                }
            } else if let dose, max.unit == dose.unit {
                count = max.count / dose.value
            }
        }
        guard let count, count == count.rounded(), count >= 1, count <= 24 else { return nil }
        return Int(count)
    }

    static func prnDailyCount(_ frequency: Frequency?) -> (count: Double, unit: String?)? {
        if case .times(let n) = frequency { return (Double(n), "doses") }
        return nil
    }

    func line(name: String, unread: [String]) -> String {
        var head = name
        if let dose, !dropped.contains("dose") { head += " " + Self.doseText(dose, low: doseLow) + (dosePerDay ? "/day" : "") }
        if let route, !dropped.contains(route) { head += " " + route }
        var all = clauses()
        let noteWords = notes + (unread.isEmpty ? [] : ["not read: " + unread.joined(separator: " ")])
        if !noteWords.isEmpty { all.append("note " + RegimenText.literal(noteWords.joined(separator: "; "))) }
        return ([head] + all).joined(separator: ", ")
    }

    /// `2 tablets`, or a range as Regimen writes one: `1-2 tablets`.
    static func doseText(_ dose: (value: Double, unit: String), low: Double?) -> String {
        (low.map { Quantity.format($0) + "-" } ?? "") + Quantity.format(dose.value) + " " + unitText(dose)
    }

    static func unitText(_ dose: (value: Double, unit: String)) -> String { Unit.word(dose.unit, count: dose.value) }

    /// Takes out the clause the span points into, returning its words; nil when it points into the name.
    mutating func removeClause(covering span: Span, in compilation: Compilation, line: String, source: String) -> [String]? {
        guard let lineStart = source.firstRange(of: "  " + line + "\n") else { return nil }
        let offset = span.offset - source.utf8.distance(from: source.startIndex, to: lineStart.lowerBound) - 2
        let pieces = line.split(separator: ", ", omittingEmptySubsequences: false).map(String.init)
        var position = 0
        for (index, piece) in pieces.enumerated() {
            let end = position + piece.utf8.count
            defer { position = end + 2 }
            guard offset < end + 2 else { continue }
            if index > 0 {
                if piece.hasPrefix("note ") { return nil }
                dropped.insert(piece)
                return piece.split(separator: " ").map(String.init)
            }
            // The head: name, dose, route.
            if let route, !dropped.contains(route), piece.hasSuffix(" " + route), offset >= end - route.utf8.count {
                dropped.insert(route)
                return [route]
            }
            guard let dose, !dropped.contains("dose"), offset >= Self.nameLength(piece, dose: dose, low: doseLow, route: route) else {
                return nil
            }
            dropped.insert("dose")
            return [Quantity.format(dose.value), dose.unit]
        }
        return nil
    }

    /// How long the name is in the head `NAME DOSE [ROUTE]`.
    static func nameLength(_ head: String, dose: (value: Double, unit: String), low: Double?, route: String?) -> Int {
        let doseText = " " + Self.doseText(dose, low: low)
        guard let range = head.firstRange(of: doseText) else { return head.utf8.count }
        return head.utf8.distance(from: head.startIndex, to: range.lowerBound)
    }
}

struct Reader {
    let tokens: [String]
    var i = 0
    var parts = SIGParts()
    var unread: [String] = []
    /// `take`, `chew`, `swallow`: by mouth, though no route is written.
    var saidTake = false

    init(tokens: [String]) { self.tokens = tokens }

    static let numberWords: [String: Double] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30, "half": 0.5, "one-half": 0.5,
    ]
    static let romanBeforeUnit: [String: Double] = ["i": 1, "ii": 2, "iii": 3, "iv": 4]

    static let units: [String: String] = [
        "tablet": "tablet", "tablets": "tablet", "tab": "tablet", "tabs": "tablet", "tbl": "tablet",
        "capsule": "capsule", "capsules": "capsule", "cap": "capsule", "caps": "capsule",
        "softgel": "softgel", "softgels": "softgel",
        "drop": "drop", "drops": "drop", "gtt": "drop", "gtts": "drop",
        "puff": "puff", "puffs": "puff", "inhalation": "puff", "inhalations": "puff",
        "spray": "spray", "sprays": "spray", "patch": "patch", "patches": "patch",
        "suppository": "suppository", "suppositories": "suppository", "supp": "suppository",
        "application": "application", "applications": "application", "sachet": "sachet", "sachets": "sachet",
        "mg": "mg", "milligram": "mg", "milligrams": "mg", "mcg": "mcg", "µg": "mcg", "ug": "mcg", "microgram": "mcg", "micrograms": "mcg",
        "g": "g", "gm": "g", "gram": "g", "grams": "g", "ml": "mL", "mls": "mL", "cc": "mL", "milliliter": "mL", "milliliters": "mL",
        "iu": "IU", "unit": "units", "units": "units", "u": "units", "meq": "mEq", "mmol": "mmol",
        "tsp": "tsp", "teaspoon": "tsp", "teaspoons": "tsp", "teaspoonful": "tsp", "tbsp": "tbsp", "tablespoon": "tbsp", "tablespoons": "tbsp",
    ]

    /// What a dose may be written per that makes it something other than one dose's amount.
    static let perPatientOrDay: [String] = ["kg", "kilogram", "lb", "m2", "m²"]

    /// Words that say nothing a Regimen line needs: verbs of taking, articles between clauses.
    static let dropped: Set<String> = [
        "take", "takes", "taking", "give", "apply", "use", "inhale", "instill", "insert", "place", "inject", "chew",
        "swallow", "administer", "sig", "please", "and", "then", ",", "total", "dose", "doses",
    ]

    static let periodWords: [String: (String, Int)] = [
        "morning": ("in the morning", 1), "am": ("in the morning", 1), "afternoon": ("in the afternoon", 1),
        "evening": ("in the evening", 1), "pm": ("in the evening", 1), "night": ("at night", 1), "noon": ("at noon", 1),
        "midday": ("at noon", 1), "bedtime": ("at bedtime", 1), "bed": ("at bedtime", 1),
    ]
    static let meals: [String: String] = ["breakfast": "breakfast", "lunch": "lunch", "dinner": "dinner", "supper": "dinner"]
    static let weekdays: [String: String] = [
        "monday": "mon", "mondays": "mon", "mon": "mon", "tuesday": "tue", "tuesdays": "tue", "tue": "tue", "tues": "tue",
        "wednesday": "wed", "wednesdays": "wed", "wed": "wed", "thursday": "thu", "thursdays": "thu", "thu": "thu", "thur": "thu", "thurs": "thu",
        "friday": "fri", "fridays": "fri", "fri": "fri", "saturday": "sat", "saturdays": "sat", "sat": "sat",
        "sunday": "sun", "sundays": "sun", "sun": "sun",
    ]

    func word(_ k: Int = 0) -> String? { i + k < tokens.count ? tokens[i + k] : nil }
    func at(_ words: String...) -> Bool {
        for (k, w) in words.enumerated() where word(k) != w { return false }
        return true
    }
    func number(_ k: Int = 0) -> Double? {
        guard let w = word(k) else { return nil }
        if let n = Self.numberWords[w] { return n }
        if w.contains("/") {
            let p = w.split(separator: "/")
            if p.count == 2, let a = Double(p[0]), let b = Double(p[1]), b > 0 { return a / b }
            return nil
        }
        if w.first?.isNumber == true, w.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," }) {
            return Double(w.replacingOccurrences(of: ",", with: ""))
        }
        return nil
    }
    func integer(_ k: Int = 0) -> Int? {
        guard let n = number(k), n == n.rounded(), n >= 1, n < 10_000 else { return nil }
        return Int(n)
    }
    func unit(_ k: Int = 0) -> String? { word(k).flatMap { Self.units[$0] } }

    mutating func readAll() {
        while i < tokens.count {
            if !step() {
                unread.append(tokens[i])
                i += 1
            }
        }
        // Parentheses and commas left alone say nothing.
        unread = unread.filter { !["(", ")", ",", "[", "]", "{", "}"].contains($0) }
    }

    mutating func take(_ n: Int) -> Bool { i += n; return true }

    /// Reads one phrase at `i`; false when none starts there.
    mutating func step() -> Bool {
        guard let w = word() else { return false }
        // `every 4 (four) hours`: a number spelled out again in parentheses.
        if w == "(", number(1) != nil, word(2) == ")", i > 0, let before = Double(tokens[i - 1]), before == number(1) { return take(3) }
        if w == "(" || w == ")" { return take(1) }
        // `divided`, `divided into 3 doses`, `in 3 divided doses`: a day's total split among the day's doses.
        if parts.dosePerDay, w == "divided" {
            if word(1) == "into", let n = integer(2), word(3) == "doses" || word(3) == "dose" {
                if parts.frequency == nil { parts.frequency = .times(n) }
                return take(4)
            }
            return take(1)
        }
        if parts.dosePerDay, w == "in", let n = integer(1), word(2) == "divided", word(3) == "doses" || word(3) == "dose" {
            if parts.frequency == nil { parts.frequency = .times(n) }
            return take(4)
        }
        if readSchedulePattern() || readDose() || readRoute() || readFrequency() || readTiming() || readAsNeeded()
            || readMax() || readCourse() || readInfusion() { return true }
        if w == "inhale", parts.route == nil { parts.route = "inhaled" }
        if w == "take" || w == "chew" || w == "swallow" { saidTake = true }
        if Self.dropped.contains(w) { return take(1) }
        if ["by", "a", "an", "the", "of", "to", "for"].contains(w) { return false }
        return false
    }

    // `1-0-1`, `1-1-1`, `0-0-1`, `1-0-0-1`: doses at breakfast, lunch, dinner (and bedtime).
    mutating func readSchedulePattern() -> Bool {
        guard let w = word(), w.contains("-"), w.first?.isNumber == true else { return false }
        let counts = w.split(separator: "-", omittingEmptySubsequences: false).map { Double($0) }
        guard counts.count == 3 || counts.count == 4, counts.allSatisfy({ $0 != nil }) else { return false }
        let values = counts.map { $0! }
        let given = values.filter { $0 > 0 }
        guard !given.isEmpty, Set(given).count == 1, parts.dose == nil || parts.dose?.value == given[0] else { return false }
        let slots = ["breakfast", "lunch", "dinner", "bedtime"]
        let chosen = values.indices.filter { values[$0] > 0 }.map { slots[$0] }
        i += 1
        let written = self.unit()
        if written != nil { i += 1 }
        if parts.dose == nil { parts.dose = (given[0], written ?? "each") }
        parts.frequency = .times(chosen.count)
        let meals = chosen.filter { $0 != "bedtime" }
        if !meals.isEmpty { parts.timings.append(("with " + meals.joined(separator: " and "), 0)) }
        if chosen.contains("bedtime") { parts.timings.append(("at bedtime", 0)) }
        return true
    }

    mutating func readDose() -> Bool {
        guard parts.dose == nil else { return false }
        // `1-2 tablets`: a range in one word; its upper end is what limits count.
        if let w = word(), w.first?.isNumber == true, case let ends = w.split(separator: "-"), ends.count == 2,
           let low = Double(ends[0]), let high = Double(ends[1]), low > 0, high > low, let u = unit(1) {
            parts.doseLow = low
            parts.dose = (high, u)
            i += 2
            return true
        }
        var k = 0
        var value: Double?
        if at("half", "a") && unit(2) != nil {
            value = 0.5
            k = 2
        } else if let n = number(), !(word(1) == "times" || word(1) == "time" || word(1) == "x") {
            value = n
            k = 1
            // `1 1/2 tablets`, `one and a half tablets`, `one and one-half`
            if let f = number(1), f < 1, tokens[i + 1].contains("/") { value = n + f; k = 2 }
            if word(1) == "and", word(2) == "a", word(3) == "half" { value = n + 0.5; k = 4 }
            if word(1) == "and", word(2) == "one-half" { value = n + 0.5; k = 3 }
        } else if (at("a") || at("an")) && unit(1) != nil {
            value = 1
            k = 1
        } else if at("half", "a") && unit(2) != nil {
            value = 0.5
            k = 2
        } else if let w = word(), let n = Self.romanBeforeUnit[w], unit(1) != nil {
            value = n
            k = 1
        }
        guard let value, value > 0 else { return false }
        // `one 1 tablets`: the number again in figures.
        if number(k) == value, unit(k + 1) != nil { k += 1 }
        // A range (`1 to 2 tablets`, `1 or 2`, `1 - 2`): its upper end is what limits count.
        if word(k) == "to" || word(k) == "or" || word(k) == "-", let high = number(k + 1) {
            guard high > value, let u = unit(k + 2) else { return false }
            parts.doseLow = value
            parts.dose = (high, u)
            i += k + 3
            return true
        }
        if let u = unit(k) {
            // `50 mg/kg/day`, `375 mg/m2`: a dose per weight, body surface or day is not the amount of
            // one dose. Read as `50 mg` it would be a wrong dose; it stays unread (never guessed).
            if word(k + 1) == "per", let per = word(k + 2), Self.perPatientOrDay.contains(where: { per == $0 || per.hasPrefix($0 + "/") }) {
                return false
            }
            // `1200 mg/day`, `1200 mg per day`: the day's total, which Regimen writes as such and divides
            // among the day's doses (`1200 mg/day divided tid` is 400 mg three times a day, not 1200 mg).
            if word(k + 1) == "per", let per = word(k + 2), ["day", "d", "24h"].contains(per) {
                parts.dose = (value, u)
                parts.dosePerDay = true
                i += k + 3
                return true
            }
            parts.dose = (value, u)
            i += k + 1
            return true
        }
        // A count with no unit (`take 1 daily`): one of whatever the product comes in.
        if let next = word(k), ["daily", "bid", "tid", "qid", "qd", "twice", "once", "every", "by", "po", "at", "in", "each", "q", "with", "prn", "orally", "nightly", "qhs", "hs", "as", "sl", "tab", "before", "after", "ac", "pc"].contains(next) || next.hasPrefix("q") || next.hasPrefix("x") || next == "," {
            guard value == value.rounded() || value == 0.5, value <= 20 else { return false }
            parts.dose = (value, "each")
            i += k
            return true
        }
        return false
    }

    mutating func readRoute() -> Bool {
        let phrases: [([String], String)] = [
            (["by", "mouth"], "po"), (["per", "os"], "po"), (["orally"], "po"), (["oral"], "po"), (["po"], "po"), (["p", "o"], "po"),
            (["under", "the", "tongue"], "sl"), (["sublingually"], "sl"), (["sublingual"], "sl"), (["sl"], "sl"),
            (["subcutaneously"], "sc"), (["subcutaneous"], "sc"), (["sc"], "sc"), (["subq"], "sc"), (["sq"], "sc"), (["subcut"], "sc"),
            (["sub-q"], "sc"), (["under", "the", "skin"], "sc"),
            (["intramuscularly"], "im"), (["into", "the", "muscle"], "im"), (["im"], "im"), (["intravenously"], "iv"), (["iv"], "iv"),
            (["topically"], "topical"), (["topical"], "topical"), (["to", "the", "affected", "area"], "topical"),
            (["to", "affected", "area"], "topical"), (["to", "affected", "areas"], "topical"), (["to", "the", "affected", "areas"], "topical"),
            (["to", "the", "skin"], "topical"), (["to", "skin"], "topical"),
            (["into", "the", "lungs"], "inhaled"), (["by", "inhalation"], "inhaled"), (["via", "inhalation"], "inhaled"),
            (["inhaled"], "inhaled"), (["via", "nebulizer"], "inhaled"), (["via", "nebuliser"], "inhaled"),
            (["intranasally"], "nasal"), (["nasally"], "nasal"), (["intranasal"], "nasal"), (["nasal"], "nasal"),
            (["ophthalmic"], "ophthalmic"), (["otic"], "otic"),
            (["rectally"], "rectal"), (["per", "rectum"], "rectal"), (["pr"], "rectal"), (["rectal"], "rectal"),
            (["vaginally"], "vaginal"), (["intravaginally"], "vaginal"), (["pv"], "vaginal"), (["vaginal"], "vaginal"),
            (["transdermally"], "transdermal"), (["transdermal"], "transdermal"),
        ]
        for (words, route) in phrases where matches(words) {
            if parts.route != nil, parts.route != route { return false }
            parts.route = route
            i += words.count
            return true
        }
        // Sites: the eye, the ear, the nostril. The route is certain; the site is kept as a note.
        let sites: [([String], String, String)] = [
            (["ou"], "ophthalmic", "both eyes"), (["os"], "ophthalmic", "left eye"), (["od"], "ophthalmic", "right eye"),
            (["in", "both", "eyes"], "ophthalmic", "both eyes"), (["into", "both", "eyes"], "ophthalmic", "both eyes"),
            (["in", "each", "eye"], "ophthalmic", "each eye"), (["into", "each", "eye"], "ophthalmic", "each eye"),
            (["in", "the", "left", "eye"], "ophthalmic", "left eye"), (["in", "left", "eye"], "ophthalmic", "left eye"),
            (["in", "the", "right", "eye"], "ophthalmic", "right eye"), (["in", "right", "eye"], "ophthalmic", "right eye"),
            (["in", "affected", "eye"], "ophthalmic", "affected eye"), (["in", "the", "affected", "eye"], "ophthalmic", "affected eye"),
            (["au"], "otic", "both ears"), (["in", "both", "ears"], "otic", "both ears"), (["in", "each", "ear"], "otic", "each ear"),
            (["into", "each", "ear"], "otic", "each ear"),
            (["in", "the", "left", "ear"], "otic", "left ear"), (["in", "left", "ear"], "otic", "left ear"),
            (["in", "the", "right", "ear"], "otic", "right ear"), (["in", "right", "ear"], "otic", "right ear"),
            (["in", "affected", "ear"], "otic", "affected ear"), (["in", "the", "affected", "ear"], "otic", "affected ear"),
            (["in", "each", "nostril"], "nasal", "each nostril"), (["into", "each", "nostril"], "nasal", "each nostril"),
            (["in", "each", "nare"], "nasal", "each nostril"), (["per", "nostril"], "nasal", "each nostril"),
            (["each", "nostril"], "nasal", "each nostril"), (["in", "one", "nostril"], "nasal", "one nostril"),
            (["in", "nostril"], "nasal", "one nostril"),
        ]
        for (words, route, site) in sites where matches(words) {
            // `od` is once daily, and `os` a word, unless the dose is in drops for the eye.
            if words == ["od"] || words == ["os"], parts.dose?.unit != "drop", parts.route != "ophthalmic" { continue }
            if parts.route != nil, parts.route != route { return false }
            parts.route = route
            parts.notes.append(site)
            i += words.count
            return true
        }
        return false
    }

    func matches(_ words: [String]) -> Bool {
        for (k, w) in words.enumerated() where word(k) != w { return false }
        return true
    }

    mutating func setFrequency(_ f: SIGParts.Frequency) -> Bool {
        if let current = parts.frequency, current != f {
            // `daily` then weekdays: the weekdays say which days.
            if current == .times(1) || current == .weekly, case .weekdays(let days) = f, current == .times(1) || days.count == 1 {
                parts.frequency = f
                return true
            }
            if case .weekdays = current, f == .times(1) { return true }
            // `every day bid`, `daily once daily`: the same or a finer statement.
            if current == .times(1), case .times = f { parts.frequency = f; return true }
            return false
        }
        parts.frequency = f
        return true
    }

    mutating func readFrequency() -> Bool {
        guard let w = word() else { return false }
        let simple: [String: SIGParts.Frequency] = [
            "daily": .times(1), "qd": .times(1), "qday": .times(1), "od": .times(1), "bid": .times(2), "tid": .times(3),
            "qid": .times(4), "qod": .everyOtherDay, "weekly": .weekly, "qweek": .weekly, "qwk": .weekly, "monthly": .everyMonths(1),
            "stat": .once, "qam": .times(1), "qpm": .times(1), "qhs": .times(1), "nightly": .times(1), "q24h": .everyHours(24, nil),
        ]
        if let f = simple[w] {
            if w == "od", parts.dose?.unit == "drop" { return false }
            guard setFrequency(f) else { return false }
            if w == "qam" { addTiming("in the morning", 0) }
            if w == "qpm" { addTiming("in the evening", 0) }
            if w == "qhs" || w == "nightly" { addTiming("at bedtime", 0) }
            return take(1)
        }
        // `q6h`, `q4-6h`, `q 4 h`, `q4hr`, `q6hrs`, `q4-6 hours`
        if w.hasPrefix("q"), w.count >= 2 {
            var body = String(w.dropFirst())
            var k = 1
            if body.isEmpty { return false }
            for suffix in ["min", "mins"] where body.hasSuffix(suffix) {
                if let m = Int(body.dropLast(suffix.count)), m >= 1, m < 60 { return setFrequency(.everyMinutes(m)) && take(1) }
            }
            for suffix in ["hours", "hrs", "hr", "h"] where body.hasSuffix(suffix) { body = String(body.dropLast(suffix.count)); break }
            if !w.hasSuffix("h") && !w.hasSuffix("hr") && !w.hasSuffix("hrs") && !w.hasSuffix("hours") {
                guard let next = word(1), ["h", "hr", "hrs", "hours", "hour"].contains(next) else {
                    // `q4` alone, or `q.d.`-like words handled above
                    return false
                }
                k = 2
            }
            let range = body.split(separator: "-")
            if range.count == 1, let h = Int(range[0]), h >= 1, h <= 72 { return setFrequency(.everyHours(h, nil)) && take(k) }
            if range.count == 2, let a = Int(range[0]), let b = Int(range[1]), a >= 1, b > a, b <= 72 { return setFrequency(.everyHours(a, b)) && take(k) }
            return false
        }
        if w == "q", let h = integer(1), let u = word(2), ["h", "hr", "hrs", "hour", "hours"].contains(u) {
            return setFrequency(.everyHours(h, nil)) && take(3)
        }
        if w == "q", word(1) == "week" || word(1) == "wk" { return setFrequency(.weekly) && take(2) }
        // `once`, `twice`, `N times`, `Nx` + `daily` / `a day` / `per day` / `every day` / `a week` / `weekly`
        var count: Int?
        var k = 0
        if w == "once" { count = 1; k = 1 } else if w == "twice" { count = 2; k = 1 } else if w == "thrice" { count = 3; k = 1 }
        else if let n = integer(), let t = word(1), ["times", "time", "x"].contains(t) { count = n; k = 2 }
        if let count {
            if matches(at: k, ["daily"]) || matches(at: k, ["a", "day"]) || matches(at: k, ["per", "day"]) || matches(at: k, ["every", "day"])
                || matches(at: k, ["each", "day"]) || matches(at: k, ["day"]) || matches(at: k, ["in", "24", "hours"]) {
                let extra = word(k) == "daily" || word(k) == "day" ? 1 : word(k) == "in" ? 3 : 2
                return setFrequency(.times(count)) && take(k + extra)
            }
            if matches(at: k, ["weekly"]) || matches(at: k, ["a", "week"]) || matches(at: k, ["per", "week"]) || matches(at: k, ["every", "week"])
                || matches(at: k, ["each", "week"]) {
                let extra = word(k) == "weekly" ? 1 : 2
                return setFrequency(count == 1 ? .weekly : .timesWeekly(count)) && take(k + extra)
            }
            if matches(at: k, ["monthly"]) || matches(at: k, ["a", "month"]) || matches(at: k, ["every", "month"]) || matches(at: k, ["per", "month"]) {
                guard count == 1 else { return false }
                return setFrequency(.everyMonths(1)) && take(k + (word(k) == "monthly" ? 1 : 2))
            }
            if w == "once", k == 1 {
                // `once` alone: a single dose, unless a period follows (`once in the morning`).
                if let next = word(1), Self.periodWords[next] != nil || ["in", "at", "every", "each", "with", "on"].contains(next) {
                    return setFrequency(.times(1)) && take(1)
                }
                return setFrequency(.once) && take(1)
            }
            return false
        }
        // `every …`, `each …`
        if w == "every" || w == "each" {
            if matches(at: 1, ["other", "day"]) { return setFrequency(.everyOtherDay) && take(3) }
            if matches(at: 1, ["other", "night"]) { addTiming("at bedtime", 0); return setFrequency(.everyOtherDay) && take(3) }
            if matches(at: 1, ["day"]) { return setFrequency(.times(1)) && take(2) }
            if matches(at: 1, ["week"]) { return setFrequency(.weekly) && take(2) }
            if matches(at: 1, ["month"]) { return setFrequency(.everyMonths(1)) && take(2) }
            if let n = integer(1) {
                var k = 2
                if word(2) == "(", word(4) == ")" { k = 5 }
                // `every 4 to 6 hours`, `every 4-6 hours`
                if word(k) == "to" || word(k) == "-" || word(k) == "or", let high = integer(k + 1) {
                    let u = word(k + 2)
                    if let u, ["h", "hr", "hrs", "hour", "hours"].contains(u), high > n { return setFrequency(.everyHours(n, high)) && take(k + 3) }
                    return false
                }
                guard let u = word(k) else { return false }
                switch u {
                case "h", "hr", "hrs", "hour", "hours": return setFrequency(.everyHours(n, nil)) && take(k + 1)
                case "min", "mins", "minute", "minutes": return setFrequency(.everyMinutes(n)) && take(k + 1)
                case "day", "days": return setFrequency(n == 1 ? .times(1) : n == 2 ? .everyOtherDay : .everyDays(n)) && take(k + 1)
                case "week", "weeks": return setFrequency(n == 1 ? .weekly : .everyDays(n * 7)) && take(k + 1)
                case "month", "months": return setFrequency(.everyMonths(n)) && take(k + 1)
                default: return false
                }
            }
            if let range = word(1), range.contains("-"), let u = word(2), ["h", "hr", "hrs", "hour", "hours"].contains(u) {
                let p = range.split(separator: "-").compactMap { Int($0) }
                if p.count == 2, p[1] > p[0], p[0] >= 1 { return setFrequency(.everyHours(p[0], p[1])) && take(3) }
            }
            // Weekdays: `every monday, wednesday and friday`
            if Self.weekdays[word(1) ?? ""] != nil { i += 1; return readWeekdays() || { i -= 1; return false }() }
            // `every morning`, `each evening`, `every night`
            if let next = word(1), let (clause, slots) = Self.periodWords[next] {
                addTiming(clause, slots)
                return take(2)
            }
            return false
        }
        if w == "on", Self.weekdays[word(1) ?? ""] != nil { i += 1; return readWeekdays() || { i -= 1; return false }() }
        if Self.weekdays[w] != nil { return readWeekdays() }
        return false
    }

    func matches(at k: Int, _ words: [String]) -> Bool {
        for (j, w) in words.enumerated() where word(k + j) != w { return false }
        return true
    }

    mutating func readWeekdays() -> Bool {
        var days: [String] = []
        var k = 0
        while let w = word(k) {
            if let d = Self.weekdays[w] { if !days.contains(d) { days.append(d) }; k += 1; continue }
            if w == "," || w == "and", let next = word(k + 1), Self.weekdays[next] != nil { k += 1; continue }
            if w == ",", word(k + 1) == "and", let next = word(k + 2), Self.weekdays[next] != nil { k += 2; continue }
            break
        }
        guard !days.isEmpty, setFrequency(.weekdays(days)) else { return false }
        i += k
        // `of each week`, `every week`
        if matches(at: 0, ["of", "each", "week"]) || matches(at: 0, ["of", "every", "week"]) { i += 3 }
        return true
    }

    mutating func addTiming(_ clause: String, _ slots: Int) {
        if let index = parts.timings.firstIndex(where: { $0.clause == clause }) {
            parts.timings[index].slots = max(parts.timings[index].slots, slots)
            return
        }
        parts.timings.append((clause, slots))
    }

    mutating func readTiming() -> Bool {
        guard let w = word() else { return false }
        if matches(["with", "meals"]) || matches(["with", "food"]) || matches(["with", "a", "meal"]) || matches(["with", "each", "meal"]) || matches(["with", "milk"]) && false {
            addTiming("with meals", 0)
            return take(word(1) == "a" || word(1) == "each" ? 3 : 2)
        }
        if w == "with" || w == "at" || w == "after" || w == "before", let meal = word(1).flatMap({ Self.meals[$0] }) {
            var list = [meal]
            var k = 2
            while word(k) == "and" || word(k) == ",", let next = word(k + 1).flatMap({ Self.meals[$0] }) { list.append(next); k += 2 }
            let direction = w == "at" ? "with" : w
            addTiming("\(direction) " + list.joined(separator: " and "), list.count)
            return take(k)
        }
        // `30 minutes before breakfast`, `1 hour before meals`
        if let n = integer(), let u = word(1), ["min", "mins", "minute", "minutes", "h", "hr", "hour", "hours"].contains(u),
           let dir = word(2), dir == "before" || dir == "after" {
            let minutes = ["h", "hr", "hour", "hours"].contains(u) ? n * 60 : n
            if let meal = word(3).flatMap({ Self.meals[$0] }) { addTiming("\(minutes)min \(dir) \(meal)", 1); return take(4) }
            if matches(at: 3, ["meals"]) || matches(at: 3, ["food"]), minutes == 30 { addTiming("\(dir) meals", 0); return take(4) }
            if matches(at: 3, ["bedtime"]) || matches(at: 3, ["bed"]) { addTiming("\(minutes)min before bedtime", 1); return dir == "before" && take(4) }
            return false
        }
        if matches(["before", "meals"]) || matches(["before", "food"]) || w == "ac" { addTiming("before meals", 0); return take(w == "ac" ? 1 : 2) }
        if matches(["after", "meals"]) || matches(["after", "food"]) || w == "pc" { addTiming("after meals", 0); return take(w == "pc" ? 1 : 2) }
        if matches(["on", "an", "empty", "stomach"]) { addTiming("empty stomach", 0); return take(4) }
        if matches(["on", "empty", "stomach"]) { addTiming("empty stomach", 0); return take(3) }
        if matches(["empty", "stomach"]) { addTiming("empty stomach", 0); return take(2) }
        for phrase in [["on", "waking"], ["upon", "waking"], ["on", "rising"], ["upon", "rising"], ["on", "awakening"], ["upon", "awakening"]] where matches(phrase) {
            addTiming("on waking", 1)
            return take(2)
        }
        if matches(["at", "bedtime"]) || matches(["at", "bed"]) || matches(["before", "bed"]) || matches(["before", "bedtime"]) || matches(["at", "hs"]) {
            addTiming("at bedtime", 1)
            return take(2)
        }
        if w == "hs" { addTiming("at bedtime", 1); return take(1) }
        if matches(["while", "awake"]) { addTiming("while awake", 0); return take(2) }
        // `in the morning`, `in the evening`, `at night`, `at noon`, `morning and evening`
        if matches(["in", "the"]), let next = word(2), let (clause, slots) = Self.periodWords[next], next != "bed", next != "bedtime" {
            addTiming(clause, slots)
            return take(3)
        }
        if w == "at", let next = word(1), next == "night" || next == "noon" || next == "midday" {
            addTiming(Self.periodWords[next]!.0, 1)
            return take(2)
        }
        if let (clause, slots) = Self.periodWords[w], w != "bed", (w != "am" && w != "pm") || i == 0 || Double(tokens[i - 1]) == nil {
            addTiming(clause, slots)
            return take(1)
        }
        // Clock times: `at 8am`, `at 5:00 pm`, `at 6am 2pm and 9pm`, `at 08:00 and 20:00`
        if w == "at" || clock(at: 0) != nil {
            var k = w == "at" ? 1 : 0
            var times: [String] = []
            while let (time, used) = clock(at: k) {
                times.append(time)
                k += used
                if word(k) == "and" || word(k) == ",", clock(at: k + 1) != nil { k += 1 }
            }
            guard !times.isEmpty else { return false }
            addTiming("at " + times.joined(separator: " and "), times.count)
            return take(k)
        }
        return false
    }

    /// A clock time at `k`, as `HH:MM`, and how many tokens it took.
    func clock(at k: Int) -> (String, Int)? {
        guard let w = word(k) else { return nil }
        func parse(_ text: String, _ meridiem: String?) -> String? {
            let p = text.split(separator: ":")
            guard p.count <= 2, let h = Int(p[0]) else { return nil }
            let m = p.count == 2 ? Int(p[1]) : 0
            guard let m, m >= 0, m < 60 else { return nil }
            var hour = h
            if let meridiem {
                guard h >= 1, h <= 12 else { return nil }
                hour = meridiem == "am" ? (h == 12 ? 0 : h) : (h == 12 ? 12 : h + 12)
            } else {
                guard p.count == 2, h >= 0, h < 24 else { return nil }
            }
            return (hour < 10 ? "0" : "") + "\(hour):" + (m < 10 ? "0" : "") + "\(m)"
        }
        for suffix in ["am", "pm"] where w.hasSuffix(suffix) && w.first?.isNumber == true {
            if let t = parse(String(w.dropLast(2)), suffix) { return (t, 1) }
        }
        if w.first?.isNumber == true, let next = word(k + 1), next == "am" || next == "pm" || next == "a" || next == "p" {
            if let t = parse(w, next.hasPrefix("a") ? "am" : "pm") { return (t, 2) }
        }
        if w.contains(":"), let t = parse(w, nil) { return (t, 1) }
        return nil
    }

    mutating func readAsNeeded() -> Bool {
        var k = 0
        if at("prn") { k = 1 }
        else if at("as", "needed") || at("if", "needed") || at("when", "needed") || at("as", "required") { k = 2 }
        else if at("as", "directed") { return false }
        guard k > 0 else { return false }
        // `2 times daily and prn`: scheduled and as needed besides, which one item cannot say.
        if i > 0, tokens[i - 1] == "and", parts.frequency != nil { return false }
        parts.prn = true
        i += k
        // `prn pain`, `as needed for pain`, `as needed for nausea and vomiting`
        var reason: [String] = []
        if word() == "for" { i += 1 } else if k == 2 { return true }
        while let w = word(), w.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "'" }), !startsPhrase(w) {
            reason.append(w)
            i += 1
        }
        if !reason.isEmpty { parts.prnFor = reason.joined(separator: " ") }
        return true
    }

    /// Words that begin another phrase, so a reason (`as needed for pain`) stops before them.
    func startsPhrase(_ w: String) -> Bool {
        let starts: Set<String> = [
            "max", "maximum", "not", "do", "no", "up", "every", "each", "q", "daily", "bid", "tid", "qid", "at", "with", "before",
            "after", "by", "po", "orally", "for", "x", "in", "on", "once", "twice", "and", "then", "may", "until", "while",
            "take", "repeat", "prn", "as", "if",
        ]
        return starts.contains(w) || (w.hasPrefix("q") && w.count <= 6 && w.dropFirst().first?.isNumber == true) || w.hasPrefix("x") && w.dropFirst().first?.isNumber == true
    }

    mutating func readMax() -> Bool {
        var k = 0
        if at("max") || at("maximum") || at("max:") { k = 1 }
        else if at("not", "to", "exceed") { k = 3 }
        else if at("do", "not", "exceed") { k = 3 }
        else if at("no", "more", "than") { k = 3 }
        else if at("up", "to") { k = 2 }
        guard k > 0 else { return false }
        if word(k) == "of" { k += 1 }
        guard let n = number(k) else { return false }
        k += 1
        var maxUnit: String?
        if let u = self.unit(k) { maxUnit = u; k += 1 }
        else if let w = word(k), ["doses", "dose", "times"].contains(w) { maxUnit = "doses"; k += 1 }
        let perDay = [["per", "day"], ["a", "day"], ["daily"], ["in", "24", "hours"], ["in", "24", "hrs"], ["per", "24", "hours"],
                      ["in", "one", "day"], ["in", "1", "day"], ["day"], ["each", "day"], ["per", "24", "hrs"], ["in", "24", "h"]]
        for phrase in perDay where matches(at: k, phrase) {
            parts.maxPerDay = (n, maxUnit)
            i += k + phrase.count
            return true
        }
        // `max 3 doses` with no day: as needed, at most so many in a row (Regimen's `max 3 doses`).
        if maxUnit == "doses", n == n.rounded(), n >= 1, n <= 24 {
            parts.maxInARow = Int(n)
            i += k
            return true
        }
        return false
    }

    /// `over 30 minutes`, `over 2 hours`: an infusion's length (the front end refuses it by mouth).
    mutating func readInfusion() -> Bool {
        guard word() == "over", let n = integer(1), let u = word(2) else { return false }
        let unit = ["min", "mins", "minute", "minutes"].contains(u) ? "min" : ["h", "hr", "hrs", "hour", "hours"].contains(u) ? "h" : nil
        guard let unit else { return false }
        parts.infusion = "over \(n) \(unit)"
        return take(3)
    }

    mutating func readCourse() -> Bool {
        guard let w = word() else { return false }
        // `x7d`, `x10d`, `x2w`
        if w.hasPrefix("x"), w.count >= 3 {
            let body = w.dropFirst()
            let digits = body.prefix { $0.isNumber }
            if let n = Int(digits), n >= 1 {
                switch body.dropFirst(digits.count) {
                case "d", "day", "days": parts.course = "for \(n) days"; return take(1)
                case "w", "wk", "wks", "week", "weeks": parts.course = "for \(n) weeks"; return take(1)
                default: return false
                }
            }
        }
        guard w == "for" || w == "x" || w == "times" && false else { return false }
        var k = 1
        var n: Int?
        if let m = integer(1) { n = m; k = 2 } else if word(1) == "a" || word(1) == "one" { n = 1; k = 2 }
        guard let count = n, let u = word(k) else { return false }
        let text: String
        switch u {
        case "day", "days", "d": text = "for \(count) days"
        case "week", "weeks", "wk", "wks": text = "for \(count) weeks"
        case "month", "months", "mo": text = "for \(count) months"
        case "dose", "doses": text = "for \(count) doses"
        default: return false
        }
        parts.course = text
        return take(k + 1)
    }
}
