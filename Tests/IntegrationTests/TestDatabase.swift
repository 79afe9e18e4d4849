import CommandSupport
import Foundation
import Logging
import PostgresClient
import Store
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real PostgreSQL for the tests: `MAILHOUND_TEST_DATABASE_URL`'s server when set, else a
/// private cluster the harness starts in a temporary folder and stops when the test process exits.
enum TestDatabase {
    static let sql = SQLDirectory(
        root: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sql"))

    static let logger = Logger(label: "mailhound-tests")

    /// A logger at debug level that keeps each line logged to it, as mailhound writes its lines, for
    /// tests of what a run reports.
    static func collectingLogger() -> (Logger, LoggedLines) {
        let lines = LoggedLines()
        var logger = Logger(label: "mailhound-tests") { label in
            EscapingLogHandler(label: label) { line in lines.append(line) }
        }
        logger.logLevel = .debug
        return (logger, lines)
    }

    /// The coverage counts as comparable lines: each file's records a day, and each mailbox
    /// named with whether its reads are logged.
    static func coverageCounts(_ connection: Connection) throws -> [String] {
        try connection.execute(
            """
            select format('%s|%s|%s', source_file, day, records) as line from mailhound.file_days
            union all
            select format('%s|%s', mailbox, logs_reads) from mailhound.mailbox_read_logging
            order by 1
            """
        ).rows.compactMap { $0["line"] }
    }
    /// The coverage counts as `coverageCounts` gives them, counted again from the records alone
    /// (`count_coverage()` from scratch, on a connection in UTC), in a transaction rolled back:
    /// what a run's own count must equal.
    static func coverageCountedFromRecords(_ connection: Connection) throws -> [String] {
        try connection.execute("begin")
        defer { _ = try? connection.execute("rollback") }
        try connection.execute("set local timezone = 'UTC'")
        try connection.execute("delete from mailhound.coverage_counts")
        try connection.execute("select mailhound.count_coverage()")
        return try coverageCounts(connection)
    }

    /// Each scored session as the rankings scored it before `mailhound.session_scores` (0027): from
    /// the findings and the sessions, with the columns of that table.
    static let scoresFromFindings = """
        select s.tenant, s.session_id, mailhound.combined_score(f.points) as score, s.items, s.first_seen,
            s.actor, s.mailbox_owners,
            array_agg(f.detector_id order by f.points desc, f.detector_id) as detectors,
            array_agg(f.reason order by f.points desc, f.detector_id) as reasons,
            jsonb_object_agg(f.detector_id, f.evidence) as evidence
        from mailhound.findings as f
        join mailhound.sessions as s using (tenant, session_id)
        where f.suppressed_by is null and f.points > 0
        group by s.tenant, s.session_id
        """

    /// The accounts' ranking as `analyst.ranked_accounts` computed it from the findings on each read,
    /// before the scores were stored (migration 0038): what the stored rows must equal.
    static let accountsFromFindings = """
        with session_findings as (
            select f.tenant, f.session_id, f.detector_id, f.points, f.reason, s.actor, s.mailbox_owners
            from mailhound.findings as f
            join mailhound.sessions as s using (tenant, session_id)
            where f.suppressed_by is null and f.points > 0
        ),
        roles as (
            select tenant, 'actor' as role, lower(coalesce(actor, '')) as account, session_id, detector_id, points,
                reason
            from session_findings
            union all
            select sf.tenant, 'owner', owner, sf.session_id, sf.detector_id, sf.points, sf.reason
            from session_findings as sf
            cross join lateral unnest(sf.mailbox_owners) as owner
            where owner is distinct from lower(sf.actor)
        ),
        strongest as (
            select distinct on (tenant, role, account, detector_id) tenant, role, account, detector_id, points, reason
            from roles
            order by tenant, role, account, detector_id, points desc, session_id
        ),
        scored as (
            select tenant, role, account, mailhound.combined_score(points) as score,
                array_agg(detector_id order by points desc, detector_id) as detectors,
                array_agg(reason order by points desc, detector_id) as reasons
            from strongest
            group by tenant, role, account
        ),
        counted as (
            select tenant, role, account, count(distinct session_id)::integer as sessions
            from roles
            group by tenant, role, account
        )
        select
            rank() over (partition by sc.role order by sc.score desc, c.sessions desc, sc.account)::integer as rank,
            sc.score, mailhound.severity_band(sc.score) as severity, sc.role, sc.tenant, sc.account, c.sessions,
            sc.detectors, sc.reasons
        from scored as sc
        join counted as c using (tenant, role, account)
        """

    private static let cluster: Result<EmbeddedCluster, any Error> = Result {
        let root = URL(fileURLWithPath: "/tmp/mailhound-tests-\(getpid())")
        let cluster = EmbeddedCluster(
            root: root, binDirectory: try EmbeddedCluster.locateServerBinaries(),
            serverUser: geteuid() == 0 ? "postgres" : nil)
        try cluster.start(logger: logger)
        clusterToStop = cluster
        atexit {
            try? clusterToStop?.stop()
            if let root = clusterToStop?.root { try? FileManager.default.removeItem(at: root) }
        }
        return cluster
    }

    nonisolated(unsafe) private static var clusterToStop: EmbeddedCluster?

    /// A new, empty database, migrated by `directory`'s migrations (the package's by default).
    static func fresh(_ label: String, migratedWith directory: SQLDirectory = sql) throws -> Database {
        let name = "test_\(label)_\(UInt32.random(in: 0...UInt32.max))"
        let cluster = try cluster.get()
        try cluster.createDatabase(name, logger: logger)
        let database = Database(conninfo: cluster.conninfo(database: name), sql: sql)
        try Migrator(directory: directory).migrate(try database.connect())
        return database
    }
}

extension TestDatabase {
    /// The touches every session makes of other mailboxes, worked out here from the sessions, and
    /// how many of them differ from what the run stored in mailhound.mailbox_touches.
    static func mailboxTouches(_ connection: Connection) throws -> StoredRows {
        try compare(
            connection,
            computed: """
                select s.tenant, s.session_id, s.actor, lower(s.actor) as actor_key, s.actor_kind, s.operations,
                    o.owner as mailbox, s.first_seen, s.last_seen,
                    lag(s.first_seen) over (
                        partition by s.tenant, lower(s.actor), o.owner order by s.first_seen, s.session_id
                    ) as touched_before
                from mailhound.sessions as s, unnest(s.mailbox_owners) as o (owner)
                where o.owner <> lower(s.actor)
                """,
            stored: """
                select tenant, session_id, actor, actor_key, actor_kind, operations, mailbox, first_seen, last_seen,
                    touched_before
                from mailhound.mailbox_touches
                """)
    }

    /// Each identity's sessions of a day from one address and client, worked out here from the
    /// sessions, and how many rows differ from what the run stored in mailhound.actor_days.
    static func actorDays(_ connection: Connection) throws -> StoredRows {
        try compare(
            connection,
            computed: """
                select s.tenant, lower(s.actor) as actor_key, (s.first_seen at time zone 'UTC')::date as day,
                    s.client_ip, s.client, count(*)::integer as sessions, max(s.first_seen) as last_start,
                    bit_or(1 << extract(hour from s.first_seen at time zone 'UTC')::integer) as start_hours,
                    bit_or(mailhound.active_hours(s.first_seen, s.last_seen)) as active_hours,
                    count(*) filter (
                        where s.actor_kind in ('user', 'delegate', 'admin')
                            and s.operations && array['MailItemsAccessed', 'MessageBind', 'FolderBind']
                    )::integer as mail_reads
                from mailhound.sessions as s
                where s.actor is not null
                group by 1, 2, 3, 4, 5
                """,
            stored: """
                select tenant, actor_key, day, client_ip, client, sessions, last_start, start_hours, active_hours,
                    mail_reads
                from mailhound.actor_days
                """)
    }

    /// The tenants' spans against the same counted from every session (working hours aside).
    static func tenantSpans(_ connection: Connection) throws -> StoredRows {
        try compare(
            connection,
            computed: """
                select tenant, min(first_seen) as data_from, max(last_seen) as data_until, sum(events)::bigint as events,
                    count(*) as sessions
                from mailhound.sessions
                group by tenant
                """,
            stored: "select tenant, data_from, data_until, events, sessions from mailhound.tenant_spans")
    }

    /// How many sessions read each number of items, against the same counted from every session.
    static func sessionItemCounts(_ connection: Connection) throws -> StoredRows {
        try compare(
            connection,
            computed: "select tenant, items, count(*) as sessions from mailhound.sessions group by tenant, items",
            stored: "select tenant, items, sessions from mailhound.session_item_counts")
    }

    /// How many rows `computed` gives, and how many rows differ between it and `stored` (a row on
    /// one side only, counted as often as it stands there).
    private static func compare(_ connection: Connection, computed: String, stored: String) throws -> StoredRows {
        let row = try connection.execute(
            Query(
                unsafeSQL: """
                    with computed as (\(computed)), stored as (\(stored))
                    select (select count(*) from computed) as rows,
                        (select count(*) from ((select * from computed except all select * from stored)
                            union all (select * from stored except all select * from computed)) as d) as differing
                    """)
        ).rows.first
        return StoredRows(count: row?.int("rows") ?? -1, differing: row?.int("differing") ?? -1)
    }

    struct StoredRows: Equatable {
        var count: Int
        var differing: Int
    }
}

/// The lines a `TestDatabase.collectingLogger()` wrote, in order.
final class LoggedLines: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }
}
