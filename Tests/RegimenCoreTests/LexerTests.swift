import RegimenCore
import Testing

@Suite struct LexerTests {
    @Test(arguments: ["300mg", "300 mg", "300  mg"])
    func quantityWithOrWithoutSpace(_ text: String) {
        let lexed = tokens(text)
        #expect(lexed.count == 1)
        #expect(lexed.first?.kind == .quantity)
        guard case .quantity(let value, let unit)? = lexed.first?.value else { Issue.record("not a quantity"); return }
        #expect(value == 300)
        #expect(unit.symbol == "mg")
    }

    @Test(arguments: [("5 mg/kg", "mg/kg"), ("350 mg/day", "mg/day"), ("85 mL/min", "mL/min"), ("75 µg", "mcg"),
                      ("2000 IU", "IU"), ("10 mmol", "mmol"), ("4h", "h"), ("30min", "min"), ("12 weeks", "weeks"),
                      ("2 cups", "cup"), ("85 mL/min/1.73m²", "mL/min")])
    func unitsAndRates(_ text: String, _ symbol: String) {
        let lexed = tokens(text)
        #expect(lexed.count == 1, "\(text) lexes as one token")
        guard case .quantity(_, let unit)? = lexed.first?.value else { Issue.record("\(text) is not a quantity"); return }
        #expect(unit.symbol == symbol)
    }

    @Test func numberNotFollowedByUnitStaysANumber() {
        #expect(tokens("max 1 per day").map(\.kind) == [.word, .number, .word, .word])
        #expect(tokens("type 2 diabetes").map(\.kind) == [.word, .number, .word])
    }

    @Test func clockTimesDatesPercentagesStrings() {
        let lexed = tokens("06:30 2026-12-01 60.3% \"Europe/Berlin\"")
        #expect(lexed.map(\.kind) == [.clock, .date, .percent, .string])
        #expect(lexed[0].value == .clock(minutes: 390))
        #expect(lexed[1].value == .date(CivilDate(year: 2026, month: 12, day: 1)!))
        #expect(lexed[3].value == .string("Europe/Berlin"))
    }

    @Test func wordsAreLowerCased() {
        #expect(tokens("Magnesium GLYCINATE").compactMap(\.word) == ["magnesium", "glycinate"])
    }

    @Test func blocksBecomeIndentAndDedent() {
        let kinds = Lexer.tokenize(SourceFile(name: "t", text: "plan \"x\":\n  zinc 15mg\nzinc 15mg\n"), id: FileID(0)).tokens.map(\.kind)
        #expect(kinds == [.word, .string, .colon, .newline, .indent, .word, .quantity, .newline, .dedent, .word, .quantity, .newline, .end])
    }

    @Test func lineEndingInCommaContinues() {
        let kinds = Lexer.tokenize(SourceFile(name: "t", text: "zinc 15mg daily,\n    with lunch\n"), id: FileID(0)).tokens.map(\.kind)
        #expect(!kinds.contains(.indent))
        #expect(kinds.filter { $0 == .newline }.count == 1)
    }

    @Test func byteOrderMarkAndCRLFLexLikePlainText() {
        let plain = Lexer.tokenize(SourceFile(name: "t", text: "patient:\n  age 40\n"), id: FileID(0)).tokens.map(\.kind)
        let bom = Lexer.tokenize(SourceFile(name: "t", bytes: [0xEF, 0xBB, 0xBF] + Array("patient:\n  age 40\n".utf8)), id: FileID(0))
        let crlf = Lexer.tokenize(SourceFile(name: "t", text: "patient:\r\n  age 40\r\n"), id: FileID(0))
        #expect(bom.tokens.map(\.kind) == plain)
        #expect(crlf.tokens.map(\.kind) == plain)
        #expect(bom.diagnostics.isEmpty && crlf.diagnostics.isEmpty)
    }

    @Test func spansAreByteOffsets() {
        let lexed = tokens("vitamin d3 75 µg")
        #expect(lexed[2].span.offset == 11)
        #expect(lexed[2].span.length == 6) // "75 µg": µ is two bytes
    }

    @Test func invalidBytesAreReportedOnceAndSkipped() {
        let (lexed, diagnostics) = Lexer.tokenize(SourceFile(name: "t", bytes: Array("zinc".utf8) + [0xFF, 0xFE] + Array(" 15mg".utf8)), id: FileID(0))
        #expect(diagnostics.map(\.code) == [.invalidUTF8])
        #expect(lexed.contains { $0.kind == .quantity })
    }
}
