import Rankings

/// Renders the allow-list (`mailhound allow list`).
public enum AllowListReport {
    public static func render(_ entries: [AllowListEntry], format: SessionReport.Format, width: Int) -> String {
        let rows = entries.map { entry in
            [
                String(entry.id), entry.tenant, entry.actor ?? "", entry.appID ?? "", entry.clientNetwork ?? "",
                entry.detector ?? "", entry.expiresAt ?? "", String(entry.suppresses), entry.reason,
            ]
        }
        switch format {
        case .json: return ReportJSON.encode(entries)
        case .jsonl: return ReportJSONLines.encode(entries)
        case .csv:
            return ReportCSV.render(
                header: [
                    "id", "tenant", "actor", "app_id", "client_network", "detector", "expires_at", "suppresses",
                    "reason",
                ], rows: rows)
        case .table:
            guard !entries.isEmpty else { return "the allow-list is empty (add entries with `mailhound allow add`)\n" }
            let table = TextTable(
                columns: [
                    .init(header: "ID", alignRight: true), .init(header: "TENANT", cap: 20),
                    .init(header: "ACTOR", cap: 32), .init(header: "APP ID", cap: 36), .init(header: "NETWORK"),
                    .init(header: "DETECTOR"), .init(header: "EXPIRES (UTC)"),
                    .init(header: "SUPPRESSES", alignRight: true), .init(header: "REASON", cap: 200),
                ],
                shrinkOrder: [8, 1, 3, 2])
            return table.render(
                zip(entries, rows).map { entry, row in
                    row.enumerated().map { column, cell in
                        switch (column, cell.isEmpty) {
                        case (6, true): "never"
                        case (6, false): entry.expired ? cell + " (expired)" : cell
                        case (_, true): "*"
                        case (_, false): cell
                        }
                    }
                }, width: width)
        }
    }
}
