import PostgresClient
import Rankings

extension SessionTimeline {
    /// The session with this id (or a unique prefix of it); nil when there is none. At most
    /// `limit` timeline entries, 0 for all.
    public static func load(_ id: String, limit: Int, from connection: Connection) throws -> SessionTimeline? {
        let matches = try connection.execute(
            """
            select s.tenant, s.session_id, s.actor, s.actor_kind, s.client, s.clients,
                array(select host(ip) from unnest(s.client_ips) as ip) as client_ips,
                s.mailbox_owners, s.events, s.items, s.bytes,
                mailhound.display_text(s.first_seen) as first_seen,
                mailhound.display_text(s.last_seen) as last_seen
            from analyst.sessions as s
            where starts_with(s.session_id, \(id))
            order by s.session_id
            limit 2
            """
        ).rows
        guard matches.count == 1, let row = matches.first else {
            if matches.count > 1 { throw AmbiguousSessionID(prefix: id) }
            return nil
        }
        let tenant = row["tenant"] ?? ""
        let sessionID = row["session_id"] ?? ""
        let findings = try connection.execute(
            """
            select detector_id, points, reason, evidence::text as evidence, suppressed_by
            from analyst.findings
            where tenant = \(tenant) and session_id = \(sessionID)
            order by suppressed_by nulls first, points desc, detector_id
            """
        ).rows.map { row in
            Finding(
                detector: row["detector_id"] ?? "", points: row.int("points") ?? 0, reason: row["reason"] ?? "",
                evidence: JSONValue(parsing: row["evidence"] ?? "null"), suppressedBy: row.int("suppressed_by"))
        }
        // A session is ranked when the view has it. Its rank is one more than the sessions ranked
        // before it, counted: the view's rank column would sort every score (30M events: 0.35-0.59 s
        // a read), while a read that leaves it out is a scan.
        let ranked = try connection.execute(
            """
            with own as (
                select score, severity, items, first_seen, session_id from analyst.ranked_sessions
                where tenant = \(tenant) and session_id = \(sessionID)
            )
            select o.score, o.severity, 1 + (
                select count(*) from analyst.ranked_sessions as r
                where r.score > o.score or (r.score = o.score and (r.items > o.items
                    or (r.items = o.items and (r.first_seen < o.first_seen
                        or (r.first_seen = o.first_seen and r.session_id < o.session_id)))))
            ) as rank
            from own as o
            """
        ).rows.first
        let header = Header(
            id: sessionID, tenant: tenant, actor: row["actor"],
            actorKind: row["actor_kind"] ?? "", client: row["client"],
            clients: row["clients"] == nil ? nil : row.textArray("clients"), clientIPs: row.textArray("client_ips"),
            mailboxOwners: row.textArray("mailbox_owners"), firstSeen: row["first_seen"] ?? "",
            lastSeen: row["last_seen"] ?? "", events: row.int("events") ?? 0, items: row.int("items") ?? 0,
            bytes: row.int("bytes") ?? 0, rank: ranked?.int("rank"), score: ranked?.int("score"),
            severity: ranked?["severity"])
        let entries = try connection.execute(
            """
            select mailhound.display_text(occurred_at) as at, kind, in_session,
                operation, actor, mailbox, detail, host(client_ip) as client_ip, items, source_file, source_line,
                count(*) over () as total
            from analyst.session_timeline
            where tenant = \(header.tenant) and session_id = \(header.id)
            order by occurred_at, in_session desc, source_file, source_line
            limit \(limit > 0 ? limit : Int.max)
            """
        ).rows
        let timeline = entries.map { row in
            Entry(
                at: row["at"] ?? "", kind: row["kind"] ?? "", inSession: row.bool("in_session") ?? false,
                operation: row["operation"] ?? "", actor: row["actor"], mailbox: row["mailbox"],
                detail: row["detail"].flatMap { $0.isEmpty ? nil : $0 }, clientIP: row["client_ip"],
                items: row.int("items") ?? 0, file: row["source_file"] ?? "", line: row.int("source_line") ?? 0)
        }
        let total = entries.first?.int("total") ?? 0
        return SessionTimeline(session: header, findings: findings, timeline: timeline, omitted: total - timeline.count)
    }
}

/// A session id prefix that more than one session starts with.
public struct AmbiguousSessionID: Error, CustomStringConvertible {
    public var prefix: String
    public var description: String { "more than one session id starts with \(prefix): give more of it" }
}
