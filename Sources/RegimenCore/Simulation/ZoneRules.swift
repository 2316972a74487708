import SystemFiles

/// One kind of local time a zone observes: its offset east of UTC, whether it is daylight
/// saving time, and its abbreviation (CET, CEST).
struct LocalTimeType: Sendable, Equatable {
    var offset: Int
    var isDaylight: Bool
    var abbreviation: String
}

/// A time zone's rules as the IANA database states them: the transitions between local time
/// types, read from the system's compiled zone files (TZif, RFC 8536), and the POSIX TZ rule
/// the file ends with for the years after its table. Read directly rather than through
/// Foundation, whose time zones bring ICU's start-up cost into every run of the tool.
struct ZoneRules: Sendable {
    let name: String
    /// UTC instants (seconds since 1970) at which the local time type changes, ascending.
    private(set) var transitions: [Int] = []
    /// The type in force from each transition on.
    private(set) var types: [LocalTimeType] = []
    /// The type before the first transition.
    private(set) var initial: LocalTimeType
    /// How local time goes on after the table; nil when the file has no rule.
    private var rule: PosixRule?

    /// Transitions are worked out from the rule up to this year once, so that looking one up is
    /// always a binary search; later instants use the rule directly.
    private static let tabulatedThrough = 2100

    /// A zone with one local time type all the time.
    init(name: String, fixed type: LocalTimeType) {
        self.name = name
        self.initial = type
    }

    /// Parses a TZif file; nil when the bytes are not one.
    init?(name: String, tzif bytes: [UInt8]) {
        var reader = TZifReader(bytes: bytes)
        guard let table = reader.read() else { return nil }
        self.name = name
        self.initial = table.types.first ?? LocalTimeType(offset: 0, isDaylight: false, abbreviation: "UTC")
        for (instant, typeIndex) in zip(table.times, table.typeIndices) where Int(typeIndex) < table.types.count {
            transitions.append(instant)
            types.append(table.types[Int(typeIndex)])
        }
        rule = table.footer.flatMap(PosixRule.init(parsing:))
        if let rule {
            if transitions.isEmpty { initial = rule.standard }
            tabulate(rule)
        }
    }

    /// Appends the rule's transitions after the table's last one, through `tabulatedThrough`.
    private mutating func tabulate(_ rule: PosixRule) {
        guard let daylight = rule.daylight else { return }
        let last = transitions.last ?? Int.min
        let firstYear = last == Int.min ? 1970 : CivilDate(dayNumber: Self.floorDiv(last, 86_400)).year
        // A table that already runs past the tabulated years needs nothing from the rule.
        guard firstYear <= Self.tabulatedThrough else { return }
        for year in firstYear...Self.tabulatedThrough {
            for (instant, type) in rule.transitions(in: year, daylight: daylight).sorted(by: { $0.0 < $1.0 }) where instant > last {
                transitions.append(instant)
                types.append(type)
            }
        }
    }

    /// The local time type in force at an instant.
    func type(at instant: Int) -> LocalTimeType {
        if let last = transitions.last, instant >= last, let rule, rule.daylight != nil,
           CivilDate(dayNumber: Self.floorDiv(instant, 86_400)).year > Self.tabulatedThrough {
            return rule.type(at: instant)
        }
        // The last transition at or before the instant.
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= instant { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? initial : types[low - 1]
    }

    /// The first transition after an instant that changes the offset or daylight saving.
    func nextTransition(after instant: Int) -> Int? {
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= instant { low = mid + 1 } else { high = mid }
        }
        var previous = low == 0 ? initial : types[low - 1]
        for index in low..<transitions.count {
            let type = types[index]
            if type.offset != previous.offset || type.isDaylight != previous.isDaylight { return transitions[index] }
            previous = type
        }
        return nil
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

/// The contents of a TZif file that the rules need.
private struct TZifTable {
    var times: [Int] = []
    var typeIndices: [UInt8] = []
    var types: [LocalTimeType] = []
    var footer: String?
}

/// Reads TZif version 1 to 4: the 64-bit data block when there is one, else the 32-bit one.
private struct TZifReader {
    let bytes: [UInt8]
    var position = 0

    mutating func read() -> TZifTable? {
        guard let header = readHeader() else { return nil }
        if header.version >= 2 {
            position += header.counts.dataLength(timeSize: 4)
            guard let second = readHeader() else { return nil }
            guard var table = readData(second.counts, timeSize: 8) else { return nil }
            table.footer = readFooter()
            return table
        }
        return readData(header.counts, timeSize: 4)
    }

    struct Counts {
        var isUT = 0, isStandard = 0, leap = 0, time = 0, type = 0, characters = 0

        func dataLength(timeSize: Int) -> Int {
            time * timeSize + time + type * 6 + characters + leap * (timeSize + 4) + isStandard + isUT
        }
    }

    private mutating func readHeader() -> (version: Int, counts: Counts)? {
        guard position + 44 <= bytes.count, bytes[position..<position + 4].elementsEqual("TZif".utf8) else { return nil }
        let versionByte = bytes[position + 4]
        let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
        position += 20
        var values: [Int] = []
        for _ in 0..<6 { values.append(Int(readInt32())) }
        let counts = Counts(isUT: values[0], isStandard: values[1], leap: values[2], time: values[3], type: values[4], characters: values[5])
        guard values.allSatisfy({ $0 >= 0 }), counts.type > 0,
              position + counts.dataLength(timeSize: version >= 2 ? 4 : 4) <= bytes.count else { return nil }
        return (version, counts)
    }

    private mutating func readData(_ counts: Counts, timeSize: Int) -> TZifTable? {
        guard position + counts.dataLength(timeSize: timeSize) <= bytes.count else { return nil }
        var table = TZifTable()
        for _ in 0..<counts.time { table.times.append(timeSize == 8 ? Int(readInt64()) : Int(readInt32())) }
        table.typeIndices = Array(bytes[position..<position + counts.time])
        position += counts.time
        var raw: [(offset: Int, isDaylight: Bool, nameIndex: Int)] = []
        for _ in 0..<counts.type {
            let offset = Int(readInt32())
            raw.append((offset, bytes[position] != 0, Int(bytes[position + 1])))
            position += 2
        }
        let names = Array(bytes[position..<position + counts.characters])
        position += counts.characters + counts.leap * (timeSize + 4) + counts.isStandard + counts.isUT
        table.types = raw.map { type in
            let start = min(type.nameIndex, names.count)
            let end = names[start...].firstIndex(of: 0) ?? names.count
            return LocalTimeType(offset: type.offset, isDaylight: type.isDaylight,
                                 abbreviation: String(decoding: names[start..<end], as: UTF8.self))
        }
        return table
    }

    /// The POSIX TZ string between two newlines after the data (version 2 and later).
    private mutating func readFooter() -> String? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\n") else { return nil }
        guard let end = bytes[(position + 1)...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let text = String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    private mutating func readInt32() -> Int32 {
        let value = bytes[position..<position + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        position += 4
        return Int32(bitPattern: value)
    }

    private mutating func readInt64() -> Int64 {
        let value = bytes[position..<position + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        position += 8
        return Int64(bitPattern: value)
    }
}

/// A POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3`: standard time, and optionally
/// daylight saving time with the rules for its start and end each year.
struct PosixRule: Sendable {
    var standard: LocalTimeType
    var daylight: (type: LocalTimeType, start: DateRule, end: DateRule)?

    /// When in the year a change happens, and at what local time (seconds after midnight,
    /// which RFC 8536 allows to be negative or past 24 hours).
    struct DateRule: Sendable {
        enum Day: Sendable {
            /// `Jn`: day 1–365, February 29 never counted.
            case julianNoLeap(Int)
            /// `n`: day 0–365, February 29 counted.
            case zeroBased(Int)
            /// `Mm.w.d`: weekday d (0 Sunday) of week w (5: the last) of month m.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }
        var day: Day
        var time: Int

        /// The local date the rule names in a year.
        func date(in year: Int) -> CivilDate {
            switch day {
            case .julianNoLeap(let n):
                let date = CivilDate(year: year, month: 1, day: 1)!.adding(days: n - 1)
                let leap = CivilDate.daysIn(month: 2, year: year) == 29
                return leap && n >= 60 ? date.adding(days: 1) : date
            case .zeroBased(let n):
                return CivilDate(year: year, month: 1, day: 1)!.adding(days: n)
            case .monthWeekDay(let month, let week, let weekday):
                let first = CivilDate(year: year, month: month, day: 1)!
                // CivilDate.weekday counts from Monday; the rule from Sunday.
                let firstWeekday = (first.weekday + 1) % 7
                var day = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
                let length = CivilDate.daysIn(month: month, year: year)
                while day > length { day -= 7 }
                return CivilDate(year: year, month: month, day: day)!
            }
        }
    }

    /// The UTC instants at which daylight saving starts and ends in a year, with the type after each.
    func transitions(in year: Int, daylight: (type: LocalTimeType, start: DateRule, end: DateRule)) -> [(Int, LocalTimeType)] {
        guard (1...9998).contains(year) else { return [] }
        // The start is given in standard time, the end in daylight saving time.
        let start = daylight.start.date(in: year).dayNumber * 86_400 + daylight.start.time - standard.offset
        let end = daylight.end.date(in: year).dayNumber * 86_400 + daylight.end.time - daylight.type.offset
        return [(start, daylight.type), (end, standard)]
    }

    /// The type at an instant, from the rule alone.
    func type(at instant: Int) -> LocalTimeType {
        guard let daylight else { return standard }
        let year = CivilDate(dayNumber: ZoneRules.floorDiv(instant + standard.offset, 86_400)).year
        // The latest change at or before the instant, looking at this year and the one before.
        let changes = (transitions(in: year - 1, daylight: daylight) + transitions(in: year, daylight: daylight))
            .filter { $0.0 <= instant }.max { $0.0 < $1.0 }
        return changes?.1 ?? standard
    }

    /// Parses `std offset [dst [offset] [,start[/time],end[/time]]]`; nil when malformed.
    init?(parsing text: String) {
        var scanner = RuleScanner(Array(text.utf8))
        guard let standardName = scanner.name(), let standardOffset = scanner.offset() else { return nil }
        standard = LocalTimeType(offset: -standardOffset, isDaylight: false, abbreviation: standardName)
        guard !scanner.atEnd else { daylight = nil; return }
        guard let daylightName = scanner.name() else { return nil }
        let daylightOffset = scanner.peek == UInt8(ascii: ",") ? standardOffset - 3600 : scanner.offset()
        guard let daylightOffset, scanner.take(","), let start = scanner.dateRule(), scanner.take(","),
              let end = scanner.dateRule(), scanner.atEnd else { return nil }
        daylight = (LocalTimeType(offset: -daylightOffset, isDaylight: true, abbreviation: daylightName), start, end)
    }
}

/// Reads the parts of a POSIX TZ string.
private struct RuleScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    mutating func take(_ character: Character) -> Bool {
        guard peek == character.asciiValue else { return false }
        position += 1
        return true
    }

    /// `CET`, or `<+03>` for names that are not letters.
    mutating func name() -> String? {
        if take("<") {
            guard let close = bytes[position...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
            defer { position = close + 1 }
            return String(decoding: bytes[position..<close], as: UTF8.self)
        }
        let start = position
        while let byte = peek, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z") { position += 1 }
        return position - start >= 3 ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// `[+-]h[h][:mm[:ss]]` in seconds (POSIX offsets count west of UTC as positive).
    mutating func offset() -> Int? {
        var sign = 1
        if take("-") { sign = -1 } else { _ = take("+") }
        guard let hours = number() else { return nil }
        var seconds = hours * 3600
        if take(":") {
            guard let minutes = number() else { return nil }
            seconds += minutes * 60
            if take(":") {
                guard let rest = number() else { return nil }
                seconds += rest
            }
        }
        return sign * seconds
    }

    /// `Mm.w.d`, `Jn` or `n`, then an optional `/time` (default 02:00).
    mutating func dateRule() -> PosixRule.DateRule? {
        let day: PosixRule.DateRule.Day
        if take("M") {
            guard let month = number(), take("."), let week = number(), take("."), let weekday = number(),
                  (1...12).contains(month), (1...5).contains(week), (0...6).contains(weekday) else { return nil }
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else if take("J") {
            guard let n = number(), (1...365).contains(n) else { return nil }
            day = .julianNoLeap(n)
        } else {
            guard let n = number(), (0...365).contains(n) else { return nil }
            day = .zeroBased(n)
        }
        var time = 7200
        if take("/") {
            guard let value = offset() else { return nil }
            time = value
        }
        return PosixRule.DateRule(day: day, time: time)
    }

    private mutating func number() -> Int? {
        let start = position
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), position - start < 6 { position += 1 }
        guard position > start else { return nil }
        return bytes[start..<position].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}

/// The system's IANA time zone database: compiled zone files under TZDIR, or
/// /usr/share/zoneinfo (Debian's tzdata package).
enum TimeZoneDatabase {
    static var folder: String {
        if let custom = Files.environment("TZDIR"), !custom.isEmpty { return custom }
        return "/usr/share/zoneinfo"
    }

    /// Whether the database is there at all (so a missing zone can be told from a missing database).
    static var isInstalled: Bool { Files.isFolder(folder) }

    /// A zone by its IANA name, or nil when there is no such zone.
    static func rules(named name: String) -> ZoneRules? {
        if isUTC(name) { return ZoneRules(name: name, fixed: LocalTimeType(offset: 0, isDaylight: false, abbreviation: "UTC")) }
        guard let path = path(of: name), let bytes = readFile(path) else { return nil }
        return ZoneRules(name: name, tzif: bytes)
    }

    /// Whether a zone of that name is in the database: a TZif file, not yet read in full (the
    /// evaluator asks this; the simulator reads the rules).
    static func hasZone(named name: String) -> Bool {
        if isUTC(name) { return true }
        guard let path = path(of: name) else { return false }
        return readFile(path)?.starts(with: "TZif".utf8) == true
    }

    private static func isUTC(_ name: String) -> Bool { name == "UTC" || name == "Etc/UTC" }

    /// The file of a zone name. A name is a relative path of letters, digits and - + _; nothing
    /// that could leave the folder.
    private static func path(of name: String) -> String? {
        let allowed = name.utf8.allSatisfy { byte in
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "/_-+".utf8.contains(byte)
        }
        guard allowed, !name.isEmpty, !name.hasPrefix("/"), !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { return nil }
        return folder + "/" + name
    }

    /// This computer's zone: TZ when it names a zone, else /etc/localtime, else UTC.
    static func local() -> ZoneRules {
        if let variable = Files.environment("TZ"), !variable.isEmpty {
            let name = variable.hasPrefix(":") ? String(variable.dropFirst()) : variable
            if let rules = rules(named: name) { return rules }
        }
        if let bytes = readFile("/etc/localtime") {
            let name = linkedZoneName("/etc/localtime") ?? "localtime"
            if let rules = ZoneRules(name: name, tzif: bytes) { return rules }
        }
        return rules(named: "UTC")!
    }

    /// Every zone name in the database, for suggestions and completion: read once per process
    /// (about 600 files), so a plan with two thousand unknown zone names reads the folder once.
    static func allNames() -> [String] { namesOnce }

    private static let namesOnce: [String] = {
        var names: [String] = []
        collect(folder, prefix: "", into: &names)
        return names.sorted()
    }()

    private static func collect(_ path: String, prefix: String, into names: inout [String]) {
        for name in Files.entries(inFolder: path) {
            // posix/ and right/ repeat every zone; the rest are not zones.
            if name.hasPrefix(".") || ["posix", "right", "posixrules", "localtime", "Factory"].contains(name) { continue }
            let full = path + "/" + name
            if Files.isFolder(full) {
                collect(full, prefix: prefix + name + "/", into: &names)
            } else if name.first?.isUppercase == true, readFile(full)?.starts(with: "TZif".utf8) == true {
                names.append(prefix + name)
            }
        }
    }

    /// The zone name in a symbolic link such as /etc/localtime -> /usr/share/zoneinfo/Europe/Berlin.
    private static func linkedZoneName(_ path: String) -> String? {
        guard let target = Files.linkTarget(path), let range = target.firstRange(of: "zoneinfo/") else { return nil }
        return String(target[range.upperBound...])
    }

    /// A zone file's bytes; they are a few kilobytes, a megabyte is plenty.
    private static func readFile(_ path: String) -> [UInt8]? {
        if case .bytes(let bytes) = Files.read(path, maxBytes: 1 << 20) { return bytes }
        return nil
    }
}
