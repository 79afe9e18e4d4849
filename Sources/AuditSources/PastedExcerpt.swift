/// Lines that are not records but the marks people leave when they paste log lines into a ticket
/// or a report: separator rules (`-----`, `=====`, `*****`) and placeholders for cut text (`...`,
/// `[snip]`). A reader quarantines each such line with this reason and reads on; format detection
/// looks past them to the first record.
enum PastedExcerpt {
    static let reason = "separator or placeholder line (a pasted excerpt), not a record"

    static func isNoise<Text: StringProtocol>(_ line: Text) -> Bool {
        let text = line.trimming(" \t\r\u{FEFF}")
        guard !text.isEmpty else { return false }
        if text.count >= 3, let first = text.first, "-=_*~+#".contains(first), text.allSatisfy({ $0 == first }) {
            return true
        }
        let placeholder = text.lowercased().trimming("[]()<> ")
        return ["...", "…", "snip", "snipped", "truncated", "redacted", "omitted", "cut", "more lines"].contains(
            placeholder) || placeholder.allSatisfy { $0 == "." || $0 == "…" }
    }
}
