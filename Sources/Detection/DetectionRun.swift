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
    }

    /// The newest runs first.
    public static func list(limit: Int, from connection: Connection) throws -> [DetectionRun] {
        let iso = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
        func utc(_ column: String) -> String { "to_char(\(column) at time zone 'UTC', \(iso)) as \(column)" }
        return try connection.execute(
            Query(
                unsafeSQL: """
                    select run_id, mode, status, \(utc("started_at")),
                        round(extract(epoch from finished_at - started_at), 1) as seconds,
                        \(utc("window_from")), \(utc("window_until")), baseline_days, \(utc("data_from")), \(utc("data_until")),
                        events, sessions, sessions_rebuilt, findings, jsonb_array_length(detectors) as detector_count
                    from mailhound.detection_runs
                    order by run_id desc
                    limit $1
                    """, binds: [String(limit)])
        ).rows.map { row in
            DetectionRun(
                id: row.int("run_id") ?? 0, mode: row["mode"] ?? "", status: row["status"] ?? "",
                startedAt: row["started_at"] ?? "", seconds: row.double("seconds"), windowFrom: row["window_from"],
                windowUntil: row["window_until"], baselineDays: row.int("baseline_days"), dataFrom: row["data_from"],
                dataUntil: row["data_until"],
                events: row.int("events"), sessions: row.int("sessions"), sessionsRebuilt: row.int("sessions_rebuilt"),
                findings: row.int("findings"), detectors: row.int("detector_count") ?? 0)
        }
    }
}
