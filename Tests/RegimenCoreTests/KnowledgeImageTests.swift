import Foundation
@testable import RegimenCore
import Testing
import TestSupport

/// The knowledge image (`Sources/RegimenCore/Knowledge/Image/knowledge.image`) is the bundled
/// knowledge base built ahead of time. These tests keep it current, and prove that reading it
/// gives exactly what parsing the knowledge files gives.
@Suite struct KnowledgeImageTests {
    let files = BundledKnowledge.bundledFiles()
    static let imagePath = "Sources/RegimenCore/Knowledge/Image/knowledge.image"

    /// The image compiled in is the one the knowledge files give today. With UPDATE_GOLDEN=1 it
    /// is rewritten (and the next build compiles it in).
    @Test func imageIsCurrent() throws {
        let fresh = try #require(BundledKnowledge.image(of: files), "the knowledge files have problems; no image can be built")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(fresh).write(to: URL(fileURLWithPath: packageRoot + "/" + Self.imagePath))
            return
        }
        let onDisk = try [UInt8](Data(contentsOf: URL(fileURLWithPath: packageRoot + "/" + Self.imagePath)))
        #expect(onDisk == fresh, "the knowledge image is stale: UPDATE_GOLDEN=1 swift test --filter KnowledgeImageTests rebuilds it")
        #expect(BundledKnowledge.bundledImage == onDisk, "the binary holds an older image than the file; rebuild")
        #expect(BundledKnowledge.problem(with: BundledKnowledge.bundledImage, for: files) == nil)
    }

    /// Every stored property of every value, compared by reflection: a property the image does
    /// not write would differ here.
    @Test func imageReadsBackAsTheParsedKnowledge() throws {
        let parsed = BundledKnowledge.load(files: files)
        let image = try #require(BundledKnowledge.image(of: files))
        let read = try KnowledgeImage.decode(image, for: files).get()
        let expected = canonical(parsed.knowledge)
        #expect(canonical(read) == expected)
        #expect(expected.count > 100_000, "the comparison saw the knowledge base (\(expected.count) characters)")
        // And the reflection itself tells a change apart: one alias less is a difference.
        var altered = read
        altered.substances["magnesium"]?.aliases.removeLast()
        #expect(canonical(altered) != expected)
    }

    /// The image is used only for the files it was built from.
    @Test func imageOfOtherFilesIsIgnored() throws {
        let image = try #require(BundledKnowledge.image(of: files))
        var edited = files
        edited[0].bytes += Array("\n# an edit\n".utf8)
        #expect(BundledKnowledge.problem(with: image, for: edited) == "built from other knowledge files")
        // Loading then parses the edited files instead.
        let loaded = BundledKnowledge.load(files: edited, image: image)
        #expect(loaded.sources.files[0].bytes == edited[0].bytes)
        #expect(loaded.knowledge.substances.count == BundledKnowledge.load(files: files).knowledge.substances.count)
    }

    /// A damaged image is refused with a reason, never trusted and never a crash: cut short at
    /// many places, its bytes flipped one at a time, or not an image at all.
    @Test func damagedImagesAreRefused() throws {
        let image = try #require(BundledKnowledge.image(of: files))
        #expect(BundledKnowledge.problem(with: [], for: files) != nil)
        #expect(BundledKnowledge.problem(with: Array("not an image".utf8), for: files) != nil)
        for cut in stride(from: 0, to: image.count, by: max(1, image.count / 500)) {
            #expect(BundledKnowledge.problem(with: Array(image[0..<cut]), for: files) != nil, "cut at \(cut)")
        }
        #expect(BundledKnowledge.problem(with: image + [0], for: files) == "bytes are left after the knowledge base")
        var refused = 0
        for offset in stride(from: KnowledgeImage.headerSize, to: image.count, by: max(1, image.count / 300)) {
            var damaged = image
            damaged[offset] ^= 0xFF
            // A flipped byte may still read as some knowledge base; what matters is no crash.
            if BundledKnowledge.problem(with: damaged, for: files) != nil { refused += 1 }
        }
        #expect(refused > 0)
    }
}

/// A text of every stored property of `value`, nested, with dictionary entries in key order (their
/// order in memory depends on how they were inserted). Class instances (caches) are left out.
private func canonical(_ value: Any) -> String {
    var text = ""
    write(value, into: &text)
    return text
}

private func write(_ value: Any, into text: inout String) {
    if let vector = value as? SIMD8<Int8> {
        text += "\((0..<8).map { vector[$0] })"
        return
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .class:
        text += "<\(type(of: value))>"
    case .dictionary:
        let entries = mirror.children.map { entry -> String in
            var item = ""
            write(entry.value, into: &item)
            return item
        }
        text += "[" + entries.sorted().joined(separator: ", ") + "]"
    case .optional:
        if let some = mirror.children.first { write(some.value, into: &text) } else { text += "nil" }
    case .enum where mirror.children.isEmpty:
        text += "\(type(of: value)).\(value)"
    default:
        if mirror.children.isEmpty {
            text += "\(type(of: value))(\(String(reflecting: value)))"
            return
        }
        text += "\(type(of: value)){"
        for child in mirror.children {
            text += (child.label ?? "_") + ": "
            write(child.value, into: &text)
            text += "; "
        }
        text += "}"
    }
}

/// The tool links no Foundation: one `import Foundation` in any of its modules (for a `sqrt`)
/// brought in Foundation and CoreFoundation, whose start-up and pages were a third of a
/// `regimen check` process and 58 MB of the binary. Only the benchmark may use it.
@Suite struct NoFoundationTests {
    @Test func noModuleOfTheToolImportsFoundation() throws {
        let sources = URL(fileURLWithPath: packageRoot + "/Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var checked = 0
        for case let url as URL in files where url.pathExtension == "swift" && !url.path.contains("/RegimenBench/") {
            let text = try String(contentsOf: url, encoding: .utf8)
            checked += 1
            for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                #expect(!line.contains("Foundation"), "\(url.lastPathComponent): \(line)")
            }
        }
        #expect(checked > 100)
    }
}
