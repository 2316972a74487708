/// Text from a plan (names, notes, rule texts, file paths), made safe to show on a terminal: every
/// control character (C0, DEL, C1) and every Unicode bidirectional control is shown visibly as
/// `\u{1B}`, `\u{202E}`, so a plan cannot move the cursor, recolour the screen, retitle the
/// window or reorder what the reader sees (the "Trojan Source" attack). The one escaping
/// function for every text output: diagnostics, `show`, the table, the REPL, messages.
public enum Printable {
    /// True for a scalar that must not reach a terminal as itself.
    public static func isHostile(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidi marks, embeddings, overrides and isolates; line and paragraph separators.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }

    /// True for a bidirectional control, which reorders the text around it when displayed.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The text with each hostile scalar written as `\u{XX}`; with `keepingLines`, line feeds stay
    /// (for text that is several lines by design, such as a session's source).
    public static func escaped(_ text: String, keepingLines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isHostile) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isHostile(scalar) && !(keepingLines && scalar == "\n") {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// True when the text holds a scalar `escaped` would rewrite.
    public static func needsEscaping(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isHostile)
    }
}
