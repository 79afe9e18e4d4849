/// An allow-list entry (`mailhound allow list`); its JSON keys are the `allow list --format json` contract.
public struct AllowListEntry: Sendable, Equatable, Encodable {
    public var id: Int
    public var tenant: String
    public var actor: String?
    public var appID: String?
    public var clientNetwork: String?
    public var detector: String?
    public var reason: String
    /// ISO 8601 UTC, or nil for never.
    public var expiresAt: String?
    public var createdAt: String
    /// Findings of the latest run it suppresses.
    public var suppresses: Int
    public var expired: Bool

    public init(
        id: Int, tenant: String, actor: String?, appID: String?, clientNetwork: String?, detector: String?,
        reason: String, expiresAt: String?, createdAt: String, suppresses: Int, expired: Bool
    ) {
        self.id = id
        self.tenant = tenant
        self.actor = actor
        self.appID = appID
        self.clientNetwork = clientNetwork
        self.detector = detector
        self.reason = reason
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.suppresses = suppresses
        self.expired = expired
    }

    enum CodingKeys: String, CodingKey {
        case id, tenant, actor, detector, reason, suppresses, expired
        case appID = "app_id"
        case clientNetwork = "client_network"
        case expiresAt = "expires_at"
        case createdAt = "created_at"
    }

    /// Every key is written, null included, so consumers see one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(actor, forKey: .actor)
        try container.encode(appID, forKey: .appID)
        try container.encode(clientNetwork, forKey: .clientNetwork)
        try container.encode(detector, forKey: .detector)
        try container.encode(reason, forKey: .reason)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(suppresses, forKey: .suppresses)
        try container.encode(expired, forKey: .expired)
    }
}
