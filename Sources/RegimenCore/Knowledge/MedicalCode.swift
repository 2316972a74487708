/// A code of a substance, drug, condition or laboratory result in a public code system, with the table it was
/// taken from: `code rxnorm "2551", source "CPIC drug table"`. The knowledge base holds only codes
/// read from a source; the export codes a medication or condition with them, the import matches them.
public struct MedicalCode: Sendable, Equatable {
    public enum System: String, Sendable, CaseIterable {
        case rxnorm, atc, snomed, loinc

        /// The code system's canonical URI in FHIR (http://hl7.org/fhir/R4/terminologies-systems.html).
        public var uri: String {
            switch self {
            case .rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm"
            case .atc: "http://www.whocc.no/atc"
            case .snomed: "http://snomed.info/sct"
            case .loinc: "http://loinc.org"
            }
        }

        public var title: String {
            switch self {
            case .rxnorm: "RxNorm"
            case .atc: "ATC"
            case .snomed: "SNOMED CT"
            case .loinc: "LOINC"
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
    /// whose partition (the two before it) names a concept; a LOINC code is digits, a hyphen and its Mod 10
    /// check digit. A typing slip in a code is caught here.
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
        case .loinc:
            let parts = code.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, (1...7).contains(parts[0].count), parts[1].count == 1,
                  code.allSatisfy({ $0 == "-" || ($0.isASCII && $0.isNumber) }) else {
                return "a LOINC code is up to 7 digits, a hyphen and one check digit (2823-3)"
            }
            return loincCheckDigit(String(parts[0])) == parts[1].first?.wholeNumberValue ? nil
                : "the digit after the hyphen of \(code) is not its Mod 10 check digit: the code is mistyped"
        }
    }

    /// LOINC's Mod 10 check digit of the digits before the hyphen (LOINC Users' Guide, appendix C,
    /// "Calculating Mod 10 Check Digits"): the digits in odd places counted from the right, written in
    /// that order as one number and doubled (12345: 531 × 2 = 1062), and the digits in even places
    /// (42); the check digit brings the sum of all those digits (4+2+1+0+6+2 = 15) up to the next
    /// multiple of ten (5).
    static func loincCheckDigit(_ body: String) -> Int? {
        let digits = body.reversed().compactMap(\.wholeNumberValue)
        guard digits.count == body.count, !digits.isEmpty else { return nil }
        // The odd places as one number (at most 4 digits: a body has at most 7).
        let odd = digits.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).reduce(0) { $0 * 10 + $1 } * 2
        let even = digits.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let sum = String(odd).compactMap(\.wholeNumberValue).reduce(0, +) + even.reduce(0, +)
        return (10 - sum % 10) % 10
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
