import Foundation

/// Text from log data made safe for the places it is shown.
public enum SafeText {
    /// For a terminal: control characters (C0, DEL, C1, including ESC), line and paragraph
    /// separators, and bidi overrides and isolates become `\u{…}` escapes, so log data cannot move
    /// the cursor, recolour or retitle the terminal, or reorder a line.
    public static func terminal(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isHostile(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// For JSON that a person may `cat`: what JSONEncoder leaves raw (DEL, C1 controls, line and
    /// paragraph separators, bidi overrides and isolates) becomes a `\uXXXX` escape, which every
    /// JSON reader turns back into the same text. Such characters occur only inside strings.
    public static func json(_ encoded: String) -> String {
        guard encoded.unicodeScalars.contains(where: isHostile) else { return encoded }
        var result = ""
        result.unicodeScalars.reserveCapacity(encoded.unicodeScalars.count)
        for scalar in encoded.unicodeScalars {
            if scalar.value >= 0x20, isHostile(scalar) {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Control characters (C0, DEL, C1), line and paragraph separators, bidi overrides and isolates.
    private static func isHostile(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// For a CSV cell opened in a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or CR would make a
    /// formula, so such cells get a leading `'` (OWASP's advice); then RFC 4180 quoting.
    /// Control characters are escaped as for the terminal: CSV output is often read on one.
    public static func csvCell(_ text: String) -> String {
        var cell =
            text.unicodeScalars.first.map { ["\t", "\r"].contains($0) } == true ? "'" + text : text
        cell = terminal(cell)
        if let first = cell.unicodeScalars.first, ["=", "+", "-", "@"].contains(first) {
            cell = "'" + cell
        }
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }

    /// For HTML text and attribute values: markup characters become entities, and control and
    /// direction-changing characters the visible escapes the terminal gets, so log data can neither
    /// add markup nor reorder what a reader sees.
    public static func html(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in terminal(text).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Cuts to `width` characters, marking the cut with `…`.
    public static func truncated(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        return String(text.prefix(max(0, width - 1))) + "…"
    }
}
