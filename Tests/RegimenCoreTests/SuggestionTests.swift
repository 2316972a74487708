import Foundation
@testable import RegimenCore
import Testing
import TestSupport

/// "Did you mean" must never turn one medicine into another (ISMP's confused names), and must
/// still fix real typos. The tables are data: `Golden/suggestions/*.tsv`, with their sources.
@Suite struct SuggestionTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let typed: String
        let other: String
        var testDescription: String { "\(typed) / \(other)" }
    }

    static func rows(_ file: String) -> [Row] {
        let path = packageRoot + "/Tests/RegimenCoreTests/Golden/suggestions/" + file
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return fields.count >= 2 ? Row(typed: fields[0], other: fields[1]) : nil
        }
    }

    /// Every name the bundled knowledge base knows, and every form of every substance.
    static let knownNames: [String] = {
        let knowledge = BundledKnowledge.shared.knowledge
        return Array(knowledge.names.keys) + Array(knowledge.conditionNames.keys)
            + knowledge.substances.values.flatMap { $0.forms.values.flatMap { [$0.name] + $0.aliases } }
    }()

    @Test("a look-alike is never offered, even as the only candidate", arguments: rows("lookalike-pairs.tsv"))
    func lookAlikeNeverOffered(_ row: Row) {
        #expect(closestMatch(to: row.typed, among: [row.other]) == nil)
        #expect(closestMatch(to: row.typed, among: Self.knownNames + [row.other]) != row.other)
    }

    @Test("a real typo gets its fix from the knowledge base's names", arguments: rows("typos.tsv"))
    func typoFixed(_ row: Row) {
        #expect(closestMatch(to: row.typed, among: Self.knownNames) == row.other)
    }

    @Test func tablesAreLargeEnough() {
        #expect(Self.rows("lookalike-pairs.tsv").count >= 30)
        #expect(Self.rows("typos.tsv").count >= 20)
    }

    /// A word of a plan that is not a clause keyword is never offered a route or keyword for it.
    @Test func shortWordsGetNoKeyword() {
        #expect(closestMatch(to: "in", among: ["im", "iv", "as"]) == nil)
        #expect(closestMatch(to: "daly", among: ["daily", "weekly"]) == "daily")
    }
}
