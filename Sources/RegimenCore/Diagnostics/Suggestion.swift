/// "did you mean `x`?" for a candidate that is a plausible typo of `word`, or nil.
func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
    closestMatch(to: word, among: candidates).map { "did you mean `\($0)`?" }
}

/// The candidate that `word` is most plausibly a typo of, or nil when none is safe to offer.
///
/// A clinician who types an unknown name must never be offered a different medicine: look-alike
/// and sound-alike substitutions are a known cause of harm (ISMP's list of confused drug names).
/// So a suggestion must look like a slip of the fingers on the same name, and is refused when
/// - the word is short (under four letters: `a` and `d`, `im` and `in` are different things);
/// - it is more than one edit away (two for words of twelve letters or more, each word of a name
///   counted on its own), counting a swap of neighbours as one edit: `prednisone` is not offered
///   `prednisolone`, nor `novolog` `novolin`, nor `folinic acid` `folic acid`;
/// - the first letter differs (the prefix variants es-, levo-, dex- and most sound-alikes:
///   `esomeprazole`/`omeprazole`, `ofloxacin`/`levofloxacin`, `torsemide`/`furosemide`);
/// - the numbers differ (`vitamin b6`/`vitamin b12`, `vitamin d2`/`vitamin d3`, `omega-3`/`omega-6`);
/// - a differing word is a designator, a single letter or a short code with a digit
///   (`vitamin a`/`vitamin d`, `vitamin d2`/`vitamin k2`);
/// - both share a drug-class stem and differ before it by more than one edit (two members of
///   one class: -prazole, -floxacin, -tegravir, …).
func closestMatch(to word: String, among candidates: some Sequence<String>) -> String? {
    let typed = Array(word.lowercased().unicodeScalars)
    guard typed.count >= 4 else { return nil }
    let limit = typed.count >= 12 ? 2 : 1
    var best: (String, Int)?
    for candidate in candidates {
        let other = Array(candidate.lowercased().unicodeScalars)
        // The word itself is no suggestion (`then` is a clause word but starts no clause here).
        guard other != typed, other.first == typed.first else { continue }
        let distance = typoDistance(typed, other, limit: limit)
        guard distance <= limit, LookAlike.mayConfuse(typed, other, distance: distance) == false else { continue }
        if distance < (best?.1 ?? Int.max) || (distance == best?.1 && candidate < best!.0) {
            best = (candidate, distance)
        }
    }
    return best?.0
}

/// The rules that tell a typo of one name from a different name.
enum LookAlike {
    /// Drug-class stems (USAN/INN stem lists): two names ending in one stem are different members
    /// of a class unless they differ by a single slip.
    static let stems = [
        "prazole", "floxacin", "oxacin", "tegravir", "gravir", "semide", "thiazide", "olol", "pril", "sartan",
        "statin", "dipine", "cycline", "mycin", "micin", "azepam", "azolam", "tidine", "gliptin", "gliflozin",
        "glitazone", "parin", "xaban", "gatran", "dronate", "triptan", "setron", "profen", "conazole", "navir",
        "previr", "buvir", "mab", "tinib", "platin", "taxel", "thyronine", "thyroxine", "pramine", "triptyline",
        "oxetine", "azine", "idone", "codone", "morphone", "sone", "solone", "asone",
    ]

    /// True when `typed` and `candidate` (already within the edit limit) are likely two different things.
    static func mayConfuse(_ typed: [Unicode.Scalar], _ candidate: [Unicode.Scalar], distance: Int) -> Bool {
        if numbers(in: typed) != numbers(in: candidate) { return true }
        let typedWords = words(typed), candidateWords = words(candidate)
        if typedWords.count == candidateWords.count {
            for (a, b) in zip(typedWords, candidateWords) where a != b {
                // Slips happen within a word: two edits in one short word make another word
                // (`folinic acid`/`folic acid`), and a designator that differs is another thing.
                if isDesignator(a) || isDesignator(b) { return true }
                if editDistance(a, b, limit: 2) > (a.count >= 12 ? 2 : 1) { return true }
            }
        }
        if distance > 1 {
            let a = String(String.UnicodeScalarView(typed)), b = String(String.UnicodeScalarView(candidate))
            if stems.contains(where: { a.hasSuffix($0) && b.hasSuffix($0) }) { return true }
        }
        return false
    }

    /// The runs of digits, in order: `vitamin b12` → ["12"].
    static func numbers(in scalars: [Unicode.Scalar]) -> [String] {
        var runs: [String] = [], current = ""
        for scalar in scalars {
            if ("0"..."9").contains(scalar) { current.unicodeScalars.append(scalar) } else if !current.isEmpty {
                runs.append(current)
                current = ""
            }
        }
        return current.isEmpty ? runs : runs + [current]
    }

    static func words(_ scalars: [Unicode.Scalar]) -> [String] {
        String(String.UnicodeScalarView(scalars)).split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
    }

    /// A single letter, or a short code with a digit: the part of a name that says which one it is.
    static func isDesignator(_ word: String) -> Bool {
        word.count == 1 || (word.count <= 3 && word.contains(where: \.isNumber))
    }
}

/// Edit distance where a swap of neighbouring letters counts as one edit (optimal string
/// alignment), giving up once every path exceeds `limit`.
func typoDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var row = previous
    for i in 1...a.count {
        row[0] = i
        var rowMin = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var best = min(previous[j - 1] + cost, previous[j] + 1, row[j - 1] + 1)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { best = min(best, before[j - 2] + 1) }
            row[j] = best
            rowMin = min(rowMin, best)
        }
        if rowMin > limit { return limit + 1 }
        (before, previous) = (previous, row)
    }
    return previous[b.count]
}

/// Levenshtein distance with an early exit past `limit`, for callers that compare plain strings.
func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
    typoDistance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: limit)
}
