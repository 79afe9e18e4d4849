import PostgresClient
import Rankings

extension IncidentReport {
    /// The first `top` sessions and accounts, the timelines of the first `timelines` sessions (at
    /// most `entries` records each), and every chain and blind window, through the analyst views:
    /// a reader bound to tenants gets a report of those tenants.
    public static func load(
        top: Int, timelines: Int, entries: Int = 400, from connection: Connection
    ) throws -> IncidentReport {
        let sessions = try RankedSession.top(top, minimumScore: 0, from: connection)
        let chains = try connection.execute(
            """
            select kind, points, reason, sessions, mailhound.display_text(first_seen) as first_seen,
                mailhound.display_text(last_seen) as last_seen
            from analyst.chains
            order by points desc, first_seen, chain_id
            """
        ).rows.map { row in
            Chain(
                kind: row["kind"] ?? "", points: row.int("points") ?? 0, reason: row["reason"] ?? "",
                sessions: row.textArray("sessions"), firstSeen: row["first_seen"] ?? "",
                lastSeen: row["last_seen"] ?? "")
        }
        let run = try connection.execute(
            """
            select r.run_id, r.mode, r.status, mailhound.display_text(r.started_at) as started_at,
                coalesce((select array_agg(d ->> 'id' order by d ->> 'id') from jsonb_array_elements(r.detectors) as d), '{}') as ids,
                coalesce((select array_agg(d ->> 'sha256' order by d ->> 'id') from jsonb_array_elements(r.detectors) as d), '{}') as hashes
            from analyst.detection_runs as r
            where r.status = 'succeeded'
            order by r.run_id desc
            limit 1
            """
        ).rows.first.map { row in
            Run(
                id: row.int("run_id") ?? 0, mode: row["mode"] ?? "", status: row["status"] ?? "",
                startedAt: row["started_at"] ?? "",
                detectors: zip(row.textArray("ids"), row.textArray("hashes")).map { Run.Detector(id: $0, sha256: $1) })
        }
        let generatedAt =
            try connection.execute("select mailhound.display_text(now()) as now").rows.first?["now"] ?? ""
        return IncidentReport(
            generatedAt: generatedAt, sessions: sessions,
            actors: try RankedAccount.top(top, role: .actor, from: connection),
            owners: try RankedAccount.top(top, role: .owner, from: connection),
            timelines: try sessions.prefix(timelines).compactMap {
                try SessionTimeline.load($0.id, limit: entries, from: connection)
            },
            chains: chains, coverage: try BlindWindow.list(from: connection), run: run)
    }
}
