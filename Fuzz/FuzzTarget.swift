// libFuzzer entry point over the whole pipeline: lex, parse, format, evaluate, then (when the
// plan has no errors) simulate a week, arrange it, run the clinical checks, render every output,
// and take the plan through FHIR and back. The same bytes are also read as a FHIR file (a
// resource, a Bundle or NDJSON), as `regimen import --fhir` reads one: whatever the file says,
// the import must not trap, and a plan it writes with items must pass the front end, since every
// string from the file is data, never source.
// Built by scripts/fuzz.sh together with the core library's sources; not part of the package.

import Foundation

/// The knowledge base, compiled in as in the tool.
let fuzzKnowledge = BundledKnowledge.shared

let fuzzToday = CivilDate(year: 2026, month: 11, day: 22)!

@_cdecl("LLVMFuzzerTestOneInput")
public func regimenFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if case .success(let imported) = FHIRImport.read(bytes) {
        let plan = Frontend.compile(bytes: Array(imported.source.utf8), name: "imported.regimen", path: "imported.regimen",
                                    provider: MemorySourceProvider([:]), today: fuzzToday, bundled: fuzzKnowledge)
        precondition(imported.items == 0 || !plan.hasErrors,
                     "an imported plan has front-end errors:\n" + DiagnosticRenderer().render(plan.diagnostics, sources: plan.sources))
    }
    // The input may include itself or a second file: both are in memory.
    let provider = MemorySourceProvider(["plan.regimen": String(decoding: bytes, as: UTF8.self), "other.regimen": "zinc 10mg daily\n"])
    let compilation = Frontend.compile(bytes: bytes, name: "plan.regimen", path: "plan.regimen", provider: provider,
                                       today: fuzzToday, bundled: fuzzKnowledge)
    _ = DiagnosticRenderer().render(compilation.diagnostics, sources: compilation.sources)
    _ = PlanDescription(compilation).render()
    if case .success(let formatted) = Formatter.format(bytes), case .success(let again) = Formatter.format(Array(formatted.utf8)) {
        precondition(again == formatted, "formatting is not idempotent")
    }
    guard !compilation.hasErrors else { return 0 }
    let bundle = FHIRExport(compilation, today: fuzzToday).bundle().serialized()
    if case .success(let source) = FHIRImport.source(fromBundle: Array(bundle.utf8)) {
        _ = Frontend.compile(bytes: Array(source.utf8), name: "imported.regimen", path: "imported.regimen",
                             provider: MemorySourceProvider([:]), today: fuzzToday, bundled: fuzzKnowledge)
    }
    for arrange in [false, true] {
        let timeline = Simulator.run(compilation, options: SimulationOptions(days: 7, arrange: arrange), today: fuzzToday)
        let findings = compilation.findings(on: timeline)
        _ = DiagnosticRenderer().render(findings, sources: compilation.sources)
        _ = TimelineTable(timeline, plan: compilation.plan).render()
        _ = TimelineExport(timeline, compilation: compilation).json(diagnostics: findings).serialized()
        _ = TimelineExport(timeline, compilation: compilation).csv()
        _ = ICalendar(timeline, compilation: compilation, stamp: fuzzToday.dayNumber * 86_400, findings: findings).render()
    }
    return 0
}
