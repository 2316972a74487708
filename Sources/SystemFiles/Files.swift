#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tool's contact with the file system, in POSIX calls: reading, atomic writing, appending,
/// listing. One small module instead of Foundation's file layer, whose start-up cost (with ICU
/// behind it) was most of a one-file check's time.
public enum Files {
    public enum ReadResult: Sendable {
        case bytes([UInt8])
        case tooLarge(Int)
        case failed(String)
    }

    /// A whole file, or standard input for `-`, refusing more than `maxBytes`.
    public static func read(_ path: String, maxBytes: Int) -> ReadResult {
        if path == "-" { return readAll(STDIN_FILENO, maxBytes: maxBytes) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failed(errno == ENOENT || errno == ENOTDIR ? "no such file" : reason()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failed(reason()) }
        if status.st_mode & S_IFMT == S_IFDIR { return .failed("it is a folder, not a file") }
        if Int(status.st_size) > maxBytes { return .tooLarge(Int(status.st_size)) }
        return readAll(descriptor, maxBytes: maxBytes)
    }

    /// Reads to the end, or to one byte past the limit in case the file grew since its size was taken.
    private static func readAll(_ descriptor: Int32, maxBytes: Int) -> ReadResult {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= maxBytes {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return .failed(reason()) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return bytes.count > maxBytes ? .tooLarge(bytes.count) : .bytes(bytes)
    }

    /// A file that could not be written, in words.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes a file atomically: a temporary file in the same folder, flushed to disk, then
    /// renamed over the target, so a reader sees the old file or the new one, never a part.
    /// An existing file keeps its permissions.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(WriteError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(folder).\(name).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw WriteError(path: path, reason: reason()) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var existing = stat()
        let mode = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o666 & ~currentUmask()
        var failure = writeAll(bytes, to: descriptor)
        if failure == nil && (fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0) { failure = reason() }
        if close(descriptor) != 0 && failure == nil { failure = reason() }
        if failure == nil && rename(temporary, path) != 0 { failure = reason() }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: failure)
        }
    }

    /// Appends to a file, making it (readable by its owner only) if missing; false when it cannot.
    @discardableResult
    public static func append(_ bytes: [UInt8], to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return writeAll(bytes, to: descriptor) == nil
    }

    /// Writes every byte, retrying short and interrupted writes; the reason when it cannot.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        var rest = bytes[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return reason() }
            rest = rest.dropFirst(written)
        }
        return nil
    }

    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    public static func isFolder(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// The names in a folder (without `.` and `..`); empty when it cannot be read.
    public static func entries(inFolder folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Makes a folder and any missing folders above it.
    public static func makeFolders(_ path: String) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            mkdir(prefix, 0o755)
        }
    }

    /// Where a symbolic link points, or nil when the path is not one.
    public static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An environment variable, or nil when unset.
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }

    /// The process's file-creation mask (read by setting it, then putting it back).
    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}
