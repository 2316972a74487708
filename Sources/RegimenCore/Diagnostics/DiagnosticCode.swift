/// A stable diagnostic code with its category, default severity and explanation.
/// Every code lives in `DiagnosticCode.catalog`; `regimen explain CODE` reads it from there.
public struct DiagnosticCode: Sendable, Hashable {
    /// The stable code, for example `R201`.
    public let id: String
    /// A short kebab-case name, for example `unknown-substance`.
    public let name: String
    public let category: Category
    public let severity: Severity
    /// What the problem is and how to fix it, in plain words.
    public let explanation: String

    public static func == (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// True for an error that still lets the plan be simulated and checked: a name the knowledge
    /// base does not know leaves its item unjudged but hides nothing else. Every other error stops
    /// the schedule and clinical checks, because the plan it leaves behind is not the one written.
    public var letsChecksRun: Bool {
        [Self.unknownSubstance, .unknownForm, .unknownCondition, .ambiguousName].contains(self)
    }

    /// Finds a code by its id (`R201`) or name (`unknown-substance`), ignoring case.
    public static func lookup(_ key: String) -> DiagnosticCode? {
        let key = key.lowercased()
        return catalog.first { $0.id.lowercased() == key || $0.name == key }
    }
}

/// "1 argument", "2 arguments": counts in messages read as plain English.
func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}

/// "once", "twice", "3 times": how often a day.
func timesText(_ count: Int) -> String {
    switch count {
    case 1: "once"
    case 2: "twice"
    default: "\(count) times"
    }
}
