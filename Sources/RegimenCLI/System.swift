#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RegimenCore
import SystemFiles

// The command line's contact with the operating system: files through SystemFiles, the clock
// and the terminal in POSIX calls (Foundation's layers cost start-up time a check should not pay).

/// Reads plan files from disk (regular files only); `-` is standard input.
struct FileSourceProvider: SourceProvider {
    func read(_ path: String, maxBytes: Int) -> SourceReadResult {
        SourceReadResult(Files.read(path, maxBytes: maxBytes))
    }

    func read(_ path: String, confinedTo folder: String, maxBytes: Int) -> SourceReadResult {
        SourceReadResult(Files.read(path, confinedTo: folder, maxBytes: maxBytes))
    }
}

/// Writes text to a file as a careful editor does (`Files.write`): `-` is standard output, a
/// device or named pipe is written into, a symbolic link through, a regular file replaced atomically.
func writeFile(_ text: String, to path: String, options: Files.WriteOptions = Files.WriteOptions()) throws(Files.WriteError) {
    if path == "-" {
        if let problem = Files.writeAll(Array(text.utf8), to: STDOUT_FILENO) { throw Files.WriteError(path: "standard output", reason: problem) }
        return
    }
    try Files.write(Array(text.utf8), to: path, options: options)
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
func useColour(on descriptor: Int32 = STDOUT_FILENO) -> Bool {
    isatty(descriptor) != 0 && getenv("NO_COLOR") == nil
}

/// Source text for standard output: as it is when it goes to a file or a pipe (it is data, and
/// must stay byte for byte), with control and bidi characters written out when a terminal
/// would show it (and obey them), as `ls` quotes names only on a terminal.
func terminalSafe(_ text: String) -> String {
    isatty(STDOUT_FILENO) != 0 ? Printable.escaped(text, keepingLines: true) : text
}

/// Writes bytes to standard output as they are, after anything printed before.
func writeStandardOutput(_ bytes: [UInt8]) {
    fflush(nil)
    bytes.withUnsafeBufferPointer { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return } // a closed pipe: the reader has gone
            offset += written
        }
    }
}

/// Prints to standard error.
func printError(_ text: String) {
    _ = Files.writeAll(Array((text + "\n").utf8), to: STDERR_FILENO)
}

/// DTSTAMP for exports: `SOURCE_DATE_EPOCH` when set (reproducible builds and tests), else the clock.
func exportStamp() -> Int {
    if let text = getenv("SOURCE_DATE_EPOCH").map({ String(cString: $0) }), let seconds = Int(text) { return seconds }
    return Int(time(nil))
}

/// `--remind 10min`: minutes before the dose.
enum ReminderOffset {
    static func minutes(_ text: String) -> Int? {
        let units: [(String, Int)] = [("min", 1), ("m", 1), ("h", 60)]
        if let whole = Int(text), whole >= 0 { return whole }
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Int(text.dropLast(suffix.count)), number >= 0, number <= 10_080 { return number * factor }
        }
        return nil
    }
}
