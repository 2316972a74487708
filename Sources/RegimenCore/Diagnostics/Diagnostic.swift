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
