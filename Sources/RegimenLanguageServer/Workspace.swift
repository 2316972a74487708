import RegimenCore
import SystemFiles

/// `file://` URIs and the paths they name (RFC 8089, percent-encoded as RFC 3986 says).
enum FileURI {
    /// The path of a `file:` URI, or nil for another scheme.
    static func path(of uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = uri.dropFirst("file://".count)
        // `file://host/path`: only the local host is ours.
        if !rest.hasPrefix("/") {
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[slash...]
        }
        return decode(String(rest))
    }

    /// A `file:` URI for an absolute path.
    static func uri(of path: String) -> String {
        let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        var out = "file://"
        for byte in path.utf8 {
            if safe.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    private static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2, let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1]) {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Reads plan files for the compiler: a file open in the editor from its text in memory (what
/// the user sees, saved or not), any other from disk.
struct WorkspaceSourceProvider: SourceProvider {
    /// Open documents' bytes, by normalised path.
    let open: [String: [UInt8]]

    func read(_ path: String, maxBytes: Int) -> SourceReadResult {
        if let bytes = open[Path.normalize(path)] {
            return bytes.count > maxBytes ? .tooLarge(bytes.count) : .bytes(bytes)
        }
        return SourceReadResult(Files.read(path, maxBytes: maxBytes))
    }

    /// An include: from the editor when it is open there, else from disk within the plan's folder,
    /// by real path as `regimen check` reads it.
    func read(_ path: String, confinedTo folder: String, maxBytes: Int) -> SourceReadResult {
        if let bytes = open[Path.normalize(path)] {
            guard Path.isInside(Path.normalize(path), Path.normalize(folder)) else { return .outside(path) }
            return bytes.count > maxBytes ? .tooLarge(bytes.count) : .bytes(bytes)
        }
        return SourceReadResult(Files.read(path, confinedTo: folder, maxBytes: maxBytes))
    }
}

/// Paths below `folder` that start with `prefix` (a path relative to it), for completing an
/// `include`: folders end in `/`, and only `.regimen` files are offered.
func includeCandidates(in folder: String, prefix: String) -> [String] {
    let slash = prefix.lastIndex(of: "/")
    let typedFolder = slash.map { String(prefix[...$0]) } ?? ""
    let typedName = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
    let listed = Path.join(folder, typedFolder.isEmpty ? "." : typedFolder)
    return Files.entries(inFolder: listed).filter { $0.hasPrefix(typedName) && !$0.hasPrefix(".") }.compactMap { name in
        if Files.isFolder(Path.join(listed, name)) { return typedFolder + name + "/" }
        return name.hasSuffix(".regimen") ? typedFolder + name : nil
    }.sorted()
}
