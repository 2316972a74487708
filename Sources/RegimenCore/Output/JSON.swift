/// A JSON value whose objects keep their key order, so output is stable and readable.
/// Not `indirect`: arrays already hold their elements out of line, and inline cases spare a
/// year's timeline a heap box for every one of its hundreds of thousands of values.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    /// Serialises the value; `indent` spaces per level, or compact when nil.
    public func serialized(indent: Int? = 2) -> String {
        String(decoding: bytes(indent: indent), as: UTF8.self)
    }

    /// The serialised value as UTF-8. A year's timeline is megabytes of JSON: it is written as bytes
    /// into one buffer, not appended to a String piece by piece.
    public func bytes(indent: Int? = 2) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout [UInt8], indent: Int?, level: Int) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): JSON.digits(i, into: &out)
        case .number(let d): out += JSON.format(d).utf8
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            writeContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), count: items.count, out: &out, indent: indent, level: level) { i, out in
                items[i].write(to: &out, indent: indent, level: level + 1)
            }
        case .object(let fields):
            writeContainer(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), count: fields.count, out: &out, indent: indent, level: level) { i, out in
                JSON.quote(fields[i].0, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                fields[i].1.write(to: &out, indent: indent, level: level + 1)
            }
        }
    }

    private func writeContainer(
        open: UInt8, close: UInt8, count: Int, out: inout [UInt8], indent: Int?, level: Int,
        element: (Int, inout [UInt8]) -> Void
    ) {
        out.append(open)
        guard count > 0 else { out.append(close); return }
        for i in 0..<count {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if let indent { JSON.newline(indent: indent * (level + 1), into: &out) }
            element(i, &out)
        }
        if let indent { JSON.newline(indent: indent * level, into: &out) }
        out.append(close)
    }

    /// A newline and the spaces after it, copied from one buffer: appending spaces one by one
    /// (`repeatElement`) was a twentieth of writing a year's timeline.
    private static let newlineAndSpaces: [UInt8] = [UInt8(ascii: "\n")] + [UInt8](repeating: UInt8(ascii: " "), count: 256)

    private static func newline(indent: Int, into out: inout [UInt8]) {
        guard indent < newlineAndSpaces.count else {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            return
        }
        newlineAndSpaces.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0...indent])) }
    }

    /// An integer in decimal, written straight into the buffer (no String for each number).
    private static func digits(_ value: Int, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var width = 1
        var rest = value.magnitude
        while rest >= 10 { rest /= 10; width += 1 }
        let start = out.count
        for _ in 0..<width { out.append(UInt8(ascii: "0")) }
        rest = value.magnitude
        for k in stride(from: start + width - 1, through: start, by: -1) {
            out[k] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// Numbers print without a trailing `.0` and without exponent for everyday magnitudes.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (names, dates, times) need no escape: copied in one piece.
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case UInt8(ascii: "\n"): out += #"\n"#.utf8
            case UInt8(ascii: "\r"): out += #"\r"#.utf8
            case UInt8(ascii: "\t"): out += #"\t"#.utf8
            case 0..<0x20:
                out += #"\u00"#.utf8
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default:
                // Multi-byte UTF-8 sequences pass through whole: only ASCII controls need escapes.
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
