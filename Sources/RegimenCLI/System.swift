#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RegimenCore

// The command line's contact with the operating system, in POSIX calls: Foundation's file,
// calendar and process layers cost start-up time that a one-file check should not pay.

/// Reads plan files from disk; `-` is standard input.
struct FileSourceProvider: SourceProvider {
    func read(_ path: String, maxBytes: Int) -> SourceReadResult {
        if path == "-" { return readAll(STDIN_FILENO, maxBytes: maxBytes) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .unreadable(errno == ENOENT || errno == ENOTDIR ? "no such file" : String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .unreadable(String(cString: strerror(errno))) }
        if status.st_mode & S_IFMT == S_IFDIR { return .unreadable("it is a folder, not a file") }
        if Int(status.st_size) > maxBytes { return .tooLarge(Int(status.st_size)) }
        return readAll(descriptor, maxBytes: maxBytes)
    }

    /// Reads to the end, or to one byte past the limit in case the file grew since its size was taken.
    private func readAll(_ descriptor: Int32, maxBytes: Int) -> SourceReadResult {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= maxBytes {
            let count = chunk.withUnsafeMutableBytes { readBytes(descriptor, $0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return .unreadable(String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return bytes.count > maxBytes ? .tooLarge(bytes.count) : .bytes(bytes)
    }
}

/// POSIX `read`, which a method named `read` would otherwise hide.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(descriptor, buffer.baseAddress, buffer.count)
}

/// A file that could not be written, in words.
struct WriteError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write \(path): \(reason)" }
}

/// Writes a file atomically: a temporary file in the same folder, flushed to disk, then renamed
/// over the target, so a reader sees the old file or the new one, never a part. An existing
/// file keeps its permissions.
func writeAtomically(_ text: String, to path: String) throws(WriteError) {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array("\(folder).\(name).XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
    let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var existing = stat()
    let mode = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o666 & ~currentUmask()
    var failure = writeAll(Array(text.utf8), to: descriptor)
    if failure == nil && (fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0) { failure = String(cString: strerror(errno)) }
    if close(descriptor) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
    if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
        unlink(temporary)
        throw WriteError(path: path, reason: failure)
    }
}

/// The process's file-creation mask (read by setting it, then putting it back).
private func currentUmask() -> mode_t {
    let mask = umask(0o022)
    umask(mask)
    return mask
}

func fileExists(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0
}

/// The names in a folder with `/` after sub-folders; empty when it cannot be read.
func folderEntries(_ folder: String) -> [String] {
    guard let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name == "." || name == ".." { continue }
        var status = stat()
        let isFolder = stat(folder + "/" + name, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
        names.append(name + (isFolder ? "/" : ""))
    }
    return names
}

extension CivilDate {
    /// Today's date on this computer's clock and time zone.
    static var today: CivilDate {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return CivilDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
    }
}

/// Whether to colour output: only on a terminal, and never when NO_COLOR is set.
func useColour() -> Bool {
    isatty(STDOUT_FILENO) != 0 && getenv("NO_COLOR") == nil
}

/// Prints to standard error.
func printError(_ text: String) {
    _ = writeAll(Array((text + "\n").utf8), to: STDERR_FILENO)
}

/// Writes every byte, retrying short and interrupted writes; the reason when it cannot.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
    var rest = bytes[...]
    while !rest.isEmpty {
        let written = rest.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return String(cString: strerror(errno)) }
        rest = rest.dropFirst(written)
    }
    return nil
}
