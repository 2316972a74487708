import Foundation
import RegimenCore
import Testing

@Suite struct JSONReaderTests {
    private func parse(_ text: String) -> JSON? { JSON(parsing: Array(text.utf8)) }

    @Test func values() {
        #expect(parse(#"{"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d"}}"#)
            == .object([("a", .array([.int(1), .number(-2.5), .number(300), .bool(true), .bool(false), .null])),
                        ("b", .object([("c", .string("d"))]))]))
        #expect(parse(" [ ] ") == .array([]))
        #expect(parse("{}") == .object([]))
        #expect(parse("0") == .int(0))
        #expect(parse("2.0")?.int == 2, "a whole number written with a fraction")
        #expect(parse("2.5")?.int == nil)
    }

    @Test func escapes() {
        #expect(parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#)?.string == "a\"b\\c/d\n\té😀")
        #expect(parse("\"Müller\"")?.string == "Müller")
    }

    @Test func notJSON() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "01", "1.", "-", ".5", "tru", "nul", "\"open",
                     "\"tab\there\"", #""\x""#, #""\ud83d""#, "[1] 2", "{1: 2}", "'a'", "NaN"] {
            #expect(parse(text) == nil, "\(text)")
        }
        #expect(JSON(parsing: [0x22, 0xFF, 0x22]) == nil, "invalid UTF-8 in a string")
    }

    @Test func depthIsLimited() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parse(deep) == nil, "refused, not a stack overflow")
        #expect(parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) != nil)
    }

    @Test func lookups() throws {
        let value = try #require(parse(#"{"n": 3, "s": "x", "list": ["a", "b"], "mixed": ["a", 1], "n": 4}"#))
        #expect(value["n"]?.int == 3, "the first of a repeated key")
        #expect(value["s"]?.string == "x" && value["s"]?.int == nil)
        #expect(value["list"]?.strings == ["a", "b"])
        #expect(value["mixed"]?.strings == nil)
        #expect(value["missing"] == nil && value["s"]?["deeper"] == nil)
    }

    /// The golden FHIR Bundles read the same as with Foundation's JSONSerialization.
    @Test func agreesWithFoundation() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/fhir")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(names.count >= 5)
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let ours = try #require(JSON(parsing: [UInt8](data)), "\(name)")
            let theirs = try JSONSerialization.jsonObject(with: data)
            #expect(same(ours, theirs), "\(name)")
        }
    }

    private func same(_ ours: JSON, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let b): return theirs as? Bool == b
        case .int(let i): return (theirs as? NSNumber)?.doubleValue == Double(i)
        case .number(let d): return (theirs as? NSNumber)?.doubleValue == d
        case .string(let s): return theirs as? String == s
        case .array(let items):
            guard let other = theirs as? [Any], other.count == items.count else { return false }
            return zip(items, other).allSatisfy { same($0, $1) }
        case .object(let fields):
            guard let other = theirs as? [String: Any], other.count == fields.count else { return false }
            return fields.allSatisfy { key, value in other[key].map { same(value, $0) } ?? false }
        }
    }
}

/// The writer's own integers and indentation, checked against Swift's `String(Int)` and a plain
/// count of spaces, and read back by the reader.
@Suite struct JSONWriterTests {
    @Test func integersAsSwiftPrintsThem() {
        let values = [0, 7, -7, 9, 10, 99, 100, -100, 1440, 123_456_789, Int.max, Int.min, Int.min + 1]
        for value in values {
            #expect(JSON.int(value).serialized() == String(value))
        }
        #expect(JSON.array(values.map(JSON.int)).serialized(indent: nil) == "[" + values.map(String.init).joined(separator: ",") + "]")
    }

    @Test func deepIndentation() {
        // 200 levels at 2 spaces: past the writer's 256-space buffer, which it must not cut short.
        var value = JSON.int(1)
        for _ in 0..<200 { value = .array([value]) }
        let lines = value.serialized().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 401)
        #expect(lines[200] == Substring(String(repeating: " ", count: 400) + "1"))
        #expect(lines[400] == "]")
        #expect(lines[399] == "  ]")
        #expect(JSON(parsing: Array(value.serialized().utf8)) == value)
    }
}
