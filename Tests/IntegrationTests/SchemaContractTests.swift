import Detection
import Foundation
import PostgresClient
import Rankings
import ReadModel
import Store
import Testing

/// The analyst schema is a contract: what analysts build on is never dropped under them, a
/// migration is frozen once applied, and the binary refuses a schema it does not know.
@Suite("Schema contract")
struct SchemaContractTests {
    @Test("migrate is idempotent, and every table, view and column has a comment of its own")
    func comments() throws {
        let connection = try TestDatabase.fresh("schema").connect()
        #expect(try Migrator(directory: TestDatabase.sql).migrate(connection).isEmpty)
        let missing = try connection.execute(
            """
            select n.nspname || '.' || c.relname as object
            from pg_class as c
            join pg_namespace as n on n.oid = c.relnamespace and n.nspname in ('analyst', 'mailhound')
            where c.relkind in ('r', 'v') and obj_description(c.oid, 'pg_class') is null
            union all
            select n.nspname || '.' || c.relname || '.' || a.attname
            from pg_class as c
            join pg_namespace as n on n.oid = c.relnamespace and n.nspname in ('analyst', 'mailhound')
            join pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where c.relkind in ('r', 'v') and col_description(c.oid, a.attnum) is null
                and (n.nspname, c.relname) <> ('mailhound', 'schema_migrations')
            order by 1
            """)
        #expect(missing.rows.compactMap { $0["object"] } == [])
    }

    @Test("an analyst's view on analyst.* survives migrate, detect, the rankings and a compatible view change")
    func analystViewsSurvive() throws {
        let database = try TestDatabase.fresh("survive")
        let connection = try database.connectMigrated()
        try connection.executeScript(
            """
            create schema desk;
            create view desk.top as select session_id, score from analyst.ranked_sessions;
            """, name: "analyst's view")
        let url = ["--database-url", database.conninfo]
        for command in [["migrate"], ["detect"], ["sessions"], ["accounts"], ["detect", "--full"]] {
            #expect(try mailhound(command + url).status == 0, "\(command)")
        }
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection)
        _ = try RankedSession.top(5, minimumScore: 0, from: try database.connectMigrated())
        // An upgrade that adds a column at the end of a view replaces it in place.
        let changed = try SQLTreeCopy { views in
            views["20_detection.sql"] = views["20_detection.sql"]?.replacingOccurrences(
                of: "select tenant, mailbox, readers, first_seen, last_seen\nfrom mailhound.shared_mailboxes\n",
                with:
                    "select tenant, mailbox, readers, first_seen, last_seen, 1 as added\nfrom mailhound.shared_mailboxes\n"
            )
        }
        try Migrator(directory: changed.directory).migrate(connection)
        #expect(try columns(of: "analyst.shared_mailboxes", on: connection).last == "added")
        #expect(try connection.execute("select count(*) as n from desk.top").rows.first?.int("n") != nil)
    }

    @Test("a view change PostgreSQL cannot make in place names what depends on it, and proceeds once that is gone")
    func incompatibleViewChange() throws {
        let connection = try TestDatabase.fresh("incompatible").connect()
        try connection.executeScript(
            "create view public.owners as select mailbox from analyst.shared_mailboxes", name: "analyst's view")
        let changed = try SQLTreeCopy { views in
            views["20_detection.sql"] = views["20_detection.sql"]?.replacingOccurrences(
                of: "select tenant, mailbox, readers, first_seen, last_seen\nfrom mailhound.shared_mailboxes\n",
                with: "select tenant, mailbox, first_seen, last_seen\nfrom mailhound.shared_mailboxes\n")
        }
        #expect(
            throws: StoreError(
                "this mailhound changes analyst views in a way PostgreSQL cannot make in place (cannot drop columns from view), and these depend on them: owners (on analyst.shared_mailboxes)",
                hint:
                    "drop those objects (keep their definitions: \\d+ in psql), run mailhound migrate, then create them again against the new views"
            )
        ) { try Migrator(directory: changed.directory).migrate(connection) }
        #expect(try columns(of: "analyst.shared_mailboxes", on: connection).contains("readers"))
        try connection.executeScript("drop view public.owners", name: "drop")
        try Migrator(directory: changed.directory).migrate(connection)
        #expect(
            try columns(of: "analyst.shared_mailboxes", on: connection) == [
                "tenant", "mailbox", "first_seen", "last_seen",
            ])
    }

    @Test("an open analyst transaction does not block an unchanged migrate, and a changed one times out with a hint")
    func lockTimeout() throws {
        let database = try TestDatabase.fresh("locks")
        let analyst = try database.connect()
        try analyst.execute("begin")
        try analyst.execute("select count(*) from analyst.ranked_sessions")
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try Migrator(directory: TestDatabase.sql).migrate(try database.connect()).isEmpty)
        #expect(clock.now - started < .seconds(5))
        let changed = try SQLTreeCopy { views in views["99_comments.sql"]? += "\n-- changed\n" }
        #expect(
            throws: StoreError(
                "migrate waited 1s for a lock held by another session (sql/views/20_detection.sql)",
                hint:
                    "an open transaction holds the mailhound schema or an analyst view: commit or close it (an idle psql inside begin ... ), then run again; MAILHOUND_LOCK_TIMEOUT sets the wait"
            )
        ) {
            try Migrator(directory: changed.directory, environment: ["MAILHOUND_LOCK_TIMEOUT": "1s"])
                .migrate(try database.connect())
        }
        try analyst.execute("rollback")
    }

    @Test("an applied migration whose text changed stops migrate with both hashes")
    func changedMigration() throws {
        let connection = try TestDatabase.fresh("frozen").connect()
        let changed = try SQLTreeCopy(migrations: { migrations in
            migrations["0014_explicit_work_tables.sql"]? += "\n-- edited after it landed\n"
        })
        let name = "0014_explicit_work_tables.sql"
        let original = try #require(try TestDatabase.sql.files(in: .migrations).first { $0.name == name }?.sha256)
        let edited = try #require(try changed.directory.files(in: .migrations).first { $0.name == name }?.sha256)
        #expect(
            throws: StoreError(
                "sql/migrations/0014_explicit_work_tables.sql is not the text this database applied: applied sha256 \(original), this mailhound's \(edited)",
                hint:
                    "migrations are frozen once applied: restore the file as it was and put the change in a new migration (or the database was migrated by a development build: migrate it with that build)"
            )
        ) { try Migrator(directory: changed.directory).migrate(connection) }
    }

    @Test("a database migrated by a newer mailhound is refused")
    func newerDatabase() throws {
        let connection = try TestDatabase.fresh("newer").connect()
        try connection.execute(
            "insert into mailhound.schema_migrations (version, name, sha256) values (99, '0099_future.sql', 'ab')")
        let newest = try #require(try TestDatabase.sql.files(in: .migrations).last?.name)
        #expect(
            throws: StoreError(
                "the database was migrated by a newer mailhound: it has 0099_future.sql, and this mailhound knows migrations up to \(newest)",
                hint: "run the newer mailhound on this database, or name another database")
        ) { try Migrator(directory: TestDatabase.sql).migrate(connection) }
    }

    @Test("a database built by migrations 0001 to 0013 is recognised by their hashes and not migrated again")
    func squashedMigrations() throws {
        let connection = try TestDatabase.fresh("squashed").connect()
        let baseline = try #require(try TestDatabase.sql.files(in: .migrations).first)
        let replaced = baseline.text.split(separator: "\n").filter { $0.hasPrefix("-- replaces: ") }
            .map { $0.split(separator: " ") }
        #expect(replaced.count == 13)
        try connection.execute("delete from mailhound.schema_migrations where version = 13")
        for (index, words) in replaced.enumerated() {
            try connection.execute(
                "insert into mailhound.schema_migrations (version, name, sha256) values (\(index + 1), \(String(words[2])), \(String(words[3])))"
            )
        }
        #expect(try Migrator(directory: TestDatabase.sql).migrate(connection).isEmpty)
        // One of them as a development build wrote it is not the schema the baseline stands for.
        try connection.execute("update mailhound.schema_migrations set sha256 = 'ab' where version = 6")
        #expect(throws: StoreError.self) { try Migrator(directory: TestDatabase.sql).migrate(connection) }
    }

    @Test("migration 0023 moves stored raw records into chunks: each reads back as it was, and analysts' views stay")
    func rawChunksMigration() throws {
        // The views as they were before 0023, which read events.raw and events.session_group: the
        // current ones with those few lines turned back. A view that no longer holds a line to turn
        // back fails the test, which then needs its text before 0023 (git show 6032e6f~1:sql/views/...).
        var unmatched: [String] = []
        let before = try SQLTreeCopy(
            views: { views in
                let back: [String: [(String, String)]] = [
                    "10_events.sql": [
                        (Self.chunkRead("e"), "    e.raw\n"),
                        ("s_day.session_key = e.session_key", "s_day.session_group = e.session_group"),
                        ("s_long.session_key = e.session_key", "s_long.session_group = e.session_group"),
                        // The group text's match came later: before 0023 the text was the join.
                        (Self.groupTextMatch("s_day"), ""),
                        (Self.groupTextMatch("s_long"), ""),
                    ],
                    "30_web.sql": [
                        // 0024's column first: the views before 0023 are also before 0024.
                        (" as raw,\n    missing_fields\n", " as raw\n"),
                        (Self.chunkRead("w"), "    raw\n"),
                        ("from mailhound.web_requests as w\n", "from mailhound.web_requests\n"),
                    ],
                    "20_detection.sql": [
                        // 0043's column: no clients before it.
                        (
                            "access_types, operations, clients\nfrom mailhound.sessions\n",
                            "access_types, operations\nfrom mailhound.sessions\n"
                        ),
                        // 0027's table: the views before 0023 are also before 0027, and scored
                        // sessions from the findings as they did then.
                        (
                            "from mailhound.session_scores as sc\n",
                            "from (\(TestDatabase.scoresFromFindings)) as sc\n"
                        ),
                        // 0038's table: accounts ranked from the findings as they were then.
                        (
                            "from mailhound.account_scores as a\n",
                            """
                            from (select tenant, role, account, score, sessions, detectors, reasons
                                from (\(TestDatabase.accountsFromFindings)) as ranked) as a

                            """
                        ),
                        // 0035's table: no actors' days before it.
                        (
                            "from mailhound.actor_days\n",
                            """
                            from (select null::text as tenant, null::text as actor_key, null::date as day,
                                null::inet as client_ip, null::text as client, null::integer as sessions,
                                null::timestamptz as last_start, null::integer as start_hours,
                                null::integer as active_hours, null::integer as mail_reads where false) as actor_days

                            """
                        ),
                        // 0034's table: no touches before it.
                        (
                            "from mailhound.mailbox_touches as t\n",
                            """
                            from (select null::text as tenant, null::text as session_id, null::text as actor,
                                null::text as actor_key, null::text as actor_kind, null::text[] as operations,
                                null::text as mailbox, null::timestamptz as first_seen,
                                null::timestamptz as touched_before where false) as t

                            """
                        ),
                        // 0041's table: no item counts before it.
                        (
                            "from mailhound.session_item_counts\n",
                            """
                            from (select null::text as tenant, null::bigint as items, null::bigint as sessions
                                where false) as session_item_counts

                            """
                        ),
                        // 0032's table: no spans before it (nor 0033's working hours).
                        (
                            "from mailhound.tenant_spans\n",
                            """
                            from (select null::text as tenant, null::timestamptz as data_from,
                                null::timestamptz as data_until, null::bigint as events, null::bigint as sessions,
                                null::integer as working_hours) as t

                            """
                        ),
                    ],
                    "40_timeline.sql": [
                        ("e.session_key = s.session_key", "e.session_group = s.session_group"),
                        ("select o.session_id, o.session_key,", "select o.session_id, o.session_group,"),
                        ("e.session_key <> s.session_key", "e.session_group <> s.session_group"),
                        (Self.groupTextMatch("s"), ""),
                    ],
                    "98_grants.sql": [
                        // 0025's and 0027's tables first: the views before 0023 are also before them.
                        ("mailhound.session_scores, ", ""),
                        ("mailhound.account_scores, ", ""),
                        ("mailhound.tenant_spans, ", ""),
                        ("mailhound.mailbox_touches, ", ""),
                        ("mailhound.actor_days, ", ""),
                        ("mailhound.session_item_counts, ", ""),
                        ("mailhound.rebuilt_sessions, ", ""),
                        (" mailhound.session_counts,", ""),
                        (",\n            mailhound.raw_chunks\n", "\n"),
                        ("        grant usage on sequence mailhound.raw_chunk_runs to mailhound_loader;\n", ""),
                        (", mailhound.raw_chunks\n", "\n"),
                    ],
                ]
                for (name, replacements) in back {
                    for (now, then) in replacements {
                        guard views[name]?.contains(now) == true else {
                            unmatched.append("\(name): \(now)")
                            continue
                        }
                        views[name] = views[name]?.replacingOccurrences(of: now, with: then)
                    }
                }
            },
            migrations: { migrations in
                for later in [
                    "0023_raw_chunks_session_keys.sql", "0024_web_missing_fields.sql",
                    "0025_rebuilt_sessions_work_table.sql", "0026_keys_lead_with_record_ids.sql",
                    "0027_session_scores.sql", "0028_rebuild_from_last_session.sql",
                    "0029_non_owner_sync_index.sql", "0030_drop_array_helpers.sql",
                    "0031_deferred_indexes.sql", "0032_tenant_spans.sql", "0033_working_hours.sql",
                    "0034_mailbox_touches.sql", "0035_actor_days.sql", "0036_tenant_spans_by_difference.sql",
                    "0037_session_keys_from_ingest.sql", "0038_account_scores.sql", "0039_session_counts.sql",
                    "0040_account_last_session.sql", "0041_session_item_counts.sql",
                    "0042_session_counts_by_actor.sql", "0043_session_clients.sql",
                    "0044_session_key_by_id.sql", "0045_sessions_by_actor_first.sql",
                    "0046_no_statistics_for_shown_columns.sql",
                    "0047_ranking_order_index.sql", "0049_session_counts_by_file_and_day.sql",
                    "0050_values_digest.sql",
                ] {
                    migrations[later] = nil
                }
            })
        #expect(unmatched == [])
        let database = try TestDatabase.fresh("chunk_upgrade", migratedWith: before.directory)
        let connection = try database.connect()
        try connection.executeScript(
            """
            insert into mailhound.events (
                tenant, record_id, occurred_at, operation, actor_kind, actor, client_ip, app_id, source_session_id,
                mailbox_owner, source_file, source_line, source_offset, raw)
            select 'tenant-' || (i % 2), gen_random_uuid(), timestamptz '2024-05-01' + i * interval '1 minute',
                'MailItemsAccessed', 'user', 'User' || (i % 5) || '@contoso.example', ('10.0.0.' || (i % 7))::inet,
                case when i % 3 = 0 then 'app-' || i % 4 end, case when i % 11 = 0 then 'sid-' || i end,
                'owner@contoso.example', 'file-' || (i % 3), i, i * 100,
                '{"Id":' || i || ',"Subject":"' || repeat(case when i % 4 = 0 then 'zoë🙂' else 'a' end, i) || '"}'
            from generate_series(1, 150) as i;
            insert into mailhound.web_requests (
                tenant, request_key, occurred_at, log_kind, source_file, source_line, source_offset, raw)
            select 'tenant-0', gen_random_uuid(), timestamptz '2024-05-01' + i * interval '1 second', 'httpproxy',
                'proxy.log', i, i * 80, '2024-05-01T00:00:0' || i || 'Z,POST,/ecp/y.js,ünïcode ' || i
            from generate_series(1, 9) as i;
            create schema desk;
            create view desk.raw_reads as select record_id, raw from analyst.mailbox_events;
            -- Built on the ranking of that time, which grouped sessions by their key's columns:
            -- 0044 changes that key under it.
            create view desk.top_sessions as select session_id, score from analyst.ranked_sessions;
            -- Findings of an earlier run: 0027 scores them, so the ranking reads as it did.
            insert into mailhound.detection_runs (mode) values ('full');
            insert into mailhound.sessions (
                tenant, session_id, session_group, actor, actor_kind, client_ips, first_seen, last_seen, events,
                items, bytes, mailbox_owners, access_types, operations)
            select 'tenant-0', 'session-' || i, 'group-' || i, 'User' || i || '@contoso.example', 'user', '{}',
                timestamptz '2024-05-01' + i * interval '1 hour', timestamptz '2024-05-01' + i * interval '1 hour',
                1, i, 0, array['owner@contoso.example'], '{}', array['MailItemsAccessed']
            from generate_series(1, 3) as i;
            insert into mailhound.findings (tenant, session_id, detector_id, run_id, points, reason, evidence, suppressed_by)
            select 'tenant-0', v.session_id, v.detector_id, (select max(run_id) from mailhound.detection_runs), v.points,
                v.detector_id || ' in ' || v.session_id, '{}', v.suppressed_by
            from (values ('session-1', 'off-hours', 50, null::bigint), ('session-1', 'new-client', 40, null),
                ('session-3', 'off-hours', 20, null), ('session-2', 'off-hours', 20, 7)) as v(session_id, detector_id, points, suppressed_by);
            """, name: "records stored before 0023")
        func digests(_ events: String, _ web: String) throws -> QueryResult.Row? {
            try connection.execute(
                Query(
                    unsafeSQL: """
                        select
                            (select md5(string_agg(record_id::text || raw, ',' order by record_id)) from \(events)) as events,
                            (select md5(string_agg(request_key::text || raw, ',' order by request_key)) from \(web)) as web
                        """)
            ).rows.first
        }
        let stored = try #require(try digests("mailhound.events", "mailhound.web_requests"))
        try Migrator(directory: TestDatabase.sql).migrate(connection)
        let migrated = try #require(try digests("analyst.mailbox_events", "analyst.web_requests"))
        #expect(migrated["events"] == stored["events"] && migrated["web"] == stored["web"])
        #expect(try connection.execute("select count(*) as n from desk.raw_reads").rows.first?.int("n") == 150)
        let chunks = try #require(
            try connection.execute(
                """
                select count(*) as n, count(distinct tenant) as tenants,
                    bool_and(first_at <= last_at and octet_length(body) < 16384 + 1400) as bounded
                from mailhound.raw_chunks
                """
            ).rows.first)
        // About 27 KB of texts in tenant-0 and 7 KB in tenant-1: chunks of 16 KB and the record that
        // crosses it.
        #expect(chunks.int("n") == 3 && chunks.int("tenants") == 2 && chunks["bounded"] == "t")
        let keys = try connection.execute(
            """
            select count(*) as n from mailhound.events
            where session_key <> hashtextextended(tenant || '|' || mailhound.session_group(actor, source_session_id,
                client_ip, coalesce(nullif(client_app_id, ''), nullif(app_id, ''), client_info)), 0)
            """)
        #expect(keys.rows.first?.int("n") == 0, "the generated key hashes what mailhound.session_group() names")
        let ranking = try connection.execute(
            "select format('%s %s %s %s', rank, session_id, score, detectors) as line from analyst.ranked_sessions order by rank"
        ).rows.compactMap { $0["line"] }
        #expect(ranking == ["1 session-1 70 {off-hours,new-client}", "2 session-3 20 {off-hours}"])
        let top = try connection.execute(
            "select string_agg(session_id || ' ' || score, ', ' order by score desc) as line from desk.top_sessions")
        #expect(top.rows.first?["line"] == "session-1 70, session-3 20")
        // 0038 stores the accounts as the view ranked them before it.
        let accounts = try connection.execute(
            "select format('%s %s %s %s %s', role, rank, account, score, sessions) as line from analyst.ranked_accounts order by role, rank"
        ).rows.compactMap { $0["line"] }
        #expect(
            accounts == [
                "actor 1 user1@contoso.example 70 1", "actor 2 user3@contoso.example 20 1",
                "owner 1 owner@contoso.example 70 2",
            ])
    }

    /// The lines of a view that match a record without a SessionId to the session of its own group
    /// text (session alias `alias`).
    static func groupTextMatch(_ alias: String) -> String {
        """
            and (\(alias).source_session_id is not null
                or \(alias).session_group = mailhound.session_group(
                    e.actor, null, e.client_ip, mailhound.record_app(e.client_app_id, e.app_id, e.client_info)))

        """
    }

    /// The lines of a view that read a record's raw text from its chunk (row alias `alias`).
    static func chunkRead(_ alias: String) -> String {
        let comment = alias == "e" ? "The record's text" : "The log line"
        return """
                -- \(comment), verbatim, from the chunk ingest packed it in.
                (select substr(c.body, \(alias).raw_start, \(alias).raw_length) from mailhound.raw_chunks as c
                    where c.tenant = \(alias).tenant and c.chunk_id = \(alias).raw_chunk) as raw

            """
    }

    @Test("the sql/ built into the binary is the package's sql/, file for file")
    func builtInTree() throws {
        for folder in SQLFolder.allCases {
            let builtIn = try SQLDirectory.builtIn.files(in: folder)
            let onDisk = try TestDatabase.sql.files(in: folder)
            #expect(builtIn.map(\.name) == onDisk.map(\.name), "\(folder)")
            #expect(builtIn.map(\.sha256) == onDisk.map(\.sha256), "\(folder)")
            #expect(!builtIn.isEmpty)
        }
    }

    private func columns(of view: String, on connection: Connection) throws -> [String] {
        try connection.execute(
            """
            select attname from pg_attribute where attrelid = \(view)::regclass and attnum > 0 and not attisdropped
            order by attnum
            """
        ).rows.compactMap { $0["attname"] }
    }
}

/// A copy of the package's `sql/` in a temporary folder with some files changed: an upgrade as a
/// newer build would bring it.
final class SQLTreeCopy {
    let root: URL
    var directory: SQLDirectory { SQLDirectory(root: root) }

    init(
        views change: (inout [String: String]) -> Void = { _ in },
        migrations changeMigrations: (inout [String: String]) -> Void = { _ in },
        detectors changeDetectors: (inout [String: String]) -> Void = { _ in }
    ) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sql-\(UUID().uuidString)")
        for folder in SQLFolder.allCases {
            var files = Dictionary(
                uniqueKeysWithValues: try TestDatabase.sql.files(in: folder).map { ($0.name, $0.text) })
            if folder == .views { change(&files) }
            if folder == .migrations { changeMigrations(&files) }
            if folder == .detectors { changeDetectors(&files) }
            let directory = root.appendingPathComponent(folder.rawValue)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, text) in files {
                try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}
