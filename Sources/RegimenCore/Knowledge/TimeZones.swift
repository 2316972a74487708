import Foundation

/// IANA time zone names, through Foundation (the only part of the core that needs its time zone data).
enum TimeZones {
    static func isKnown(_ name: String) -> Bool { TimeZone(identifier: name) != nil }
    static var all: [String] { TimeZone.knownTimeZoneIdentifiers }
}
