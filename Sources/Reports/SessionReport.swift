import Foundation
import Rankings

/// Renders the ranked sessions as a terminal table, JSON (the public contract) or CSV.
public enum SessionReport {
    public enum Format: String, CaseIterable, Sendable {
        case table, json, jsonl, csv
    }

    /// `minimumScore` is the score the sessions were asked to reach: an empty table then says so
    /// rather than suggest that detection has not run.
    public static func render(
        _ sessions: [RankedSession], format: Format, width: Int = 120, minimumScore: Int = 0
    )
        -> String
    {
        switch format {
        case .table: table(sessions, width: width, minimumScore: minimumScore)
        case .json: json(sessions)
        case .jsonl: ReportJSONLines.encode(sessions)
        case .csv: csv(sessions)
        }
    }

    /// The JSON contract: an array by rank; key names are stable for scripts.
    public static func json(_ sessions: [RankedSession]) -> String {
        ReportJSON.encode(sessions)
    }

    public static let csvHeader = [
        "rank", "score", "severity", "id", "tenant", "actor", "actor_kind", "mailbox_owners",
        "client_ip", "client",
        "first_seen", "last_seen", "items", "bytes", "detectors", "reasons", "suppressed_reasons", "blind_spots",
    ]

    public static func csv(_ sessions: [RankedSession]) -> String {
        ReportCSV.render(
            header: csvHeader,
            rows: sessions.map { session in
                [
                    String(session.rank), String(session.score), session.severity, session.id, session.tenant,
                    session.actor ?? "", session.actorKind, session.mailboxOwners.joined(separator: ";"),
                    session.clientIP ?? "", session.client ?? "", session.firstSeen, session.lastSeen,
                    String(session.items), String(session.bytes), session.detectors.joined(separator: ";"),
                    session.reasons.joined(separator: " | "), session.suppressedReasons.joined(separator: " | "),
                    session.blindSpots.joined(separator: " | "),
                ]
            })
    }

    /// Rank, score, severity, actor, owners, address, client, window, items and the top reason,
    /// fitted to `width` columns: the client and reason columns give way first.
    public static func table(_ sessions: [RankedSession], width: Int, minimumScore: Int = 0) -> String {
        guard !sessions.isEmpty else {
            return minimumScore > 0
                ? "no suspicious session scores \(minimumScore) or more\n"
                : "no suspicious sessions (run `mailhound detect` after ingesting)\n"
        }
        let table = TextTable(
            columns: [
                .init(header: "#", alignRight: true), .init(header: "SCORE", alignRight: true),
                .init(header: "SEVERITY"), .init(header: "ACTOR", cap: 28), .init(header: "MAILBOXES", cap: 34),
                .init(header: "CLIENT IP"), .init(header: "CLIENT", cap: 24), .init(header: "WINDOW (UTC)"),
                .init(header: "ITEMS", alignRight: true), .init(header: "TOP REASON", cap: 200),
            ],
            shrinkOrder: [9, 6, 4, 3])
        let rows: [[String]] = sessions.map { session in
            let owners = session.mailboxOwners
            let ownerText =
                owners.isEmpty
                ? "-"
                : "\(owners.count): " + owners.prefix(2).joined(separator: ", ")
                    + (owners.count > 2 ? ", …" : "")
            return [
                String(session.rank), String(session.score), session.severity, session.actor ?? "-",
                ownerText,
                session.clientIP ?? "-", session.client ?? "-", window(session), String(session.items),
                session.reasons.first ?? session.suppressedReasons.first ?? "",
            ]
        }
        var output = table.render(rows, width: width)
        if let top = sessions.first,
            top.reasons.count > 1 || !top.webEvidence.isEmpty || !top.suppressedReasons.isEmpty
                || !top.blindSpots.isEmpty
        {
            output += "\nWhy #\(top.rank) (\(SafeText.terminal(top.id))):\n"
            for reason in top.reasons + top.suppressedReasons + top.blindSpots {
                output += "  - " + SafeText.terminal(reason) + "\n"
            }
            for request in top.webEvidence.prefix(5) {
                let line = [
                    request.at, request.method ?? "-", request.url ?? "-", request.status.map(String.init) ?? "-",
                    "[" + request.indicators.joined(separator: ", ") + "]",
                ].joined(separator: " ")
                output += "  web: " + SafeText.terminal(SafeText.truncated(line, to: max(20, width - 7))) + "\n"
            }
        }
        return output
    }

    static func window(_ session: RankedSession) -> String {
        // 2021-03-03T02:10:00Z .. 02:41:00Z: date once, times without seconds.
        let first = session.firstSeen.replacingOccurrences(of: "T", with: " ").dropLast(4)
        let lastTime = session.lastSeen.split(separator: "T").last.map { String($0.prefix(5)) } ?? ""
        let sameDay = session.firstSeen.prefix(10) == session.lastSeen.prefix(10)
        return sameDay ? "\(first)-\(lastTime)" : "\(first) +"
    }
}
