import Foundation
import RegimenCore
import Testing
import TestSupport

/// One name the knowledge base does not know must never hide another finding: every example and
/// golden plan, with one unknown co-medication added, gives the same other findings.
@Suite struct UnknownNameTests {
    static let plans: [String] = (GoldenCase.examples() + GoldenCase.all(in: "checks") + GoldenCase.all(in: "simulate")).map(\.input)

    /// A finding as compared: where it is, what it says; the unknown line's own findings aside.
    struct Finding: Hashable, CustomStringConvertible {
        let code: String
        let severity: Severity
        let message: String
        let line: Int?
        var description: String { "\(code)@\(line.map(String.init) ?? "-") \(message)" }
    }

    /// The source with `senna 15mg nightly` as the first line of its first plan block (or at the
    /// end, outside any block, when it has none), and the line number it was given.
    static func withUnknownLine(_ text: String) -> (String, Int) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let header = lines.firstIndex(where: { $0.hasPrefix("plan ") && $0.hasSuffix(":") }),
           let body = lines[(header + 1)...].firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }) {
            let indent = String(lines[body].prefix { $0 == " " })
            lines.insert(indent + "senna 15mg nightly", at: header + 1)
            return (lines.joined(separator: "\n"), header + 2)
        }
        if lines.last == "" { lines.removeLast() }
        lines.append("senna 15mg nightly")
        return (lines.joined(separator: "\n") + "\n", lines.count)
    }

    static func findings(_ compilation: Compilation, shiftingAfter inserted: Int?) -> [Finding] {
        compilation.checked(today: testToday).compactMap { d in
            if d.code == .notChecked || d.subjects.contains("senna") || d.message.contains("`senna`") { return nil }
            var line = d.span.map { compilation.sources[$0.file].location(of: $0.offset).line }
            if let inserted, let l = line, d.span?.file == compilation.mainFile, l > inserted { line = l - 1 }
            // Line numbers inside a message ("given by 2 items (lines 8, 9)") moved with the insertion.
            let message = d.message.replacing(/lines? [0-9]+((, | and )[0-9]+)*/, with: "line …")
            return Finding(code: d.code.id, severity: d.severity, message: message, line: line)
        }
    }

    @Test("an unknown co-medication hides no other finding", arguments: plans)
    func unknownLineHidesNothing(_ path: String) throws {
        let text = try String(contentsOfFile: packageRoot + "/" + path, encoding: .utf8)
        let (changed, inserted) = Self.withUnknownLine(text)
        guard case .success(let original) = Frontend.compile(path: path, provider: PackageFiles(), today: testToday) else {
            Issue.record("cannot read \(path)")
            return
        }
        let modified = Frontend.compile(bytes: Array(changed.utf8), name: path, path: path, provider: PackageFiles(), today: testToday)
        #expect(modified.diagnostics.contains { $0.code == .unknownSubstance && $0.message.contains("`senna`") }, "the unknown line is an error")
        #expect(modified.plan.items.contains { $0.substance == "senna" && $0.unjudged == .unknownName }, "the unknown item is kept")
        let before = Self.findings(original, shiftingAfter: nil)
        let after = Self.findings(modified, shiftingAfter: inserted)
        #expect(Set(after) == Set(before), "added: \(Set(after).subtracting(before)); lost: \(Set(before).subtracting(after))")
        if !original.stopsChecks {
            #expect(modified.checked(today: testToday).contains { $0.code == .notChecked && $0.subjects.contains("senna") },
                    "the summary names the unknown item")
        }
    }
}
