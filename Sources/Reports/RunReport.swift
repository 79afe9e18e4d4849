import Rankings

/// Renders the recorded detection runs (`mailhound runs`).
public enum RunReport {
    public static func render(_ runs: [DetectionRun], format: SessionReport.Format, width: Int) -> String {
        switch format {
        case .json: return ReportJSON.encode(runs)
        case .jsonl: return ReportJSONLines.encode(runs)
        case .csv:
            return ReportCSV.render(
                header: [
                    "id", "mode", "status", "started_at", "seconds", "window_from", "window_until", "data_from",
                    "data_until", "events", "sessions", "sessions_rebuilt", "judged_from", "findings", "detectors",
                ],
                rows: runs.map { run in
                    [
                        String(run.id), run.mode, run.status, run.startedAt, run.seconds.map { String($0) } ?? "",
                        run.windowFrom ?? "", run.windowUntil ?? "", run.dataFrom ?? "", run.dataUntil ?? "",
                        number(run.events), number(run.sessions), number(run.sessionsRebuilt), run.judgedFrom ?? "",
                        number(run.findings), String(run.detectors),
                    ]
                })
        case .table:
            guard !runs.isEmpty else { return "no detection runs yet (run `mailhound detect`)\n" }
            let table = TextTable(
                columns: [
                    .init(header: "RUN", alignRight: true), .init(header: "MODE"), .init(header: "STATUS"),
                    .init(header: "STARTED (UTC)"), .init(header: "SECONDS", alignRight: true),
                    .init(header: "WINDOW", cap: 44), .init(header: "EVENTS", alignRight: true),
                    .init(header: "SESSIONS", alignRight: true), .init(header: "REBUILT", alignRight: true),
                    .init(header: "JUDGED FROM"), .init(header: "FINDINGS", alignRight: true),
                ],
                shrinkOrder: [5])
            return table.render(
                runs.map { run in
                    [
                        String(run.id), run.mode, run.status, run.startedAt, run.seconds.map { String($0) } ?? "-",
                        run.windowFrom == nil && run.windowUntil == nil
                            ? "all" : "\(run.windowFrom ?? "…") .. \(run.windowUntil ?? "…")",
                        number(run.events), number(run.sessions), number(run.sessionsRebuilt), run.judgedFrom ?? "",
                        number(run.findings),
                    ]
                }, width: width)
        }
    }

    private static func number(_ value: Int?) -> String { value.map(String.init) ?? "" }
}
