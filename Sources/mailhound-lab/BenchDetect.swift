import ArgumentParser
import CommandSupport
import Detection
import Foundation
import PostgresClient
import Rankings
import ReadModel
import Reports
import Store

struct BenchDetect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Measure detection at growing sizes: full and incremental detect, sessions and accounts.",
        discussion: """
            For each size, a scratch database mailhound_bench_detect gets that many generated mailbox events \
            (deterministic: a few thousand users over 90 days, sessions of up to 8 hours, delegates, apps, syncs and \
            new addresses mixed in), stored by SQL so that the figures measure detection alone. It then times \
            `detect --full`, one more day of events followed by an incremental `detect`, `sessions --top 50`, \
            `accounts --top 20` and `session ID` of the top session, and prints each figure with its target \
            (issue 21's) and the growth between sizes. Each detect starts after a checkpoint, which writes out \
            what the step before it wrote, as a scheduled run would find it.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Event counts to measure, comma-separated.")
    var sizes = "1000000,3000000,10000000"

    @Option(help: "Distinct users of the generated tenant.")
    var users = 3000

    @Option(help: "Days the generated events span.")
    var days = 90

    func run() async throws {
        let counts = try commaSeparated(sizes, invalid: "sizes are event counts of at least 1000") { text in
            Int(text).flatMap { $0 >= 1000 ? $0 : nil }
        }
        var figures: [Figure] = []
        var fullSeconds: [(events: Int, seconds: Double)] = []
        for count in counts {
            let measured = try measure(events: count)
            figures += measured.figures
            fullSeconds.append((count, measured.fullSeconds))
        }
        if let first = fullSeconds.first, let last = fullSeconds.last, last.events > first.events {
            let growth = (last.seconds / first.seconds) / (Double(last.events) / Double(first.events))
            figures.append(
                Figure(
                    "detect --full: time per event, \(Self.label(last.events)) ÷ \(Self.label(first.events))",
                    String(format: "%.2f", growth), target: "≤ 1.5 (linear)", passed: growth <= 1.5))
        }
        print(
            "mailhound-lab bench detect: \(users) users, \(days) days, \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
        print(Figure.table(figures))
    }

    /// Writes out what the step before a timed run left in memory (a checkpoint), so that the run
    /// does not pay for it: the generator leaves the buffer cache full of pages to write, which the
    /// run's reads would write as they evict them, where a scheduled run finds the last load and
    /// run written long since (10M events: the full run's count took 9.7 s right after the
    /// generator, 7.0 s after a checkpoint of 1.3 s). Said on stderr, with its time, or why it could
    /// not be done (a role that may not checkpoint).
    private func settle(_ connection: Connection, after step: String) {
        switch checkpoint(connection) {
        case .success(let elapsed):
            printError("wrote out \(step) (checkpoint) in \(elapsed.seconds.formatted2) s")
        case .failure(let error):
            printError("timing without writing out \(step) first: \(error)")
        }
    }

    private func measure(events count: Int) throws -> (figures: [Figure], fullSeconds: Double) {
        let logger = global.logger()
        let clock = ContinuousClock()
        let database = try Database.scratch(
            named: "mailhound_bench_detect", target: DatabaseTarget.resolve(option: global.databaseURL),
            sql: .locate(), logger: logger)
        let connection = try database.connectMigrated()
        let perDay = Double(count) / Double(days)
        let generation = try clock.measure {
            try GeneratedEvents.withoutIndexes(connection) {
                try GeneratedEvents(users: users, eventsPerDay: perDay).insert(from: 0, count: count, into: connection)
            }
            try connection.execute("vacuum analyze mailhound.events")
        }
        printError("stored \(count) generated events in \(generation.seconds.formatted2) s")
        settle(connection, after: "the generated events")

        let runner = DetectionRunner(sql: database.sql, logger: logger)
        var full = DetectionRunner.Summary?.none
        let fullTime = try clock.measure { full = try runner.run(connection, mode: .full) }
        try GeneratedEvents(users: users, eventsPerDay: perDay).insert(
            from: count, count: Int(perDay), into: connection)
        settle(connection, after: "the full run and the day more")
        var incremental = DetectionRunner.Summary?.none
        let incrementalTime = try clock.measure { incremental = try runner.run(connection, mode: .incremental) }
        var sessions: [RankedSession] = []
        let sessionsTime = try clock.measure {
            sessions = try RankedSession.top(50, minimumScore: 0, from: database.connect())
        }
        var accounts: [RankedAccount] = []
        let accountsTime = try clock.measure {
            accounts = try RankedAccount.top(20, role: .actor, from: database.connect())
        }
        // `session ID` of the top session, with the command's default timeline limit.
        var timeline: SessionTimeline?
        let timelineTime = try clock.measure {
            timeline = try sessions.first.flatMap {
                try SessionTimeline.load($0.id, limit: 500, from: database.connect())
            }
        }
        let size = Self.label(count)
        let figures = [
            Figure(
                "\(size): detect --full",
                "\(fullTime.seconds.formatted2) s (\(full?.sessions ?? 0) sessions, \(full?.findings ?? 0) findings)",
                target: "≤ 30 s", passed: fullTime.seconds <= 30 && full?.mode == .full),
            Figure(
                "\(size): detect after one more day",
                "\(incrementalTime.seconds.formatted2) s (\(incremental?.sessionsRebuilt ?? 0) sessions rebuilt)",
                target: "≤ 5 s", passed: incrementalTime.seconds <= 5 && incremental?.mode == .incremental),
            Figure(
                "\(size): sessions --top 50", "\(sessionsTime.seconds.formatted2) s (\(sessions.count) shown)",
                target: "< 0.5 s", passed: sessionsTime.seconds < 0.5 && !sessions.isEmpty),
            Figure(
                "\(size): accounts --top 20", "\(accountsTime.seconds.formatted2) s (\(accounts.count) shown)",
                target: "< 0.5 s", passed: accountsTime.seconds < 0.5 && !accounts.isEmpty),
            Figure(
                "\(size): session ID (the top session)",
                "\(timelineTime.seconds.formatted2) s (\(timeline?.timeline.count ?? 0) timeline entries)",
                target: "< 0.5 s", passed: timelineTime.seconds < 0.5 && timeline != nil),
        ]
        return (figures, fullTime.seconds)
    }

    static func label(_ count: Int) -> String {
        count % 1_000_000 == 0 ? "\(count / 1_000_000)M" : count % 1000 == 0 ? "\(count / 1000)k" : String(count)
    }
}

/// Mailbox events made by SQL, in the server, for the detection benchmark: event `i` happens at
/// `i / eventsPerDay` days after 2024-03-01, by a user picked by hashing `i`. Most reads are the
/// owner's own Bind reads from a stable address in hourly sessions; one in a hundred is a delegate
/// reading someone else's mailbox, one in five hundred an app, one in fifty a Sync, one in a
/// thousand from a new address. Detection never reads the raw text: the events of one insert share
/// one short JSON record, in one chunk.
struct GeneratedEvents {
    var users: Int
    var eventsPerDay: Double

    static let tenant = "5f1c9a2e-3b7d-4c61-9e2a-7d40c1a8e901"

    /// Runs `load` with the events table's indexes dropped, then builds them again by sorting, as
    /// one would before a bulk load: kept in place, a 10M-row load spends most of its time on
    /// random index writes. The one-day load the incremental figure times keeps its indexes.
    static func withoutIndexes(_ connection: Connection, load: () throws -> Void) throws {
        // Statements made by the catalog from its own names (format %I), not from data.
        let indexes = try connection.execute(
            """
            select
                case when c.conname is null then format('drop index mailhound.%I', i.indexname)
                    else format('alter table mailhound.events drop constraint %I', c.conname) end as drop_index,
                i.indexdef as create_index,
                case when c.conname is not null then format(
                    'alter table mailhound.events add constraint %I primary key using index %I', c.conname, i.indexname)
                end as restore_constraint
            from pg_indexes as i
            left join pg_constraint as c on c.conname = i.indexname and c.conrelid = 'mailhound.events'::regclass
            where i.schemaname = 'mailhound' and i.tablename = 'events'
            """
        ).rows
        for index in indexes {
            try connection.execute(Query(unsafeSQL: index["drop_index"] ?? "", name: "drop index"))
        }
        try load()
        try connection.execute("set maintenance_work_mem = '512MB'")
        for index in indexes {
            try connection.execute(Query(unsafeSQL: index["create_index"] ?? "", name: "create index"))
            if let constraint = index["restore_constraint"] {
                try connection.execute(Query(unsafeSQL: constraint, name: "restore constraint"))
            }
        }
    }

    /// Events `from` ..< `from + count`, in chunks of a million so that progress shows.
    func insert(from first: Int, count: Int, into connection: Connection) throws {
        var start = first
        while start < first + count {
            let chunk = min(1_000_000, first + count - start)
            try connection.execute(
                Query(
                    unsafeSQL: Self.sql,
                    binds: [String(start), String(chunk), String(users), String(eventsPerDay), Self.tenant],
                    name: "generate events"))
            start += chunk
        }
    }

    private static let sql = """
        with chunk as (
            insert into mailhound.raw_chunks (tenant, chunk_id, first_at, last_at, body)
            values ($5, nextval('mailhound.raw_chunk_runs') << 32,
                timestamptz '2024-03-01 00:00:00+00' + ($1::bigint / $4::float8) * interval '1 day',
                timestamptz '2024-03-01 00:00:00+00' + (($1::bigint + $2::bigint) / $4::float8 + 1) * interval '1 day',
                '{"Operation":"MailItemsAccessed","Workload":"Exchange","Generated":"mailhound-lab bench detect"}')
            returning chunk_id, length(body) as raw_length
        )
        insert into mailhound.events (
            tenant, record_id, occurred_at, record_type, workload, operation, result_status, actor, actor_kind,
            user_type, logon_type, mailbox_owner, mailbox_guid, client_ip, client_info, app_id, client_app_id,
            source_session_id, access_type, items, bytes, folders, is_throttled, external_access,
            source_file, source_line, source_offset, raw_chunk, raw_start, raw_length, session_key, values_digest)
        select
            r.*,
            mailhound.values_digest_of(
                r.tenant, r.actor, r.source_session_id, r.actor_kind, r.client_ip, r.client_info, r.client_app_id,
                r.app_id, r.mailbox_owner, r.access_type, r.operation)
        from (
        select
            $5, md5('bench-event-' || i)::uuid, at, 50, 'Exchange', 'MailItemsAccessed', 'Succeeded',
            keyed.actor, kind, case when kind = 'app' then 5 else 0 end, case when kind = 'delegate' then 2 else 0 end,
            case when kind = 'delegate' then 'user' || ((u + 1 + h % 50) % $3) || '@contoso.example'
                else 'user' || u || '@contoso.example' end,
            md5('mailbox-' || u)::uuid::text,
            case when h % 1000 = 7 then ('203.0.' || (h / 1000 % 200) || '.' || (h / 7 % 250 + 1))::inet
                else ('10.' || (u / 250 % 250) || '.' || (u % 250) || '.' || (1 + u % 3))::inet end,
            'Client=MSExchangeRPC', 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
            case when kind = 'app' then md5('app-' || (u % 7))::uuid::text else 'd3590ed6-52b3-4102-aeff-aad2292ab01c' end,
            keyed.session_id,
            case when h % 50 = 3 then 'Sync' else 'Bind' end,
            case when h % 50 = 3 then 0 else 1 + h % 8 end,
            case when h % 50 = 3 then 0 else (1 + h % 8) * 35000 end,
            '{"\\\\Inbox"}'::text[], false, false, 'bench-detect', i, i * 600,
            (select chunk_id from chunk), 1, (select raw_length from chunk),
            mailhound.session_key_of($5, keyed.actor, keyed.session_id, null, null)
        from (
            select
                i,
                h,
                u,
                timestamptz '2024-03-01 00:00:00+00' + (i / $4::float8) * interval '1 day'
                    + (h % 600) * interval '1 second' as at,
                case when h % 500 = 11 then 'app' when h % 100 = 5 then 'delegate' else 'user' end as kind
            from (
                select i, (hashint8(i) & 2147483647)::bigint as h, (hashint8(i * 31 + 7) & 2147483647) % $3 as u
                from generate_series($1::bigint, $1::bigint + $2::bigint - 1) as i
            ) as numbered
        ) as generated
        cross join lateral (
            select
                case when kind = 'app' then 'app-' || (u % 7) else 'user' || u || '@contoso.example' end as actor,
                md5('session-' || u || '-' || (extract(epoch from at)::bigint / 28800))::uuid::text as session_id
        ) as keyed
        ) as r (
            tenant, record_id, occurred_at, record_type, workload, operation, result_status, actor, actor_kind,
            user_type, logon_type, mailbox_owner, mailbox_guid, client_ip, client_info, app_id, client_app_id,
            source_session_id, access_type, items, bytes, folders, is_throttled, external_access,
            source_file, source_line, source_offset, raw_chunk, raw_start, raw_length, session_key)
        """
}
