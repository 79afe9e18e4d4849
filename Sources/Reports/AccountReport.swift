import Detection
import Foundation

/// Renders the ranked accounts (`mailhound accounts`) as a table, JSON or CSV.
public enum AccountReport {
    public static func render(_ accounts: [RankedAccount], format: SessionReport.Format, width: Int) -> String {
        switch format {
        case .table: table(accounts, width: width)
        case .json: ReportJSON.encode(accounts)
        case .csv: csv(accounts)
        }
    }

    static func csv(_ accounts: [RankedAccount]) -> String {
        ReportCSV.render(
            header: ["rank", "score", "severity", "role", "tenant", "account", "sessions", "detectors", "reasons"],
            rows: accounts.map { account in
                [
                    String(account.rank), String(account.score), account.severity, account.role.rawValue,
                    account.tenant, account.account, String(account.sessions),
                    account.detectors.joined(separator: ";"), account.reasons.joined(separator: " | "),
                ]
            })
    }

    static func table(_ accounts: [RankedAccount], width: Int) -> String {
        guard !accounts.isEmpty else { return "no accounts with findings (run `mailhound detect` after ingesting)\n" }
        let accountWidth = min(40, accounts.map { SafeText.terminal($0.account).count }.max() ?? 7)
        let fixed = 4 + 2 + 5 + 2 + 8 + 2 + accountWidth + 2 + 8 + 2
        let reasonWidth = max(10, width - fixed)
        let pad = { (text: String, width: Int) in
            let cut = SafeText.truncated(text, to: width)
            return cut + String(repeating: " ", count: max(0, width - cut.count))
        }
        let header =
            [pad("#", 4), pad("SCORE", 5), pad("SEVERITY", 8), pad("ACCOUNT", accountWidth), pad("SESSIONS", 8)]
            .joined(separator: "  ") + "  STRONGEST REASON"
        let lines = accounts.map { account in
            [
                pad(String(account.rank), 4), pad(String(account.score), 5), pad(account.severity, 8),
                pad(SafeText.terminal(account.account), accountWidth), pad(String(account.sessions), 8),
                SafeText.truncated(SafeText.terminal(account.reasons.first ?? ""), to: reasonWidth),
            ].joined(separator: "  ")
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }
}
