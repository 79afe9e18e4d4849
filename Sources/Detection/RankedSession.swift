import Store

/// One line of the ranking: a session, its score and the reasons behind it.
public struct RankedSession: Sendable, Equatable {
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

    /// Reads the ranking from `analyst.ranked_sessions`.
    public static func top(
        _ limit: Int, minimumScore: Int, from connection: Connection
    ) throws
        -> [RankedSession]
    {
        let result = try connection.execute(
            """
            select rank, score, severity, tenant, session_id, actor, actor_kind, mailbox_owners,
                host(client_ip) as client_ip, client,
                to_char(first_seen at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as first_seen,
                to_char(last_seen at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_seen,
                items, bytes, detectors, reasons
            from analyst.ranked_sessions
            where score >= \(minimumScore)
            order by rank, session_id
            limit \(limit)
            """)
        return result.rows.map { row in
            RankedSession(
                rank: row.int("rank") ?? 0, score: row.int("score") ?? 0, severity: row["severity"] ?? "",
                tenant: row["tenant"] ?? "", id: row["session_id"] ?? "", actor: row["actor"],
                actorKind: row["actor_kind"] ?? "", mailboxOwners: row.textArray("mailbox_owners"),
                clientIP: row["client_ip"], client: row["client"], firstSeen: row["first_seen"] ?? "",
                lastSeen: row["last_seen"] ?? "", items: row.int("items") ?? 0,
                bytes: row.int("bytes") ?? 0,
                detectors: row.textArray("detectors"), reasons: row.textArray("reasons"))
        }
    }
}
