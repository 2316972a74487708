import RegimenCore

/// The text edit that makes a plan say what a `TimingFix` proposes: the clause that times the
/// moving dose rewritten (`with breakfast` → `at 10:30`, `nightly` → `daily with lunch`).
///
/// Made only when the rewrite says exactly the fix and nothing else, because a clinician applies
/// it without rereading the line: the item is written once in this file (not in a `define`, whose
/// body serves every `use`, nor as a sequence of `then` steps), and either has one dose a day
/// timed by at most one clause, or has all its doses at clock times of which one changes.
/// Limits such as `30min before breakfast` beside the timing stay, and keep being checked.
struct TimingEdit {
    let title: String
    /// Replacements in the document: a span (empty for an insertion) and its new text.
    let replacements: [(span: Span, text: String)]

    init?(_ fix: TimingFix, _ analysis: Analysis) {
        let items = analysis.compilation.plan.items.filter { $0.span == fix.item }
        guard items.count == 1, let item = items.first, item.span.file == analysis.mainFile,
              let syntax = Self.writtenOnce(item, analysis.statements), syntax.steps.isEmpty else { return nil }
        let schedule = item.schedule
        switch schedule.frequency {
        case .everyMinutes, .asNeeded: return nil
        default: break
        }
        guard fix.slot < schedule.slots.count else { return nil }
        let timing = syntax.clauses.filter { Self.timesADose($0.kind) }
        // Other timing clauses than the first may only be limits against the day (`30min before breakfast`).
        guard timing.dropFirst().allSatisfy(Self.isLimit) else { return nil }
        let nightly = syntax.clauses.first { if case .frequency(.nightly) = $0.kind { true } else { false } }

        if schedule.slots.count == 1 {
            let words = Self.words(fix.timing)
            var replacements: [(Span, String)] = []
            if let clause = timing.first {
                replacements.append((clause.span, words))
                // `nightly` also says when; once the time is written it is only "daily".
                if let nightly { replacements.append((nightly.span, "daily")) }
            } else if let nightly {
                replacements.append((nightly.span, "daily " + words))
            } else if let after = syntax.clauses.first(where: { if case .frequency = $0.kind { true } else { false } })?.span ?? syntax.dose?.span {
                replacements.append((Span(file: after.file, offset: after.end, length: 0), " " + words))
            } else {
                return nil
            }
            self.replacements = replacements
            self.title = Self.title(item.name, fix.timing)
            return
        }
        // Several doses a day: only a list of clock times, one per dose, can change one of them.
        guard case .clock(let time) = fix.timing, let clause = timing.first, case .clockTimes(let times) = clause.kind,
              times.count == schedule.slots.count, case .clock(let old) = schedule.slots[fix.slot] else { return nil }
        self.replacements = [(times[fix.slot].span, "\(time)")]
        self.title = "Take the \(old) dose of \(item.name) at \(time)"
    }

    /// True for a clause that places a dose in the day.
    private static func timesADose(_ kind: ClauseKind) -> Bool {
        switch kind {
        case .clockTimes, .anchored, .meals, .withMeals, .aroundMeals, .period: true
        default: false
        }
    }

    /// `30min before breakfast`: beside another timing, a limit rather than the dose's time.
    private static func isLimit(_ clause: Clause) -> Bool {
        if case .anchored(_, _, let direction) = clause.kind { direction != .with } else { false }
    }

    /// The clause words for the new timing.
    private static func words(_ timing: TimingFix.Timing) -> String {
        switch timing {
        case .clock(let time): "at \(time)"
        case .anchor(.wake): "on waking"
        case .anchor(.bed): "at bedtime"
        case .anchor(let meal): "with \(meal.rawValue)"
        }
    }

    private static func title(_ name: String, _ timing: TimingFix.Timing) -> String {
        switch timing {
        case .anchor(let meal) where meal.isMeal: "Move \(name) to \(meal.rawValue)"
        default: "Take \(name) \(words(timing))"
        }
    }

    /// The item's syntax, when it is written in the file outside any `define`.
    private static func writtenOnce(_ item: PlanItem, _ statements: [Statement]) -> ItemSyntax? {
        for statement in statements {
            switch statement.kind {
            case .item(let syntax) where syntax.span == item.span: return syntax
            case .plan(let block):
                if let found = writtenOnce(item, block.body) { return found }
            case .conditional(let conditional):
                for body in conditional.branches.map(\.body) + [conditional.elseBody ?? []] {
                    if let found = writtenOnce(item, body) { return found }
                }
            default: break
            }
        }
        return nil
    }
}
