/// The bundled knowledge base, built ahead of time: the result of lexing, parsing and building
/// the knowledge files, stored as bytes in `knowledge.image` and compiled into the binary beside
/// the files themselves. Reading it takes a fraction of the time parsing the files does, which
/// is most of a `regimen check` process's start-up.
///
/// The image begins with a fingerprint of the knowledge files it was built from. It is used only
/// when that fingerprint matches the files compiled in; otherwise (a knowledge file edited and the
/// image not rebuilt) the files are parsed, so the tool never answers from stale knowledge.
/// `KnowledgeImageTests` fails while the image is stale; `UPDATE_GOLDEN=1 swift test --filter
/// KnowledgeImageTests` rebuilds it.
enum KnowledgeImage {
    /// "RGKB" and the format's version: a change to how any value is written raises the version.
    static let magic: [UInt8] = Array("RGKB".utf8) + [2]
    static let headerSize = magic.count + 8

    /// The image of `knowledge`, built from `files`.
    static func encode(_ knowledge: KnowledgeBase, builtFrom files: [(name: String, bytes: [UInt8])]) -> [UInt8] {
        var writer = ImageWriter()
        writer.write(knowledge.substances)
        writer.write(knowledge.conditions)
        writer.write(knowledge.products)
        writer.write(knowledge.interactions)
        writer.write(knowledge.conditionRules)
        writer.write(knowledge.advice)
        writer.write(knowledge.names)
        writer.write(knowledge.conditionNames)
        writer.write(knowledge.longestName)
        writer.write(knowledge.labs)
        var fingerprint = fingerprint(of: files).littleEndian
        return magic + withUnsafeBytes(of: &fingerprint, Array.init) + writer.finished()
    }

    /// The knowledge base in `image`, or why it cannot be used for `files`.
    static func decode(_ image: [UInt8], for files: [(name: String, bytes: [UInt8])]) -> Result<KnowledgeBase, ImageError> {
        guard image.count >= headerSize, Array(image[0..<magic.count]) == magic else {
            return .failure(ImageError("not a knowledge image of this version"))
        }
        var stored: UInt64 = 0
        for (shift, byte) in image[magic.count..<headerSize].enumerated() { stored |= UInt64(byte) << (8 * UInt64(shift)) }
        guard stored == fingerprint(of: files) else { return .failure(ImageError("built from other knowledge files")) }
        return image.withUnsafeBytes { bytes in
            do throws(ImageError) {
                var reader = try ImageReader(bytes, from: headerSize)
                var knowledge = KnowledgeBase()
                knowledge.substances = try reader.read()
                knowledge.conditions = try reader.read()
                knowledge.products = try reader.read()
                knowledge.interactions = try reader.read()
                knowledge.conditionRules = try reader.read()
                knowledge.advice = try reader.read()
                knowledge.names = try reader.read()
                knowledge.conditionNames = try reader.read()
                knowledge.longestName = try reader.read()
                knowledge.labs = try reader.read()
                guard reader.atEnd else { throw ImageError("bytes are left after the knowledge base") }
                return .success(knowledge)
            } catch {
                return .failure(error)
            }
        }
    }

    /// A 64-bit digest of the files' names and bytes, eight bytes at a time (a multiply and a
    /// rotate per word). It tells whether the image was built from these files; it need not
    /// withstand an attacker, who could as well edit the binary.
    static func fingerprint(of files: [(name: String, bytes: [UInt8])]) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        func mix(_ word: UInt64) {
            hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
            hash = (hash << 29) | (hash >> 35)
        }
        func mix(_ bytes: UnsafeRawBufferPointer) {
            var offset = 0
            while offset + 8 <= bytes.count {
                mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                offset += 8
            }
            var last: UInt64 = 0
            for index in offset..<bytes.count { last |= UInt64(bytes[index]) << (8 * UInt64(index - offset)) }
            mix(last)
            mix(UInt64(bytes.count))
        }
        for file in files {
            var name = file.name
            name.withUTF8 { mix(UnsafeRawBufferPointer($0)) }
            file.bytes.withUnsafeBytes { mix($0) }
        }
        return hash
    }
}
