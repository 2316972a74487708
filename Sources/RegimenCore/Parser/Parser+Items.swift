extension Parser {
    /// Words that end an item's name: they start a clause.
    static let clauseWords: Set<String> = [
        "daily", "nightly", "qd", "od", "bid", "tid", "qid", "qhs", "qod", "prn", "once", "twice", "three", "four",
        "weekly", "every", "on", "at", "with", "before", "after", "for", "from", "starting", "until", "as", "max",
        "not", "empty", "note", "increase", "decrease", "supervised", "current", "then", "hold",
        "in", "ac", "pc", "hs", "while", "stat", "now", "monthly",
        "nocte", "mane", "bd", "tds", "qds", "qam", "qpm", "qwk", "sos",
    ]

    static let weekdays: [String: Int] = [
        "mon": 0, "monday": 0, "mondays": 0, "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1,
        "wed": 2, "wednesday": 2, "wednesdays": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "thursdays": 3,
        "fri": 4, "friday": 4, "fridays": 4, "sat": 5, "saturday": 5, "saturdays": 5, "sun": 6, "sunday": 6, "sundays": 6,
    ]

    /// Words that end an item's name: clause words and routes, in one set so each name word costs one lookup.
    static let nameStoppers: Set<String> = clauseWords.union(Route.words.keys)

    /// What each clause word begins; looked up once per distinct word of a file.
    enum ClauseStart: Sendable {
        case timesDaily(Int), nightly, everyOtherDay, asNeeded, weekly, once, countWord(Int), every, on, at, with
        case beforeOrAfter, not, empty, duration, starting, from, until, titration, salt, elemental, supervised
        case current, note, max, per, asNeededPhrase, inThe, aroundMeals(Direction), hs, whileAwake, monthly
        case period(DayPeriod), hold
    }

    static let clauseStartWords: [String: ClauseStart] = [
        "daily": .timesDaily(1), "qd": .timesDaily(1), "od": .timesDaily(1), "bid": .timesDaily(2), "tid": .timesDaily(3),
        "qid": .timesDaily(4), "nightly": .nightly, "qhs": .nightly, "qod": .everyOtherDay, "prn": .asNeeded,
        "weekly": .weekly, "once": .once, "twice": .countWord(2), "three": .countWord(3), "four": .countWord(4),
        "every": .every, "on": .on, "at": .at, "with": .with, "before": .beforeOrAfter, "after": .beforeOrAfter,
        "not": .not, "empty": .empty, "for": .duration, "starting": .starting, "from": .from, "until": .until,
        "increase": .titration, "decrease": .titration, "salt": .salt, "elemental": .elemental,
        "supervised": .supervised, "current": .current, "note": .note, "max": .max, "per": .per, "as": .asNeededPhrase,
        "in": .inThe, "ac": .aroundMeals(.before), "pc": .aroundMeals(.after), "hs": .hs, "while": .whileAwake,
        "stat": .once, "now": .once, "monthly": .monthly, "hold": .hold,
        // Latin and British abbreviations common on prescriptions, where each has one meaning.
        "nocte": .nightly, "bd": .timesDaily(2), "tds": .timesDaily(3), "qds": .timesDaily(4), "sos": .asNeeded,
        "qwk": .weekly, "mane": .period(.morning), "qam": .period(.morning), "qpm": .period(.evening),
    ]

    /// Prescription words Regimen does not take, with what to write instead.
    static let rejectedPhrasing: [String: String] = [
        "ud": "`ud` (as directed) cannot be checked: write the schedule out, and keep the directions in a `note \"…\"`",
        "utd": "`utd` (as directed) cannot be checked: write the schedule out, and keep the directions in a `note \"…\"`",
        "asdir": "`as directed` cannot be checked: write the schedule out, and keep the directions in a `note \"…\"`",
        "directed": "`as directed` cannot be checked: write the schedule out, and keep the directions in a `note \"…\"`",
        "take": "start the line with the name: `magnesium glycinate 300mg nightly`",
    ]

    /// Words that may start a clause, for "did you mean" on an unknown one.
    static let clauseVocabulary: Set<String> = nameStoppers.union(["salt", "elemental", "supervised", "current"])

    /// item = ( STRING | name ) [ [ "from" ] dose ] { [ "," ] clause } ;
    /// dose = additive ;
    mutating func parseItem() throws(Failure) -> ItemSyntax {
        let start = currentSpan
        var item = ItemSyntax(name: [], quotedName: nil, dose: nil, doseIsTitrationStart: false, clauses: [], span: start)
        if case .string(let name) = current.value {
            item.quotedName = (name, advance().span)
        } else {
            // The words are counted first and read once more, so the name's array is made at its size.
            let first = index
            var parenthesized: Range<Int>?
            while let word = current.word, !endsName.answer(tokens.wordID(at: index)!, word) {
                if wordStartsExpression() {
                    // `iron (ferrous sulfate) 325mg`: the form in parentheses, as labels print it.
                    guard parenthesized == nil, let close = parenthesizedFormEnd() else { break }
                    parenthesized = (index + 1)..<(close + 1)
                    index = close
                }
                skip()
            }
            item.name = (first..<index).filter { !(parenthesized?.contains($0) ?? false) || tokens[$0].word != nil }
                .map { (tokens[$0].word!, tokens.span(at: $0)) }
            item.formInParentheses = parenthesized != nil
            if item.name.isEmpty, currentKind == .word, peek().kind == .leftParen {
                throw fail(.unexpectedToken, "`\(current.word!)` is followed by `(`, but no `)` closes a form's name after it",
                           at: currentSpan, hint: "write the form in closed parentheses, `iron (ferrous sulfate) 325mg`, or without them")
            }
        }
        if item.name.isEmpty, item.quotedName == nil {
            throw fail(.unexpectedToken, "expected the name of a substance, drug or product, found \(current.described)",
                       at: currentSpan)
        }
        if atWord("from"), tokenStartsDose(peek()) {
            skip()
            item.doseIsTitrationStart = true
            item.dose = try parseAdditive()
        } else if tokenStartsDose(current) || wordStartsExpression() {
            (item.doseLow, item.dose) = Self.doseRange(try parseAdditive())
            // `75mcg and 100mcg on alternate days`: doses that take turns.
            while item.dose != nil, atWord("and"), tokenStartsDose(peek()) {
                let and = advance()
                let (low, dose) = Self.doseRange(try parseAdditive())
                item.dayDoses.append(ItemStep(dose: dose, doseLow: low, clauses: [], stop: false, span: and.span))
                item.dosesAlternate = true
            }
        }
        let firstClause = pendingClauses.count
        defer { pendingClauses.removeSubrange(firstClause...) }
        var stepStart = firstClause
        var step: ItemStep?
        var dayDose: ItemStep?
        /// The clauses read since the last `then` step or dose for other days are that one's (before
        /// either, the item's own).
        func closeSegment() {
            let clauses = Array(pendingClauses[stepStart...])
            if var finished = step {
                finished.clauses = clauses
                item.steps.append(finished)
            } else if var finished = dayDose {
                finished.clauses = clauses
                item.dayDoses.append(finished)
            } else {
                item.clauses = clauses
            }
            stepStart = pendingClauses.count
        }
        while !at(.newline), !at(.end), !at(.dedent) {
            // `calcium carbonate 333mg, magnesium oxide 133mg per tablet`: the next ingredient.
            if readingProductIngredients, at(.comma), startsNextIngredient(peek()) { break }
            if accept(.comma) != nil {
                // `nightly ,,`: one mistake, reported at the comma, and the line is still read.
                if at(.comma) { report(.unexpectedToken, "an empty clause: two commas in a row", at: currentSpan, hint: "remove one comma") }
                // `5mg on mon-fri, 2.5mg on sat, sun`: an amount where a clause would start is the dose of other days.
                if startsDayDose() {
                    guard step == nil, !item.dosesAlternate, item.dose != nil else {
                        throw fail(.conflictingClause, "a dose for other days cannot follow \(step != nil ? "a `then` step" : item.dosesAlternate ? "doses that take turns" : "an item without a dose")",
                                   at: currentSpan, hint: "write each dose as its own item line")
                    }
                    closeSegment()
                    let start = currentSpan
                    let (low, dose) = Self.doseRange(try parseAdditive())
                    dayDose = ItemStep(dose: dose, doseLow: low, clauses: [], stop: false, span: start.through(previousSpan))
                }
                continue
            }
            if dayDose != nil, atWord("then") {
                throw fail(.conflictingClause, "doses for other days and a `then` sequence cannot be combined in one item",
                           at: currentSpan, hint: "write the sequence as its own item line")
            }
            // `…, then 20mg daily for 5 days, then stop`: a sequence, written as it is said.
            if let then = acceptWord("then") {
                closeSegment()
                var next = ItemStep(dose: nil, doseLow: nil, clauses: [], stop: false, span: then.span)
                if acceptWord("stop") != nil {
                    next.stop = true
                } else if tokenStartsDose(current) {
                    (next.doseLow, next.dose) = Self.doseRange(try parseAdditive())
                }
                step = next
                continue
            }
            pendingClauses.append(try parseClause())
        }
        closeSegment()
        item.span = span(from: start)
        return item
    }

    /// In a product definition, a word after a comma that begins no clause names the next ingredient.
    private func startsNextIngredient(_ token: Token) -> Bool {
        guard token.kind == .word, let word = token.word else { return false }
        return !Self.nameStoppers.contains(word) && Self.weekdaysOf(word) == nil && Self.everyHours(word) == nil
    }

    /// An amount (a mass, units, a count: not a time span such as `30min before breakfast`) where a
    /// clause would begin.
    private func startsDayDose() -> Bool {
        switch current.value {
        case .quantity(_, let unit): return unit.dimension.isAmount
        default: return false
        }
    }

    /// `1-2 capsules`, `5-10 mg`: a number minus a quantity has no meaning of its own, so it is a
    /// range, returned as its lower end (in the upper end's unit) and its upper end; any other
    /// dose is its own upper end.
    static func doseRange(_ dose: Expr) -> (low: Expr?, dose: Expr) {
        guard case .binary(.subtract, let low, let high) = dose.kind, case .literal(.number(let lowValue)) = low.kind,
              case .literal(.quantity(_, let unit)) = high.kind else { return (nil, dose) }
        return (Expr(kind: .literal(.quantity(lowValue, unit)), span: low.span), high)
    }

    private func tokenStartsDose(_ token: Token) -> Bool {
        switch token.kind {
        case .number, .quantity, .leftParen, .minus: true
        default: false
        }
    }

    /// A word followed by `(`, `.` or an operator begins an expression (`min(a, b)`, `patient.weight * 5 mg/kg`).
    private func wordStartsExpression() -> Bool {
        guard currentKind == .word else { return false }
        switch peek().kind {
        case .leftParen, .dot, .star, .slash, .plus: return true
        default: return false
        }
    }

    /// At a name's word followed by `(`: the index of the `)` when only words stand between them
    /// (`iron (ferrous sulfate)`) and the word is no function (`round(x)` is an expression).
    private func parenthesizedFormEnd() -> Int? {
        guard peek().kind == .leftParen, let word = current.word, !builtinFunctions.contains(word) else { return nil }
        var k = index + 2
        while k < tokens.count, tokens.kind(at: k) == .word { k += 1 }
        return k > index + 2 && k < tokens.count && tokens.kind(at: k) == .rightParen ? k : nil
    }

    /// `q8h` → 8 hours.
    static func everyHours(_ word: String) -> Int? {
        let bytes = word.utf8
        guard bytes.count >= 3, bytes.first == UInt8(ascii: "q"), bytes.last == UInt8(ascii: "h") else { return nil }
        return Int(word.dropFirst().dropLast())
    }

    /// clause = frequency | timing | relation | course | titration | route | "salt" | "elemental"
    ///        | "supervised" | "current" | "note" STRING | "max" additive [ "per" "day" ] ;
    mutating func parseClause() throws(Failure) -> Clause {
        let start = currentSpan
        let kind = try parseClauseKind()
        return Clause(kind: kind, span: span(from: start))
    }

    private mutating func parseClauseKind() throws(Failure) -> ClauseKind {
        // `1 tablet mon-fri, 1.5 tablets sat, sun`: weekdays without `on`, as prescriptions write them.
        if let word = current.word, Self.weekdaysOf(word) != nil { return parseWeekdays() }
        // `5 times daily`, `3 times a week`, `2x daily`
        if currentKind == .number, peek().isWord("times") || peek().isWord("x") {
            let count = advance()
            skip()
            let weekly = acceptWeekWords()
            guard weekly || acceptWord("daily") != nil || acceptDayWords() else {
                throw fail(.unexpectedToken, "expected `daily` or `weekly` after `times`", at: currentSpan)
            }
            guard case .number(let n) = count.value, n == n.rounded(), n >= 1, n <= (weekly ? 7 : 24) else {
                throw fail(.invalidCount, "the number of doses a \(weekly ? "week" : "day") must be a whole number from 1 to \(weekly ? 7 : 24)",
                           at: count.span)
            }
            return .frequency(weekly ? .timesWeekly(Int(n)) : .timesDaily(Int(n)))
        }
        if currentKind == .quantity || currentKind == .number {
            return try parseOffsetClause()
        }
        guard let word = current.word else {
            throw fail(.unexpectedToken, "expected a frequency, timing or other clause, found \(current.described)", at: currentSpan)
        }
        if let hours = Self.everyHours(word) {
            let token = advance()
            return .frequency(.every(Self.hours(Double(hours), span: token.span)))
        }
        // `q 4 h`, `q4-6h` (every 4 to 6 hours)
        if word == "q", peek().kind == .quantity {
            skip()
            return .frequency(.every(try parsePrimary()))
        }
        if let low = Self.everyHoursLow(word), peek().kind == .minus {
            let first = advance()
            skip()
            let high = try parsePrimary()
            return .frequency(.everyRange(Self.hours(Double(low), span: first.span), high))
        }
        // `x 7 days`, `x 10 doses`: "for" as prescriptions abbreviate it. Only before a number, so
        // `x` stays free as a name (`let x = 200mg`).
        if word == "x", peek().kind == .number || peek().kind == .quantity {
            skip()
            if let doses = try acceptDoseCount() { return .doseCount(doses) }
            if let months = try acceptCalendarMonths("the course") { return .durationMonths(months) }
            return .duration(try parseAdditive())
        }
        // `x7d`, `x10d`, `x2w`: a course as prescriptions abbreviate it.
        if let days = Self.shortCourse(word) {
            let token = advance()
            return .duration(Expr(kind: .literal(.quantity(Double(days), CompoundUnit(numerator: Unit.named("days")!, denominator: nil))), span: token.span))
        }
        if let route = routes.answer(tokens.wordID(at: index)!, word) {
            skip()
            return .route(route)
        }
        switch clauseStarts.answer(tokens.wordID(at: index)!, word) {
        case .timesDaily(let count)?:
            skip()
            return .frequency(.timesDaily(count))
        case .nightly?:
            skip()
            return .frequency(.nightly)
        case .everyOtherDay?:
            skip()
            return .frequency(.everyOtherDay)
        case .asNeeded?:
            skip()
            return .frequency(.asNeeded)
        case .weekly?:
            skip()
            return .frequency(.weekly)
        case .once?:
            skip()
            if acceptWeekWords() { return .frequency(.weekly) }
            if acceptWord("monthly") != nil || ((atWord("a") || atWord("per")) && peek().isWord("month") && advance().kind == .word && advance().kind == .word) {
                return .frequency(.everyMonths(1))
            }
            return acceptWord("daily") != nil || acceptDayWords() ? .frequency(.timesDaily(1)) : .frequency(.once)
        case .countWord(let count)?:
            skip()
            if word != "twice" { try expectWord("times", "`times` as in `\(word) times daily`") }
            if acceptWeekWords() { return .frequency(.timesWeekly(count)) }
            guard acceptWord("daily") != nil || acceptDayWords() else {
                throw fail(.unexpectedToken, "expected `daily` or `weekly` after `\(word)\(word == "twice" ? "" : " times")`", at: currentSpan)
            }
            return .frequency(.timesDaily(count))
        case .monthly?:
            skip()
            return .frequency(.everyMonths(1))
        case .period(let period)?:
            skip()
            return .period(period)
        case .every?:
            return try parseEvery()
        case .on?:
            return try parseOn()
        case .at?:
            return try parseAt()
        case .with?:
            skip()
            if acceptWord("meals") != nil || acceptWord("food") != nil { return .withMeals }
            if acceptWord("a") != nil { try expectWord("meal"); return .withMeals }
            // `with lunch and dinner`: several meals in one clause.
            var meals = [try parseMealAnchor()]
            while atWord("and"), peek().word.flatMap({ Anchor.words[$0] })?.isMeal == true {
                skip()
                meals.append(try parseMealAnchor())
            }
            return meals.count == 1 ? .anchored(meals[0], offset: nil, direction: .with) : .meals(meals)
        case .aroundMeals(let direction)?:
            skip()
            return .aroundMeals(direction)
        case .hs?:
            skip()
            return .anchored(.bed, offset: nil, direction: .with)
        case .inThe?:
            // in = "in" "the" ( "morning" | "afternoon" | "evening" ) ;
            skip()
            try expectWord("the", "`the` as in `in the morning`")
            guard let period = current.word.flatMap({ DayPeriod.words[$0] }), period != .noon else {
                throw fail(.unexpectedToken, "expected `morning`, `afternoon` or `evening` after `in the`, found \(current.described)",
                           at: currentSpan)
            }
            skip()
            return .period(period)
        case .whileAwake?:
            skip()
            try expectWord("awake", "`awake` as in `every 4h while awake`")
            return .whileAwake
        case .beforeOrAfter?:
            skip()
            if acceptWord("meals") != nil || acceptWord("food") != nil { return .aroundMeals(word == "before" ? .before : .after) }
            guard let anchor = current.word.flatMap({ Anchor.words[$0] }) else {
                throw fail(.unexpectedToken, "say how long \(word) it, for example `2h \(word) \(current.word ?? "levothyroxine")`",
                           at: currentSpan)
            }
            skip()
            let direction: Direction = word == "before" ? .before : .after
            let meals = acceptMoreMeals(after: anchor)
            return meals.count > 1 ? .mealsApart(meals, offset: nil, direction: direction) : .anchored(anchor, offset: nil, direction: direction)
        case .not?:
            skip()
            try expectWord("with", "`with` as in `not with calcium`")
            return .notWith(try parseName(stoppingAt: ["or", "and"]))
        case .hold?:
            // hold = "hold" "during" name ;
            skip()
            try expectWord("during", "`during` as in `hold during ciprofloxacin`")
            return .holdDuring(try parseName(stoppingAt: ["or", "and"]))
        case .empty?:
            skip()
            try expectWord("stomach", "`stomach` as in `empty stomach`")
            return .emptyStomach
        case .duration?:
            skip()
            if let doses = try acceptDoseCount() { return .doseCount(doses) }
            // `as needed for pain`: after an as-needed clause, words say what it is for.
            if currentKind == .word, !wordStartsExpression(), pendingClauses.contains(where: \.isAsNeeded) {
                var words: [String] = []
                while let next = current.word, clauseStarts.answer(tokens.wordID(at: index)!, next) == nil || next == "and" || next == "or" {
                    words.append(next)
                    skip()
                }
                return .asNeededFor(words.joined(separator: " "))
            }
            // `for 6 months`, `for 1 year`: calendar months, not a number of days.
            if let months = try acceptCalendarMonths("the course") { return .durationMonths(months) }
            return .duration(try parseAdditive())
        case .starting?:
            skip()
            if acceptWord("day") != nil { return .startDay(try parseAdditive()) }
            acceptWord("on")
            return .startDate(try parseAdditive())
        case .from?:
            skip()
            return .startDate(try parseAdditive())
        case .until?:
            skip()
            return .untilDate(try parseAdditive())
        case .titration?:
            return .titration(try parseTitration())
        case .salt?:
            skip()
            return .salt
        case .elemental?:
            skip()
            return .elemental
        case .supervised?:
            skip()
            return .supervised
        case .current?:
            skip()
            return .current
        case .note?:
            skip()
            guard case .string(let text) = current.value else {
                throw fail(.unexpectedToken, "expected the note as a string, for example `note \"with water\"`", at: currentSpan)
            }
            skip()
            return .note(text)
        case .max?:
            skip()
            let count = try parseAdditive()
            if acceptWord("per") != nil || acceptWord("a") != nil {
                try expectWord("day", "`day` as in `max 1 per day`")
            } else {
                acceptWord("daily")
            }
            return .maxPerDay(count)
        case .per? where peek().word.flatMap(Unit.named).map({ $0.dimension == .count || $0.dimension == .volume }) ?? false:
            skip()
            return .perUnit(Unit.named(advance().word!)!)
        case .asNeededPhrase?:
            skip()
            try expectWord("needed", "`needed` as in `as needed`")
            return .frequency(.asNeeded)

        default:
            throw fail(.unknownClause, "`\(word)` does not start a clause", at: currentSpan,
                       hint: Self.rejectedPhrasing[word] ?? suggestion(for: word, among: Self.clauseVocabulary)
                           ?? "clauses name a frequency (`daily`), a timing (`with breakfast`), a relation (`4h after levothyroxine`) or a course (`for 7 days`)")
        }
    }

    /// `weekly`, `a week`, `per week` after `once`, `twice`, `N times`.
    private mutating func acceptWeekWords() -> Bool {
        if acceptWord("weekly") != nil { return true }
        guard atWord("a") || atWord("per"), peek().isWord("week") else { return false }
        skip()
        skip()
        return true
    }

    /// `10 doses` after `x` or `for`: a course counted in doses.
    private mutating func acceptDoseCount() throws(Failure) -> Int? {
        guard currentKind == .number, peek().isWord("doses") || peek().isWord("dose"), case .number(let n) = current.value else { return nil }
        let count = advance()
        skip()
        guard n == n.rounded(), n >= 1, n <= 100_000 else { throw fail(.invalidCount, "the number of doses must be a whole number", at: count.span) }
        return Int(n)
    }

    /// `6 months`, `1 year`: a whole number of calendar months, when the quantity is in months or years.
    private mutating func acceptCalendarMonths(_ what: String) throws(Failure) -> Int? {
        guard currentKind == .quantity, case .quantity(let n, let unit) = current.value, unit.denominator == nil,
              unit.numerator.symbol == "months" || unit.numerator.symbol == "years" else { return nil }
        let token = advance()
        let months = unit.numerator.symbol == "years" ? n * 12 : n
        guard months == months.rounded(), months >= 1, months <= 1200 else {
            throw fail(.invalidCount, "\(what) must be a whole number of months or years", at: token.span)
        }
        return Int(months)
    }

    static func hours(_ value: Double, span: Span) -> Expr {
        Expr(kind: .literal(.quantity(value, CompoundUnit(numerator: Unit.named("h")!, denominator: nil))), span: span)
    }

    /// `q4` before `-6h`: the shorter end of an interval range.
    static func everyHoursLow(_ word: String) -> Int? {
        guard word.count >= 2, word.first == "q" else { return nil }
        return Int(word.dropFirst())
    }

    /// `x7d` → 7, `x2w` → 14: a course in days.
    static func shortCourse(_ word: String) -> Int? {
        guard word.first == "x", word.count >= 3 else { return nil }
        let body = word.dropFirst()
        let digits = body.prefix { $0.isNumber }
        guard let n = Int(digits), n >= 1, n <= 10_000 else { return nil }
        switch body.dropFirst(digits.count) {
        case "d", "day", "days": return n
        case "w", "wk", "wks", "week", "weeks": return n * 7
        default: return nil
        }
    }

    /// `a day` / `per day` after `once`, `twice`, `N times`.
    private mutating func acceptDayWords() -> Bool {
        guard atWord("a") || atWord("per"), peek().isWord("day") else { return false }
        skip()
        skip()
        return true
    }

    /// every = "every" ( "other" "day" | "day" | "week" | additive ) ;
    private mutating func parseEvery() throws(Failure) -> ClauseKind {
        skip()
        if acceptWord("other") != nil {
            try expectWord("day", "`day` as in `every other day`")
            return .frequency(.everyOtherDay)
        }
        if acceptWord("day") != nil { return .frequency(.timesDaily(1)) }
        if acceptWord("week") != nil { return .frequency(.weekly) }
        if acceptWord("month") != nil { return .frequency(.everyMonths(1)) }
        if currentKind == .number, peek().isWord("times") {
            throw fail(.unexpectedToken, "write `\(Quantity.format(current.value.number ?? 0)) times daily` instead", at: currentSpan)
        }
        // `every 3 months`: calendar months, not a number of days.
        if let months = try acceptCalendarMonths("the interval") { return .frequency(.everyMonths(months)) }
        // `every 4 to 6 hours`, `every 4-6h`: an interval range.
        if currentKind == .number, peek().isWord("to") || peek().kind == .minus, case .number(let low) = current.value {
            let first = advance()
            skip()
            let high = try parsePrimary()
            guard case .literal(.quantity(_, let unit)) = high.kind else {
                throw fail(.unexpectedToken, "give the unit after the range, as in `every 4 to 6 hours`", at: high.span)
            }
            return .frequency(.everyRange(Expr(kind: .literal(.quantity(low, unit)), span: first.span), high))
        }
        return .frequency(.every(try parseAdditive()))
    }

    /// on = "on" ( "waking" | "day" additive | weekday { "," weekday } | DATE | [ "an" ] "empty" "stomach" ) ;
    private mutating func parseOn() throws(Failure) -> ClauseKind {
        skip()
        if atWord("waking") || atWord("wake") || atWord("rising") {
            skip()
            return .anchored(.wake, offset: nil, direction: .with)
        }
        if acceptWord("day") != nil { return .onDay(try parseAdditive()) }
        if currentKind == .date { return .startDate(try parseAdditive()) }
        if acceptWord("an") != nil || atWord("empty") {
            try expectWord("empty", "`empty stomach`")
            try expectWord("stomach", "`empty stomach`")
            return .emptyStomach
        }
        // `on alternate days`, `on alternating days`: every other day.
        if atWord("alternate") || atWord("alternating"), peek().isWord("days") {
            skip()
            skip()
            return .frequency(.everyOtherDay)
        }
        guard current.word.flatMap(Self.weekdaysOf) != nil else {
            throw fail(.unexpectedToken, "expected `waking`, `day N`, a date or weekdays after `on`, found \(current.described)",
                       at: currentSpan, hint: current.word.flatMap { suggestion(for: $0, among: Self.weekdays.keys) })
        }
        return parseWeekdays()
    }

    /// weekdays = weekday_or_range { ( "," | "and" ) weekday_or_range } ; at a weekday word.
    mutating func parseWeekdays() -> ClauseKind {
        var days = current.word.flatMap(Self.weekdaysOf) ?? []
        skip()
        while at(.comma) || atWord("and"), let more = peek().word.flatMap(Self.weekdaysOf) {
            skip()
            skip()
            days += more.filter { !days.contains($0) }
        }
        return .frequency(.weekdays(days))
    }

    /// `mon` → [0]; `mon-fri` → [0, 1, 2, 3, 4]; `fri-mon` → [4, 5, 6, 0] (a range runs on through Sunday).
    static func weekdaysOf(_ word: String) -> [Int]? {
        if let day = weekdays[word] { return [day] }
        let ends = word.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let first = weekdays[String(ends[0])], let last = weekdays[String(ends[1])] else { return nil }
        return (0...((last - first + 7) % 7)).map { (first + $0) % 7 }
    }

    /// at = "at" ( CLOCK { "and" CLOCK } | "bedtime" | "night" | "noon" | "midnight" | meal | "waking" ) ;
    private mutating func parseAt() throws(Failure) -> ClauseKind {
        skip()
        if acceptWord("night") != nil { return .period(.night) }
        if acceptWord("noon") != nil || acceptWord("midday") != nil { return .period(.noon) }
        if let midnight = acceptWord("midnight") {
            return .clockTimes([Expr(kind: .literal(.clock(ClockTime(0, 0))), span: midnight.span)])
        }
        let isAnchor = current.word.map { Anchor.words[$0] != nil } ?? false
        if currentKind == .clock || (currentKind == .word && !isAnchor) {
            var times: [Expr] = []
            repeat {
                times.append(try parsePrimary())
            } while acceptWord("and") != nil || (at(.comma) && peek().kind == .clock && advance().kind == .comma)
            return .clockTimes(times)
        }
        guard let anchor = current.word.flatMap({ Anchor.words[$0] }) else {
            throw fail(.unexpectedToken, "expected a clock time, `bedtime` or a meal after `at`, found \(current.described)",
                       at: currentSpan, hint: "write `at 08:00` or `at 8am`")
        }
        skip()
        return .anchored(anchor, offset: nil, direction: .with)
    }

    private mutating func parseMealAnchor() throws(Failure) -> Anchor {
        guard let anchor = current.word.flatMap({ Anchor.words[$0] }), anchor.isMeal else {
            throw fail(.unexpectedToken, "expected `breakfast`, `lunch`, `dinner` or `meals`, found \(current.described)",
                       at: currentSpan, hint: current.word.flatMap { suggestion(for: $0, among: ["breakfast", "lunch", "dinner", "meals"]) })
        }
        skip()
        return anchor
    }

    /// offset_clause = additive ( "before" | "after" ) ( anchor | name ) { "or" relation }
    ///               | additive "apart" "from" name ;
    private mutating func parseOffsetClause() throws(Failure) -> ClauseKind {
        var relations: [RelationSyntax] = []
        repeat {
            let start = currentSpan
            let offset = try parsePrimary()
            let direction: Direction
            if acceptWord("before") != nil {
                direction = .before
            } else if acceptWord("after") != nil {
                direction = .after
            } else if acceptWord("apart") != nil {
                try expectWord("from", "`from` as in `4h apart from levothyroxine`")
                direction = .apart
            } else {
                throw fail(.unexpectedToken, "expected `before`, `after` or `apart from` after the time span, found \(current.described)",
                           at: currentSpan)
            }
            if relations.isEmpty, direction != .apart, let anchor = current.word.flatMap({ Anchor.words[$0] }) {
                skip()
                let meals = acceptMoreMeals(after: anchor)
                return meals.count > 1 ? .mealsApart(meals, offset: offset, direction: direction) : .anchored(anchor, offset: offset, direction: direction)
            }
            let target = try parseName(stoppingAt: ["or", "and"])
            relations.append(RelationSyntax(offset: offset, direction: direction, target: target, span: span(from: start)))
        } while acceptWord("or") != nil
        return .relation(relations)
    }

    /// `breakfast and dinner` after `before`: the meals that follow the first with `and`.
    private mutating func acceptMoreMeals(after first: Anchor) -> [Anchor] {
        var meals = [first]
        guard first.isMeal else { return meals }
        while atWord("and"), let next = peek().word.flatMap({ Anchor.words[$0] }), next.isMeal, !meals.contains(next) {
            skip()
            skip()
            meals.append(next)
        }
        return meals
    }

    /// titration = ( "increase" | "decrease" ) "by" additive "every" ( "day" | "week" | additive ) "to" additive ;
    private mutating func parseTitration() throws(Failure) -> TitrationSyntax {
        let increasing = advance().isWord("increase")
        try expectWord("by", "`by` as in `increase by 100mg every week to 400mg`")
        let step = try parseAdditive()
        let everyToken = try expectWord("every", "`every` and the interval, as in `every week`")
        let interval: Expr
        if let unitWord = current.word, let unit = Unit.named(unitWord), unit.dimension == .time {
            interval = Expr(kind: .literal(.quantity(1, CompoundUnit(numerator: unit, denominator: nil))), span: advance().span)
        } else {
            interval = try parseAdditive()
        }
        _ = everyToken
        try expectWord("to", "`to` and the final dose, as in `to 400mg`")
        let target = try parseAdditive()
        return TitrationSyntax(increasing: increasing, step: step, interval: interval, target: target)
    }
}

extension TokenValue {
    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}

extension Clause {
    /// `prn`, `as needed`.
    var isAsNeeded: Bool {
        if case .frequency(.asNeeded) = kind { return true }
        return false
    }
}
