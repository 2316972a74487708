/// Regimen source from FHIR R4 medication resources, so a plan can start from a records
/// system's export: a bare MedicationRequest, MedicationStatement, MedicationAdministration or
/// MedicationDispense, a Bundle of any type, or an NDJSON bulk export. Patient, Condition and
/// Observation resources fill the patient block (laboratory results by LOINC code, then by name);
/// a contained or referenced Medication with a strength for each of its ingredients becomes a product.
///
/// Every string from FHIR is data, never source: names become plain words or are declared,
/// notes are escaped string literals, and free text is never pasted in as a clause. What has no
/// Regimen form is kept in a `note` and reported as a warning; a resource that is not an active
/// order is imported as a comment and said so; nothing is dropped silently, and no dose or
/// frequency is guessed.
public enum FHIRImport {
    public struct Failure: Error, Sendable {
        public let message: String
    }

    /// The imported plan, and what could not be carried over faithfully.
    public struct Imported: Sendable {
        public var source: String
        /// Said on standard error: each names the resource and what was not represented.
        public var warnings: [String]
        /// How many medication resources became plan items.
        public var items: Int
    }

    /// Most resources read from one file: a larger export is split before importing.
    public static let maxResources = 10_000

    /// Kept for callers that want only the source text.
    public static func source(fromBundle data: [UInt8], today: CivilDate? = nil) -> Result<String, Failure> {
        read(data, today: today).map(\.source)
    }

    /// Reads a FHIR JSON file (a resource, a Bundle or NDJSON) into Regimen source. `today` is the
    /// day the plan will be checked on: a patient fact it would refuse (a result dated after it) is
    /// said and left out; without it, no date counts as after today.
    public static func read(_ data: [UInt8], today: CivilDate? = nil) -> Result<Imported, Failure> {
        let resources: [JSON]
        switch parseResources(data) {
        case .success(let found): resources = found
        case .failure(let failure): return .failure(failure)
        }
        var importer = Importer(resources: resources, fullUrls: fullUrls(data, count: resources.count), today: today)
        return importer.run()
    }

    /// Each resource's fullUrl, in the order parseResources returns them (a Bundle's entries with a
    /// resource); nil for a resource without one, and for a file that is not a Bundle.
    static func fullUrls(_ data: [UInt8], count: Int) -> [String?] {
        guard let object = JSON(parsing: data), object["resourceType"]?.string == "Bundle" else { return Array(repeating: nil, count: count) }
        let urls = (object["entry"]?.array ?? []).filter { $0["resource"] != nil }.map { $0["fullUrl"]?.string }
        return urls.count == count ? urls : Array(repeating: nil, count: count)
    }

    /// The resources of the file: the entries of a Bundle, one resource, or one per NDJSON line.
    static func parseResources(_ data: [UInt8]) -> Result<[JSON], Failure> {
        if let object = JSON(parsing: data) {
            if let path = duplicateKey(in: object, path: "$") {
                return .failure(Failure(message: "the JSON repeats the key at \(path); FHIR resources have each key once"))
            }
            guard case .object = object, let type = object["resourceType"]?.string else {
                return .failure(Failure(message: "the JSON is not a FHIR resource (it has no resourceType)"))
            }
            if type == "Bundle" {
                let entries = object["entry"]?.array ?? []
                guard entries.count <= maxResources else {
                    return .failure(Failure(message: "the Bundle has \(entries.count) entries; at most \(maxResources) are read at once: split it"))
                }
                return .success(entries.compactMap { $0["resource"] })
            }
            return .success([object])
        }
        if nestingDepth(data) > 256 {
            return .failure(Failure(message: "the JSON nests deeper than 256 levels, which no FHIR resource does; it is not read"))
        }
        // NDJSON: one resource on each line.
        var resources: [JSON] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            let bytes = Array(line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
            guard !bytes.isEmpty, !(bytes.count == 1 && bytes[0] == 0x0D) else { continue }
            guard let object = JSON(parsing: bytes.last == 0x0D ? Array(bytes.dropLast()) : bytes), case .object = object else {
                return .failure(Failure(message: number == 0 ? "the file is not JSON" : "line \(number + 1) of the NDJSON file is not a JSON object"))
            }
            if let path = duplicateKey(in: object, path: "line \(number + 1): $") {
                return .failure(Failure(message: "the JSON repeats the key at \(path); FHIR resources have each key once"))
            }
            resources.append(object)
            guard resources.count <= maxResources else {
                return .failure(Failure(message: "the file has more than \(maxResources) resources; at most \(maxResources) are read at once: split it"))
            }
        }
        guard !resources.isEmpty else { return .failure(Failure(message: "the file is not JSON")) }
        return .success(resources)
    }

    /// How deep brackets nest outside strings: the reader refuses more than 256 levels, and the
    /// message should say that rather than that the file is not JSON.
    static func nestingDepth(_ data: [UInt8]) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// The path of the first object key that appears twice, if any (JSON allows it; FHIR does not).
    static func duplicateKey(in value: JSON, path: String) -> String? {
        switch value {
        case .object(let fields):
            var seen = Set<String>()
            for (key, child) in fields {
                guard seen.insert(key).inserted else { return "\(path).\(key)" }
                if let found = duplicateKey(in: child, path: "\(path).\(key)") { return found }
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = duplicateKey(in: item, path: "\(path)[\(index)]") { return found }
            }
        default:
            break
        }
        return nil
    }
}

/// Writing Regimen source from outside text: only plain words stand bare, everything else is
/// an escaped string literal, so nothing from a FHIR file can become a clause or a statement.
enum RegimenText {
    /// A string literal: quotes and backslashes escaped, line ends as `\n`, other control characters dropped.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): continue
            // Bidirectional controls could make a read-back show what it does not say.
            case _ where (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The text as the words of a Regimen name (lower case letters, digits, hyphens and
    /// apostrophes inside words), or nil when it holds anything else.
    static func words(_ text: String) -> String? {
        let words = text.lowercased().split(whereSeparator: { $0 == " " }).map(String.init)
        guard !words.isEmpty, words.count <= 8 else { return nil }
        for word in words {
            guard let first = word.unicodeScalars.first, ("a"..."z").contains(first),
                  word.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "'" }),
                  word.last != "-" else { return nil }
        }
        return words.joined(separator: " ")
    }
}
