import PostgresClient
import Store

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

    enum CodingKeys: String, CodingKey {
        case tenant, kind, subject, detail
        case startsAt = "starts_at"
        case endsAt = "ends_at"
    }

    /// Rebuilds the blind windows from the loaded data and returns how many there are.
    @discardableResult
    public static func refresh(_ connection: Connection) throws -> Int {
        try connection.execute("select mailhound.refresh_coverage() as found").rows.first?.int("found") ?? 0
    }

    /// Every blind window, by tenant, kind, then subject.
    public static func list(from connection: Connection) throws -> [BlindWindow] {
        try connection.execute(
            """
            select tenant, kind, subject, mailhound.utc_text(starts_at) as starts_at,
                mailhound.utc_text(ends_at) as ends_at, detail
            from analyst.blind_windows
            order by tenant, kind, starts_at nulls first, subject
            """
        ).rows.map { row in
            BlindWindow(
                tenant: row["tenant"] ?? "", kind: row["kind"] ?? "", subject: row["subject"] ?? "",
                startsAt: row["starts_at"], endsAt: row["ends_at"], detail: row["detail"] ?? "")
        }
    }

    /// For each session, the blind windows it is in or near, as reason lines (at most 5 each).
    static func reasons(for sessionIDs: [String], from connection: Connection) throws -> [String: [String]] {
        guard !sessionIDs.isEmpty else { return [:] }
        var reasons: [String: [String]] = [:]
        for row in try connection.execute(
            """
            select session_id, format('Blind spot (%s, %s): %s', kind, subject, detail) as line
            from (
                select *, row_number() over (partition by session_id order by kind, starts_at, subject) as n
                from analyst.session_blind_spots
                where session_id = any(\(sessionIDs))
            ) as numbered
            where n <= 5
            order by session_id, n
            """
        ).rows {
            reasons[row["session_id"] ?? "", default: []].append(row["line"] ?? "")
        }
        return reasons
    }
}
