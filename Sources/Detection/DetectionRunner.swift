import Foundation
import Logging
import Store

/// Runs every detector: rebuilds the sessions new events can change (all of them in a full run),
/// replaces the findings and records the run. One transaction: a failed run leaves the previous
/// findings in place.
public struct DetectionRunner {
    public let sql: SQLDirectory
    public let logger: Logger

    public init(sql: SQLDirectory, logger: Logger) {
        self.sql = sql
        self.logger = logger
    }

    public enum Mode: String, Sendable {
        /// Every session rebuilt from every event.
        case full
        /// Only the sessions of groups with events stored since the previous successful run;
        /// a full run when there is none.
        case incremental
    }

    /// Which sessions get findings: those active at or after `since` and begun before `until`
    /// (timestamptz text; nil leaves that side open). Baselines still read all earlier data, so an
    /// old incident can be replayed against the history before it.
    public struct Window: Sendable, Equatable {
        public var since: String?
        public var until: String?
        /// Days of history before a session or day that baselines compare it with.
        public var baselineDays: Int

        public init(since: String? = nil, until: String? = nil, baselineDays: Int = 30) {
            self.since = since
            self.until = until
            self.baselineDays = baselineDays
        }
    }

    public struct Summary: Sendable, Equatable {
        public var runID: Int
        public var mode: Mode
        public var sessionsRebuilt: Int
        public var events: Int
        public var sessions: Int
        public var findings: Int
        public var suppressed: Int
    }

    /// The detector files, then the chain files (which read the detectors' findings).
    public func loadDetectors() throws -> [DetectorFile] {
        let files =
            try sql.files(in: sql.detectors).map { try DetectorFile(fileName: $0.name, text: $0.text) }
            + sql.files(in: sql.chains).map { try DetectorFile(fileName: $0.name, text: $0.text, isChain: true) }
        var seen = Set<String>()
        for file in files where !seen.insert(file.id).inserted {
            throw DetectorFileError(file: file.fileName, reason: "duplicate detector id \(file.id)")
        }
        return files
    }

    public func run(
        _ connection: Connection, mode requested: Mode = .incremental, window: Window = Window()
    ) throws
        -> Summary
    {
        let detectors = try loadDetectors()
        // Rows of transactions the previous run could not see are new to it.
        let since =
            requested == .full
            ? nil
            : try connection.execute(
                """
                select snapshot::text from mailhound.detection_runs
                where status = 'succeeded' and snapshot is not null
                order by run_id desc limit 1
                """
            ).rows.first?["snapshot"]
        let mode: Mode = since == nil ? .full : .incremental
        // Taken before the run reads anything, so it can only under-state what the run saw.
        let runID =
            try connection.execute(
                """
                insert into mailhound.detection_runs
                    (mode, snapshot, window_from, window_until, baseline_days, data_from, data_until, events)
                select \(mode.rawValue), pg_current_snapshot(), \(window.since)::timestamptz,
                    \(window.until)::timestamptz, \(window.baselineDays),
                    min(occurred_at), max(occurred_at), count(*)
                from mailhound.events
                returning run_id
                """
            ).rows.first?.int("run_id") ?? 0
        do {
            let summary = try connection.transaction {
                // One run at a time per database: workers and a manual `detect` wait for each other.
                try connection.execute("select pg_advisory_xact_lock(\(AdvisoryLock.namespace), 0)")
                return try detect(connection, runID: runID, mode: mode, since: since, detectors: detectors)
            }
            logger.info(
                "detection finished",
                metadata: [
                    "run": "\(runID)", "mode": "\(mode.rawValue)", "sessions": "\(summary.sessions)",
                    "rebuilt": "\(summary.sessionsRebuilt)", "findings": "\(summary.findings)",
                ])
            return summary
        } catch {
            _ = try? connection.execute(
                "update mailhound.detection_runs set status = 'failed', finished_at = now() where run_id = \(runID)"
            )
            throw error
        }
    }

    private func detect(
        _ connection: Connection, runID: Int, mode: Mode, since: String?, detectors: [DetectorFile]
    ) throws
        -> Summary
    {
        // Sessions are cut by sorting events; a sort that fits in memory is several times faster.
        try connection.execute("set local work_mem = '256MB'")
        try connection.execute(
            "select set_config('mailhound.baseline_days', baseline_days::text, true) from mailhound.detection_runs where run_id = \(runID)"
        )
        if mode == .full { try connection.execute("analyze mailhound.events") }
        let rebuilt =
            try connection.execute("select mailhound.rebuild_sessions(\(since)::pg_snapshot) as rebuilt").rows.first?
            .int("rebuilt") ?? 0
        try connection.execute("analyze mailhound.sessions")
        try connection.execute("select mailhound.refresh_shared_mailboxes()")
        // A full run rebuilt every session; an incremental one must count the ones it kept.
        let sessions =
            mode == .full
            ? rebuilt
            : try connection.execute("select count(*) as n from mailhound.sessions").rows.first?.int("n") ?? 0
        try connection.execute("delete from mailhound.findings")
        try connection.execute("delete from mailhound.chains")
        var hashes: [String] = []
        for detector in detectors {
            let stored = try connection.execute(
                """
                insert into mailhound.detectors (detector_id, title, severity, file_name, sha256, sql_text)
                values (\(detector.id), \(detector.title), \(detector.severity), \(detector.fileName),
                        encode(sha256(convert_to(\(detector.text), 'UTF8')), 'hex'), \(detector.text))
                on conflict (detector_id) do update set
                    title = excluded.title, severity = excluded.severity, file_name = excluded.file_name,
                    sha256 = excluded.sha256, sql_text = excluded.sql_text, loaded_at = now()
                returning sha256
                """)
            hashes.append(stored.rows.first?["sha256"] ?? "")
            let insert = detector.isChain ? chainInsert(detector, runID: runID) : findingInsert(detector, runID: runID)
            let clock = ContinuousClock()
            let started = clock.now
            let found = try connection.execute(insert).affectedRows
            let elapsed = (clock.now - started).components
            logger.debug(
                "detector ran",
                metadata: [
                    "detector": "\(detector.id)", "findings": "\(found)",
                    "ms": "\(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)",
                ])
        }
        try connection.execute(
            """
            delete from mailhound.findings as f
            using mailhound.detection_runs as r, mailhound.sessions as s
            where r.run_id = \(runID) and s.tenant = f.tenant and s.session_id = f.session_id
                and (s.last_seen < r.window_from or s.first_seen >= r.window_until)
            """)
        // A chain stays when any of its sessions is in the window.
        try connection.execute(
            """
            delete from mailhound.chains as c
            using mailhound.detection_runs as r
            where r.run_id = \(runID) and (c.last_seen < r.window_from or c.first_seen >= r.window_until)
            """)
        let suppressed = try AllowList.apply(connection)
        // The rankings read these right after the run, before autovacuum would have sampled them.
        try connection.execute("analyze mailhound.findings, mailhound.chains")
        try BlindWindow.refresh(connection)
        let detectorList = zip(detectors, hashes).map { ["id": $0.id, "sha256": $1] }
        let detectorJSON = String(
            decoding: try JSONSerialization.data(withJSONObject: detectorList, options: [.sortedKeys]),
            as: UTF8.self)
        let totals = try connection.execute(
            """
            update mailhound.detection_runs set
                status = 'succeeded', finished_at = now(), detectors = \(detectorJSON)::jsonb,
                sessions = \(sessions), sessions_rebuilt = \(rebuilt),
                findings = (select count(*) from mailhound.findings where run_id = \(runID))
            where run_id = \(runID)
            returning events, findings
            """
        ).rows.first
        return Summary(
            runID: runID, mode: mode, sessionsRebuilt: rebuilt, events: totals?.int("events") ?? 0, sessions: sessions,
            findings: totals?.int("findings") ?? 0, suppressed: suppressed)
    }

    /// The detector's own text is the query; only the run id is bound.
    private func findingInsert(_ detector: DetectorFile, runID: Int) -> Query {
        Query(
            unsafeSQL: """
                insert into mailhound.findings (tenant, session_id, detector_id, run_id, points, reason, evidence)
                select d.tenant, d.session_id, d.detector_id, $1, d.points, d.reason, d.evidence
                from (
                \(detector.query)
                ) as d
                where d.points > 0
                on conflict (tenant, session_id, detector_id) do nothing
                """, binds: [String(runID)], name: detector.fileName)
    }

    /// Stores each chain the file finds, and gives every member session a finding named after the
    /// chain, so the sequence scores on each of its sessions.
    private func chainInsert(_ chain: DetectorFile, runID: Int) -> Query {
        Query(
            unsafeSQL: """
                with found as (
                \(chain.query)
                ),
                stored as (
                    insert into mailhound.chains
                        (tenant, chain_id, run_id, kind, points, reason, evidence, sessions, detectors, first_seen, last_seen)
                    select
                        c.tenant, left(md5($2 || '|' || array_to_string(c.sessions, ',')), 16), $1, $2, c.points,
                        c.reason, c.evidence, c.sessions, c.detectors, span.first_seen, span.last_seen
                    from found as c
                    cross join lateral (
                        select min(s.first_seen) as first_seen, max(s.last_seen) as last_seen
                        from mailhound.sessions as s
                        where s.tenant = c.tenant and s.session_id = any(c.sessions)
                    ) as span
                    where c.points > 0
                    on conflict (tenant, chain_id) do nothing
                    returning tenant, chain_id, kind, points, reason, sessions, detectors
                )
                insert into mailhound.findings (tenant, session_id, detector_id, run_id, points, reason, evidence)
                select st.tenant, member, st.kind, $1, st.points, st.reason,
                    jsonb_build_object('chain_id', st.chain_id, 'sessions', st.sessions, 'detectors', st.detectors)
                from stored as st
                cross join lateral unnest(st.sessions) as member
                on conflict (tenant, session_id, detector_id) do nothing
                """, binds: [String(runID), chain.id], name: chain.fileName)
    }
}
