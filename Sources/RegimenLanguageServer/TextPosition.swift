import RegimenCore

/// A position as LSP counts it: a line from 0, and a character offset in UTF-16 code units.
public struct TextPosition: Sendable, Equatable, Comparable {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public static func < (a: TextPosition, b: TextPosition) -> Bool { (a.line, a.character) < (b.line, b.character) }

    var json: JSON { .fields(("line", .int(line)), ("character", .int(character))) }

    init?(_ json: JSON?) {
        guard let line = json?["line"]?.int, let character = json?["character"]?.int, line >= 0, character >= 0 else { return nil }
        self.init(line: line, character: character)
    }
}

/// Conversions between the core's UTF-8 byte offsets and LSP's UTF-16 positions in one file.
extension SourceFile {
    /// The position of a byte offset (clamped to the file).
    func position(of offset: Int) -> TextPosition {
        let clamped = max(0, min(offset, bytes.count))
        let line = lineIndex(of: clamped)
        return TextPosition(line: line, character: Self.utf16Count(bytes[lineStarts[line]..<clamped]))
    }

    /// The byte offset of a position: past the line's end it is the line's end, past the last line
    /// the file's end, and inside a character (half of a surrogate pair) that character's start.
    func offset(of position: TextPosition) -> Int {
        guard position.line < lineStarts.count else { return bytes.count }
        let line = lineBytes(position.line)
        var units = 0
        var index = line.startIndex
        while index < line.endIndex {
            let width = Self.utf16Width(lead: line[index])
            if units + width > position.character { break }
            units += width
            index += 1
            while index < line.endIndex, line[index] & 0xC0 == 0x80 { index += 1 }
        }
        return index
    }

    /// A span as an LSP range.
    func range(of span: Span) -> JSON {
        .fields(("start", position(of: span.offset).json), ("end", position(of: span.end).json))
    }

    /// The range of the whole file.
    var wholeRange: JSON {
        .fields(("start", TextPosition(line: 0, character: 0).json), ("end", position(of: bytes.count).json))
    }

    /// UTF-16 code units of UTF-8 bytes: one per character, two for a character past U+FFFF.
    static func utf16Count(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { count, byte in count + (byte & 0xC0 == 0x80 ? 0 : utf16Width(lead: byte)) }
    }

    /// A four-byte UTF-8 sequence (lead byte 0xF0 and up) is a surrogate pair in UTF-16.
    static func utf16Width(lead byte: UInt8) -> Int { byte >= 0xF0 ? 2 : 1 }
}

/// The zero range at the start of a file: where findings about the whole file go.
let fileStartRange: JSON = .fields(("start", TextPosition(line: 0, character: 0).json), ("end", TextPosition(line: 0, character: 0).json))
