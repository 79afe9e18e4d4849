import Detection
import Foundation

/// Renders the ranked sessions as a terminal table, JSON (the public contract) or CSV.
public enum SessionReport {
    public enum Format: String, CaseIterable, Sendable {
        case table, json, csv
    }

    public static func render(_ sessions: [RankedSession], format: Format, width: Int = 120) -> String {
        switch format {
        case .table: table(sessions, width: width)
        case .json: json(sessions)
        case .csv: csv(sessions)
        }
    }

    /// The JSON contract: an array by rank; key names are stable for scripts.
    public static func json(_ sessions: [RankedSession]) -> String {
        ReportJSON.encode(sessions.map(SessionJSON.init))
    }

    public static let csvHeader = [
        "rank", "score", "severity", "id", "tenant", "actor", "actor_kind", "mailbox_owners",
        "client_ip", "client",
        "first_seen", "last_seen", "items", "bytes", "detectors", "reasons",
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
                    session.reasons.joined(separator: " | "),
                ]
            })
    }

    /// Rank, score, severity, actor, owners, address, client, window, items and the top reason,
    /// fitted to `width` columns: the client and reason columns give way first.
    public static func table(_ sessions: [RankedSession], width: Int) -> String {
        guard !sessions.isEmpty else {
            return "no suspicious sessions (run `mailhound detect` after ingesting)\n"
        }
        let headers = [
            "#", "SCORE", "SEVERITY", "ACTOR", "MAILBOXES", "CLIENT IP", "CLIENT", "WINDOW (UTC)",
            "ITEMS", "TOP REASON",
        ]
        var rows: [[String]] = sessions.map { session in
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
                session.reasons.first ?? "",
            ].map(SafeText.terminal)
        }
        // Fixed-width columns keep their size; ACTOR, MAILBOXES, CLIENT and TOP REASON share the rest.
        let flexible = [3: 28, 4: 34, 6: 24, 9: 200]
        var widths = headers.indices.map { column in
            max(headers[column].count, rows.map { $0[column].count }.max() ?? 0)
        }
        for (column, cap) in flexible { widths[column] = min(widths[column], cap) }
        let separators = 2 * (headers.count - 1)
        var excess = widths.reduce(0, +) + separators - width
        for column in [9, 6, 4, 3] where excess > 0 {
            let minimum = 6
            let cut = min(excess, widths[column] - minimum)
            if cut > 0 {
                widths[column] -= cut
                excess -= cut
            }
        }
        rows.insert(headers, at: 0)
        let numeric: Set<Int> = [0, 1, 8]
        let lines = rows.map { row in
            row.enumerated().map { column, cell in
                let text = SafeText.truncated(cell, to: widths[column])
                let padding = String(repeating: " ", count: max(0, widths[column] - text.count))
                return numeric.contains(column) ? padding + text : text + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var output = lines.joined(separator: "\n") + "\n"
        if let top = sessions.first, top.reasons.count > 1 || !top.webEvidence.isEmpty {
            output += "\nWhy #\(top.rank) (\(SafeText.terminal(top.id))):\n"
            for reason in top.reasons { output += "  - " + SafeText.terminal(reason) + "\n" }
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

/// The field names of `sessions --format json`; a public contract.
struct SessionJSON: Encodable {
    var id: String
    var rank: Int
    var score: Int
    var severity: String
    var tenant: String
    var actor: String?
    var actorKind: String
    var mailboxOwners: [String]
    var clientIP: String?
    var client: String?
    var firstSeen: String
    var lastSeen: String
    var items: Int
    var bytes: Int
    var detectors: [String]
    var reasons: [String]
    var webEvidence: [WebEvidence]

    init(_ session: RankedSession) {
        id = session.id
        rank = session.rank
        score = session.score
        severity = session.severity
        tenant = session.tenant
        actor = session.actor
        actorKind = session.actorKind
        mailboxOwners = session.mailboxOwners
        clientIP = session.clientIP
        client = session.client
        firstSeen = session.firstSeen
        lastSeen = session.lastSeen
        items = session.items
        bytes = session.bytes
        detectors = session.detectors
        reasons = session.reasons
        webEvidence = session.webEvidence
    }

    enum CodingKeys: String, CodingKey {
        case id, rank, score, severity, tenant, actor, items, bytes, detectors, reasons, client
        case actorKind = "actor_kind"
        case mailboxOwners = "mailbox_owners"
        case clientIP = "client_ip"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case webEvidence = "web_evidence"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(rank, forKey: .rank)
        try container.encode(score, forKey: .score)
        try container.encode(severity, forKey: .severity)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(actor, forKey: .actor)
        try container.encode(actorKind, forKey: .actorKind)
        try container.encode(mailboxOwners, forKey: .mailboxOwners)
        try container.encode(clientIP, forKey: .clientIP)
        try container.encode(client, forKey: .client)
        try container.encode(firstSeen, forKey: .firstSeen)
        try container.encode(lastSeen, forKey: .lastSeen)
        try container.encode(items, forKey: .items)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(detectors, forKey: .detectors)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(webEvidence, forKey: .webEvidence)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var result = Substring(self)
        while result.last == " " { result.removeLast() }
        return String(result)
    }
}
