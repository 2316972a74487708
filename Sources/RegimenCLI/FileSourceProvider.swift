import ArgumentParser
import Foundation
import RegimenCore

/// Reads plan files from disk; `-` is standard input.
struct FileSourceProvider: SourceProvider {
    func read(_ path: String, maxBytes: Int) -> SourceReadResult {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return data.count > maxBytes ? .tooLarge(data.count) : .bytes([UInt8](data))
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return .unreadable("no such file") }
        guard !isFolder.boolValue else { return .unreadable("it is a folder, not a file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maxBytes else { return .tooLarge(size) }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .unreadable("permission denied") }
        defer { try? handle.close() }
        // Read at most one byte past the limit, in case the file grew since its size was taken.
        let data = (try? handle.read(upToCount: maxBytes + 1)) ?? Data()
        return data.count > maxBytes ? .tooLarge(data.count) : .bytes([UInt8](data))
    }
}

extension CivilDate {
    /// Today's date on this computer's calendar.
    static var today: CivilDate {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

/// Whether to colour output: only on a terminal, and never when NO_COLOR is set.
func useColour() -> Bool {
    isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Exit statuses: 0 clean, 1 an error-severity finding, 2 a usage error or unreadable file.
enum ExitStatus {
    static let findings = ExitCode(1)
    static let unusable = ExitCode(2)
}

/// Compiles each file, reporting unreadable ones on standard error.
func compileAll(_ paths: [String]) -> (compilations: [Compilation], unreadable: Bool) {
    var compilations: [Compilation] = []
    var unreadable = false
    for path in paths {
        switch Frontend.compile(path: path, provider: FileSourceProvider(), today: .today) {
        case .success(let compilation): compilations.append(compilation)
        case .failure(let error):
            printError("error: cannot read \(error.path == "-" ? "standard input" : error.path): \(error.reason)")
            unreadable = true
        }
    }
    return (compilations, unreadable)
}
