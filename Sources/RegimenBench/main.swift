import Foundation
import RegimenCore
import RegimenLanguageServer

// Regimen's benchmarks. Run with `scripts/bench.sh [--quick] [--front-end]`: each case runs
// several times and reports the fastest run (the least disturbed by other work on a shared
// machine); the table goes to standard output and the figures to
// bench-results.json (written atomically). Inputs are generated here, so runs are comparable.
// --front-end measures only the lexer, parser, evaluator and checks on 1k–100k-line plans;
// --start-up only whole processes (`regimen check`, the REPL, the empty program); --hostile only
// the worst inputs of issue #17, each a whole `regimen check` process with its peak memory;
// --batch only `regimen check DIR` on 10,000 generated plans; --lsp only the REPL session and
// the language server's edit-to-diagnostics latency.

struct Result {
    var name: String
    var value: Double
    var unit: String
    var detail: String
}

let quick = CommandLine.arguments.contains("--quick")
let frontEndOnly = CommandLine.arguments.contains("--front-end")
let startUpOnly = CommandLine.arguments.contains("--start-up")
let hostileOnly = CommandLine.arguments.contains("--hostile")
let batchOnly = CommandLine.arguments.contains("--batch")
let languageServerOnly = CommandLine.arguments.contains("--lsp")
let wholeToolOnly = CommandLine.arguments.contains("--whole-tool")
let today = CivilDate(year: 2026, month: 11, day: 22)!

#if os(Linux)
// Each case runs many times in this one process, and glibc's defaults would make a large case's
// repeats cost more than its first run, in ways a small case's do not:
// - every block over 32 MB, and the free top of the heap, go back to the kernel when freed, so
//   every run of a 100k-line case paid for fresh zeroed pages (a sixth of its time) while a
//   10k-line case reused the memory of the run before;
// - the small blocks of the tree a run frees wait in "fast bins" that the next run's first large
//   request merges all at once: a pass over the whole previous tree, out of the cache at 100k
//   lines (an eighth of a 100k-line parse), in the cache at 10k.
// So here freed memory stays in the process and goes straight back to the free lists, for
// every size alike, as in a long-running REPL or editor session. The whole-process cases
// (`regimen check FILE`) run with glibc's defaults and fresh memory at every size.
// (Swift's Glibc module leaves out <malloc.h>: mallopt and its parameters are declared here.)
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
let mallocMaxFast: Int32 = 1, mallocTrimThreshold: Int32 = -1, mallocMmapMax: Int32 = -4
_ = mallopt(mallocMmapMax, 0)
_ = mallopt(mallocTrimThreshold, .max)
_ = mallopt(mallocMaxFast, 0)
#endif
var results: [Result] = []

/// The fastest wall time in milliseconds of `runs` executions: on a shared machine the other
/// runs measure the neighbours as much as the code.
func measure(runs: Int, _ body: () -> Void) -> Double {
    withoutActuallyEscaping(body) { measureTakingTurns(runs: runs, [$0])[0] }
}

/// The fastest of `runs` runs of each case, the cases taking turns. Ratios between cases (the
/// same stage at 10k and 100k lines) then compare the code: a slow spell of this shared machine
/// falls on every case alike instead of on whichever was being measured, and every case has
/// as many runs to be fastest in.
func measureTakingTurns(runs: Int, _ cases: [() -> Void]) -> [Double] {
    var fastest = [Double](repeating: .infinity, count: cases.count)
    for _ in 0..<runs {
        for (index, body) in cases.enumerated() {
            let start = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - start
            fastest[index] = min(fastest[index], Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
    }
    return fastest
}

func compile(_ text: String) -> Compilation {
    Frontend.compile(bytes: Array(text.utf8), name: "bench.regimen", path: "bench.regimen",
                     provider: MemorySourceProvider([:]), today: today)
}

/// Runs a program to its end with its standard streams on /dev/null: posix_spawn and waitpid,
/// because Foundation's Process adds tens of milliseconds of its own.
final class ProcessRunner {
    private let path: String
    private var actions = posix_spawn_file_actions_t()
    private let argv: [UnsafeMutablePointer<CChar>?]

    init?(_ path: String, _ arguments: [String]) {
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        self.path = path
        argv = ([path] + arguments).map { strdup($0) } + [nil]
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }

    deinit {
        posix_spawn_file_actions_destroy(&actions)
        argv.forEach { free($0) }
    }

    func run() {
        var pid: pid_t = 0
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

/// The fastest wall time of running a program to its end, in milliseconds.
func processTime(_ path: String, _ arguments: [String], runs: Int) -> Double? {
    ProcessRunner(path, arguments).map { runner in measure(runs: runs) { runner.run() } }
}

@MainActor func benchWholeTool() throws {
    // MARK: The knowledge base

    let knowledgeFiles = BundledKnowledge.bundledFiles()
    let knowledgeImage = BundledKnowledge.bundledImage
    let imageIsCurrent = BundledKnowledge.problem(with: knowledgeImage, for: knowledgeFiles) == nil
    let imageMs = measure(runs: quick ? 5 : 30) { _ = BundledKnowledge.load(files: knowledgeFiles, image: knowledgeImage) }
    results.append(Result(name: "knowledge base load", value: imageMs, unit: "ms",
                          detail: imageIsCurrent ? "from its image (\(knowledgeImage.count) bytes), as the tool loads it"
                                                 : "the image is stale, so this parsed the files"))
    let knowledgeMs = measure(runs: quick ? 5 : 30) { _ = BundledKnowledge.load(files: knowledgeFiles) }
    results.append(Result(name: "knowledge base parse and build", value: knowledgeMs, unit: "ms",
                          detail: "\(knowledgeFiles.count) files, \(knowledgeFiles.map(\.bytes.count).reduce(0, +)) bytes: what the image saves"))

    // MARK: A typical plan through the front end and the checks

    let typical = try String(contentsOfFile: "examples/ms-hashimoto.regimen", encoding: .utf8)
        .replacingOccurrences(of: "include \"clinic/thyroid.regimen\"", with: "")
        .replacingOccurrences(of: "use morning_levothyroxine(75mcg)", with: "levothyroxine 75mcg daily on waking, 30min before breakfast")
    let checkMs = measure(runs: quick ? 5 : 50) {
        let compilation = compile(typical)
        _ = compilation.checked(today: today)
    }
    results.append(Result(name: "check a typical plan (in process)", value: checkMs, unit: "ms",
                          detail: "examples/ms-hashimoto.regimen, 84-day course verified"))

    // MARK: Simulate and arrange 365 days of a 50-item plan with 30 relations

    /// 50 items over movable, meal and fixed slots; 30 spacing relations between them.
    func largePlan() -> String {
        let substances = ["vitamin b12 500mcg", "melatonin 1mg", "pyridostigmine 30mg", "furosemide 20mg", "amlodipine 5mg",
                          "spironolactone 25mg", "omeprazole 20mg", "methotrexate 2.5mg", "nifedipine 10mg", "vitamin d3 400 IU"]
        let names = substances.map { $0.split(separator: " ").prefix { !$0.first!.isNumber }.joined(separator: " ") }
        let schedules = ["daily", "twice daily", "daily with lunch", "nightly", "every other day", "on mon, wed, fri", "daily at 10:00"]
        var lines = ["patient:", "  age 55", "  timezone \"Europe/Berlin\"", "plan \"large\" from 2026-12-01 for 365 days:"]
        let movable = ["daily", "twice daily", "every other day", "on mon, wed, fri", "daily with dinner"]
        for index in 0..<50 {
            // Items 0–19 use every kind of timing, clock times included; items 20–49 are movable and
            // each carries a relation, so a solution exists and the benchmark measures finding it.
            var line = "  \(substances[index % substances.count]) \(index < 20 ? schedules[index % schedules.count] : movable[index % movable.count])"
            if index >= 20 {
                // 30 relations: each of items 20–49 keeps 1 h apart from an earlier substance.
                line += ", 1h apart from \(names[(index + 3) % names.count])"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
    let large = compile(largePlan())
    precondition(!large.hasErrors, "the generated plan has errors: \(large.diagnostics.map(\.message))")
    var eventCount = 0
    var arrangedOK = true
    let simulateMs = measure(runs: quick ? 3 : 9) {
        let timeline = Simulator.run(large, options: SimulationOptions(days: 365), today: today)
        eventCount = timeline.events.count
    }
    results.append(Result(name: "simulate 365 days, 50 items, 30 relations", value: simulateMs, unit: "ms", detail: "\(eventCount) doses verified"))
    let arrangeMs = measure(runs: quick ? 3 : 9) {
        let timeline = Simulator.run(large, options: SimulationOptions(days: 365, arrange: true), today: today)
        arrangedOK = !timeline.diagnostics.contains { $0.severity == .error }
    }
    results.append(Result(name: "simulate + arrange the same", value: arrangeMs, unit: "ms",
                          detail: arrangedOK ? "every rule holds after arranging" : "arrangement left errors"))

    // MARK: A real patient's fifty medicines and supplements, for a year

    /// Fifty different medicines and supplements as a patient with multiple sclerosis, thyroid
    /// disease, diabetes and hypertension might take them, every spacing rule from the knowledge
    /// base: some of its days cannot keep every rule (calcium twice with meals against
    /// hydroxychloroquine twice with food), so it measures the fewest rules to relax as well.
    let realItems = [
        "levothyroxine 75mcg daily on waking",
        "liothyronine 5mcg daily on waking",
        "metformin 500mg twice daily with breakfast and dinner",
        "atorvastatin 20mg nightly",
        "lisinopril 10mg daily",
        "amlodipine 5mg daily",
        "metoprolol 25mg twice daily",
        "omeprazole 20mg daily 30min before breakfast",
        "gabapentin 300mg three times daily",
        "baclofen 10mg three times daily",
        "tizanidine 2mg at bedtime",
        "dalfampridine 10mg twice daily",
        "duloxetine 60mg daily",
        "sertraline 50mg daily with breakfast",
        "lamotrigine 100mg twice daily",
        "levetiracetam 500mg twice daily",
        "clonazepam 0.5mg at bedtime",
        "prednisone 5mg daily with breakfast",
        "hydroxychloroquine 200mg twice daily with food",
        "methotrexate 2.5mg weekly on mon",
        "folic acid 1mg daily",
        "allopurinol 100mg daily",
        "furosemide 20mg daily at 08:00",
        "spironolactone 25mg daily",
        "losartan 50mg daily",
        "aspirin 81mg daily with lunch",
        "teriflunomide 14mg daily",
        "pyridostigmine 30mg three times daily",
        "ropinirole 1mg nightly",
        "alendronate 70mg weekly on sun on waking",
        "doxycycline 100mg twice daily",
        "famotidine 20mg nightly",
        "magnesium glycinate 200mg nightly",
        "calcium carbonate 500mg twice daily with lunch and dinner",
        "zinc 15mg daily",
        "vitamin d3 2000 IU daily with breakfast",
        "vitamin b12 1000mcg daily",
        "melatonin 3mg at bedtime",
        "fish oil 1000mg daily with dinner",
        "coenzyme q10 100mg daily",
        "alpha-lipoic acid 600mg daily",
        "vitamin c 500mg daily",
        "selenium 100mcg daily",
        "turmeric 500mg twice daily",
        "riboflavin 100mg daily",
        "thiamine 100mg daily",
        "copper 1mg daily",
        "vitamin e 100mg daily",
        "iron 65mg every other day",
        "potassium 99mg daily",
    ]
    func yearPlan(_ items: [String]) -> String {
        (["patient:", "  age 55", "  sex female", "  weight 68kg", "  timezone \"Europe/Berlin\"",
          "plan \"fifty\" from 2026-12-01 for 365 days:"] + items.map { "  " + $0 }).joined(separator: "\n") + "\n"
    }
    func realPlan() -> String { yearPlan(realItems) }
    /// More of what such patients take, so that many different 50-item plans can be drawn.
    let moreItems = [
        "warfarin 5mg daily with dinner", "apixaban 5mg twice daily", "clopidogrel 75mg daily", "digoxin 125mcg daily",
        "hydrochlorothiazide 25mg daily", "ramipril 5mg daily", "simvastatin 20mg nightly", "pantoprazole 40mg daily 30min before breakfast",
        "cimetidine 400mg twice daily", "sucralfate 1g four times daily", "cholestyramine 4g twice daily with meals",
        "ciprofloxacin 500mg twice daily", "azithromycin 250mg daily", "dolutegravir 50mg daily", "risedronate 35mg weekly on sat on waking",
        "lithium 300mg twice daily", "mycophenolate 500mg twice daily", "tacrolimus 1mg twice daily at 08:00 and 20:00",
        "pregabalin 75mg twice daily", "carbamazepine 200mg twice daily", "levodopa 100mg three times daily",
        "penicillamine 250mg daily on waking", "magnesium citrate 150mg twice daily with lunch and dinner", "vitamin k2 100mcg daily",
        "biotin 5mg daily", "vitamin a 900mcg daily", "iodine 150mcg daily", "chromium 200mcg daily", "manganese 2mg daily",
        "vitamin b6 25mg daily", "niacin 250mg daily with dinner", "creatine 3g daily", "probiotic 1 capsule daily",
        "st john's wort 300mg three times daily", "garlic 600mg daily", "ginkgo 120mg daily", "acetyl-l-carnitine 500mg twice daily",
    ]
    /// Fifty items drawn from the 87 above (a fixed sequence, so every run draws the same plans).
    func drawnPlan(_ seed: UInt64) -> String {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var pool = realItems + moreItems
        var items: [String] = []
        while items.count < 50 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            items.append(pool.remove(at: Int(state >> 33) % pool.count))
        }
        return yearPlan(items)
    }
    let real = compile(realPlan())
    precondition(!real.hasErrors, "the real plan has errors: \(real.diagnostics.filter { $0.severity == .error }.map(\.message))")
    var realSummary = ""
    let realMs = measure(runs: quick ? 3 : 9) {
        let timeline = Simulator.run(real, options: SimulationOptions(days: 365, arrange: true), today: today)
        let statuses = Dictionary(grouping: timeline.arrangement, by: \.status.rawValue).mapValues(\.count)
        realSummary = "\(timeline.arrangement.count) kinds of day: "
            + statuses.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
    results.append(Result(name: "simulate + arrange a real 50-item plan, 365 days", value: realMs, unit: "ms", detail: realSummary))

    // MARK: Arrangement as a whole process: the cross-check's day problems, and the 365-day plan

    let largePath = NSTemporaryDirectory() + "regimen-bench-large.regimen"
    try Data(largePlan().utf8).write(to: URL(fileURLWithPath: largePath), options: .atomic)
    let realPath = NSTemporaryDirectory() + "regimen-bench-real.regimen"
    try Data(realPlan().utf8).write(to: URL(fileURLWithPath: realPath), options: .atomic)
    if let runner = ProcessRunner(".build/release/regimen", ["simulate", realPath, "--arrange", "--format", "json"]) {
        let ms = measure(runs: quick ? 3 : 9) { runner.run() }
        results.append(Result(name: "regimen simulate --arrange process, a real 50-item plan, 365 days", value: ms, unit: "ms",
                              detail: "whole process, JSON out; the target is under 200 ms"))
    }
    // Twenty different 50-item years: the median and 95th percentile over the plans of each one's fastest run.
    let drawnPaths = (1...20).map { NSTemporaryDirectory() + "regimen-bench-drawn-\($0).regimen" }
    for (seed, path) in drawnPaths.enumerated() {
        let text = drawnPlan(UInt64(seed + 1))
        precondition(!compile(text).hasErrors, "a drawn plan has errors")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
    let drawnRunners = drawnPaths.compactMap { ProcessRunner(".build/release/regimen", ["simulate", $0, "--arrange", "--format", "json"]) }
    if !drawnRunners.isEmpty {
        var times = measureTakingTurns(runs: quick ? 1 : 3, drawnRunners.map { runner in { runner.run() } })
        times.sort()
        let median = times[times.count / 2], p95 = times[min(times.count - 1, times.count * 95 / 100)]
        results.append(Result(name: "regimen simulate --arrange process, 20 drawn 50-item plans, 365 days (median)", value: median, unit: "ms",
                              detail: "whole process, JSON out; slowest \(String(format: "%.1f", times.last!)) ms"))
        results.append(Result(name: "regimen simulate --arrange process, 20 drawn 50-item plans, 365 days (95th percentile)", value: p95, unit: "ms",
                              detail: "whole process, JSON out; the target is under 200 ms"))
    }
    if let runner = ProcessRunner(".build/release/regimen", ["simulate", largePath, "--arrange", "--format", "json"]) {
        let ms = measure(runs: quick ? 3 : 9) { runner.run() }
        results.append(Result(name: "regimen simulate --arrange process, 365 days, 50 items", value: ms, unit: "ms",
                              detail: "whole process, JSON out; the target is under 200 ms"))
    }
    // Written by scripts/bench.sh (`arrange_cpsat.py --emit`): easy, tight, infeasible, open and windowed days.
    let folder = ".build/arrange-problems"
    let problems = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".regimen") }.sorted()
    let runners = problems.compactMap { ProcessRunner(".build/release/regimen", ["simulate", folder + "/" + $0, "--arrange", "--days", "1", "--format", "json"]) }
    if !runners.isEmpty {
        // Each problem's fastest of a few runs; then the median and 95th percentile over the problems.
        var times = measureTakingTurns(runs: quick ? 1 : 3, runners.map { runner in { runner.run() } })
        times.sort()
        let median = times[times.count / 2], p95 = times[min(times.count - 1, times.count * 95 / 100)]
        results.append(Result(name: "regimen simulate --arrange process, day problems (median)", value: median, unit: "ms",
                              detail: "\(times.count) problems of up to 25 items; 95th percentile \(String(format: "%.1f", p95)) ms, slowest \(String(format: "%.1f", times.last!)) ms"))
        results.append(Result(name: "regimen simulate --arrange process, day problems (95th percentile)", value: p95, unit: "ms",
                              detail: "the target is under 200 ms"))
    }

}

/// Whole processes: `regimen check` and the REPL's start-up against an empty program.
@MainActor func benchProcesses() {
    // regimen is built with the Swift runtime linked in (scripts/bench.sh, scripts/setup.sh); the
    // empty program is measured built the same way and as a default release build. The programs
    // take turns run by run, so the ratios to the empty program compare the same minutes.
    let binary = ".build/release/regimen"
    let cases: [(name: String, path: String, arguments: [String], detail: String)] = [
        ("empty Swift program process, runtime linked in", ".build/release/EmptyProgram", [], "built as regimen is; a start-up reference"),
        ("empty Swift program process, default build", ".build-dynamic/release/EmptyProgram", [], "swift build -c release; a start-up reference"),
        ("regimen check process (typical plan)", binary, ["check", "examples/ms-hashimoto.regimen"], "release binary, whole process"),
        ("repl start-up to prompt (process)", binary, ["repl"], "stdin at its end: start, load, read, leave"),
        ("/bin/true process (spawn cost)", "/bin/true", [], "reference: starting any process"),
    ]
    let present = cases.compactMap { entry in ProcessRunner(entry.path, entry.arguments).map { (entry, $0) } }
    let times = measureTakingTurns(runs: quick ? 5 : 60, present.map { _, runner in { runner.run() } })
    var measured: [String: Double] = [:]
    for ((entry, _), ms) in zip(present, times) {
        measured[entry.name] = ms
        results.append(Result(name: entry.name, value: ms, unit: "ms", detail: entry.detail))
    }
    guard let check = measured["regimen check process (typical plan)"] else { return }
    for label in ["runtime linked in", "default build"] {
        guard let reference = measured["empty Swift program process, \(label)"] else { continue }
        results.append(Result(name: "regimen check / empty program, \(label)", value: check / reference, unit: "×",
                              detail: "the target is at most 2×"))
    }
}

@MainActor func benchSession() {

    // MARK: The REPL: each statement in a 500-line session

    /// A realistic session: a patient, lets, then items with timings and relations, 500 lines in all.
    func sessionLines() -> [String] {
        var lines = ["let target = 300mg", "let per_kg = 5 mg/kg"]
        let items = ["magnesium glycinate 100mg nightly", "vitamin d3 1000 IU daily with breakfast", "zinc 10mg daily with lunch",
                     "levothyroxine 75mcg daily on waking", "calcium carbonate 200mg daily with dinner, 4h apart from levothyroxine",
                     "vitamin b12 500mcg on mon, wed, fri", "melatonin 1mg as needed at bedtime, max 1 per day", "5 mg/kg * 68kg"]
        while lines.count < 500 { lines.append(items[lines.count % items.count]) }
        return lines
    }
    var repl = ReplSession(today: today, provider: MemorySourceProvider([:]), save: { _, _, _ in .written })
    _ = repl.handle("patient:")
    _ = repl.handle("  age 50")
    _ = repl.handle("  weight 68kg")
    _ = repl.handle("")
    var statementTimes: [Double] = []
    for line in sessionLines().prefix(quick ? 100 : 500) {
        statementTimes.append(measure(runs: 1) { _ = repl.handle(line) })
    }
    statementTimes.sort()
    results.append(Result(name: "repl statement (median of a 500-line session)", value: statementTimes[statementTimes.count / 2], unit: "ms",
                          detail: "95th percentile \(String(format: "%.2f", statementTimes[statementTimes.count * 95 / 100])) ms, last \(String(format: "%.2f", statementTimes.last!)) ms"))
}
// MARK: Hostile inputs: the worst cases of issue #17, each a whole `regimen check` process

/// The worst inputs under 100 KB found for the pipeline, written to files: each must complete in
/// under 2 s and 300 MB (the targets in the README).
func hostileCases() -> [(name: String, files: [String: String])] {
    var mesh: [String: String] = ["plan.regimen": "include \"m0.regimen\"\n"]
    for index in 0..<16 {
        mesh["m\(index).regimen"] = (0..<16).filter { $0 != index }.map { "include \"m\($0).regimen\"\n" }.joined() + "zinc 1mg daily\n"
    }
    var define = ["define d0:", "  calcium carbonate 500mg daily, 4h apart from levothyroxine"]
    for level in 1...10 { define += ["define d\(level):", "  use d\(level - 1)()", "  use d\(level - 1)()"] }
    define += ["plan \"p\" from 2026-12-01 for 365 days:", "  levothyroxine 75mcg daily on waking", "  use d10()"]
    let year = "plan \"p\" from 2026-12-01 for 365 days:\n"
    return [
        ("16-file include mesh (each file includes the other 15)", mesh),
        ("an item every 1 min for 365 days", ["plan.regimen": year + "  zinc 1mg every 1min\n"]),
        ("the same with a spacing relation", ["plan.regimen": year + "  zinc 1mg every 1min\n  levothyroxine 75mcg daily, 4h apart from zinc\n"]),
        ("every 30 min (the most allowed) for 365 days, with a relation",
         ["plan.regimen": year + "  zinc 1mg every 30min\n  levothyroxine 75mcg every 30min, 4h apart from zinc\n"]),
        ("a define used 2^10 times, with a relation", ["plan.regimen": define.joined(separator: "\n") + "\n"]),
        ("2,001 unknown time zones", ["plan.regimen": "patient:\n" + (0...2000).map { "  timezone \"Nowhere/Zone\($0)\"\n" }.joined()]),
        ("a 7,000-term operator chain", ["plan.regimen": "let x = " + Array(repeating: "1mg", count: 7_000).joined(separator: " + ") + "\nzinc x daily\n"]),
        ("16,384 items over 365 days", ["plan.regimen": year + String(repeating: "  zinc 1mg daily\n", count: 16_384)]),
    ]
}

/// Runs a program to its end with output to /dev/null: the wall time in ms, the child's peak
/// resident set in KB (wait4's rusage) and its exit status.
func spawnMeasured(_ binary: String, _ arguments: [String]) -> (ms: Double, peakKB: Int, status: Int32)? {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let start = ContinuousClock.now
    guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else { return nil }
    var usage = rusage()
    var raw: Int32 = 0
    wait4(pid, &raw, 0, &usage)
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15, Int(usage.ru_maxrss), (raw >> 8) & 0xFF)
}

/// `regimen check DIR` on 10,000 generated plans of a few dozen lines each (one in ten with an
/// error, one in a hundred a named pipe that cannot be read): plans a second and peak memory.
@MainActor func benchBatch() throws {
    let binary = FileManager.default.currentDirectoryPath + "/.build/release/regimen"
    guard FileManager.default.isExecutableFile(atPath: binary) else { return }
    let root = NSTemporaryDirectory() + "regimen-bench-batch-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let count = quick ? 1_000 : 10_000
    var bytes = 0
    for index in 0..<count {
        let folder = root + "/clinic\(index / 500)"
        if index % 500 == 0 { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let path = folder + "/plan\(index).regimen"
        if index % 100 == 99 {
            mkfifo(path, 0o600)
            continue
        }
        var text = generatedPlan(lines: 30 + index % 40, course: "\(2 + index % 10) weeks")
        if index % 10 == 3 { text += "  zinc 10mg dialy\n" }
        bytes += text.utf8.count
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
    var fastest = Double.infinity, peak = 0
    for _ in 0..<(quick ? 1 : 3) {
        guard let run = spawnMeasured(binary, ["check", root]) else { continue }
        fastest = min(fastest, run.ms)
        peak = max(peak, run.peakKB)
    }
    results.append(Result(name: "regimen check DIR, \(count) plans (\(ProcessInfo.processInfo.activeProcessorCount) cores)",
                          value: Double(count) / (fastest / 1000), unit: "/s",
                          detail: String(format: "%.2f s, %.0f MB peak, %.1f MB of plans", fastest / 1000, Double(peak) / 1024, Double(bytes) / 1e6)))
}

/// Runs `regimen check` on each hostile case: the fastest wall time of a few runs, and the
/// largest resident set of any run (from wait4's rusage of the child).
@MainActor func benchHostile() throws {
    let binary = FileManager.default.currentDirectoryPath + "/.build/release/regimen"
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("bench: build the release binary first (scripts/bench.sh does)")
        return
    }
    let root = NSTemporaryDirectory() + "regimen-bench-hostile-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: root) }
    for (index, entry) in hostileCases().enumerated() {
        let folder = root + "/\(index)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var bytes = 0
        for (name, text) in entry.files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
            bytes += text.utf8.count
        }
        var fastest = Double.infinity, peak = 0, status: Int32 = 0
        for _ in 0..<(quick ? 1 : 3) {
            guard let run = spawnMeasured(binary, ["check", folder + "/plan.regimen"]) else { continue }
            fastest = min(fastest, run.ms)
            peak = max(peak, run.peakKB)
            status = run.status
        }
        results.append(Result(name: "hostile: \(entry.name)", value: fastest, unit: "ms",
                              detail: String(format: "%.0f MB peak, %d KB input, exit %d; target < 2000 ms and 300 MB", Double(peak) / 1024, bytes / 1024, status)))
    }
}

// MARK: The language server: an edit to its published diagnostics

/// An edit to a plan of `lines` lines, then the server's check and its `publishDiagnostics`, with
/// no debounce (the wait an editor's typing adds is not the server's work): median and p95.
@MainActor func benchLanguageServer(lines: Int, edits: Int) {
    var server = LanguageServer(today: today, debounceMilliseconds: 0)
    let uri = "file:///bench/plan.regimen"
    func send(_ method: String, _ params: JSON, id: Int? = nil) {
        var fields: [(String, JSON)] = [("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)]
        if let id { fields.insert(("id", .int(id)), at: 1) }
        _ = server.receive(.message(.object(fields)), now: 0)
    }
    send("initialize", .object([("capabilities", .object([]))]), id: 1)
    send("initialized", .object([]))
    let text = generatedPlan(lines: lines, course: "1 week", interactingOnce: true)
    send("textDocument/didOpen", .object([("textDocument", .object([("uri", .string(uri)), ("languageId", .string("regimen")),
                                                                     ("version", .int(1)), ("text", .string(text))]))]))
    for job in server.takeDueChecks(now: 0) { _ = server.finish(job, job.run()) }
    var times: [Double] = []
    for edit in 0..<edits {
        // Each edit changes one dose near the end, as typing does.
        let edited = text + "\nzinc \(10 + edit % 5)mg daily with lunch\n"
        times.append(measure(runs: 1) {
            send("textDocument/didChange", .object([
                ("textDocument", .object([("uri", .string(uri)), ("version", .int(edit + 2))])),
                ("contentChanges", .array([.object([("text", .string(edited))])])),
            ]))
            var published = 0
            for job in server.takeDueChecks(now: 0) { published += server.finish(job, job.run()).count }
            precondition(published == 1, "the edit was not published")
        })
    }
    times.sort()
    results.append(Result(name: "lsp edit to published diagnostics, \(label(lines)) lines (median)", value: times[times.count / 2], unit: "ms",
                          detail: "95th percentile \(String(format: "%.1f", times[times.count * 95 / 100])) ms over \(edits) edits; target: median under 30 ms at 1k lines"))
}

if languageServerOnly {
    benchSession()
    benchLanguageServer(lines: 1_000, edits: quick ? 10 : 40)
    benchLanguageServer(lines: 10_000, edits: quick ? 3 : 10)
} else if hostileOnly {
    try benchHostile()
} else if batchOnly {
    try benchBatch()
} else if startUpOnly {
    benchProcesses()
} else if wholeToolOnly {
    try benchWholeTool()
} else if !frontEndOnly {
    try benchWholeTool()
    benchProcesses()
    benchSession()
    benchLanguageServer(lines: 1_000, edits: quick ? 10 : 40)
    benchLanguageServer(lines: 10_000, edits: quick ? 3 : 10)
    try benchHostile()
    try benchBatch()
}

// MARK: Front-end throughput on generated plans of 1k, 10k and 100k lines

/// A plan of about `lines` lines, varied like real ones: patient block, lets, conditionals,
/// comments and items with timings, relations, courses and titrations. Its items keep their
/// rules, so checking costs what the doses cost (a plan that breaks a rule between every pair
/// of its copies would measure the number of findings instead).
func generatedPlan(lines: Int, course: String = "12 weeks", interactingOnce: Bool = false) -> String {
    var out = ["# generated plan", "patient:", "  sex female", "  age 52", "  weight 70kg", "  egfr 80",
               "  conditions multiple sclerosis", "  wake 06:30, breakfast 07:15, lunch 12:30, dinner 18:30, bed 22:30",
               "let target = 300mg", "let per_kg = 5 mg/kg", "plan \"generated\" from 2026-12-01 for \(course):"]
    let items = [
        "  magnesium glycinate 300mg nightly, 4h after levothyroxine   # bedtime",
        "  levothyroxine 75mcg daily on waking, empty stomach, 30min before breakfast",
        "  vitamin d3 2000 IU daily with breakfast",
        "  calcium carbonate 500mg daily with dinner, 4h apart from levothyroxine",
        "  zinc 15mg every other day with lunch",
        "  magnesium citrate 150mg daily with lunch, for 14 days starting day 3",
        "  magnesium glycinate from 100mg nightly, increase by 100mg every week to 400mg",
        "  vitamin b12 1000mcg on mon, wed, fri at breakfast",
        "  if patient.egfr < 30:",
        "    magnesium glycinate 100mg nightly",
        "  else:",
        "    magnesium glycinate target nightly",
    ]
    // Whole cycles only, so the file never ends inside an `if`. With `interactingOnce`, only the
    // first cycle holds items that spacing rules bind; the rest are as long but bind no rule, so
    // the rule-bound pairs of doses stay the same while the plan grows.
    let quiet = ["  vitamin b12 1000mcg on mon, wed, fri at breakfast", "  vitamin d3 400 IU daily with breakfast   # winter",
                 "  melatonin 1mg as needed at bedtime, max 1 per day", "  vitamin b12 500mcg daily with lunch, for 14 days starting day 3",
                 "  pyridostigmine 30mg three times daily with meals", "  vitamin d3 from 400 IU daily, increase by 400 IU every week to 1200 IU",
                 "  melatonin 2mg nightly", "  vitamin b12 250mcg every other day with dinner",
                 "  if patient.egfr < 30:", "    vitamin d3 200 IU daily", "  else:", "    vitamin d3 400 IU daily"]
    out += items
    while out.count < lines { out += interactingOnce ? quiet : items }
    return out.joined(separator: "\n") + "\n"
}

/// Lua source of about the same size, for `luac -p`: assignments into a table (a Lua function
/// may have at most 200 locals, so one local per line would stop luac early).
func generatedLua(bytes: Int) -> String {
    var out = "local t = {}\nlocal function f(name, n, options) return n end\nlocal per_kg, weight = 5, 70\n"
    var n = 0
    while out.utf8.count < bytes {
        out += "t[\(n)] = math.min(per_kg * weight, 350) + f(\"magnesium glycinate\", \(n), { at = \"22:30\" }) -- bedtime\n"
        n += 1
    }
    return out
}

func throughput(_ bytes: Int, _ lines: Int, _ ms: Double) -> String {
    String(format: "%.1f MB/s, %.0f lines/s", Double(bytes) / 1e6 / (ms / 1000), Double(lines) / (ms / 1000))
}

var stageTimes: [String: [Int: Double]] = [:]
let sizes = startUpOnly || hostileOnly || batchOnly || languageServerOnly || wholeToolOnly ? [] : quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]
func label(_ size: Int) -> String { "\(size / 1000)k" }

/// One stage at every size, the sizes taking turns; each size's time goes into `stageTimes` and,
/// with its throughput, into the results.
@MainActor func benchStage(_ stage: String, named name: (String) -> String, runs: Int, texts: [String], note: String = "",
                           _ cases: [() -> Void]) {
    for (index, ms) in measureTakingTurns(runs: runs, cases).enumerated() {
        let size = sizes[index], bytes = texts[index].utf8.count
        stageTimes[stage, default: [:]][size] = ms
        results.append(Result(name: name(label(size)), value: ms, unit: "ms", detail: throughput(bytes, size, ms) + note))
    }
}

// The front end for every size first: a check leaves a large heap behind that slows later allocations.
let plans = sizes.map { generatedPlan(lines: $0) }
let files = plans.map { SourceFile(name: "generated.regimen", bytes: Array($0.utf8)) }
let tokenLists = files.map { Lexer.tokenize($0, id: FileID(0)).tokens }
let frontEndRuns = quick ? 5 : 15
benchStage("lex", named: { "lex \($0) lines" }, runs: frontEndRuns, texts: plans,
           files.map { file in { _ = Lexer.tokenize(file, id: FileID(0)) } })
benchStage("parse", named: { "parse \($0) lines" }, runs: frontEndRuns, texts: plans,
           tokenLists.map { tokens in { _ = Parser.parse(tokens, fileID: FileID(0)) } })
for (size, text) in zip(sizes, plans) {
    let ms = stageTimes["lex"]![size]! + stageTimes["parse"]![size]!
    results.append(Result(name: "lex+parse \(label(size)) lines", value: ms, unit: "ms", detail: throughput(text.utf8.count, size, ms)))
}
benchStage("evaluate", named: { "lex+parse+evaluate \($0) lines" }, runs: frontEndRuns, texts: plans,
           plans.map { text in { _ = compile(text) } })
for (size, text) in zip(sizes, plans) where size >= 10_000 {
    // Reference: Lua 5.4's compiler parsing Lua source of the same size (parse only, -p; whole process).
    let lua = generatedLua(bytes: text.utf8.count)
    let path = NSTemporaryDirectory() + "regimen-bench-\(size).lua"
    try Data(lua.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    let verify = Process()
    verify.executableURL = URL(fileURLWithPath: "/usr/bin/luac5.4")
    verify.arguments = ["-p", path]
    try? verify.run()
    verify.waitUntilExit()
    if verify.terminationStatus == 0, let luacMs = processTime("/usr/bin/luac5.4", ["-p", path], runs: frontEndRuns) {
        results.append(Result(name: "luac5.4 -p, same size as \(label(size))", value: luacMs, unit: "ms",
                              detail: throughput(lua.utf8.count, lua.split(separator: "\n").count, luacMs) + " (whole process)"))
    }
}

// Checking simulates the course (one week here) and checks every rule-bound pair of doses.
let checkedPlans = sizes.map { generatedPlan(lines: $0, course: "1 week", interactingOnce: true) }
let checkRuns = quick ? 3 : 15
var findings = 0
benchStage("check", named: { "check \($0) lines (1-week course)" }, runs: checkRuns, texts: checkedPlans,
           checkedPlans.map { text in { findings = compile(text).checked(today: today).count } })
precondition(findings < 50, "the generated plan should keep its rules; it has \(findings) findings")
// The same as a user runs it: `regimen check FILE`, a fresh process each time. In process, a
// run reuses the memory the run before it freed, still in the cache when the plan is small.
let checkRunners = try zip(sizes, checkedPlans).compactMap { size, text -> ProcessRunner? in
    let path = NSTemporaryDirectory() + "regimen-bench-\(size).regimen"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    return ProcessRunner(".build/release/regimen", ["check", path])
}
if checkRunners.count == sizes.count {
    benchStage("check process", named: { "regimen check process, \($0) lines" }, runs: checkRuns, texts: checkedPlans, note: " (whole process)",
               checkRunners.map { runner in { runner.run() } })
}
for stage in ["lex", "parse", "evaluate", "check", "check process"] where stageTimes[stage]?[100_000] != nil {
    let ratio = stageTimes[stage]![100_000]! / stageTimes[stage]![10_000]!
    results.append(Result(name: "\(stage): 100k / 10k lines", value: ratio, unit: "×", detail: "linear is 10×; the target is at most 11×"))
}

// MARK: Report

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
results.append(Result(name: "peak memory of the benchmark process", value: Double(usage.ru_maxrss) / 1024, unit: "MB",
                      detail: "resident set, all cases above"))
let nameWidth = results.map(\.name.count).max() ?? 0
print("benchmark".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "    value   detail")
for result in results {
    let figure = String(format: "%9.2f %@", result.value, result.unit).padding(toLength: 12, withPad: " ", startingAt: 0)
    print(result.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + " " + figure + "   " + result.detail)
}
let json = JSON.object([
    ("date", .string(ISO8601DateFormatter().string(from: Date()))),
    ("results", .array(results.map { .object([("name", .string($0.name)), ("value", .number($0.value)), ("unit", .string($0.unit)), ("detail", .string($0.detail))]) })),
]).serialized()
let output = URL(fileURLWithPath: "bench-results.json")
try Data((json + "\n").utf8).write(to: output, options: .atomic)
print("wrote bench-results.json")
