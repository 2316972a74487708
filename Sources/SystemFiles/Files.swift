#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tool's contact with the file system, in POSIX calls: reading, careful writing, appending,
/// listing. One small module instead of Foundation's file layer, whose start-up cost (with ICU
/// behind it) was most of a one-file check's time.
///
/// Every file the tool reads is opened with `O_NONBLOCK` and checked with `fstat` on the open
/// descriptor: only a regular file is read, so a named pipe, a device, a socket or a folder is
/// an error, never a hang. A file that must stay inside a folder (an `include`) is found by its
/// real path and opened one component at a time with `O_NOFOLLOW`, so no symbolic link, however
/// placed or swapped in, leads outside.
public enum Files {
    public enum ReadResult: Sendable {
        case bytes([UInt8])
        case tooLarge(Int)
        case failed(String)
        /// Not a regular file: what it is instead ("a named pipe (FIFO)").
        case notRegular(String)
        /// The real path lies outside the folder the file must stay in; the real path.
        case outside(String)
    }

    /// A whole regular file, or standard input for `-`, refusing more than `maxBytes`.
    public static func read(_ path: String, maxBytes: Int) -> ReadResult {
        if path == "-" { return readAll(STDIN_FILENO, maxBytes: maxBytes) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { return openFailure(path, at: AT_FDCWD, errno) }
        defer { close(descriptor) }
        return readRegular(descriptor, maxBytes: maxBytes)
    }

    /// A whole regular file whose real path lies inside `folder`'s real path, whatever symbolic
    /// links lie on the way. The path is resolved with `realpath`, checked, then opened again
    /// component by component below the folder with `O_NOFOLLOW`: a link swapped in between the
    /// two steps makes the open fail instead of leading elsewhere.
    public static func read(_ path: String, confinedTo folder: String, maxBytes: Int) -> ReadResult {
        guard let root = realPath(folder) else { return .failed("its folder \(folder) cannot be found") }
        guard let real = realPath(path) else {
            let error = errno
            return .failed(error == ENOENT || error == ENOTDIR ? "no such file" : describe(error))
        }
        guard real.hasPrefix(root == "/" ? "/" : root + "/") else { return .outside(real) }
        let parts = real.dropFirst(root == "/" ? 1 : root.count + 1).split(separator: "/").map(String.init)
        var folderDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folderDescriptor >= 0 else { return .failed(reason()) }
        for part in parts.dropLast() {
            let next = openat(folderDescriptor, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let error = errno
            close(folderDescriptor)
            guard next >= 0 else { return .failed(error == ELOOP ? "a symbolic link appeared on its path while it was read" : describe(error)) }
            folderDescriptor = next
        }
        defer { close(folderDescriptor) }
        guard let last = parts.last else { return .notRegular("a folder") }
        let descriptor = openat(folderDescriptor, last, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { return openFailure(last, at: folderDescriptor, errno, following: false) }
        defer { close(descriptor) }
        return readRegular(descriptor, maxBytes: maxBytes)
    }

    /// The absolute path with every symbolic link, `.` and `..` resolved; nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What kind of file a mode describes, in words.
    public static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a folder"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// The reason an open failed, naming the kind of file when it is not a regular one (a socket
    /// cannot be opened at all; a symbolic link is refused by `O_NOFOLLOW`).
    private static func openFailure(_ name: String, at folder: Int32, _ error: Int32, following: Bool = true) -> ReadResult {
        var status = stat()
        if fstatat(folder, name, &status, following ? 0 : AT_SYMLINK_NOFOLLOW) == 0, status.st_mode & S_IFMT != S_IFREG {
            return .notRegular(kind(status.st_mode))
        }
        return .failed(error == ENOENT || error == ENOTDIR ? "no such file" : describe(error))
    }

    /// Reads an open descriptor if it is a regular file (checked on the descriptor itself).
    private static func readRegular(_ descriptor: Int32, maxBytes: Int) -> ReadResult {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failed(reason()) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .notRegular(kind(status.st_mode)) }
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
        /// Why a write was refused, when it was refused on purpose rather than failed.
        public enum Refusal: Sendable { case exists, readOnly, changed }
        public var path: String
        public var reason: String
        public var refusal: Refusal?
        public var description: String { "cannot write \(path): \(reason)" }

        public init(path: String, reason: String, refusal: Refusal? = nil) {
            self.path = path
            self.reason = reason
            self.refusal = refusal
        }
    }

    /// A file's size and modification time, taken when it was read, to tell whether it changed since.
    public struct Stamp: Sendable, Equatable {
        public var size: Int
        public var seconds: Int
        public var nanoseconds: Int
    }

    /// The stamp of a file as it is now (following symbolic links), or nil when it does not exist.
    public static func stamp(_ path: String) -> Stamp? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return stamp(of: status)
    }

    private static func stamp(of status: stat) -> Stamp {
        #if canImport(Darwin)
        Stamp(size: Int(status.st_size), seconds: Int(status.st_mtimespec.tv_sec), nanoseconds: Int(status.st_mtimespec.tv_nsec))
        #else
        Stamp(size: Int(status.st_size), seconds: Int(status.st_mtim.tv_sec), nanoseconds: Int(status.st_mtim.tv_nsec))
        #endif
    }

    /// How `write` may treat a file that is already there.
    public struct WriteOptions: Sendable {
        /// Replace an existing file; when false an existing path (a dangling symbolic link too) is refused.
        public var replace = true
        /// Replace a file even when it is read-only.
        public var force = false
        /// The file as it was read: when it has changed since, nothing is written.
        public var expected: Stamp?

        public init(replace: Bool = true, force: Bool = false, expected: Stamp? = nil) {
            self.replace = replace
            self.force = force
            self.expected = expected
        }
    }

    /// Writes a file as a careful editor does:
    /// - a path that is not a regular file (`/dev/null`, a named pipe, a terminal) is written to
    ///   directly, never replaced;
    /// - a symbolic link is written through, to its target; a dangling one is refused;
    /// - a regular file is replaced atomically: a temporary file in the same folder, flushed to
    ///   disk, given the old file's owner, group and mode, then renamed over it, so a reader sees
    ///   the old file or the new one, never a part;
    /// - a read-only file is refused unless `force`; a file that changed since `expected` was taken
    ///   is refused;
    /// - the temporary file is removed on every failure, and SIGINT, SIGTERM and SIGHUP are held
    ///   while it exists: one that arrives removes it and then takes effect.
    public static func write(_ bytes: [UInt8], to path: String, options: WriteOptions = WriteOptions()) throws(WriteError) {
        func failure(_ reason: String, _ refusal: WriteError.Refusal? = nil) -> WriteError {
            WriteError(path: path, reason: reason, refusal: refusal)
        }
        var target = path
        var link = stat()
        if lstat(path, &link) == 0 {
            guard options.replace else { throw failure("it exists", .exists) }
            if link.st_mode & S_IFMT == S_IFLNK {
                guard let real = realPath(path) else { throw failure("it is a symbolic link to a file that does not exist") }
                target = real
            }
        } else if errno != ENOENT {
            throw failure(reason())
        }
        var existing = stat()
        let exists = stat(target, &existing) == 0
        if exists, existing.st_mode & S_IFMT == S_IFDIR { throw failure("it is a folder") }
        if exists, existing.st_mode & S_IFMT != S_IFREG {
            // A device, a named pipe or a socket: write into it, as a shell's `>` does.
            let descriptor = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY)
            guard descriptor >= 0 else { throw failure(reason()) }
            let problem = writeAll(bytes, to: descriptor)
            close(descriptor)
            if let problem { throw failure(problem) }
            return
        }
        if exists, !options.force, existing.st_mode & S_IWUSR == 0 || access(target, W_OK) != 0 {
            throw failure("it is read-only (--force replaces it anyway)", .readOnly)
        }
        if let expected = options.expected, !exists || stamp(of: existing) != expected {
            throw failure("it changed since it was read; nothing was written", .changed)
        }
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[...$0]) } ?? ""
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array("\(folder).\(name).XXXXXX".utf8CString)
        // Hold the signals that end a process while the temporary file exists.
        var held = sigset_t(), previous = sigset_t()
        sigemptyset(&held)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&held, signal) }
        sigprocmask(SIG_BLOCK, &held, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure(reason()) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var problem = writeAll(bytes, to: descriptor)
        if exists {
            // The owner can be kept only by root; the group by its members. Neither failing stops the write.
            if fchown(descriptor, existing.st_uid, existing.st_gid) != 0 { _ = fchown(descriptor, uid_t.max, existing.st_gid) }
        }
        let mode = exists ? existing.st_mode & 0o7777 : 0o666 & ~currentUmask()
        if problem == nil && (fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0) { problem = reason() }
        if close(descriptor) != 0 && problem == nil { problem = reason() }
        if problem == nil, let expected = options.expected, Self.stamp(target) != expected {
            problem = "it changed while the new text was being written; nothing was written"
        }
        if problem == nil, signalPending(held) { problem = "interrupted" }
        if problem == nil && rename(temporary, target) != 0 { problem = reason() }
        if let problem {
            unlink(temporary)
            throw failure(problem)
        }
    }

    /// True when one of `signals` is waiting to be delivered.
    private static func signalPending(_ signals: sigset_t) -> Bool {
        var pending = sigset_t()
        sigpending(&pending)
        var signals = signals
        return [SIGINT, SIGTERM, SIGHUP].contains { sigismember(&pending, $0) == 1 && sigismember(&signals, $0) == 1 }
    }

    /// Writes a file atomically, as `write` does with its default options.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(WriteError) {
        try write(bytes, to: path)
    }

    /// Appends to a regular file, making it (readable by its owner only) if missing; false when it
    /// cannot, or when the path is a named pipe, a device or a folder.
    @discardableResult
    public static func append(_ bytes: [UInt8], to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
        return writeAll(bytes, to: descriptor) == nil
    }

    /// Writes every byte, retrying short and interrupted writes; the reason when it cannot.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        var rest = bytes[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
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

    /// The files under a folder whose names end in `suffix`, in sorted order. Links to folders
    /// are not followed (they could make a loop) and hidden entries (`.git`, `.build`) are skipped.
    public static func walk(_ folder: String, suffix: String) -> [String] {
        var found: [String] = []
        var pending = [folder]
        while let current = pending.popLast() {
            for name in entries(inFolder: current) where !name.hasPrefix(".") {
                let path = current.hasSuffix("/") ? current + name : current + "/" + name
                var status = stat()
                guard lstat(path, &status) == 0 else { continue }
                // A named pipe or device with the suffix is listed too: it is reported as not
                // readable (it is never read), rather than silently left out.
                if status.st_mode & S_IFMT == S_IFDIR {
                    pending.append(path)
                } else if name.hasSuffix(suffix) {
                    found.append(path)
                }
            }
        }
        return found.sorted()
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

    private static func reason() -> String { describe(errno) }

    private static func describe(_ error: Int32) -> String { String(cString: strerror(error)) }

    /// The process's file-creation mask (read by setting it, then putting it back).
    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}
