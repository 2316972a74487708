import Foundation
import RegimenCore
import Testing
import TestSupport

/// A provider that counts its reads and can say a path is a named pipe or lies outside by a link.
final class CountingProvider: SourceProvider, @unchecked Sendable {
    let files: [String: String]
    let pipes: Set<String>
    let linkedOut: Set<String>
    private(set) var reads = 0

    init(_ files: [String: String], pipes: Set<String> = [], linkedOut: Set<String> = []) {
        self.files = files
        self.pipes = pipes
        self.linkedOut = linkedOut
    }

    func read(_ path: String, maxBytes: Int) -> SourceReadResult {
        reads += 1
        if pipes.contains(path) { return .notRegularFile("a named pipe (FIFO)") }
        if linkedOut.contains(path) { return .outside("/etc/" + path) }
        return MemorySourceProvider(files).read(path, maxBytes: maxBytes)
    }
}

@Suite struct HostileInputTests {
    private func compile(_ text: String, provider: CountingProvider, limits: Limits = .standard) -> Compilation {
        Frontend.compile(bytes: Array(text.utf8), name: "plan.regimen", path: "plan.regimen", provider: provider,
                         today: testToday, limits: limits)
    }

    @Test func aNamedPipeIsALocatedError() {
        let result = compile("include \"pipe.regimen\"\n", provider: CountingProvider([:], pipes: ["pipe.regimen"]))
        #expect(codes(result) == ["R504"])
        #expect(result.diagnostics[0].span?.offset == 8)
        #expect(result.diagnostics[0].message == "\"pipe.regimen\" is a named pipe (FIFO), not a plan file; it was not read")
    }

    @Test func aLinkOutOfTheFolderIsALocatedError() {
        let result = compile("include \"link.regimen\"\n", provider: CountingProvider([:], linkedOut: ["link.regimen"]))
        #expect(codes(result) == ["R502"])
        #expect(result.diagnostics[0].message.contains("leads outside the plan's folder through a symbolic link"))
    }

    /// 16 files that each include all the others: once each is read and parsed, and the includes
    /// carried out are capped, so the mesh costs a bounded amount of work instead of 15! paths.
    @Test func anIncludeMeshReadsEachFileOnceAndStops() {
        var files: [String: String] = [:]
        for index in 0..<16 {
            files["m\(index).regimen"] = (0..<16).filter { $0 != index }.map { "include \"m\($0).regimen\"\n" }.joined()
                + "zinc 1mg daily\n"
        }
        let provider = CountingProvider(files)
        _ = compile("include \"m0.regimen\"\n", provider: provider)
        #expect(provider.reads == 16, "each distinct file is read once")
        let result = compile("include \"m0.regimen\"\n", provider: CountingProvider(files))
        #expect(result.diagnostics.contains { $0.code.id == "R604" && $0.message.contains("includes were carried out") })
    }

    @Test func theIncludeLimitsAreNamed() {
        let described = Limits.standard.described
        #expect(described.contains("included files"))
        var limits = Limits()
        limits.maxIncludedFiles = 2
        let files = ["a.regimen": "zinc 1mg daily\n", "b.regimen": "zinc 1mg daily\n", "c.regimen": "zinc 1mg daily\n"]
        let result = compile("include \"a.regimen\"\ninclude \"b.regimen\"\ninclude \"c.regimen\"\n", provider: CountingProvider(files), limits: limits)
        #expect(codes(result) == ["R604"])
        #expect(result.diagnostics[0].message.contains("more than 2 files"))
    }

    /// Every scalar of the first planes, and some of the astral ones, in one string: the JSON
    /// writer's output parses back to the same string.
    @Test func jsonStaysValidForEveryScalar() throws {
        var scalars = String.UnicodeScalarView()
        for value in Array(0..<0xD800) + Array(0xE000..<0x10000) + [0x1F600, 0x10FFFF] { scalars.append(Unicode.Scalar(value)!) }
        let text = String(scalars)
        let serialized = JSON.object([("text", .string(text)), ("crlf", .string("a\r\nb\u{2028}c"))]).serialized()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(serialized.utf8)) as? [String: String])
        #expect(parsed["text"] == text)
        #expect(parsed["crlf"] == "a\r\nb\u{2028}c")
    }

    @Test func printableWritesOutEveryControl() {
        #expect(Printable.escaped("a\u{1B}[31mb\u{202E}c\u{85}d\te\nf") == "a\\u{1B}[31mb\\u{202E}c\\u{85}d\\u{9}e\\u{A}f")
        #expect(Printable.escaped("line\nline", keepingLines: true) == "line\nline")
        #expect(Printable.escaped("Grüße, 日本, 👍🏽") == "Grüße, 日本, 👍🏽")
    }

    /// A 42 KB line of `1mg + 1mg + …` is refused at the limit instead of building a tree 7,000
    /// deep, which evaluating (and freeing) recursively would overflow the stack with.
    @Test func aLongOperatorChainIsRefusedNotOverflowed() {
        let chain = "let x = " + Array(repeating: "1mg", count: 7_000).joined(separator: " + ") + "\nzinc x daily\n"
        let result = RegimenCoreTests.compile(chain)
        #expect(result.diagnostics.contains { $0.code.id == "R603" && $0.message.contains("more than 256 operators in a row") })
        let fine = RegimenCoreTests.compile("let x = " + Array(repeating: "1mg", count: 200).joined(separator: " + ") + "\nzinc x daily\n")
        #expect(fine.diagnostics.isEmpty, "\(fine.diagnostics.map(\.message))")
        #expect(fine.plan.items.first?.dose.description == "200 mg")
        // Parentheses and chains count together.
        let mixed = "let y = " + Array(repeating: "(1mg + 1mg) * 1", count: 300).joined(separator: " + ") + "\n"
        #expect(RegimenCoreTests.compile(mixed).diagnostics.contains { $0.code.id == "R603" })
    }

    /// A plan stopped by the event limit does not call the items it did not reach "never taken",
    /// and says its totals are lower bounds.
    @Test func aTimelineStoppedAtALimitGivesNoFalseNeverTaken() {
        let text = "plan \"p\" from 2026-12-01 for 30 days:\n  zinc 1mg every 30min\n  vitamin d3 400 IU daily, for 3 days starting day 25\n"
        let compilation = RegimenCoreTests.compile(text)
        var options = SimulationOptions(days: 30)
        options.maxEvents = 500
        let timeline = Simulator.run(compilation, options: options, today: testToday)
        #expect(timeline.completeThrough != nil)
        let findings = compilation.findings(on: timeline)
        #expect(!findings.contains { $0.code.id == "R812" }, "\(findings.map(\.message))")
        #expect(findings.contains { $0.code.id == "R606" && $0.message.contains("only the doses up to") })
        #expect(findings.contains { $0.code.id == "R818" && $0.message.contains("totals after it are lower bounds") })
    }

    /// One spacing rule broken at every half hour of the day is listed 20 times and counted after.
    @Test func breachesOfOneRuleAreCapped() {
        let text = "plan \"p\" from 2026-12-01 for 7 days:\n  zinc 1mg every 30min\n  levothyroxine 75mcg every 30min, 4h apart from zinc\n"
        let compilation = RegimenCoreTests.compile(text)
        let findings = compilation.checked(today: testToday)
        let breaches = findings.filter { $0.code.id == "R701" }
        #expect(breaches.count == 20)
        #expect(breaches.last?.notes.contains { $0.hasPrefix("and ") && $0.contains("more times of day this rule is broken") } == true)
    }

    /// Every stage's findings are capped, not only the front end's.
    @Test func everyStageIsCapped() {
        var lines = ["plan \"p\" from 2026-12-01 for 7 days:"]
        for _ in 0..<300 { lines.append("  zinc 1mg daily at 07:30, 4h apart from levothyroxine") }
        lines.append("  levothyroxine 75mcg daily at 07:00")
        let findings = RegimenCoreTests.compile(lines.joined(separator: "\n") + "\n").checked(today: testToday)
        #expect(findings.count <= 2 * Limits.standard.maxDiagnostics + 2)
        #expect(findings.contains { $0.message.contains("more problems were found and not shown") })
    }
}
