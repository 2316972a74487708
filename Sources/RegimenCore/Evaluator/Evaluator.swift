/// Turns syntax trees into a `Plan`: runs `let`, `if`, `define`/`use` and `include`,
/// resolves names against the knowledge base, and checks units and values.
/// Evaluation is bounded by `Limits` and reads files only through its `SourceProvider`.
public struct Evaluator {
    var sources: SourceManager
    let provider: SourceProvider
    let limits: Limits
    let today: CivilDate
    var diagnostics: [Diagnostic] = []
    public internal(set) var knowledge: KnowledgeBase
    public internal(set) var plan = Plan()
    var scope = Scope()
    var definitions: [String: Definition] = [:]
    var steps = 0
    var useDepth = 0
    /// Definitions that recursed past the depth limit: reported once, never expanded again, so a
    /// `define` that uses itself twice cannot branch 2³² ways before the step budget runs out.
    var runaway = Set<String>()
    /// Normalised paths of the files being evaluated, outermost first: for cycles and depth.
    var includeChain: [String] = []
    /// Includes may not leave this folder.
    let rootFolder: String
    /// The folder each file being evaluated must keep its includes in, beside `includeChain`.
    var includeRoots: [String] = []
    /// Stretches of a file whose includes have their own folder (the REPL's `:load`).
    var includeRegions: [(file: FileID, region: IncludeRegion)] = []
    /// The plan block being evaluated.
    var currentPlan: PlanInfo?
    /// Items are checked but not added while evaluating a branch that was not taken.
    var dryRun = false
    /// The largest simulated daily total per substance, when rules are checked; `daily X` reads it.
    var dailyTotals: [String: Quantity]?
    /// Relation targets the knowledge base does not know, with where they were written: each must be
    /// another (unknown) item of the plan, or it is reported once the whole plan is read.
    var unknownTargets: [(name: String, span: Span)] = []
    /// Where the patient block and each of its facts were given, so a fact given twice names both places.
    var patientBlock: Span?
    var patientFactSpans: [String: Span] = [:]
    /// Evaluation failures so far: errors reported here, and invalid literals the lexer reported.
    var failures = 0
    /// Where each of the patient's day anchors was last set, to place a day out of order.
    var anchorSpans: [Anchor: Span] = [:]
    /// Where each stay in another time zone was given, beside `plan.patient.zoneStays`.
    var zoneStaySpans: [Span] = []
    /// Each included file, read and parsed once per run by its normalised path, then reused:
    /// a mesh of files that include each other costs one read of each.
    var includedFiles: [String: (id: FileID, statements: [Statement])] = [:]
    /// Bytes of the distinct included files read so far.
    var includedBytes = 0
    /// `include` statements carried out so far.
    var includesDone = 0
    /// Set once an include limit has been reported, so it is said once.
    var includeLimitReported = false
    /// Include statements already reported as failing: a file included many times over (a mesh)
    /// reports each of its failing includes once, not once per path that reaches it.
    var failedIncludes = Set<Span>()
    /// Laboratory results a rule asked for and the patient block did not give (or gave without a
    /// date where the rule needs its age): a rule from the sources says it could not be judged.
    var missingLabs: [String] = []

    public init(sources: SourceManager, provider: SourceProvider, knowledge: KnowledgeBase, rootFolder: String,
                today: CivilDate, limits: Limits = .standard) {
        self.sources = sources
        self.provider = provider
        self.knowledge = knowledge
        self.rootFolder = Path.normalize(rootFolder)
        self.today = today
        self.limits = limits
    }

    // MARK: Files

    /// Lexes and parses a file that is already in the source manager.
    mutating func parse(_ id: FileID) -> [Statement] {
        let (tokens, lexErrors) = Lexer.tokenize(sources[id], id: id, limits: limits)
        let (statements, parseErrors) = Parser.parse(tokens, fileID: id, limits: limits)
        diagnostics += lexErrors + parseErrors
        if statements.isEmpty, lexErrors.isEmpty, parseErrors.isEmpty {
            report(.emptyFile, "\(sources[id].name) holds no statements", at: Span(file: id, offset: 0, length: 0))
        }
        return statements
    }

    /// Evaluates a file's statements: knowledge definitions and `define`s first, so that
    /// an item may name a product defined further down, then everything in order.
    public mutating func run(file id: FileID, path: String) {
        run(parse(id), path: path, root: rootFolder)
    }

    private mutating func run(_ statements: [Statement], path: String, root: String) {
        includeChain.append(Path.normalize(path))
        includeRoots.append(root)
        defer {
            includeChain.removeLast()
            includeRoots.removeLast()
        }
        hoist(statements)
        execute(statements)
    }

    private mutating func hoist(_ statements: [Statement]) {
        for statement in statements {
            switch statement.kind {
            case .knowledge(let definition):
                noteDeclarationWithoutFacts(definition)
                var builder = KnowledgeBuilder(knowledge: knowledge, sources: sources)
                builder.apply(definition, span: statement.span)
                knowledge = builder.knowledge
                diagnostics += builder.diagnostics
            case .define(let definition):
                if definitions[definition.name] != nil {
                    report(.duplicateDefinition, "`\(definition.name)` is defined twice", at: definition.nameSpan)
                }
                definitions[definition.name] = definition
            default:
                break
            }
        }
    }

    /// Adds an evaluated item to the plan (unless in a branch not taken), noting it when the
    /// knowledge base could not judge it.
    mutating func keep(_ item: PlanItem) {
        guard !dryRun else { return }
        if let hold = item.holdIf, hold.holds {
            // Held for this patient: read back and said, but not part of the plan that is checked.
            plan.heldItems.append(item)
            // A product's ingredients are held together: said once, for the line.
            guard item.productPart?.isFirst ?? true else { return }
            report(.itemHeld, "\(item.name) is held: `hold if \(hold.condition)` holds for this patient" + (hold.facts.isEmpty ? "" : " (\(hold.facts.joined(separator: "; ")))"),
                   at: item.nameSpan, hint: "it is not scheduled, totalled or checked against the rest of the plan while the condition holds")
            return
        }
        plan.items.append(item)
        if let reason = item.unjudged { plan.unjudged.append(UnjudgedName(name: item.name.lowercased(), reason: reason, span: item.nameSpan)) }
    }

    /// `drug warfarin` in a plan, for a name the knowledge base has no facts about: its schedule and
    /// totals are checked, but a warning says that its interactions and limits from the sources are not.
    private mutating func noteDeclarationWithoutFacts(_ definition: KnowledgeSyntax) {
        guard definition.kind == .drug || definition.kind == .substance else { return }
        let name = definition.subject.text
        guard knowledge.names[name] == nil, knowledge.substances[name] == nil else { return }
        plan.unjudged.append(UnjudgedName(name: name, reason: .declaredInPlan, span: definition.subject.span))
        report(.noKnowledge, "the knowledge base has no facts about \(name): its interactions, limits and cautions from the sources were not checked",
               at: definition.subject.span,
               hint: "only what this plan says about \(name) is checked; review its interactions with the rest of the plan yourself",
               subjects: [name])
    }

    // MARK: Statements

    mutating func execute(_ statements: [Statement]) {
        for statement in statements {
            guard step(at: statement.span) else { return }
            execute(statement)
        }
    }

    private mutating func execute(_ statement: Statement) {
        switch statement.kind {
        case .patient(let fields):
            // A second patient block would silently replace the first one's facts.
            if let first = patientBlock, !dryRun {
                report(.patientFactTwice, "the plan has a second `patient:` block; the first is at \(sources.describe(first))",
                       at: statement.span, hint: "give the patient's facts in one block")
            } else if !dryRun {
                patientBlock = statement.span
                plan.patientSpan = statement.span
            }
            // A branch not taken is read for its mistakes only: its facts do not become the patient's.
            let facts = (plan.patient, plan.labs)
            for field in fields { evaluatePatientField(field) }
            if dryRun { (plan.patient, plan.labs) = facts }
        case .plan(let block):
            evaluatePlanBlock(block, span: statement.span)
        case .item(let syntax) where !syntax.steps.isEmpty:
            evaluateSequence(syntax)
        case .item(let syntax) where !syntax.dayDoses.isEmpty:
            evaluateDayDoses(syntax)
        case .item(let syntax):
            for item in evaluateItem(syntax) { keep(item) }
        case .letBinding(let name, _, let value):
            if let result = evaluate(value) { scope.bind(name, result) }
        case .conditional(let conditional):
            evaluateConditional(conditional)
        case .use(let use):
            evaluateUse(use, span: statement.span)
        case .include(let path, let pathSpan):
            include(path, at: pathSpan)
        case .rule(let rule):
            if !dryRun {
                plan.rules.append(UserRule(name: rule.name, condition: rule.condition, severity: rule.severity,
                                           message: rule.message, span: statement.span, source: rule.source))
            }
        case .define, .knowledge:
            break // hoisted
        }
    }

    private mutating func evaluatePlanBlock(_ block: PlanBlock, span: Span) {
        var info = PlanInfo(name: block.name, start: nil, durationDays: nil, until: nil, span: block.nameSpan)
        if let start = block.start { info.start = date(start, "the plan's start") }
        if let duration = block.duration { info.durationDays = days(duration, "the plan's length") }
        if let until = block.until { info.until = date(until, "the plan's end") }
        if !dryRun { plan.blocks.append(info) }
        let outer = currentPlan
        currentPlan = info
        scope.push()
        execute(block.body)
        scope.pop()
        currentPlan = outer
    }

    /// Takes the first branch whose condition holds; the others are still checked (dry run),
    /// so a misspelt name in a branch not taken today is found today.
    private mutating func evaluateConditional(_ conditional: Conditional) {
        var taken = false
        let outerDryRun = dryRun
        for branch in conditional.branches {
            let holds = boolean(branch.condition)
            runBranch(branch.body, live: !taken && holds == true)
            if holds == true { taken = true }
            if holds == nil { taken = true } // unknown: run no branch for real
        }
        if let elseBody = conditional.elseBody { runBranch(elseBody, live: !taken) }
        dryRun = outerDryRun
    }

    private mutating func runBranch(_ body: [Statement], live: Bool) {
        let outerDryRun = dryRun
        dryRun = dryRun || !live
        scope.push()
        execute(body)
        scope.pop()
        dryRun = outerDryRun
    }

    private mutating func evaluateUse(_ use: UseSyntax, span: Span) {
        guard let definition = definitions[use.name] else {
            report(.unknownDefinition, "nothing called `\(use.name)` is defined", at: use.nameSpan,
                   hint: suggestion(for: use.name, among: definitions.keys) ?? "declare it first with `define \(use.name):`")
            return
        }
        guard !runaway.contains(use.name) else { return }
        guard useDepth < limits.maxUseDepth else {
            runaway.insert(use.name)
            report(.evaluationLimit, "`use \(use.name)` nests more than \(limits.maxUseDepth) deep", at: use.nameSpan,
                   hint: "a `define` that uses itself never ends")
            return
        }
        var bindings: [String: Value] = [:]
        var failed = false
        for (position, argument) in use.arguments.enumerated() {
            let name: String
            if let label = argument.label {
                guard definition.parameters.contains(where: { $0.name == label }) else {
                    report(.wrongArguments, "`\(use.name)` has no parameter `\(label)`", at: argument.value.span,
                           hint: suggestion(for: label, among: definition.parameters.map(\.name)))
                    failed = true
                    continue
                }
                name = label
            } else {
                guard position < definition.parameters.count else {
                    report(.wrongArguments, "`\(use.name)` takes \(plural(definition.parameters.count, "argument")), but is given \(use.arguments.count)",
                           at: argument.value.span)
                    failed = true
                    break
                }
                name = definition.parameters[position].name
            }
            if let value = evaluate(argument.value) { bindings[name] = value } else { failed = true }
        }
        for parameter in definition.parameters where bindings[parameter.name] == nil && !failed {
            guard let defaultValue = parameter.defaultValue else {
                report(.wrongArguments, "`use \(use.name)` needs a value for `\(parameter.name)`", at: span)
                failed = true
                continue
            }
            if let value = evaluate(defaultValue) { bindings[parameter.name] = value } else { failed = true }
        }
        guard !failed else { return }
        useDepth += 1
        scope.push()
        for (name, value) in bindings { scope.bind(name, value) }
        execute(definition.body)
        scope.pop()
        useDepth -= 1
    }

    // MARK: include

    private mutating func include(_ path: String, at span: Span) {
        guard !failedIncludes.contains(span) else { return }
        var ran = false
        let before = diagnostics.count
        // Only a failure of this include itself marks it, never a finding inside the file it ran.
        defer { if !ran, diagnostics.count > before { failedIncludes.insert(span) } }
        let region = includeRegions.first { $0.file == span.file && $0.region.range.contains(span.offset) }?.region
        let rootFolder = Path.normalize(region?.folder ?? includeRoots.last ?? self.rootFolder)
        let includingFolder = region.map { Path.normalize($0.folder) } ?? Path.folder(of: includeChain.last ?? rootFolder + "/")
        let resolved = Path.join(includingFolder, path)
        guard Path.isInside(resolved, rootFolder) else {
            report(.includeOutsideTree, "\"\(path)\" is outside the plan's folder", at: span,
                   hint: "include only files in the plan's folder (\(rootFolder)) or below it")
            return
        }
        if let cycleStart = includeChain.firstIndex(of: resolved) {
            let chain = (includeChain[cycleStart...] + [resolved]).map(relativeToRoot).joined(separator: " → ")
            report(.includeCycle, "including \"\(path)\" would go round in a circle: \(chain)", at: span)
            return
        }
        guard includeChain.count < limits.maxIncludeDepth else {
            report(.includeTooDeep, "includes nest more than \(limits.maxIncludeDepth) deep", at: span)
            return
        }
        guard includesDone < limits.maxIncludes else {
            reportIncludeLimit("more than \(limits.maxIncludes) includes were carried out for this plan; the rest were skipped", at: span)
            return
        }
        includesDone += 1
        if let parsed = includedFiles[resolved] {
            ran = true
            run(parsed.statements, path: resolved, root: rootFolder)
            return
        }
        guard includedFiles.count < limits.maxIncludedFiles else {
            reportIncludeLimit("the plan includes more than \(limits.maxIncludedFiles) files; the rest were skipped", at: span)
            return
        }
        switch provider.read(resolved, confinedTo: rootFolder, maxBytes: min(limits.maxFileBytes, limits.maxIncludedBytes - includedBytes)) {
        case .bytes(let bytes):
            includedBytes += bytes.count
            ran = true
            let id = sources.add(SourceFile(name: resolved, bytes: bytes))
            let statements = parse(id)
            includedFiles[resolved] = (id, statements)
            run(statements, path: resolved, root: rootFolder)
        case .tooLarge(let size):
            if size <= limits.maxFileBytes {
                reportIncludeLimit("\"\(path)\" would take the included files past \(limits.maxIncludedBytes / 1024 / 1024) MiB in all", at: span)
            } else {
                report(.fileTooLarge, "\"\(path)\" is \(size) bytes; the limit is \(limits.maxFileBytes)", at: span)
            }
        case .unreadable(let reason):
            report(.includeNotFound, "cannot read \"\(path)\": \(reason)", at: span,
                   hint: "paths are relative to the including file's folder, \(includingFolder)")
        case .notRegularFile(let kind):
            report(.notRegularFile, "\"\(path)\" is \(kind), not a plan file; it was not read", at: span,
                   hint: "include only regular .regimen files")
        case .outside(let real):
            report(.includeOutsideTree, "\"\(path)\" leads outside the plan's folder through a symbolic link (to \(real))", at: span,
                   hint: "include only files whose real location is in the plan's folder (\(rootFolder)) or below it; copy the file in instead of linking to it")
        }
    }

    /// An include limit, reported once per plan.
    private mutating func reportIncludeLimit(_ message: String, at span: Span) {
        guard !includeLimitReported else { return }
        includeLimitReported = true
        report(.includeTooDeep, message, at: span, hint: "`regimen explain limits` lists the limits")
    }

    // MARK: Helpers

    /// A path as seen from the plan's folder, for short messages.
    private func relativeToRoot(_ path: String) -> String {
        rootFolder == "." || !path.hasPrefix(rootFolder + "/") ? path : String(path.dropFirst(rootFolder.count + 1))
    }

    /// Counts one evaluation step; false (reported once) when the budget is spent.
    mutating func step(at span: Span) -> Bool {
        steps += 1
        if steps == limits.maxEvaluationSteps + 1 {
            report(.evaluationLimit, "evaluation took more than \(limits.maxEvaluationSteps) steps and was stopped", at: span)
        }
        return steps <= limits.maxEvaluationSteps
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, at span: Span?, hint: String? = nil,
                         notes: [String] = [], subjects: [String] = []) {
        // An unknown name leaves its item unjudged but still part of the plan; only other errors
        // mean the item (or statement) is not what was written.
        if code.severity == .error, !code.letsChecksRun { failures += 1 }
        diagnostics.append(Diagnostic(code, message, at: span, hint: hint, notes: notes, subjects: subjects))
    }

    /// Evaluates to a date.
    mutating func date(_ expr: Expr, _ what: String) -> CivilDate? {
        guard let value = evaluate(expr) else { return nil }
        guard case .date(let date) = value else {
            report(.typeMismatch, "\(what) must be a date such as 2026-12-01, but this is \(value.kindDescription)", at: expr.span)
            return nil
        }
        return date
    }

    /// Evaluates to a whole number of days (`7 days`, `12 weeks`).
    mutating func days(_ expr: Expr, _ what: String) -> Int? {
        guard let q = quantity(expr, what) else { return nil }
        guard q.dimension == .time else {
            report(.expectedDuration, "\(what) must be a time span such as `7 days` or `12 weeks`, but this is \(q.dimension.describedForClinicians)",
                   at: expr.span)
            return nil
        }
        let days = q.base / 1440
        guard days >= 1, days == days.rounded(), days < 100_000 else {
            report(.expectedDuration, "\(what) must be a whole number of days, at least one", at: expr.span)
            return nil
        }
        return Int(days)
    }

    /// Evaluates to a whole count of at least `minimum`.
    mutating func count(_ expr: Expr, _ what: String, minimum: Int = 1) -> Int? {
        guard let q = quantity(expr, what) else { return nil }
        guard q.dimension == .none, q.base == q.base.rounded(), q.base >= Double(minimum), q.base <= 1_000_000 else {
            report(.invalidCount, "\(what) must be a whole number of at least \(minimum)", at: expr.span)
            return nil
        }
        return Int(q.base)
    }
}
