/// A quarantined record as `mailhound errors` lists it; its JSON keys are part of the output contract.
public struct QuarantineEntry: Sendable, Equatable, Encodable {
    public var tenant: String
    public var file: String
    public var line: Int
    public var offset: Int
    public var reason: String
    public var raw: String
    /// ISO 8601 UTC (wall clock of the ingest).
    public var quarantinedAt: String

    public init(
        tenant: String, file: String, line: Int, offset: Int, reason: String, raw: String, quarantinedAt: String
    ) {
        self.tenant = tenant
        self.file = file
        self.line = line
        self.offset = offset
        self.reason = reason
        self.raw = raw
        self.quarantinedAt = quarantinedAt
    }

    enum CodingKeys: String, CodingKey {
        case tenant, file, line, offset, reason, raw
        case quarantinedAt = "quarantined_at"
    }

    /// Every key is written, null included, so consumers see one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(offset, forKey: .offset)
        try container.encode(reason, forKey: .reason)
        try container.encode(raw, forKey: .raw)
        try container.encode(quarantinedAt, forKey: .quarantinedAt)
    }
}
