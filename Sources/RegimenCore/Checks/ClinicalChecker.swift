/// The clinical checks: what a careful pharmacist would catch, each finding with its reason
/// and source. They read the evaluated plan, the knowledge base and the simulated timeline;
/// the facts are in the knowledge base, the checks only apply them.
public struct ClinicalChecker {
    let compilation: Compilation
    let timeline: Timeline
    /// Knows each item's course on the timeline's days; built once for all the checks.
    let simulator: Simulator
    /// The plan's substances and their items, by number (built once, by the simulation).
    var substances: SubstanceIndex { timeline.substances }
    var plan: Plan { compilation.plan }
    var knowledge: KnowledgeBase { compilation.knowledge }
    var diagnostics: [Diagnostic] = []
    /// The largest simulated daily total of each substance, for `daily SUBSTANCE` in conditions:
    /// found once, as every rule's condition may ask (a year of a large plan is 18,000 totals).
    let largestTotals: [String: Quantity]

    public init(_ compilation: Compilation, timeline: Timeline) {
        self.compilation = compilation
        self.timeline = timeline
        self.simulator = Simulator(compilation, options: SimulationOptions(start: timeline.start, days: timeline.days), today: timeline.start)
        var largest: [String: Quantity] = [:]
        for total in timeline.totals where (largest[total.substance]?.base ?? -1) < total.amount.base {
            largest[total.substance] = total.amount
        }
        largestTotals = largest
    }

    /// Every clinical finding for the plan.
    public static func findings(_ compilation: Compilation, timeline: Timeline) -> [Diagnostic] {
        var checker = ClinicalChecker(compilation, timeline: timeline)
        checker.checkConditions()
        checker.checkCombinations()
        checker.checkImplausibleDoses()
        checker.checkLimits()
        checker.checkForms()
        checker.checkDuplicates()
        checker.checkAsNeededSpacing()
        checker.checkHygiene()
        checker.checkRules()
        if let complete = checker.timeline.completeThrough {
            // Totals after the cut lack doses: every limit finding is a lower bound, and a limit
            // not reached there is not known to hold.
            for index in checker.diagnostics.indices where [.overUpperLimit, .belowRecommended, .duplicateTherapy].contains(checker.diagnostics[index].code) {
                checker.diagnostics[index].notes.append("a lower bound: the simulation stopped at a limit, so doses after \(complete) are not counted")
            }
            checker.report(.notChecked, "the clinical checks saw the doses up to \(complete) only: totals after it are lower bounds, and items not seen are not known to be missing",
                           at: nil, hint: "simulate fewer days (--days) to check the whole of a shorter horizon", subjects: [])
        }
        return checker.diagnostics
    }

    // MARK: Helpers shared by the checks

    /// Items whose substance is, or belongs to the class, `party`.
    func items(of party: String) -> [Int] {
        substances.items(of: knowledge.members(of: party))
    }

    func line(of item: PlanItem) -> Int {
        compilation.sources[item.span.file].location(of: item.span.offset).line
    }

    /// "major" → error, "moderate" → warning, "minor" → note.
    static func severity(_ severity: InteractionSeverity) -> Severity {
        switch severity {
        case .critical, .major: .error
        case .moderate: .warning
        case .minor: .note
        }
    }

    /// " (source)" for messages.
    static func cited(_ source: String?) -> String { source.map { " (\($0))" } ?? "" }

    mutating func report(_ code: DiagnosticCode, _ message: String, at span: Span?, severity: Severity? = nil, hint: String? = nil,
                         notes: [String] = [], subjects: [String]) {
        diagnostics.append(Diagnostic(code, message, at: span, hint: hint, notes: notes,
                                      subjects: Array(Set(subjects)).sorted(), severity: severity))
    }

    /// Evaluates a knowledge-base or plan condition against the finished plan; nil with the reason
    /// when it cannot be judged (a value the patient block does not give).
    func holds(_ condition: Expr) -> (Bool?, String?) {
        let (result, reason, _) = judge(condition)
        return (result, reason)
    }

    /// As `holds`, and the laboratory results it needed and did not have (missing, or undated
    /// where its age was asked).
    func judge(_ condition: Expr) -> (Bool?, String?, missingLabs: [String]) {
        var evaluator = Evaluator(sources: compilation.sources, provider: MemorySourceProvider([:]), knowledge: knowledge,
                                  rootFolder: ".", today: timeline.start)
        evaluator.plan = plan
        evaluator.dailyTotals = largestTotals
        let result = evaluator.boolean(condition)
        return (result, evaluator.diagnostics.first?.message, evaluator.missingLabs)
    }
}
