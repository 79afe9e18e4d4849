import PostgresClient
import Rankings

extension AllowListEntry {
    /// Every entry, or only entry `id`.
    public static func list(from connection: Connection, id: Int? = nil) throws -> [AllowListEntry] {
        try connection.execute(
            """
            select a.entry_id, a.tenant, a.actor, a.app_id, a.client_network::text as client_network, a.detector_id,
                a.reason, mailhound.display_text(a.expires_at) as expires_at,
                mailhound.display_text(a.created_at) as created_at,
                coalesce(a.expires_at <= now(), false) as expired,
                (select count(*) from mailhound.findings as f where f.suppressed_by = a.entry_id) as suppresses
            from mailhound.allowlist as a
            where \(id)::bigint is null or a.entry_id = \(id)::bigint
            order by a.entry_id
            """
        ).rows.map { row in
            AllowListEntry(
                id: row.int("entry_id") ?? 0, tenant: row["tenant"] ?? "", actor: row["actor"],
                appID: row["app_id"], clientNetwork: row["client_network"], detector: row["detector_id"],
                reason: row["reason"] ?? "", expiresAt: row["expires_at"], createdAt: row["created_at"] ?? "",
                suppresses: row.int("suppresses") ?? 0, expired: row.bool("expired") ?? false)
        }
    }
}
