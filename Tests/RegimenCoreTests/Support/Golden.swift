import Foundation
import RegimenCore
import TestSupport
import Testing

/// A golden case: a `.regimen` input beside its expected `.out`.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    /// The input, relative to the package root.
    let input: String
    /// The expected output, relative to the package root.
    let expected: String

    var testDescription: String { input }

    /// Every `.regimen` file in a folder of the golden tree.
    static func all(in area: String) -> [GoldenCase] {
        let folder = "Tests/RegimenCoreTests/Golden/\(area)"
        return regimenFiles(in: folder).map { GoldenCase(input: $0, expected: String($0.dropLast(".regimen".count)) + ".out") }
    }

    /// Every `.regimen` file under `examples/`, with its expected output in the golden tree.
    static func examples() -> [GoldenCase] {
        regimenFiles(in: "examples").map { path in
            let name = path.dropFirst("examples/".count).replacingOccurrences(of: "/", with: "__").dropLast(".regimen".count)
            return GoldenCase(input: path, expected: "Tests/RegimenCoreTests/Golden/examples/\(name).out")
        }
    }

    private static func regimenFiles(in folder: String) -> [String] {
        let root = packageRoot + "/" + folder
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".regimen") }.sorted().map { "\(folder)/\($0)" }
    }
}

/// What a golden `.out` holds: the rendered diagnostics, then the plan read back.
func goldenOutput(for path: String) -> String {
    switch Frontend.compile(path: path, provider: PackageFiles(), today: testToday) {
    case .failure(let error):
        return "cannot read \(error.path): \(error.reason)\n"
    case .success(let compilation):
        let diagnostics = DiagnosticRenderer().render(compilation.diagnostics, sources: compilation.sources)
        return diagnostics + "\n" + PlanDescription(compilation).render()
    }
}

/// What a simulation golden `.out` holds: the diagnostics, then the schedule in the format the
/// input's first line asks for (`# simulate: --days 3 --arrange --format json`).
func simulationOutput(for path: String) -> String {
    guard case .success(let compilation) = Frontend.compile(path: path, provider: PackageFiles(), today: testToday) else {
        return "cannot read \(path)\n"
    }
    let firstLine = String(decoding: compilation.sources[compilation.mainFile].lineBytes(0), as: UTF8.self)
    let arguments = firstLine.split(separator: " ").dropFirst(2).map(String.init)
    var options = SimulationOptions()
    var format = "table"
    var index = 0
    while index < arguments.count {
        let next = index + 1 < arguments.count ? arguments[index + 1] : ""
        switch arguments[index] {
        case "--days": options.days = Int(next); index += 1
        case "--start": options.start = CivilDate(parsing: next); index += 1
        case "--arrange": options.arrange = true
        case "--format": format = next; index += 1
        default: break
        }
        index += 1
    }
    let renderer = DiagnosticRenderer()
    guard !compilation.hasErrors else { return renderer.render(compilation.diagnostics, sources: compilation.sources) }
    let timeline = Simulator.run(compilation, options: options, today: testToday)
    let diagnostics = compilation.findings(on: timeline)
    let export = TimelineExport(timeline, compilation: compilation)
    switch format {
    case "json": return export.json(diagnostics: diagnostics).serialized() + "\n"
    case "csv": return renderer.render(diagnostics, sources: compilation.sources) + "\n" + export.csv()
    case "ics": return renderer.render(diagnostics, sources: compilation.sources) + "\n" + ICalendar(timeline, compilation: compilation, stamp: testToday.dayNumber * 86_400, findings: diagnostics).render()
    default: return renderer.render(diagnostics, sources: compilation.sources) + "\n" + TimelineTable(timeline, plan: compilation.plan).render()
    }
}


/// What a clinical-check golden `.out` holds: every finding of `regimen check` over the plan's course.
func checkOutput(for path: String) -> String {
    guard case .success(let compilation) = Frontend.compile(path: path, provider: PackageFiles(), today: testToday) else {
        return "cannot read \(path)\n"
    }
    return DiagnosticRenderer().render(compilation.checked(today: testToday), sources: compilation.sources)
}

/// The read-back of a plan, as `regimen show` prints it.
enum PlanReadback {
    static func of(_ path: String) -> String {
        guard case .success(let compilation) = Frontend.compile(path: path, provider: PackageFiles(), today: testToday) else { return "" }
        return PlanDescription(compilation).render()
    }
}
