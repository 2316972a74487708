// libFuzzer entry point over FHIR import: any bytes as a FHIR JSON file (a resource, a Bundle or
// NDJSON). What the importer accepts becomes Regimen source, which must compile without a crash;
// a plan without errors is then simulated, checked and exported to FHIR again.
// Built by scripts/fuzz.sh together with the core library's sources; not part of the package.

import Foundation

let fhirFuzzKnowledge = BundledKnowledge.shared

let fhirFuzzToday = CivilDate(year: 2026, month: 11, day: 22)!

@_cdecl("LLVMFuzzerTestOneInput")
public func fhirFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard case .success(let imported) = FHIRImport.read(bytes) else { return 0 }
    let compilation = Frontend.compile(bytes: Array(imported.source.utf8), name: "imported.regimen", path: "imported.regimen",
                                       provider: MemorySourceProvider([:]), today: fhirFuzzToday, bundled: fhirFuzzKnowledge)
    _ = DiagnosticRenderer().render(compilation.diagnostics, sources: compilation.sources)
    _ = PlanDescription(compilation).render()
    guard !compilation.hasErrors else { return 0 }
    let timeline = Simulator.run(compilation, options: SimulationOptions(days: 7), today: fhirFuzzToday)
    let findings = compilation.findings(on: timeline)
    _ = DiagnosticRenderer().render(findings, sources: compilation.sources)
    _ = FHIRExport(compilation, today: fhirFuzzToday).bundle(findings: findings).serialized()
    return 0
}
