/// What the fuzzers run on each input (`Fuzz/`, `scripts/fuzz.sh`). The bodies live in the library,
/// not beside the libFuzzer entry points, so that every build compiles them and the tests run
/// them on seeds: a harness that no longer compiles finds nothing.
public enum FuzzEntry {
    static let today = CivilDate(year: 2026, month: 11, day: 22)!
    /// 2026-11-22T00:00:00Z, for the calendar's DTSTAMP.
    static let stamp = 1_795_305_600

    /// Plan source through the whole pipeline: lex, parse, format (twice: it must be idempotent),
    /// evaluate, then, when the plan has no errors, simulate a week with and without arranging,
    /// run the clinical checks, render every output, and take the plan through FHIR and back.
    public static func plan(_ bytes: [UInt8], knowledge: BundledKnowledge = .shared) {
        // The input may include itself or a second file: both are in memory.
        let provider = MemorySourceProvider(["plan.regimen": String(decoding: bytes, as: UTF8.self), "other.regimen": "zinc 10mg daily\n"])
        let compilation = Frontend.compile(bytes: bytes, name: "plan.regimen", path: "plan.regimen", provider: provider,
                                           today: today, bundled: knowledge)
        _ = DiagnosticRenderer().render(compilation.diagnostics, sources: compilation.sources)
        _ = PlanDescription(compilation).render()
        if case .success(let formatted) = Formatter.format(bytes), case .success(let again) = Formatter.format(Array(formatted.utf8)) {
            precondition(again == formatted, "formatting is not idempotent")
        }
        guard !compilation.hasErrors else { return }
        let bundle = FHIRExport(compilation, today: today).bundle().serialized()
        if case .success(let source) = FHIRImport.source(fromBundle: Array(bundle.utf8)) {
            _ = Frontend.compile(bytes: Array(source.utf8), name: "imported.regimen", path: "imported.regimen",
                                 provider: MemorySourceProvider([:]), today: today, bundled: knowledge)
        }
        for arrange in [false, true] {
            let timeline = Simulator.run(compilation, options: SimulationOptions(days: 7, arrange: arrange), today: today)
            let findings = compilation.findings(on: timeline)
            _ = DiagnosticRenderer().render(findings, sources: compilation.sources)
            _ = TimelineTable(timeline, plan: compilation.plan).render()
            _ = TimelineExport(timeline, compilation: compilation).json(diagnostics: findings).serialized()
            _ = TimelineExport(timeline, compilation: compilation).csv()
            _ = ICalendar(timeline, compilation: compilation, stamp: stamp, findings: findings).render()
        }
    }

    /// Any bytes as a FHIR JSON file (a resource, a Bundle or NDJSON): what the importer accepts
    /// becomes Regimen source, which must compile; a plan without errors is then simulated,
    /// checked and exported to FHIR again.
    public static func fhir(_ bytes: [UInt8], knowledge: BundledKnowledge = .shared) {
        guard case .success(let imported) = FHIRImport.read(bytes, today: today) else { return }
        let compilation = Frontend.compile(bytes: Array(imported.source.utf8), name: "imported.regimen", path: "imported.regimen",
                                           provider: MemorySourceProvider([:]), today: today, bundled: knowledge)
        // Every string from the file is data, never source: a plan written with items passes the front end.
        precondition(imported.items == 0 || !compilation.hasErrors,
                     "an imported plan has front-end errors:\n" + DiagnosticRenderer().render(compilation.diagnostics, sources: compilation.sources))
        _ = DiagnosticRenderer().render(compilation.diagnostics, sources: compilation.sources)
        _ = PlanDescription(compilation).render()
        guard !compilation.hasErrors else { return }
        let timeline = Simulator.run(compilation, options: SimulationOptions(days: 7), today: today)
        let findings = compilation.findings(on: timeline)
        _ = DiagnosticRenderer().render(findings, sources: compilation.sources)
        _ = FHIRExport(compilation, today: today).bundle(findings: findings).serialized()
    }
}
