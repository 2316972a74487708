import RegimenCore

/// JSON-RPC messages framed as LSP frames them: `Content-Length: N` headers, a blank line, then
/// N bytes of JSON. Bytes go in as they arrive; whole messages come out.
public struct MessageFraming: Sendable {
    /// One frame's body, or why a frame had to be skipped.
    public enum Frame: Sendable, Equatable {
        case message(JSON)
        case malformed(String)
    }

    private var buffer: [UInt8] = []
    private var start = 0
    /// Larger bodies are refused (and skipped), so a broken client cannot exhaust memory.
    static let maxBody = 64 << 20

    public init() {}

    /// Adds bytes read from the client.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next whole frame, or nil until more bytes arrive.
    public mutating func next() -> Frame? {
        guard let headerEnd = find([13, 10, 13, 10], from: start) else { return nil }
        let header = String(decoding: buffer[start..<headerEnd], as: UTF8.self)
        guard let length = Self.contentLength(buffer[start..<headerEnd]) else {
            consume(to: headerEnd + 4)
            return .malformed("a message header without a usable Content-Length: \(header.debugDescription)")
        }
        let bodyStart = headerEnd + 4
        guard buffer.count - bodyStart >= length else { return nil }
        let body = Array(buffer[bodyStart..<bodyStart + length])
        consume(to: bodyStart + length)
        guard let json = JSON(parsing: body) else {
            return .malformed("a message body that is not JSON: \(String(decoding: body.prefix(200), as: UTF8.self).debugDescription)")
        }
        return .message(json)
    }

    /// True when the bytes received end inside a message (a large edit arrives in pieces): the rest
    /// is on its way. Frames are stepped over by their headers, bodies unread.
    public var endsInPartialFrame: Bool {
        var index = start
        while index < buffer.count {
            guard let headerEnd = find([13, 10, 13, 10], from: index) else { return true }
            guard let length = Self.contentLength(buffer[index..<headerEnd]) else {
                index = headerEnd + 4
                continue
            }
            guard buffer.count - (headerEnd + 4) >= length else { return true }
            index = headerEnd + 4 + length
        }
        return false
    }

    /// The whole messages received and not yet taken, left in place (to see whether an edit is
    /// waiting while a check runs).
    public func pending() -> [JSON] {
        var copy = self
        var messages: [JSON] = []
        while let frame = copy.next() {
            if case .message(let message) = frame { messages.append(message) }
        }
        return messages
    }

    /// The usable `Content-Length` of a header, if it has one.
    private static func contentLength(_ header: ArraySlice<UInt8>) -> Int? {
        var length: Int?
        for line in String(decoding: header, as: UTF8.self).split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { continue }
            length = Int(parts[1].filter { $0 != " " && $0 != "\t" })
        }
        guard let length, length >= 0, length <= maxBody else { return nil }
        return length
    }

    /// A message as it goes to the client.
    public static func frame(_ message: JSON) -> [UInt8] {
        let body = Array(message.serialized(indent: nil).utf8)
        return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    private mutating func consume(to index: Int) {
        start = index
        // Drop what was read once it is most of the buffer, so the buffer does not grow forever.
        if start > 4096, start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    private func find(_ pattern: [UInt8], from: Int) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        var index = from
        while index + pattern.count <= buffer.count {
            if buffer[index] == pattern[0], buffer[index..<index + pattern.count].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}

extension JSON {
    /// An object of the fields that have a value, in the order given.
    static func fields(_ fields: (String, JSON?)...) -> JSON {
        .object(fields.compactMap { name, value in value.map { (name, $0) } })
    }
}
