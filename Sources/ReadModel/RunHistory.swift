import PostgresClient
import Rankings

extension DetectionRun {
    /// The newest runs first.
    public static func list(limit: Int, from connection: Connection) throws -> [DetectionRun] {
        try connection.execute(
            """
            select run_id, mode, status, mailhound.display_text(started_at) as started_at,
                round(extract(epoch from finished_at - started_at), 1) as seconds,
                mailhound.display_text(window_from) as window_from, mailhound.display_text(window_until) as window_until,
                baseline_days, mailhound.display_text(data_from) as data_from, mailhound.display_text(data_until) as data_until,
                events, sessions, sessions_rebuilt, case judged_from when '-infinity' then 'all' when 'infinity' then 'none' else mailhound.display_text(judged_from) end
                    as judged_from, findings, jsonb_array_length(detectors) as detector_count
            from mailhound.detection_runs
            order by run_id desc
            limit \(limit)
            """
        ).rows.map { row in
            DetectionRun(
                id: row.int("run_id") ?? 0, mode: row["mode"] ?? "", status: row["status"] ?? "",
                startedAt: row["started_at"] ?? "", seconds: row.double("seconds"), windowFrom: row["window_from"],
                windowUntil: row["window_until"], baselineDays: row.int("baseline_days"), dataFrom: row["data_from"],
                dataUntil: row["data_until"],
                events: row.int("events"), sessions: row.int("sessions"), sessionsRebuilt: row.int("sessions_rebuilt"),
                judgedFrom: row["judged_from"], findings: row.int("findings"), detectors: row.int("detector_count") ?? 0
            )
        }
    }
}
