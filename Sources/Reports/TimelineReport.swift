import Rankings

/// Renders one session (`mailhound session ID`): header, findings with their evidence, then the
/// timeline. JSON carries the same three parts.
public enum TimelineReport {
    public static func render(_ timeline: SessionTimeline, format: SessionReport.Format, width: Int) -> String {
        switch format {
        case .json: ReportJSON.encode(timeline)
        case .jsonl: ReportJSONLines.encode([timeline])
        case .csv: csv(timeline)
        case .table: text(timeline, width: width)
        }
    }

    static func text(_ timeline: SessionTimeline, width: Int) -> String {
        let session = timeline.session
        let safe = SafeText.terminal
        var output = "Session \(safe(session.id))"
        if let rank = session.rank, let score = session.score, let severity = session.severity {
            output += "  rank \(rank), score \(score), \(severity)"
        } else {
            output += "  (not ranked: no unsuppressed finding)"
        }
        output += "\n"
        // Every client only where there is more than the most common one: a second client in one
        // sign-in is what a replayed cookie brings.
        let clients = session.clients ?? []
        let facts: [(String, String)] =
            [
                ("actor", "\(session.actor ?? "-") (\(session.actorKind))"),
                ("window", "\(session.firstSeen) .. \(session.lastSeen)"),
                ("client", session.client ?? "-"),
            ]
            + (clients.count > 1 ? [("clients", "\(clients.count): " + clients.joined(separator: ", "))] : [])
            + [
                ("addresses", session.clientIPs.joined(separator: ", ")),
                ("mailboxes", "\(session.mailboxOwners.count): " + session.mailboxOwners.joined(separator: ", ")),
                ("volume", "\(session.events) records, \(session.items) items, \(session.bytes) bytes"),
            ]
        for (label, value) in facts {
            output +=
                "  " + label.padding(toLength: 10, withPad: " ", startingAt: 0)
                + SafeText.truncated(safe(value), to: max(20, width - 12)) + "\n"
        }
        output += "\nFindings:\n"
        if timeline.findings.isEmpty { output += "  none\n" }
        for finding in timeline.findings {
            let status = finding.suppressedBy.map { " [suppressed by allow-list entry \($0)]" } ?? ""
            output += "  \(finding.points) \(safe(finding.detector))\(status): \(safe(finding.reason))\n"
            output += "      " + SafeText.truncated(safe(finding.evidence.summary), to: max(20, width - 6)) + "\n"
        }
        output += "\nTimeline (UTC):\n"
        let table = TextTable(
            columns: [
                .init(header: "TIME"), .init(header: "KIND"), .init(header: "OPERATION", cap: 40),
                .init(header: "ACTOR", cap: 30), .init(header: "MAILBOX", cap: 30), .init(header: "CLIENT IP"),
                .init(header: "ITEMS", alignRight: true), .init(header: "DETAIL", cap: 200),
            ],
            shrinkOrder: [7, 4, 3, 2])
        output += table.render(
            timeline.timeline.map { entry in
                [
                    entry.at, entry.inSession ? entry.kind : "(" + entry.kind + ")", entry.operation,
                    entry.actor ?? "-",
                    entry.mailbox ?? "-", entry.clientIP ?? "-", String(entry.items), entry.detail ?? "",
                ]
            }, width: width)
        if timeline.omitted > 0 {
            output += "… \(timeline.omitted) more entries (use --limit 0 for all)\n"
        }
        return output
    }

    static func csv(_ timeline: SessionTimeline) -> String {
        ReportCSV.render(
            header: [
                "at", "kind", "in_session", "operation", "actor", "mailbox", "client_ip", "items", "detail", "file",
                "line",
            ],
            rows: timeline.timeline.map { entry in
                [
                    entry.at, entry.kind, String(entry.inSession), entry.operation, entry.actor ?? "",
                    entry.mailbox ?? "", entry.clientIP ?? "", String(entry.items), entry.detail ?? "", entry.file,
                    String(entry.line),
                ]
            })
    }
}
