import Rankings

/// Renders the blind spots of the loaded data (`mailhound coverage`).
public enum CoverageReport {
    public static func render(_ windows: [BlindWindow], format: SessionReport.Format, width: Int) -> String {
        switch format {
        case .json: return ReportJSON.encode(windows)
        case .jsonl: return ReportJSONLines.encode(windows)
        case .csv:
            return ReportCSV.render(
                header: ["tenant", "kind", "subject", "starts_at", "ends_at", "detail"],
                rows: windows.map { [$0.tenant, $0.kind, $0.subject, $0.startsAt ?? "", $0.endsAt ?? "", $0.detail] })
        case .table:
            guard !windows.isEmpty else { return "no blind spots found in the loaded data\n" }
            let table = TextTable(
                columns: [
                    .init(header: "KIND"), .init(header: "SUBJECT", cap: 48), .init(header: "FROM (UTC)"),
                    .init(header: "UNTIL (UTC)"), .init(header: "DETAIL", cap: 120),
                ],
                shrinkOrder: [4, 1])
            let counts = Dictionary(grouping: windows, by: \.kind).map { "\($0.value.count) \($0.key)" }.sorted()
            return table.render(
                windows.map { [$0.kind, $0.subject, $0.startsAt ?? "all data", $0.endsAt ?? "-", $0.detail] },
                width: width) + "\n" + counts.joined(separator: ", ") + "\n"
        }
    }
}
