import PostgresClient
import Rankings

extension BlindWindow {
    /// Every blind window, by tenant, kind, then subject.
    public static func list(from connection: Connection) throws -> [BlindWindow] {
        try connection.execute(
            """
            select tenant, kind, subject, mailhound.display_text(starts_at) as starts_at,
                mailhound.display_text(ends_at) as ends_at, detail
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
