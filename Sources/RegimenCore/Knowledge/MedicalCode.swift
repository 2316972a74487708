/// A code of a substance, drug or condition in a public code system, with the table it was
/// taken from: `code rxnorm "2551", source "CPIC drug table"`. The knowledge base holds only codes
/// read from a source; the export codes a medication or condition with them, the import matches them.
public struct MedicalCode: Sendable, Equatable {
    public enum System: String, Sendable, CaseIterable {
        case rxnorm, atc, snomed

        /// The code system's canonical URI in FHIR (http://hl7.org/fhir/R4/terminologies-systems.html).
        public var uri: String {
            switch self {
            case .rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm"
            case .atc: "http://www.whocc.no/atc"
            case .snomed: "http://snomed.info/sct"
            }
        }

        public var title: String {
            switch self {
            case .rxnorm: "RxNorm"
            case .atc: "ATC"
            case .snomed: "SNOMED CT"
            }
        }

        public init?(uri: String) {
            guard let system = Self.allCases.first(where: { $0.uri == uri }) else { return nil }
            self = system
        }
    }

    public var system: System
    public var code: String
    public var source: String

    /// Why `code` cannot be a code of `system`, or nil when its form is right: an RxNorm concept id is
    /// digits; an ATC code is a letter, two digits, two letters and two digits at its fifth level (or a
    /// shorter level); a SNOMED CT concept id is 6 to 18 digits whose last is its Verhoeff check digit and
    /// whose partition (the two before it) names a concept. A typing slip in a code is caught here.
    public static func problem(_ code: String, in system: System) -> String? {
        let digits = code.allSatisfy { $0.isASCII && $0.isNumber }
        switch system {
        case .rxnorm:
            return digits && !code.isEmpty && code.count <= 9 && code.first != "0" ? nil : "an RxNorm concept id is 1 to 9 digits"
        case .atc:
            let pattern: [Character] = Array("LDDLLDD")
            let levels = [1, 3, 4, 5, 7]
            let fits = levels.contains(code.count) && zip(code, pattern).allSatisfy { character, kind in
                kind == "L" ? ("A"..."Z").contains(character) : (character.isASCII && character.isNumber)
            }
            return fits ? nil : "an ATC code is a capital letter, two digits, two capitals and two digits (J01MA02), or a shorter level of it"
        case .snomed:
            guard digits, (6...18).contains(code.count), code.first != "0" else { return "a SNOMED CT concept id is 6 to 18 digits" }
            let partition = code.dropLast().suffix(2)
            guard partition == "00" || partition == "10" else { return "a SNOMED CT concept id has partition 00 or 10 (the two digits before the last)" }
            return verhoeffValid(code) ? nil : "the last digit of \(code) is not its Verhoeff check digit: the code is mistyped"
        }
    }

    /// The Verhoeff check (SNOMED CT's check digit, SNOMED CT Technical Implementation Guide, "Check-digit computation").
    static func verhoeffValid(_ number: String) -> Bool {
        let multiplication: [[Int]] = [
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
            [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
            [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
            [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
        ]
        let permutation: [[Int]] = [
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
            [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
            [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
        ]
        var check = 0
        for (position, character) in number.reversed().enumerated() {
            guard let digit = character.wholeNumberValue else { return false }
            check = multiplication[check][permutation[position % 8][digit]]
        }
        return check == 0
    }
}
