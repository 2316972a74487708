/// Identifies one source file inside a `SourceManager`.
public struct FileID: Hashable, Sendable, Comparable {
    private let index: UInt32
    public var rawValue: Int { Int(index) }
    public init(_ rawValue: Int) { self.index = UInt32(rawValue) }
    public static func < (a: FileID, b: FileID) -> Bool { a.index < b.index }
}

/// A byte range in one source file. Line and column are computed only when rendering.
/// Stored in 32 bits a field (files are far below 4 GB: see `Limits.maxFileBytes`), so a
/// token with its span stays small and a large file's tokens stay in cache.
public struct Span: Hashable, Sendable {
    public var file: FileID
    private var start: UInt32
    private var count: UInt32

    public init(file: FileID, offset: Int, length: Int) {
        self.file = file
        self.start = UInt32(truncatingIfNeeded: offset)
        self.count = UInt32(truncatingIfNeeded: length)
    }

    public var offset: Int {
        get { Int(start) }
        set { start = UInt32(truncatingIfNeeded: newValue) }
    }

    public var length: Int {
        get { Int(count) }
        set { count = UInt32(truncatingIfNeeded: newValue) }
    }

    /// The end offset (exclusive).
    public var end: Int { offset + length }

    /// The smallest span covering both spans (which must be in the same file).
    public func through(_ other: Span) -> Span {
        let start = min(offset, other.offset)
        return Span(file: file, offset: start, length: max(end, other.end) - start)
    }
}

/// A line and column, both counted from 1; the column counts characters, not bytes.
public struct SourceLocation: Hashable, Sendable {
    public var line: Int
    public var column: Int
}

/// The text of one plan or knowledge file, kept as UTF-8 bytes.
public struct SourceFile: Sendable {
    /// The name shown in diagnostics (the path as the user gave it).
    public let name: String
    /// The file's bytes as read, never altered.
    public let bytes: [UInt8]
    /// The offset at which each line starts.
    public let lineStarts: [Int]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        self.lineStarts = starts
    }

    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The index (from 0) of the line holding `offset`.
    public func lineIndex(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The bytes of line `index`, without its line break.
    public func lineBytes(_ index: Int) -> ArraySlice<UInt8> {
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return bytes[start..<end]
    }

    /// The line and character column of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        let line = lineIndex(of: clamped)
        let column = characterCount(bytes[lineStarts[line]..<clamped]) + 1
        return SourceLocation(line: line + 1, column: column)
    }

    /// The text a span covers, with invalid UTF-8 repaired.
    public func text(_ span: Span) -> String {
        let start = max(0, min(span.offset, bytes.count))
        let end = max(start, min(span.end, bytes.count))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// Counts characters as UTF-8 lead bytes, so a column is what an editor shows.
func characterCount(_ bytes: ArraySlice<UInt8>) -> Int {
    bytes.reduce(0) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
}

/// Every source file of one run, so that a span can name its file by a small number.
public struct SourceManager: Sendable {
    public private(set) var files: [SourceFile] = []

    public init() {}

    /// Adds a file and returns its id.
    public mutating func add(_ file: SourceFile) -> FileID {
        files.append(file)
        return FileID(files.count - 1)
    }

    public subscript(id: FileID) -> SourceFile { files[id.rawValue] }

    /// "line 9", or "other.regimen line 9" for a span in another file than `main`.
    public func describe(_ span: Span, main: FileID? = nil) -> String {
        let line = "line \(self[span.file].location(of: span.offset).line)"
        return span.file == main ? line : "\(self[span.file].name) \(line)"
    }
}
