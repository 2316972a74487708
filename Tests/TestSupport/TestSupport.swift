// What the test targets share: where the package is, the date they run on, reading its files,
// and comparing with golden files. One copy, so the golden convention (UPDATE_GOLDEN=1) is the
// same everywhere.
import Foundation
import RegimenCore
import Testing

/// The package's root folder, found from this file's path (Tests/TestSupport/TestSupport.swift).
public let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The date tests evaluate against, so ages from `born`, golden pages and the like never drift.
public let testToday = CivilDate(year: 2026, month: 11, day: 22)!

/// Reads files relative to the package root, as the CLI reads them relative to the working folder.
public struct PackageFiles: SourceProvider {
    public init() {}

    public func read(_ path: String, maxBytes: Int) -> SourceReadResult {
        guard let data = FileManager.default.contents(atPath: packageRoot + "/" + path) else { return .unreadable("no such file") }
        return data.count > maxBytes ? .tooLarge(data.count) : .bytes([UInt8](data))
    }
}

/// Compares `actual` with the expected file; with UPDATE_GOLDEN=1 rewrites the file instead.
public func assertGolden(_ actual: String, _ expectedPath: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let path = packageRoot + "/" + expectedPath
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        _ = FileManager.default.createFile(atPath: path, contents: Data(actual.utf8))
        return
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        Issue.record("missing golden file \(expectedPath); run the tests with UPDATE_GOLDEN=1 to write it", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if actual != expected {
        Issue.record("output differs from \(expectedPath) (UPDATE_GOLDEN=1 rewrites it)\n--- expected\n\(expected)\n--- actual\n\(actual)",
                     sourceLocation: sourceLocation)
    }
}
