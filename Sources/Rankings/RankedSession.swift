/// One line of the ranking: a session, its score and the reasons behind it.
/// Its JSON keys are the `sessions --format json` contract.
public struct RankedSession: Sendable, Equatable, Encodable {
    public var rank: Int
    public var score: Int
    public var severity: String
    public var tenant: String
    public var id: String
    public var actor: String?
    public var actorKind: String
    public var mailboxOwners: [String]
    public var clientIP: String?
    public var client: String?
    /// ISO 8601 UTC.
    public var firstSeen: String
    public var lastSeen: String
    public var items: Int
    public var bytes: Int
    public var detectors: [String]
    public var reasons: [String]
    /// Flagged web requests from the session's addresses (analyst.session_web_evidence), first 10.
    public var webEvidence: [WebEvidence] = []
    /// Findings an allow-list entry suppresses, each naming the entry; loaded with `includeSuppressed`.
    public var suppressedReasons: [String] = []
    /// Blind windows the session is in or near (analyst.session_blind_spots), first 5.
    public var blindSpots: [String] = []

    public init(
        rank: Int, score: Int, severity: String, tenant: String, id: String, actor: String?,
        actorKind: String,
        mailboxOwners: [String], clientIP: String?, client: String?, firstSeen: String,
        lastSeen: String,
        items: Int, bytes: Int, detectors: [String], reasons: [String]
    ) {
        self.rank = rank
        self.score = score
        self.severity = severity
        self.tenant = tenant
        self.id = id
        self.actor = actor
        self.actorKind = actorKind
        self.mailboxOwners = mailboxOwners
        self.clientIP = clientIP
        self.client = client
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.items = items
        self.bytes = bytes
        self.detectors = detectors
        self.reasons = reasons
    }

    enum CodingKeys: String, CodingKey {
        case id, rank, score, severity, tenant, actor, items, bytes, detectors, reasons, client
        case actorKind = "actor_kind"
        case mailboxOwners = "mailbox_owners"
        case clientIP = "client_ip"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case webEvidence = "web_evidence"
        case suppressedReasons = "suppressed_reasons"
        case blindSpots = "blind_spots"
    }

    /// Every key is written, null included: consumers see one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(rank, forKey: .rank)
        try container.encode(score, forKey: .score)
        try container.encode(severity, forKey: .severity)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(actor, forKey: .actor)
        try container.encode(actorKind, forKey: .actorKind)
        try container.encode(mailboxOwners, forKey: .mailboxOwners)
        try container.encode(clientIP, forKey: .clientIP)
        try container.encode(client, forKey: .client)
        try container.encode(firstSeen, forKey: .firstSeen)
        try container.encode(lastSeen, forKey: .lastSeen)
        try container.encode(items, forKey: .items)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(detectors, forKey: .detectors)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(webEvidence, forKey: .webEvidence)
        try container.encode(suppressedReasons, forKey: .suppressedReasons)
        try container.encode(blindSpots, forKey: .blindSpots)
    }
}

/// A flagged web request that points to a session: same client address, shortly before or during it.
/// Its JSON keys are part of the `sessions --format json` contract.
public struct WebEvidence: Sendable, Equatable, Encodable {
    public var at: String
    public var method: String?
    public var url: String?
    public var status: Int?
    public var clientIP: String?
    public var userAgent: String?
    public var indicators: [String]
    public var file: String
    public var line: Int

    public init(
        at: String, method: String?, url: String?, status: Int?, clientIP: String?, userAgent: String?,
        indicators: [String], file: String, line: Int
    ) {
        self.at = at
        self.method = method
        self.url = url
        self.status = status
        self.clientIP = clientIP
        self.userAgent = userAgent
        self.indicators = indicators
        self.file = file
        self.line = line
    }

    enum CodingKeys: String, CodingKey {
        case at, method, url, status, indicators, file, line
        case clientIP = "client_ip"
        case userAgent = "user_agent"
    }

    /// Every key is written, null included, so consumers see one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        try container.encode(method, forKey: .method)
        try container.encode(url, forKey: .url)
        try container.encode(status, forKey: .status)
        try container.encode(clientIP, forKey: .clientIP)
        try container.encode(userAgent, forKey: .userAgent)
        try container.encode(indicators, forKey: .indicators)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
    }
}
