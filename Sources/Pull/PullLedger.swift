import Foundation
import M365
import PostgresClient

/// What the database knows of a tenant's pulls (`mailhound.pull_checkpoints`,
/// `mailhound.pulled_content`), and the writes that keep it in step with the records.
struct PullLedger {
    let connection: Connection
    let tenant: String

    func listedUntil(_ contentType: String) throws -> Date? {
        let result = try connection.execute(
            """
            select extract(epoch from listed_until)::float8 as seconds from mailhound.pull_checkpoints
            where tenant = \(tenant) and content_type = \(contentType)
            """)
        return result.rows.first?.double("seconds").map { Date(timeIntervalSince1970: $0) }
    }

    /// Of `ids`, those already stored.
    func pulled(_ contentType: String, among ids: [String]) throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let result = try connection.execute(
            """
            select content_id from mailhound.pulled_content
            where tenant = \(tenant) and content_type = \(contentType) and content_id = any(\(ids)::text[])
            """)
        return Set(result.rows.compactMap { $0["content_id"] })
    }

    /// In the transaction of the blob's last batch.
    static func markPulled(_ blob: ContentBlob, tenant: String, on connection: Connection) throws {
        try connection.execute(
            """
            insert into mailhound.pulled_content (tenant, content_type, content_id, content_created)
            values (\(tenant), \(blob.contentType), \(blob.contentId),
                'epoch'::timestamptz + \(ContentBlob.parse(blob.contentCreated)?.timeIntervalSince1970) * interval '1 second')
            on conflict do nothing
            """)
    }

    /// A blob with nothing to load, in a transaction of its own.
    func markPulled(_ blob: ContentBlob) throws {
        try Self.markPulled(blob, tenant: tenant, on: connection)
    }

    /// Every blob listed in the window before `end` is stored.
    func advance(_ contentType: String, to end: Date) throws {
        try connection.execute(
            """
            insert into mailhound.pull_checkpoints (tenant, content_type, listed_until)
            values (\(tenant), \(contentType), 'epoch'::timestamptz + \(end.timeIntervalSince1970) * interval '1 second')
            on conflict (tenant, content_type) do update
                set listed_until = greatest(pull_checkpoints.listed_until, excluded.listed_until), updated_at = now()
            """)
    }

    /// A blob that cannot be loaded (the API no longer serves it, or its listing is not one):
    /// quarantined under its name with the listing entry as its text, and marked pulled in the
    /// same transaction, so it is reported once. False when it was quarantined before.
    @discardableResult
    func quarantine(_ blob: ContentBlob, name: String, reason: String) throws -> Bool {
        let listing =
            (try? JSONSerialization.data(
                withJSONObject: [
                    "contentType": blob.contentType, "contentId": blob.contentId, "contentUri": blob.contentUri,
                    "contentCreated": blob.contentCreated, "contentExpiration": blob.contentExpiration,
                ], options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? blob.contentId
        try connection.execute("begin")
        do {
            let inserted = try connection.execute(
                """
                insert into mailhound.quarantine (tenant, source_file, source_offset, source_line, reason, raw)
                values (\(tenant), \(name), 0, 0, \(reason), \(listing))
                on conflict do nothing
                """
            ).affectedRows
            try Self.markPulled(blob, tenant: tenant, on: connection)
            try connection.execute("commit")
            return inserted > 0
        } catch {
            connection.rollbackIfInTransaction()
            throw error
        }
    }
}
