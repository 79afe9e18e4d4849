import PostgresClient

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

    /// Quarantined records in file and line order; `file` filters on a substring of the path.
    public static func list(file: String?, limit: Int, from connection: Connection) throws -> [QuarantineEntry] {
        let result = try connection.execute(
            """
            select tenant, source_file, source_line, source_offset, reason, raw,
                mailhound.utc_text(quarantined_at) as quarantined_at
            from analyst.quarantine
            where \(file)::text is null or strpos(source_file, \(file)) > 0
            order by source_file, source_line, source_offset
            limit \(limit)
            """)
        return result.rows.map { row in
            QuarantineEntry(
                tenant: row["tenant"] ?? "", file: row["source_file"] ?? "", line: row.int("source_line") ?? 0,
                offset: row.int("source_offset") ?? 0, reason: row["reason"] ?? "", raw: row["raw"] ?? "",
                quarantinedAt: row["quarantined_at"] ?? "")
        }
    }
}
