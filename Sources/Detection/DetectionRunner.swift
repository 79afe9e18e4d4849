import Foundation
import Logging
import Store

/// Runs every detector over the whole data set: rebuilds sessions, replaces the findings and
/// records the run. One transaction: a failed run leaves the previous findings in place.
public struct DetectionRunner {
    public let sql: SQLDirectory
    public let logger: Logger

    public init(sql: SQLDirectory, logger: Logger) {
        self.sql = sql
        self.logger = logger
    }

    public struct Summary: Sendable, Equatable {
        public var runID: Int
        public var events: Int
        public var sessions: Int
        public var findings: Int
        public var suppressed: Int
    }

    public func loadDetectors() throws -> [DetectorFile] {
        let files = try sql.files(in: sql.detectors).map {
            try DetectorFile(fileName: $0.name, text: $0.text)
        }
        var seen = Set<String>()
        for file in files where !seen.insert(file.id).inserted {
            throw DetectorFileError(file: file.fileName, reason: "duplicate detector id \(file.id)")
        }
        return files
    }

    public func run(_ connection: Connection) throws -> Summary {
        let detectors = try loadDetectors()
        let runID =
            try connection.execute(
                """
                insert into mailhound.detection_runs (data_from, data_until, events)
                select min(occurred_at), max(occurred_at), count(*) from mailhound.events
                returning run_id
                """
            ).rows.first?.int("run_id") ?? 0
        do {
            let summary = try connection.transaction {
                // One run at a time per database: workers and a manual `detect` wait for each other.
                try connection.execute("select pg_advisory_xact_lock(\(AdvisoryLock.namespace), 0)")
                return try detect(connection, runID: runID, detectors: detectors)
            }
            logger.info(
                "detection finished",
                metadata: [
                    "run": "\(runID)", "sessions": "\(summary.sessions)", "findings": "\(summary.findings)",
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
        _ connection: Connection, runID: Int, detectors: [DetectorFile]
    ) throws
        -> Summary
    {
        try connection.execute("analyze mailhound.events")
        let sessions =
            try connection.execute("select mailhound.rebuild_sessions() as sessions").rows.first?
            .int("sessions") ?? 0
        try connection.execute("analyze mailhound.sessions")
        try connection.execute("delete from mailhound.findings")
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
            // The detector's own text is the query; only the run id is bound.
            let insert = Query(
                unsafeSQL: """
                    insert into mailhound.findings (tenant, session_id, detector_id, run_id, points, reason, evidence)
                    select d.tenant, d.session_id, d.detector_id, $1, d.points, d.reason, d.evidence
                    from (
                    \(detector.query)
                    ) as d
                    where d.points > 0
                    on conflict (tenant, session_id, detector_id) do nothing
                    """, binds: [String(runID)], name: detector.fileName)
            let found = try connection.execute(insert).affectedRows
            logger.debug(
                "detector ran", metadata: ["detector": "\(detector.id)", "findings": "\(found)"])
        }
        let suppressed = try connection.execute(
            """
            update mailhound.findings as f
            set suppressed_by = a.entry_id
            from mailhound.sessions as s, mailhound.allowlist as a
            where f.run_id = \(runID)
                and s.tenant = f.tenant and s.session_id = f.session_id
                and a.tenant = f.tenant
                and (a.detector_id is null or a.detector_id = f.detector_id)
                and (a.actor is null or lower(a.actor) = lower(s.actor))
                and (a.client_network is null or s.client_ip <<= a.client_network)
                and (a.expires_at is null or a.expires_at > now())
                and (a.app_id is null or exists (
                    select 1 from mailhound.events as e
                    where e.tenant = s.tenant and e.session_group = s.session_group
                        and e.occurred_at between s.first_seen and s.last_seen
                        and (e.app_id = a.app_id or e.client_app_id = a.app_id)))
            """
        ).affectedRows
        let detectorList = zip(detectors, hashes).map { ["id": $0.id, "sha256": $1] }
        let detectorJSON = String(
            decoding: try JSONSerialization.data(withJSONObject: detectorList, options: [.sortedKeys]),
            as: UTF8.self)
        let totals = try connection.execute(
            """
            update mailhound.detection_runs set
                status = 'succeeded', finished_at = now(), detectors = \(detectorJSON)::jsonb,
                sessions = \(sessions),
                findings = (select count(*) from mailhound.findings where run_id = \(runID))
            where run_id = \(runID)
            returning events, findings
            """
        ).rows.first
        return Summary(
            runID: runID, events: totals?.int("events") ?? 0, sessions: sessions,
            findings: totals?.int("findings") ?? 0, suppressed: suppressed)
    }
}
