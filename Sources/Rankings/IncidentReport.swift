/// What `mailhound report` puts in one HTML file for a reader who will not open a terminal: the
/// ranking, the accounts, each top session's timeline, the chains, what could not be seen, and
/// which detector texts the run used.
public struct IncidentReport: Sendable, Equatable {
    /// A chain of findings across sessions (analyst.chains).
    public struct Chain: Sendable, Equatable {
        public var kind: String
        public var points: Int
        public var reason: String
        public var sessions: [String]
        public var firstSeen: String
        public var lastSeen: String

        public init(kind: String, points: Int, reason: String, sessions: [String], firstSeen: String, lastSeen: String)
        {
            self.kind = kind
            self.points = points
            self.reason = reason
            self.sessions = sessions
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
        }
    }

    /// The detection run the ranking comes from, and the detector texts it used.
    public struct Run: Sendable, Equatable {
        public struct Detector: Sendable, Equatable {
            public var id: String
            public var sha256: String

            public init(id: String, sha256: String) {
                self.id = id
                self.sha256 = sha256
            }
        }

        public var id: Int
        public var mode: String
        public var status: String
        public var startedAt: String
        public var detectors: [Detector]

        public init(id: Int, mode: String, status: String, startedAt: String, detectors: [Detector]) {
            self.id = id
            self.mode = mode
            self.status = status
            self.startedAt = startedAt
            self.detectors = detectors
        }
    }

    public var generatedAt: String
    public var sessions: [RankedSession]
    public var actors: [RankedAccount]
    public var owners: [RankedAccount]
    /// Of the first sessions, in rank order.
    public var timelines: [SessionTimeline]
    public var chains: [Chain]
    public var coverage: [BlindWindow]
    /// Nil when no run is visible (none yet, or a reader bound to tenants).
    public var run: Run?

    public init(
        generatedAt: String, sessions: [RankedSession], actors: [RankedAccount], owners: [RankedAccount],
        timelines: [SessionTimeline], chains: [Chain], coverage: [BlindWindow], run: Run?
    ) {
        self.generatedAt = generatedAt
        self.sessions = sessions
        self.actors = actors
        self.owners = owners
        self.timelines = timelines
        self.chains = chains
        self.coverage = coverage
        self.run = run
    }
}
