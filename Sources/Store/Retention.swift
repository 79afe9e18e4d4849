import PostgresClient

/// Deletes what is older than a retention date, in one transaction.
public enum Retention {
    public struct Summary: Sendable, Equatable {
        public var events: Int
        public var webRequests: Int
        public var sessions: Int
    }

    /// `before` is a timestamptz literal; with `dryRun` nothing is deleted, only counted.
    public static func prune(before: String, dryRun: Bool, from connection: Connection) throws -> Summary {
        try connection.transaction {
            // Detection reads what is deleted here: wait for a running detection, block the next.
            try connection.execute("select pg_advisory_xact_lock(\(AdvisoryLock.namespace), 0)")
            let verb = dryRun ? "select count(*) as n from" : "with gone as (delete from"
            let tail = dryRun ? "" : " returning 1) select count(*) as n from gone"
            func run(_ table: String, _ column: String) throws -> Int {
                try connection.execute(
                    Query(
                        unsafeSQL: "\(verb) mailhound.\(table) where \(column) < $1::timestamptz\(tail)",
                        binds: [before], name: "prune \(table)")
                ).rows.first?.int("n") ?? 0
            }
            // The sessions' findings go with them (foreign key, on delete cascade). The kept coverage
            // counts include what goes: the next refresh counts everything again.
            if !dryRun { try connection.execute("delete from mailhound.coverage_counts") }
            let summary = Summary(
                events: try run("events", "occurred_at"), webRequests: try run("web_requests", "occurred_at"),
                sessions: try run("sessions", "last_seen"))
            // A chunk of raw texts goes once every record in it is gone.
            if !dryRun {
                _ = try run("raw_chunks", "last_at")
                try connection.execute("select mailhound.refresh_tenant_spans()")
                try connection.execute("select mailhound.refresh_mailbox_touches()")
                try connection.execute("select mailhound.refresh_actor_days()")
                // The accounts' scores are sums over the findings, which went with their sessions.
                try connection.execute("select mailhound.refresh_account_scores()")
            }
            return summary
        }
    }
}
