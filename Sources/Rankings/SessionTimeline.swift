/// One session told in full (`mailhound session ID`): what it is, how it scored and why, and
/// every record, related admin operation and web request in time order (analyst.session_timeline).
public struct SessionTimeline: Sendable, Equatable, Encodable {
    public struct Header: Sendable, Equatable, Encodable {
        public var id: String
        public var tenant: String
        public var actor: String?
        public var actorKind: String
        public var client: String?
        /// Every client the session used; nil for a session cut before the clients were kept.
        public var clients: [String]?
        public var clientIPs: [String]
        public var mailboxOwners: [String]
        public var firstSeen: String
        public var lastSeen: String
        public var events: Int
        public var items: Int
        public var bytes: Int
        /// Absent when no unsuppressed finding ranks the session.
        public var rank: Int?
        public var score: Int?
        public var severity: String?

        public init(
            id: String, tenant: String, actor: String?, actorKind: String, client: String?, clients: [String]?,
            clientIPs: [String], mailboxOwners: [String], firstSeen: String, lastSeen: String, events: Int, items: Int,
            bytes: Int,
            rank: Int?, score: Int?, severity: String?
        ) {
            self.id = id
            self.tenant = tenant
            self.actor = actor
            self.actorKind = actorKind
            self.client = client
            self.clients = clients
            self.clientIPs = clientIPs
            self.mailboxOwners = mailboxOwners
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
            self.events = events
            self.items = items
            self.bytes = bytes
            self.rank = rank
            self.score = score
            self.severity = severity
        }

        enum CodingKeys: String, CodingKey {
            case id, tenant, actor, client, clients, events, items, bytes, rank, score, severity
            case actorKind = "actor_kind"
            case clientIPs = "client_ips"
            case mailboxOwners = "mailbox_owners"
            case firstSeen = "first_seen"
            case lastSeen = "last_seen"
        }

        /// Every key is written, null included, so consumers see one shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(tenant, forKey: .tenant)
            try container.encode(actor, forKey: .actor)
            try container.encode(actorKind, forKey: .actorKind)
            try container.encode(client, forKey: .client)
            try container.encode(clients, forKey: .clients)
            try container.encode(clientIPs, forKey: .clientIPs)
            try container.encode(mailboxOwners, forKey: .mailboxOwners)
            try container.encode(firstSeen, forKey: .firstSeen)
            try container.encode(lastSeen, forKey: .lastSeen)
            try container.encode(events, forKey: .events)
            try container.encode(items, forKey: .items)
            try container.encode(bytes, forKey: .bytes)
            try container.encode(rank, forKey: .rank)
            try container.encode(score, forKey: .score)
            try container.encode(severity, forKey: .severity)
        }
    }

    public struct Finding: Sendable, Equatable, Encodable {
        public var detector: String
        public var points: Int
        public var reason: String
        /// Counts, thresholds and the baseline the session was compared to.
        public var evidence: JSONValue
        public var suppressedBy: Int?

        public init(detector: String, points: Int, reason: String, evidence: JSONValue, suppressedBy: Int?) {
            self.detector = detector
            self.points = points
            self.reason = reason
            self.evidence = evidence
            self.suppressedBy = suppressedBy
        }

        enum CodingKeys: String, CodingKey {
            case detector, points, reason, evidence
            case suppressedBy = "suppressed_by"
        }

        /// Every key is written, null included, so consumers see one shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(detector, forKey: .detector)
            try container.encode(points, forKey: .points)
            try container.encode(reason, forKey: .reason)
            try container.encode(evidence, forKey: .evidence)
            try container.encode(suppressedBy, forKey: .suppressedBy)
        }
    }

    public struct Entry: Sendable, Equatable, Encodable {
        public var at: String
        public var kind: String
        public var inSession: Bool
        public var operation: String
        public var actor: String?
        public var mailbox: String?
        public var detail: String?
        public var clientIP: String?
        public var items: Int
        public var file: String
        public var line: Int

        public init(
            at: String, kind: String, inSession: Bool, operation: String, actor: String?, mailbox: String?,
            detail: String?, clientIP: String?, items: Int, file: String, line: Int
        ) {
            self.at = at
            self.kind = kind
            self.inSession = inSession
            self.operation = operation
            self.actor = actor
            self.mailbox = mailbox
            self.detail = detail
            self.clientIP = clientIP
            self.items = items
            self.file = file
            self.line = line
        }

        enum CodingKeys: String, CodingKey {
            case at, kind, operation, actor, mailbox, detail, items, file, line
            case inSession = "in_session"
            case clientIP = "client_ip"
        }

        /// Every key is written, null included, so consumers see one shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(at, forKey: .at)
            try container.encode(kind, forKey: .kind)
            try container.encode(inSession, forKey: .inSession)
            try container.encode(operation, forKey: .operation)
            try container.encode(actor, forKey: .actor)
            try container.encode(mailbox, forKey: .mailbox)
            try container.encode(detail, forKey: .detail)
            try container.encode(clientIP, forKey: .clientIP)
            try container.encode(items, forKey: .items)
            try container.encode(file, forKey: .file)
            try container.encode(line, forKey: .line)
        }
    }

    public var session: Header
    public var findings: [Finding]
    public var timeline: [Entry]
    /// Timeline entries beyond the limit, not shown.
    public var omitted: Int

    public init(session: Header, findings: [Finding], timeline: [Entry], omitted: Int) {
        self.session = session
        self.findings = findings
        self.timeline = timeline
        self.omitted = omitted
    }
}
