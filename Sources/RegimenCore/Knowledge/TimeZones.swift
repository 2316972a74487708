/// IANA time zone names, from the system's time zone database.
enum TimeZones {
    static func isKnown(_ name: String) -> Bool { TimeZoneDatabase.hasZone(named: name) }
    static var all: [String] { TimeZoneDatabase.allNames() }
    /// The database's spelling of a name written in any case (`europe/berlin` → `Europe/Berlin`).
    static func canonical(_ name: String) -> String? {
        if isKnown(name) { return name }
        let lowered = name.lowercased()
        return all.first { $0.lowercased() == lowered }
    }
    /// Said when a name is unknown because there is no database at all.
    static var missingDatabaseHint: String? {
        TimeZoneDatabase.isInstalled ? nil
            : "this computer has no time zone database in \(TimeZoneDatabase.folder) (Debian: apt-get install tzdata)"
    }
}
