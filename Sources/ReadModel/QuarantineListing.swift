import PostgresClient
import Rankings

extension QuarantineEntry {
    /// Quarantined records in file and line order; `file` filters on a substring of the path.
    public static func list(file: String?, limit: Int, from connection: Connection) throws -> [QuarantineEntry] {
        let result = try connection.execute(
            """
            select tenant, source_file, source_line, source_offset, reason, raw,
                mailhound.display_text(quarantined_at) as quarantined_at
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
