/// How serious a finding is.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case note, warning, error

    public static func < (a: Severity, b: Severity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The area a finding belongs to; `regimen check --format json` reports it.
public enum Category: String, Sendable, CaseIterable {
    case syntax, name, unit, value, include, resource
    case contraindication, caution, interaction, doseLimit = "dose-limit", form, duplicate, schedule, rule, advice
}

/// One problem found in a source file, with where it is and what to do about it.
public struct Diagnostic: Sendable, Hashable {
    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var span: Span?
    /// Words under the underline, said right beside the code.
    public var label: String?
    public var hint: String?
    public var notes: [String]
    /// Canonical lower-case names of the substances, drugs and conditions involved.
    public var subjects: [String]
    /// Other places the finding concerns (the other dose of a spacing breach), each with a few words.
    public var related: [RelatedSpan] = []
    /// The smallest change of one dose's time that ends the finding, as data (the hint says it
    /// in words): an editor offers it as an edit without reading the hint's text.
    public var timingFix: TimingFix? = nil

    public var category: Category { code.category }

    public init(
        _ code: DiagnosticCode, _ message: String, at span: Span?, label: String? = nil,
        hint: String? = nil, notes: [String] = [], subjects: [String] = [], severity: Severity? = nil
    ) {
        self.code = code
        self.severity = severity ?? code.severity
        self.message = message
        self.span = span
        self.label = label
        self.hint = hint
        self.notes = notes
        self.subjects = subjects
    }
}

/// A second place a diagnostic concerns: the other party of a breach, a declaration.
public struct RelatedSpan: Sendable, Hashable {
    public var span: Span
    public var message: String

    public init(_ span: Span, _ message: String) {
        self.span = span
        self.message = message
    }
}

/// A move of one dose of an item that the checker worked out would end a finding (a spacing
/// breach): take the item's dose number `slot` of the day at a clock time, or at another anchor.
public struct TimingFix: Sendable, Hashable {
    public enum Timing: Sendable, Hashable {
        /// `at 10:30`
        case clock(ClockTime)
        /// `with lunch`, `on waking`, `at bedtime`
        case anchor(Anchor)
    }

    /// The item's span (`PlanItem.span`): the item whose dose moves.
    public var item: Span
    /// Which of the item's doses of a day moves (an index into its schedule's slots).
    public var slot: Int
    public var timing: Timing

    public init(item: Span, slot: Int, timing: Timing) {
        self.item = item
        self.slot = slot
        self.timing = timing
    }
}

/// Collects diagnostics from every stage; never stops a stage early.
public struct DiagnosticBag: Sendable {
    public private(set) var items: [Diagnostic] = []

    public init() {}

    public mutating func add(_ diagnostic: Diagnostic) { items.append(diagnostic) }
    public mutating func add(contentsOf other: [Diagnostic]) { items.append(contentsOf: other) }

    /// Diagnostics in source order, so output is stable whatever order stages ran in.
    public var sorted: [Diagnostic] {
        items.enumerated().sorted { a, b in
            let (x, y) = (a.element.span, b.element.span)
            switch (x, y) {
            case let (x?, y?) where x.file != y.file: return x.file < y.file
            case let (x?, y?) where x.offset != y.offset: return x.offset < y.offset
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }
}
