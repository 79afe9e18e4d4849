import Store

/// A recorded `mailhound detect` run (`mailhound runs`).
public struct DetectionRun: Sendable, Equatable, Encodable {
    public var id: Int
    public var mode: String
    public var status: String
    /// ISO 8601 UTC, wall clock.
    public var startedAt: String
    public var seconds: Double?
    /// The --since/--until window, if one was given.
    public var windowFrom: String?
    public var windowUntil: String?
    public var baselineDays: Int?
    /// The data's time span when the run started.
    public var dataFrom: String?
    public var dataUntil: String?
    public var events: Int?
    public var sessions: Int?
    public var sessionsRebuilt: Int?
    /// Sessions beginning at or after this time were judged, earlier ones kept their findings;
    /// `all` or `none`; nil for runs recorded before incremental judging.
    public var judgedFrom: String?
    public var findings: Int?
    public var detectors: Int

    enum CodingKeys: String, CodingKey {
        case id, mode, status, seconds, events, sessions, findings, detectors
        case startedAt = "started_at"
        case windowFrom = "window_from"
        case windowUntil = "window_until"
        case baselineDays = "baseline_days"
        case dataFrom = "data_from"
        case dataUntil = "data_until"
        case sessionsRebuilt = "sessions_rebuilt"
        case judgedFrom = "judged_from"
    }

    /// The newest runs first.
    public static func list(limit: Int, from connection: Connection) throws -> [DetectionRun] {
        try connection.execute(
            """
            select run_id, mode, status, mailhound.utc_text(started_at) as started_at,
                round(extract(epoch from finished_at - started_at), 1) as seconds,
                mailhound.utc_text(window_from) as window_from, mailhound.utc_text(window_until) as window_until,
                baseline_days, mailhound.utc_text(data_from) as data_from, mailhound.utc_text(data_until) as data_until,
                events, sessions, sessions_rebuilt, case judged_from when '-infinity' then 'all' when 'infinity' then 'none' else mailhound.utc_text(judged_from) end
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
