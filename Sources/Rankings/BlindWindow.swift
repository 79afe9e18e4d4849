/// A blind spot of the loaded data (`analyst.blind_windows`): where and when activity could have
/// happened without a record. Its JSON keys are the `coverage --format json` contract.
public struct BlindWindow: Sendable, Equatable, Encodable {
    public var tenant: String
    /// throttled, search-cap, source-gap, server-gap, no-mail-access-audit or audit-tampering.
    public var kind: String
    /// The mailbox, file, log format or identity that is blind.
    public var subject: String
    /// ISO 8601 UTC; nil for the whole data or an open end.
    public var startsAt: String?
    public var endsAt: String?
    public var detail: String

    public init(tenant: String, kind: String, subject: String, startsAt: String?, endsAt: String?, detail: String) {
        self.tenant = tenant
        self.kind = kind
        self.subject = subject
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case tenant, kind, subject, detail
        case startsAt = "starts_at"
        case endsAt = "ends_at"
    }

    /// Every key is written, null included, so consumers see one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(kind, forKey: .kind)
        try container.encode(subject, forKey: .subject)
        try container.encode(startsAt, forKey: .startsAt)
        try container.encode(endsAt, forKey: .endsAt)
        try container.encode(detail, forKey: .detail)
    }
}
