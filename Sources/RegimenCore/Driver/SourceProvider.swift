import SystemFiles

/// Where source files come from. The core library reads files only through this,
/// so tests can give it files from memory and `include` can be confined.
public protocol SourceProvider: Sendable {
    /// Reads the file at `path`, refusing files larger than `maxBytes`.
    func read(_ path: String, maxBytes: Int) -> SourceReadResult
    /// Reads the file at `path` only if it really lies inside `folder`, whatever links are on the
    /// way (the file system's provider resolves real paths); `path` is already inside `folder` as written.
    func read(_ path: String, confinedTo folder: String, maxBytes: Int) -> SourceReadResult
}

extension SourceProvider {
    /// Files in memory have no links: a path inside the folder as written is inside it.
    public func read(_ path: String, confinedTo folder: String, maxBytes: Int) -> SourceReadResult {
        guard Path.isInside(Path.normalize(path), Path.normalize(folder)) else { return .outside(path) }
        return read(path, maxBytes: maxBytes)
    }
}

public enum SourceReadResult: Sendable {
    case bytes([UInt8])
    case tooLarge(Int)
    case unreadable(String)
    /// A named pipe, a device, a socket or a folder, in words: never read, so never a hang.
    case notRegularFile(String)
    /// The file's real path, outside the folder it must stay in.
    case outside(String)
}

/// Files held in memory, by path: for tests and the REPL.
public struct MemorySourceProvider: SourceProvider {
    public var files: [String: String]

    public init(_ files: [String: String]) { self.files = files }

    public func read(_ path: String, maxBytes: Int) -> SourceReadResult {
        guard let text = files[Path.normalize(path)] ?? files[path] else { return .unreadable("no such file") }
        let bytes = Array(text.utf8)
        return bytes.count > maxBytes ? .tooLarge(bytes.count) : .bytes(bytes)
    }
}

/// Path arithmetic on `/`-separated paths, without touching the file system.
public enum Path {
    /// Removes `.` and `a/..` components; keeps leading `..` of a relative path.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", absolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// The folder holding `path` ("." for a bare file name).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func join(_ folder: String, _ path: String) -> String {
        path.hasPrefix("/") ? path : normalize(folder + "/" + path)
    }

    /// True when `path` lies inside `folder` (both normalised).
    public static func isInside(_ path: String, _ folder: String) -> Bool {
        if folder == "." { return !path.hasPrefix("/") && path != ".." && !path.hasPrefix("../") }
        return path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }
}

extension SourceReadResult {
    /// A read of the file system, as the compiler sees it.
    public init(_ read: Files.ReadResult) {
        switch read {
        case .bytes(let bytes): self = .bytes(bytes)
        case .tooLarge(let size): self = .tooLarge(size)
        case .failed(let reason): self = .unreadable(reason)
        case .notRegular(let kind): self = .notRegularFile(kind)
        case .outside(let real): self = .outside(real)
        }
    }
}
