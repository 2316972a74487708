import Dispatch
import RegimenCore
import Synchronization
import SystemFiles

/// `regimen check DIR…`: every `*.regimen` under the folders (and the files named), checked on
/// all cores with one shared knowledge base. Each plan is compiled, checked and rendered by one
/// worker, which keeps only its report, so ten thousand plans never live in memory together; one
/// bad file never stops the rest.
struct Batch {
    /// One plan's outcome, already rendered.
    struct Report: Sendable {
        enum Status: String, Sendable { case clean, warnings, errors, unreadable }
        var path: String
        var status: Status
        var text = ""
        var diagnostics: [JSON] = []
        var counts = [0, 0, 0]
        var results: [SarifResult] = []
        var reason: String?
    }

    /// A finding as SARIF needs it.
    struct SarifResult: Sendable {
        var code: DiagnosticCode
        var level: String
        var message: String
        var file: String?
        var line: Int
        var column: Int
    }

    /// What each report must hold: only the chosen format is built, so a large batch keeps little.
    enum Output: Sendable { case text, json, sarif }

    let paths: [String]
    let colour: Bool
    let output: Output

    /// The plans the arguments name: folders walked for `*.regimen`, files as given.
    static func plans(_ arguments: [String]) -> [String] {
        arguments.flatMap { Files.isFolder($0) ? Files.walk($0, suffix: ".regimen") : [$0] }
    }

    /// Checks every plan, in parallel; the reports in the order of `paths`.
    func run() -> [Report] {
        let reports = Mutex<[Report?]>(Array(repeating: nil, count: paths.count))
        let today = CivilDate.today
        // The knowledge base is read once, before the workers start, and shared by all of them.
        _ = BundledKnowledge.shared
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            let report = Self.check(paths[index], today: today, colour: colour, output: output)
            reports.withLock { $0[index] = report }
        }
        return reports.withLock { $0.map { $0! } }
    }

    static func check(_ path: String, today: CivilDate, colour: Bool, output: Output) -> Report {
        switch Frontend.compile(path: path, provider: FileSourceProvider(), today: today) {
        case .failure(let error):
            return Report(path: path, status: .unreadable, reason: error.reason)
        case .success(let compilation):
            let findings = compilation.checked(today: today)
            let renderer = DiagnosticRenderer(colour: colour)
            var report = Report(path: path, status: .clean)
            report.counts = [Severity.error, .warning, .note].map { s in findings.filter { $0.severity == s }.count }
            report.status = report.counts[0] > 0 ? .errors : report.counts[1] > 0 ? .warnings : .clean
            switch output {
            case .text: report.text = findings.map { renderer.render($0, sources: compilation.sources) }.joined(separator: "\n")
            case .json: report.diagnostics = findings.map { $0.json(sources: compilation.sources) }
            case .sarif: break
            }
            guard output == .sarif else { return report }
            report.results = findings.map { diagnostic in
                var result = SarifResult(code: diagnostic.code, level: diagnostic.severity.rawValue, message: diagnostic.message,
                                         file: nil, line: 1, column: 1)
                if let span = diagnostic.span {
                    let file = compilation.sources[span.file]
                    let location = file.location(of: span.offset)
                    // Findings placed in the built-in knowledge base point at no file on disk.
                    if !file.name.hasPrefix("<") { result.file = file.name }
                    (result.line, result.column) = (location.line, location.column)
                }
                return result
            }
            return report
        }
    }

    // MARK: Output

    /// The findings of each plan, a line for each, then the summary table.
    static func text(_ reports: [Report]) -> String {
        var out = ""
        for report in reports {
            if !report.text.isEmpty { out += report.text + "\n" }
            if let reason = report.reason {
                out += "\(Printable.escaped(report.path)): not readable: \(Printable.escaped(reason))\n"
            } else {
                let summary = ["error", "warning", "note"].enumerated().map { index, word in
                    let n = report.counts[index]
                    return n == 0 ? "no \(word)s" : n == 1 ? "1 \(word)" : "\(n) \(word)s"
                }.joined(separator: ", ")
                out += "\(Printable.escaped(report.path)): \(summary)\n"
            }
        }
        let counts = summary(reports)
        let headers = ["plans", "clean", "with warnings", "with errors", "not readable"]
        let values = [counts.plans, counts.clean, counts.warnings, counts.errors, counts.unreadable].map(String.init)
        out += "\n" + headers.joined(separator: "  ") + "\n"
        out += zip(headers, values).map { header, value in String(repeating: " ", count: max(0, header.count - value.count)) + value }
            .joined(separator: "  ") + "\n"
        return out
    }

    static func summary(_ reports: [Report]) -> (plans: Int, clean: Int, warnings: Int, errors: Int, unreadable: Int) {
        func count(_ status: Report.Status) -> Int { reports.filter { $0.status == status }.count }
        return (reports.count, count(.clean), count(.warnings), count(.errors), count(.unreadable))
    }

    /// `{"files": [{"file", "status", "diagnostics", "summary"} …], "summary": {…}}`.
    static func json(_ reports: [Report]) -> JSON {
        let files: [JSON] = reports.map { report in
            var fields: [(String, JSON)] = [("file", .string(report.path)), ("status", .string(report.status.rawValue))]
            if let reason = report.reason {
                fields.append(("reason", .string(reason)))
            } else {
                fields.append(("diagnostics", .array(report.diagnostics)))
                fields.append(("summary", .object([("errors", .int(report.counts[0])), ("warnings", .int(report.counts[1])),
                                                   ("notes", .int(report.counts[2]))])))
            }
            return .object(fields)
        }
        let counts = summary(reports)
        return .object([
            ("files", .array(files)),
            ("summary", .object([("plans", .int(counts.plans)), ("clean", .int(counts.clean)), ("warnings", .int(counts.warnings)),
                                 ("errors", .int(counts.errors)), ("unreadable", .int(counts.unreadable))])),
        ])
    }

    /// A SARIF 2.1.0 log: one run, the codes used as rules, each finding a result at its file,
    /// line and column; files that could not be read as tool notifications.
    static func sarif(_ reports: [Report]) -> JSON {
        var codes: [DiagnosticCode] = []
        var index: [String: Int] = [:]
        for result in reports.flatMap(\.results) where index[result.code.id] == nil {
            index[result.code.id] = codes.count
            codes.append(result.code)
        }
        let rules: [JSON] = codes.map { code in
            .object([("id", .string(code.id)), ("name", .string(code.name)),
                     ("shortDescription", .object([("text", .string(code.name.split(separator: "-").joined(separator: " ")))])),
                     ("fullDescription", .object([("text", .string(code.explanation))])),
                     ("defaultConfiguration", .object([("level", .string(code.severity.rawValue))]))])
        }
        let results: [JSON] = reports.flatMap(\.results).map { result in
            var fields: [(String, JSON)] = [("ruleId", .string(result.code.id)), ("ruleIndex", .int(index[result.code.id]!)),
                                            ("level", .string(result.level)), ("message", .object([("text", .string(result.message))]))]
            if let file = result.file {
                fields.append(("locations", .array([.object([("physicalLocation", .object([
                    ("artifactLocation", .object([("uri", .string(uriReference(file)))])),
                    ("region", .object([("startLine", .int(result.line)), ("startColumn", .int(result.column))])),
                ]))])])))
            }
            return .object(fields)
        }
        let unreadable: [JSON] = reports.filter { $0.status == .unreadable }.map { report in
            .object([("level", .string("error")), ("message", .object([("text", .string("cannot read \(report.path): \(report.reason ?? "")"))])),
                     ("locations", .array([.object([("physicalLocation", .object([("artifactLocation", .object([("uri", .string(uriReference(report.path)))]))]))])]))])
        }
        return .object([
            ("$schema", .string("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([("name", .string("regimen")), ("rules", .array(rules))]))])),
                ("invocations", .array([.object([("executionSuccessful", .bool(unreadable.isEmpty)),
                                                 ("toolExecutionNotifications", .array(unreadable))])])),
                ("results", .array(results)),
            ])])),
        ])
    }

    /// A path as a URI reference: unreserved characters and `/` as they are, the rest percent-encoded.
    static func uriReference(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
