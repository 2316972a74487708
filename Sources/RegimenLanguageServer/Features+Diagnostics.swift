import RegimenCore

/// The answers to document requests, each computed from one check of the document.
enum Features {}

extension Features {
    /// `textDocument/publishDiagnostics` params: every finding `regimen check` reports for the
    /// file, with the document version the check was made from.
    static func publishedDiagnostics(_ analysis: Analysis, uri: String) -> JSON {
        .fields(("uri", .string(uri)), ("version", .int(analysis.version)),
                ("diagnostics", .array(analysis.findings.map { diagnostic($0, analysis) })))
    }

    /// One finding as an LSP diagnostic. A finding in the file itself is placed on its span; one
    /// in an included file on the `include` that brought it in (its own place as related
    /// information); one about the whole plan (R818) on the file's first line.
    static func diagnostic(_ diagnostic: Diagnostic, _ analysis: Analysis) -> JSON {
        let sources = analysis.compilation.sources
        var range = fileStartRange
        var message = diagnostic.message
        var related: [JSON] = []
        if let span = diagnostic.span {
            if span.file == analysis.mainFile {
                range = analysis.file.range(of: span)
            } else {
                let other = sources[span.file]
                let line = other.position(of: span.offset).line + 1
                message = "\(other.name) line \(line): " + message
                if let include = analysis.includes.first(where: { $0.resolved == Path.normalize(other.name) }) {
                    range = analysis.file.range(of: include.span)
                }
                if let location = location(span, sources) {
                    related.append(.fields(("location", location), ("message", .string("the finding is here"))))
                }
            }
        }
        if let hint = diagnostic.hint { message += "\nhint: \(hint)" }
        for note in diagnostic.notes { message += "\nnote: \(note)" }
        for place in diagnostic.related {
            guard let location = location(place.span, sources, main: analysis) else { continue }
            related.append(.fields(("location", location), ("message", .string(place.message))))
        }
        return .fields(
            ("range", range),
            ("severity", .int(severity(diagnostic.severity))),
            ("code", .string(diagnostic.code.id)),
            ("source", .string("regimen")),
            ("message", .string(message)),
            ("relatedInformation", related.isEmpty ? nil : .array(related)))
    }

    static func severity(_ severity: Severity) -> Int {
        switch severity {
        case .error: 1
        case .warning: 2
        case .note: 3
        }
    }

    /// A span as an LSP location, when its file is a plan file on disk (not the bundled knowledge).
    static func location(_ span: Span, _ sources: SourceManager, main analysis: Analysis? = nil) -> JSON? {
        let file = sources[span.file]
        if let analysis, span.file == analysis.mainFile {
            return .fields(("uri", .string(analysis.uri)), ("range", file.range(of: span)))
        }
        guard file.name.hasPrefix("/") else { return nil }
        return .fields(("uri", .string(FileURI.uri(of: file.name))), ("range", file.range(of: span)))
    }
}
