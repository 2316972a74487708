import Foundation
import RegimenCore
import Testing
import TestSupport

@Suite struct ParserTests {
    @Test func threeIndependentErrorsAreEachReportedWhereTheyAre() {
        let source = """
        patient:
          age 42
        plan "x":
          magnesum 300mg nightly
          zinc 15mg daly
          iron 65mg daily at 25:00
          calcium carbonate 500mg daily with dinner
        """
        let result = compile(source + "\n")
        let found = result.diagnostics.map { d -> String in
            let location = result.sources[d.span!.file].location(of: d.span!.offset)
            return "\(d.code.id)@\(location.line):\(location.column)"
        }
        #expect(found == ["R201@4:3", "R113@5:13", "R402@6:22"])
        #expect(result.plan.items.map(\.substance) == ["magnesum", "calcium"],
                "the good line after the errors still counts, and the unknown name is kept, unjudged")
    }

    /// A knowledge keyword begins a definition only when a name follows it; otherwise the line is
    /// an item (here one naming an unknown substance), whichever keyword it is.
    @Test func knowledgeKeywordsNeedANameAfterThem() {
        for keyword in ["substance", "drug", "condition", "interaction", "contraindication", "caution"] {
            #expect(codes(compile("\(keyword) 5mg daily\n")) == ["R201"], "\(keyword)")
        }
        let statements = Parser.parse(Lexer.tokenize(SourceFile(name: "k", text: "drug acme:\n  class statin\n"), id: FileID(0)).tokens,
                                      fileID: FileID(0)).statements
        guard case .knowledge? = statements.first?.kind else {
            Issue.record("`drug acme:` is a knowledge definition")
            return
        }
    }

    @Test func oneMistakeGivesOneMessagePerLine() {
        #expect(compile("zinc 15mg daily with with with\n").diagnostics.count == 1)
    }

    @Test func incompleteInputIsRecognisedForTheREPL() {
        let incomplete = ["plan \"x\":", "zinc 15mg daily,", "if patient.age > 3:"]
        for text in incomplete {
            let lexed = Lexer.tokenize(SourceFile(name: "t", text: text), id: FileID(0)).tokens
            #expect(Parser.isIncomplete(lexed), "\(text)")
        }
        #expect(!Parser.isIncomplete(Lexer.tokenize(SourceFile(name: "t", text: "zinc 15mg daily"), id: FileID(0)).tokens))
    }

    /// Every example line of LANGUAGE.md (copied into the golden folder) stands in a golden input,
    /// so the golden tests parse it and hold what it means.
    @Test func everyLanguageExampleLineIsInAGoldenInput() throws {
        let folder = packageRoot + "/Tests/RegimenCoreTests/Golden/language"
        let doc = try String(contentsOfFile: folder + "/LANGUAGE.md", encoding: .utf8)
        var inputs = ""
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder) where name.hasSuffix(".regimen") {
            inputs += try String(contentsOfFile: folder + "/" + name, encoding: .utf8) + "\n"
        }
        let inputLines = Set(inputs.split(separator: "\n").map(normalized))
        var exampleLines = 0
        for line in doc.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix("    ") {
            let text = normalized(line)
            // The pipeline sketch and the shell commands are not Regimen source.
            if text.isEmpty || text.hasPrefix("regimen") || text.contains("──") || text.hasPrefix("Plan ──") { continue }
            exampleLines += 1
            #expect(inputLines.contains(text), "LANGUAGE.md line not covered by a golden input: \(text)")
        }
        #expect(exampleLines > 50)
    }

    private func normalized(_ line: Substring) -> String {
        line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
