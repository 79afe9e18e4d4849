import PostgresClient
import Rankings

extension RankedAccount {
    /// Reads the top of `analyst.ranked_accounts` for one role.
    public static func top(_ limit: Int, role: Role, from connection: Connection) throws -> [RankedAccount] {
        let result = try connection.execute(
            """
            select rank, score, severity, tenant, account, sessions, detectors, reasons
            from analyst.ranked_accounts
            where role = \(role.rawValue)
            order by rank, tenant, account
            limit \(limit)
            """)
        return result.rows.map { row in
            RankedAccount(
                rank: row.int("rank") ?? 0, score: row.int("score") ?? 0, severity: row["severity"] ?? "",
                role: role, tenant: row["tenant"] ?? "", account: row["account"] ?? "",
                sessions: row.int("sessions") ?? 0, detectors: row.textArray("detectors"),
                reasons: row.textArray("reasons"))
        }
    }
}
