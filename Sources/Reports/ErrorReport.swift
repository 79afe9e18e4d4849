import Foundation
import Rankings

/// Renders quarantined records (`mailhound errors`): file:line, reason and the start of the raw text.
public enum ErrorReport {
    public static func render(_ entries: [QuarantineEntry], format: SessionReport.Format, width: Int) -> String {
        switch format {
        case .table:
            guard !entries.isEmpty else { return "no quarantined records\n" }
            return entries.map { entry in
                let place = SafeText.terminal("\(entry.file):\(entry.line)")
                let head = place + ": " + SafeText.terminal(entry.reason)
                let raw = SafeText.truncated(SafeText.terminal(entry.raw), to: max(20, width - 4))
                return head + "\n    " + raw
            }.joined(separator: "\n") + "\n"
        case .json:
            return ReportJSON.encode(entries)
        case .jsonl:
            return ReportJSONLines.encode(entries)
        case .csv:
            return ReportCSV.render(
                header: ["tenant", "file", "line", "offset", "reason", "raw", "quarantined_at"],
                rows: entries.map { entry in
                    [
                        entry.tenant, entry.file, String(entry.line), String(entry.offset), entry.reason, entry.raw,
                        entry.quarantinedAt,
                    ]
                })
        }
    }
}
