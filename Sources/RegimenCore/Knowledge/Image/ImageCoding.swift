/// A compact binary form for the built knowledge base (see `KnowledgeImage`): numbers as
/// variable-length integers, every distinct string once in a table and then by its index, values
/// in the order their type writes them. Reading checks every bound and throws on anything it does
/// not expect, so a damaged image is refused (and the knowledge files are parsed instead), never
/// trusted.
struct ImageWriter {
    private(set) var body: [UInt8] = []
    private var stringIndex: [String: Int] = [:]
    private var strings: [String] = []

    mutating func byte(_ value: UInt8) { body.append(value) }

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            body.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        body.append(UInt8(value))
    }

    /// Zig-zag, so small negative numbers stay short.
    mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func double(_ value: Double) {
        var bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { body.append(contentsOf: $0) }
    }

    mutating func string(_ value: String) {
        if let index = stringIndex[value] { return unsigned(UInt64(index)) }
        stringIndex[value] = strings.count
        unsigned(UInt64(strings.count))
        strings.append(value)
    }

    mutating func write<Value: ImageCodable>(_ value: Value) { value.write(to: &self) }

    /// The string table, then the body.
    func finished() -> [UInt8] {
        var table = ImageWriter()
        table.unsigned(UInt64(strings.count))
        for string in strings {
            table.unsigned(UInt64(string.utf8.count))
            table.body.append(contentsOf: string.utf8)
        }
        return table.body + body
    }
}

struct ImageError: Error, Sendable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Reads what `ImageWriter` wrote, over bytes that stay alive for the whole read.
struct ImageReader: ~Copyable {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var strings: [String] = []

    /// Starts after a header of `offset` bytes; reads the string table first.
    init(_ bytes: UnsafeRawBufferPointer, from offset: Int) throws(ImageError) {
        self.bytes = bytes
        position = offset
        let count = try length()
        strings.reserveCapacity(count)
        for _ in 0..<count {
            let size = try length()
            guard size <= bytes.count - position else { throw ImageError("a string runs past the end") }
            strings.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + size]), as: UTF8.self))
            position += size
        }
    }

    var atEnd: Bool { position == bytes.count }

    mutating func byte() throws(ImageError) -> UInt8 {
        guard position < bytes.count else { throw ImageError("the image ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func unsigned() throws(ImageError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw ImageError("a number is too long") }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() throws(ImageError) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A count or index, bounded by what the image could hold.
    mutating func length() throws(ImageError) -> Int {
        let value = try unsigned()
        guard value <= UInt64(bytes.count) else { throw ImageError("a count exceeds the image") }
        return Int(value)
    }

    mutating func double() throws(ImageError) -> Double {
        guard bytes.count - position >= 8 else { throw ImageError("the image ends early") }
        defer { position += 8 }
        return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)))
    }

    mutating func string() throws(ImageError) -> String {
        let index = try length()
        guard index < strings.count else { throw ImageError("a string index is out of range") }
        return strings[index]
    }

    mutating func read<Value: ImageCodable>(_: Value.Type = Value.self) throws(ImageError) -> Value {
        try Value(from: &self)
    }
}

/// A value the knowledge image can hold.
protocol ImageCodable {
    func write(to image: inout ImageWriter)
    init(from image: inout ImageReader) throws(ImageError)
}

extension String: ImageCodable {
    func write(to image: inout ImageWriter) { image.string(self) }
    init(from image: inout ImageReader) throws(ImageError) { self = try image.string() }
}

extension Int: ImageCodable {
    func write(to image: inout ImageWriter) { image.signed(Int64(self)) }
    init(from image: inout ImageReader) throws(ImageError) {
        guard let value = Int(exactly: try image.signed()) else { throw ImageError("an integer is out of range") }
        self = value
    }
}

extension Double: ImageCodable {
    func write(to image: inout ImageWriter) { image.double(self) }
    init(from image: inout ImageReader) throws(ImageError) { self = try image.double() }
}

extension Bool: ImageCodable {
    func write(to image: inout ImageWriter) { image.byte(self ? 1 : 0) }
    init(from image: inout ImageReader) throws(ImageError) {
        switch try image.byte() {
        case 0: self = false
        case 1: self = true
        default: throw ImageError("a flag is neither 0 nor 1")
        }
    }
}

extension Optional: ImageCodable where Wrapped: ImageCodable {
    func write(to image: inout ImageWriter) {
        if let self { image.byte(1); self.write(to: &image) } else { image.byte(0) }
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self = try Bool(from: &image) ? try Wrapped(from: &image) : nil
    }
}

extension Array: ImageCodable where Element: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.unsigned(UInt64(count))
        for element in self { element.write(to: &image) }
    }
    init(from image: inout ImageReader) throws(ImageError) {
        let count = try image.length()
        self.init()
        reserveCapacity(count)
        for _ in 0..<count { append(try Element(from: &image)) }
    }
}

/// Keys in sorted order, so the same knowledge always gives the same bytes.
extension Dictionary: ImageCodable where Key == String, Value: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.unsigned(UInt64(count))
        for key in keys.sorted() {
            image.string(key)
            self[key]!.write(to: &image)
        }
    }
    init(from image: inout ImageReader) throws(ImageError) {
        let count = try image.length()
        self.init(minimumCapacity: count)
        for _ in 0..<count {
            let key = try image.string()
            guard updateValue(try Value(from: &image), forKey: key) == nil else { throw ImageError("a key appears twice") }
        }
    }
}

/// An enumeration written by its raw name, so reordering its cases cannot change a value's meaning.
protocol ImageCodableByName: ImageCodable, RawRepresentable where RawValue == String {}

extension ImageCodableByName {
    func write(to image: inout ImageWriter) { image.string(rawValue) }
    init(from image: inout ImageReader) throws(ImageError) {
        let name = try image.string()
        guard let value = Self(rawValue: name) else { throw ImageError("'\(name)' is not a \(Self.self)") }
        self = value
    }
}
