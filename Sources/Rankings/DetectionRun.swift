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

    public init(
        id: Int, mode: String, status: String, startedAt: String, seconds: Double?, windowFrom: String?,
        windowUntil: String?, baselineDays: Int?, dataFrom: String?, dataUntil: String?, events: Int?, sessions: Int?,
        sessionsRebuilt: Int?, judgedFrom: String?, findings: Int?, detectors: Int
    ) {
        self.id = id
        self.mode = mode
        self.status = status
        self.startedAt = startedAt
        self.seconds = seconds
        self.windowFrom = windowFrom
        self.windowUntil = windowUntil
        self.baselineDays = baselineDays
        self.dataFrom = dataFrom
        self.dataUntil = dataUntil
        self.events = events
        self.sessions = sessions
        self.sessionsRebuilt = sessionsRebuilt
        self.judgedFrom = judgedFrom
        self.findings = findings
        self.detectors = detectors
    }

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

    /// Every key is written, null included, so consumers see one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(mode, forKey: .mode)
        try container.encode(status, forKey: .status)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(windowFrom, forKey: .windowFrom)
        try container.encode(windowUntil, forKey: .windowUntil)
        try container.encode(baselineDays, forKey: .baselineDays)
        try container.encode(dataFrom, forKey: .dataFrom)
        try container.encode(dataUntil, forKey: .dataUntil)
        try container.encode(events, forKey: .events)
        try container.encode(sessions, forKey: .sessions)
        try container.encode(sessionsRebuilt, forKey: .sessionsRebuilt)
        try container.encode(judgedFrom, forKey: .judgedFrom)
        try container.encode(findings, forKey: .findings)
        try container.encode(detectors, forKey: .detectors)
    }
}
