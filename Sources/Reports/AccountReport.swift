import Foundation
import Rankings

/// Renders the ranked accounts (`mailhound accounts`) as a table, JSON or CSV.
public enum AccountReport {
    public static func render(_ accounts: [RankedAccount], format: SessionReport.Format, width: Int) -> String {
        switch format {
        case .table: table(accounts, width: width)
        case .json: ReportJSON.encode(accounts)
        case .jsonl: ReportJSONLines.encode(accounts)
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
        let table = TextTable(
            columns: [
                .init(header: "#", alignRight: true), .init(header: "SCORE", alignRight: true),
                .init(header: "SEVERITY"), .init(header: "ACCOUNT", cap: 40),
                .init(header: "SESSIONS", alignRight: true), .init(header: "STRONGEST REASON", cap: 200),
            ],
            shrinkOrder: [5, 3])
        return table.render(
            accounts.map { account in
                [
                    String(account.rank), String(account.score), account.severity, account.account,
                    String(account.sessions), account.reasons.first ?? "",
                ]
            }, width: width)
    }
}
