import PostgresClient
import Rankings

extension RankedSession {
    /// Reads the ranking from `analyst.ranked_sessions`. With `includeSuppressed`, sessions whose
    /// every finding is allow-listed follow the ranking with score 0 and severity `suppressed`, and
    /// every session lists its suppressed findings.
    public static func top(
        _ limit: Int, minimumScore: Int, includeSuppressed: Bool = false, from connection: Connection
    ) throws
        -> [RankedSession]
    {
        let result = try connection.execute(
            """
            with listed as (
                -- No order by here: the view's window hands its rows over in rank order, and a limit
                -- alone lets the planner read the first ones from the scores' ranking index
                -- (session_scores_rank) rather than sort them all (30M events: 0.45-0.68 s). The
                -- limit is the sessions that reach the score, counted up to the page: the filter
                -- stands above the window, which would otherwise hand over every lower score in
                -- search of a page that is not there (30M events: 0.03-0.04 s against 0.23-0.30 s).
                select * from (
                    select rank, score, severity, tenant, session_id, detectors, reasons from analyst.ranked_sessions
                    where score >= \(minimumScore)
                    limit (
                        select count(*) from (
                            select 1 from analyst.ranked_sessions where score >= \(minimumScore) limit \(limit)
                        ) as reached)
                ) as page
                union all
                -- After every ranked session.
                select (select count(*) from analyst.ranked_sessions)::integer
                        + row_number() over (order by s.items desc, s.first_seen, s.session_id)::integer,
                    0, 'suppressed', s.tenant, s.session_id, '{}', '{}'
                from analyst.sessions as s
                where \(includeSuppressed) and \(minimumScore) = 0
                    and exists (select 1 from analyst.findings as f
                        where f.tenant = s.tenant and f.session_id = s.session_id and f.suppressed_by is not null)
                    and not exists (select 1 from analyst.findings as f
                        where f.tenant = s.tenant and f.session_id = s.session_id and f.suppressed_by is null)
            )
            select l.rank, l.score, l.severity, l.tenant, l.session_id, s.actor, s.actor_kind, s.mailbox_owners,
                host(s.client_ip) as client_ip, s.client,
                mailhound.display_text(s.first_seen) as first_seen,
                mailhound.display_text(s.last_seen) as last_seen,
                s.items, s.bytes, l.detectors, l.reasons
            -- The page is chosen before the sessions are read: one row each for the few shown.
            from (select * from listed order by rank, session_id limit \(limit)) as l
            join analyst.sessions as s using (tenant, session_id)
            order by l.rank, l.session_id
            """)
        var sessions = result.rows.map { row in
            RankedSession(
                rank: row.int("rank") ?? 0, score: row.int("score") ?? 0, severity: row["severity"] ?? "",
                tenant: row["tenant"] ?? "", id: row["session_id"] ?? "", actor: row["actor"],
                actorKind: row["actor_kind"] ?? "", mailboxOwners: row.textArray("mailbox_owners"),
                clientIP: row["client_ip"], client: row["client"], firstSeen: row["first_seen"] ?? "",
                lastSeen: row["last_seen"] ?? "", items: row.int("items") ?? 0,
                bytes: row.int("bytes") ?? 0,
                detectors: row.textArray("detectors"), reasons: row.textArray("reasons"))
        }
        let evidence = try WebEvidence.load(for: sessions.map(\.id), from: connection)
        let suppressed = includeSuppressed ? try suppressedReasons(for: sessions.map(\.id), from: connection) : [:]
        let blind = try BlindWindow.reasons(for: sessions.map(\.id), from: connection)
        for index in sessions.indices {
            sessions[index].blindSpots = blind[sessions[index].id] ?? []
            sessions[index].webEvidence = evidence[sessions[index].id] ?? []
            sessions[index].suppressedReasons = suppressed[sessions[index].id] ?? []
        }
        return sessions
    }

    static func suppressedReasons(for sessionIDs: [String], from connection: Connection) throws -> [String: [String]] {
        guard !sessionIDs.isEmpty else { return [:] }
        var reasons: [String: [String]] = [:]
        for row in try connection.execute(
            """
            select f.session_id, format('%s [suppressed by allow-list entry %s: %s]', f.reason, a.entry_id, a.reason) as line
            from analyst.findings as f
            join analyst.allowlist as a on a.tenant = f.tenant and a.entry_id = f.suppressed_by
            where f.session_id = any(\(sessionIDs))
            order by f.session_id, f.points desc, f.detector_id
            """
        ).rows {
            reasons[row["session_id"] ?? "", default: []].append(row["line"] ?? "")
        }
        return reasons
    }
}

extension WebEvidence {
    /// The first 10 requests of each session, in time order, keyed by session id.
    static func load(for sessionIDs: [String], from connection: Connection) throws -> [String: [WebEvidence]] {
        guard !sessionIDs.isEmpty else { return [:] }
        let result = try connection.execute(
            """
            select session_id,
                mailhound.display_text(occurred_at) as at,
                method, url_stem, http_status, host(client_ip) as client_ip, user_agent, indicators,
                source_file, source_line
            from (
                select *, row_number() over (partition by session_id order by occurred_at, request_key) as n
                from analyst.session_web_evidence
                where session_id = any(\(sessionIDs))
            ) as numbered
            where n <= 10
            order by session_id, occurred_at, request_key
            """)
        var evidence: [String: [WebEvidence]] = [:]
        for row in result.rows {
            evidence[row["session_id"] ?? "", default: []].append(
                WebEvidence(
                    at: row["at"] ?? "", method: row["method"], url: row["url_stem"], status: row.int("http_status"),
                    clientIP: row["client_ip"], userAgent: row["user_agent"], indicators: row.textArray("indicators"),
                    file: row["source_file"] ?? "", line: row.int("source_line") ?? 0))
        }
        return evidence
    }
}
