#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RegimenCore
import SystemFiles

/// The bundled knowledge files (compiled into the binary) as files an editor can open, for "go to
/// definition" on a substance, drug, product or condition: written once, read-only, under
/// `$XDG_CACHE_HOME/regimen/knowledge/<hash>/` (else `~/.cache/...`). Every editor opens a
/// `file:` URI, where a custom scheme needs a client extension in each. The folder is named by a
/// hash of the contents, so servers of different versions running at once never rewrite each
/// other's files, and a location always points into the text it was computed from.
struct KnowledgeFiles: Sendable {
    /// The folder the files are written to, or nil when there is no cache folder to use.
    let folder: String?

    init(environment: (String) -> String? = Files.environment) {
        let base = environment("XDG_CACHE_HOME").flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? environment("HOME").map { $0 + "/.cache" }
        folder = base.map { "\($0)/regimen/knowledge/\(Self.contentHash)" }
    }

    /// The path of a bundled file (by its source name, `<knowledge>/drugs.regimen`) on disk,
    /// written there first if it is missing or differs; nil for another file or when it cannot be
    /// written.
    func path(of name: String) -> String? {
        guard let folder, name.hasPrefix(Self.prefix),
              let bytes = BundledKnowledge.bundledFiles().first(where: { $0.name == name })?.bytes else { return nil }
        let path = folder + "/" + name.dropFirst(Self.prefix.count)
        if case .bytes(let existing) = SourceReadResult(Files.read(path, maxBytes: bytes.count + 1)), existing == bytes { return path }
        Files.makeFolders(folder)
        do {
            try Files.write(bytes, to: path, options: Files.WriteOptions(replace: true, force: true))
        } catch {
            return nil
        }
        // Read-only: the text is the binary's; an edit there would change nothing the tool reads.
        chmod(path, 0o444)
        return path
    }

    private static let prefix = "<knowledge>/"

    /// FNV-1a over the names and contents of the bundled files, in hexadecimal.
    static let contentHash: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for file in BundledKnowledge.bundledFiles() {
            for byte in Array(file.name.utf8) + [0] + file.bytes {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }()
}
