import RegimenCore

extension Features {
    // MARK: Completion

    /// What `Completer` (the REPL's completion) offers for the line up to the cursor, each
    /// candidate replacing the word being typed; include paths are relative to the document.
    static func completion(_ analysis: Analysis, _ params: JSON) -> JSON {
        guard let position = TextPosition(params["position"]) else { return .null }
        let file = analysis.file
        guard position.line < file.lineStarts.count else { return .array([]) }
        let lineStart = file.lineStarts[position.line], offset = file.offset(of: position)
        let line = Array(file.bytes[lineStart..<offset])
        let text = String(decoding: line, as: UTF8.self)
        let folder = Path.folder(of: analysis.path)
        let completer = Completer(knowledge: analysis.compilation.knowledge, listFiles: { includeCandidates(in: folder, prefix: $0) })
        let context: Completer.Context = inPatientBlock(file, line: position.line) ? .patientBlock : .statement
        let candidates = completer.completions(for: text, in: context)
        // The word being typed starts after the last space.
        let wordStart = lineStart + (line.lastIndex(of: UInt8(ascii: " ")).map { $0 + 1 } ?? 0)
        let range = file.range(of: Span(file: analysis.mainFile, offset: wordStart, length: offset - wordStart))
        let firstWord = text.split(separator: " ").first.map { $0.lowercased() }
        let kind: Int
        switch firstWord {
        case "include": kind = 17
        case "timezone": kind = 12
        default: kind = context == .patientBlock || text.contains("patient.") ? 5 : 0
        }
        let items = candidates.prefix(500).map { candidate -> JSON in
            let itemKind = kind != 0 ? kind : (Completer.keywords.contains(candidate) || Completer.clauseWords.contains(candidate) ? 14 : 12)
            return .fields(("label", .string(candidate)), ("kind", .int(itemKind)),
                           ("textEdit", .fields(("range", range), ("newText", .string(candidate)))))
        }
        return .fields(("isIncomplete", .bool(candidates.count > 500)), ("items", .array(Array(items))))
    }

    /// True when `line` is inside a `patient:` block: the nearest line above it that is indented
    /// less is `patient:`.
    static func inPatientBlock(_ file: SourceFile, line: Int) -> Bool {
        func indent(_ bytes: ArraySlice<UInt8>) -> Int { bytes.prefix { $0 == UInt8(ascii: " ") }.count }
        let current = file.lineBytes(line)
        let own = indent(current)
        guard own > 0 || current.isEmpty else { return false }
        var index = line - 1
        while index >= 0 {
            let bytes = file.lineBytes(index)
            let words = bytes.drop { $0 == UInt8(ascii: " ") }
            if !words.isEmpty, words.first != UInt8(ascii: "#"), indent(bytes) < max(own, 1) {
                return String(decoding: words, as: UTF8.self).split(separator: "#").first?.split(separator: " ").joined() == "patient:"
            }
            index -= 1
        }
        return false
    }

    // MARK: Formatting

    /// The whole document in `regimen fmt`'s layout as one edit; no edit when it is already in
    /// it or when it has a syntax error (the formatter never guesses at a line it cannot read).
    static func formatting(_ analysis: Analysis) -> JSON {
        let file = analysis.file
        guard case .success(let text) = Formatter.format(file.bytes, name: analysis.path), Array(text.utf8) != file.bytes else { return .array([]) }
        return .array([.fields(("range", file.wholeRange), ("newText", .string(text)))])
    }

    // MARK: Code actions

    /// Quick fixes for the findings in the range: a "did you mean `x`?" hint's replacement, the
    /// smallest move that ends a spacing breach, `supervised` on an item over a limit, and a
    /// `drug NAME:` declaration for a name the knowledge base does not know.
    static func codeActions(_ analysis: Analysis, _ params: JSON) -> JSON {
        let file = analysis.file
        guard let start = TextPosition(params["range"]?["start"]), let end = TextPosition(params["range"]?["end"]) else { return .null }
        var actions: [JSON] = []
        for finding in analysis.findings {
            guard let span = finding.span, span.file == analysis.mainFile else { continue }
            let from = file.position(of: span.offset), to = file.position(of: span.end)
            guard from.line <= end.line, to.line >= start.line else { continue }
            let lspDiagnostic = diagnostic(finding, analysis)
            func action(_ title: String, _ edits: [JSON], preferred: Bool) -> JSON {
                .fields(("title", .string(title)), ("kind", .string("quickfix")), ("diagnostics", .array([lspDiagnostic])),
                        ("isPreferred", preferred ? .bool(true) : nil),
                        ("edit", .fields(("changes", .object([(analysis.uri, .array(edits))])))))
            }
            if let suggestion = finding.hint.flatMap(suggested) {
                // The suggestion replaces as many of the span's words as it has (`magnesum` of `magnesum citrate`).
                let words = file.text(span).split(separator: " ", omittingEmptySubsequences: false)
                let count = suggestion.split(separator: " ").count
                let replaced = words.prefix(count).joined(separator: " ")
                let range = Span(file: span.file, offset: span.offset, length: replaced.utf8.count)
                actions.append(action("Change to `\(suggestion)`", [.fields(("range", file.range(of: range)), ("newText", .string(suggestion)))], preferred: true))
            }
            // A spacing breach: the smallest move the checker found, when the plan can say it in one edit.
            if let fix = finding.timingFix, let move = TimingEdit(fix, analysis) {
                let edits = move.replacements.map { JSON.fields(("range", file.range(of: $0.span)), ("newText", .string($0.text))) }
                actions.append(action(move.title, edits, preferred: true))
            }
            // Over an upper limit, a clinician who oversees the dose may say so: the finding becomes a note.
            if finding.code == .overUpperLimit, finding.severity == .warning {
                let line = file.lineIndex(of: span.offset)
                let bytes = file.lineBytes(line)
                // Before a trailing comment, if the line has one outside a string.
                var end = bytes.count, inString = false
                for (index, byte) in bytes.enumerated() {
                    if byte == UInt8(ascii: "\"") { inString.toggle() }
                    if byte == UInt8(ascii: "#"), !inString { end = index; break }
                }
                while end > 0, bytes[bytes.startIndex + end - 1] == UInt8(ascii: " ") { end -= 1 }
                let at = Span(file: span.file, offset: file.lineStarts[line] + end, length: 0)
                let name = file.text(span)
                actions.append(action("Mark `\(name)` supervised (a clinician oversees this dose)",
                                      [.fields(("range", file.range(of: at)), ("newText", .string(", supervised")))], preferred: false))
            }
            // Only a name with no likely typo may be declared: declaring a slip of the fingers
            // would hide a look-alike medicine behind a warning.
            if finding.code == .unknownSubstance, finding.hint.flatMap(suggested) == nil, let name = quoted(finding.message) {
                let at = Span(file: span.file, offset: declarationOffset(file), length: 0)
                let text = "drug \(name):\n  source \"declared in this plan\"\n\n"
                actions.append(action("Declare `\(name)` as a drug in this plan", [.fields(("range", file.range(of: at)), ("newText", .string(text)))], preferred: false))
            }
        }
        return .array(actions)
    }

    /// `x` in a hint "did you mean `x`?".
    static func suggested(_ hint: String) -> String? {
        guard hint.hasPrefix("did you mean `") else { return nil }
        return quoted(hint)
    }

    /// The first text between backticks.
    static func quoted(_ text: String) -> String? {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        return parts.count >= 3 && !parts[1].isEmpty ? String(parts[1]) : nil
    }

    /// Where a declaration goes: after the comments that open the file.
    static func declarationOffset(_ file: SourceFile) -> Int {
        for (index, start) in file.lineStarts.enumerated() {
            let line = file.lineBytes(index)
            if !line.isEmpty, line.first != UInt8(ascii: "#") { return start }
        }
        return file.bytes.count
    }

    // MARK: Inlay hints

    /// After a mineral's dose, the other amount (the compound's weight for an elemental dose,
    /// the elemental amount for a salt dose); after the clause that sets a dose's slot, its clock
    /// time in the patient's day (`nightly` → 22:30).
    static func inlayHints(_ analysis: Analysis, _ params: JSON) -> JSON {
        let file = analysis.file
        let start = TextPosition(params["range"]?["start"]).map(file.offset) ?? 0
        let end = TextPosition(params["range"]?["end"]).map(file.offset) ?? file.bytes.count
        let plan = analysis.compilation.plan
        var hints: [JSON] = []
        func hint(_ label: String, after offset: Int) {
            hints.append(.fields(("position", file.position(of: offset).json), ("label", .string(label)), ("paddingLeft", .bool(true))))
        }
        // A product with several ingredients gets one line of hints, by its first ingredient's item,
        // and no elemental hint: no one ingredient's amount stands for its units.
        for item in plan.items where item.span.file == analysis.mainFile && item.span.end >= start && item.span.offset <= end
            && item.productPart?.isFirst != false {
            guard let syntax = analysis.syntax(of: item) else { continue }
            if item.productPart == nil, let dose = syntax.dose {
                switch item.basis {
                case .elemental where item.compoundMilligrams != nil:
                    hint("elemental (≈\(milligrams(item.compoundMilligrams!)) as \(item.form ?? "salt"))", after: dose.span.end)
                case .salt where item.activeMilligrams != nil:
                    hint("≈\(milligrams(item.activeMilligrams!)) elemental \(item.substance)", after: dose.span.end)
                default: break
                }
            }
            let times = item.schedule.slots.map { slot -> String in
                switch slot {
                case .clock(let time): "\(time)"
                case .anchor(let anchor, let offset): "\(ClockTime(minutes: (plan.patient.anchors[anchor]?.minutes ?? 0) + offset))"
                case .period(let period): "\(ClockTime(minutes: plan.patient.dayMinutes(period) % 1440))"
                }
            }
            guard !times.isEmpty else { continue }
            let slotClause = syntax.clauses.first {
                switch $0.kind {
                case .anchored, .withMeals, .aroundMeals, .meals, .period: true
                default: false
                }
            }
                ?? syntax.clauses.first { if case .frequency = $0.kind { true } else { false } }
            let hasClock = syntax.clauses.contains { if case .clockTimes = $0.kind { true } else { false } }
            if let slotClause, !hasClock { hint(times.joined(separator: ", "), after: slotClause.span.end) }
        }
        return .array(hints)
    }

    private static func milligrams(_ mg: Double) -> String {
        mg < 10 ? "\(Quantity.format(Quantity.clinicallyRounded(mg * 1000))) mcg" : "\(Quantity.format(mg.rounded())) mg"
    }
}
