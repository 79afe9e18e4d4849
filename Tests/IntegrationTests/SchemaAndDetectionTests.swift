import AuditSources
import Detection
import Foundation
import Ingest
import Store
import SyntheticData
import Testing

@Suite("Schema and detection")
struct SchemaAndDetectionTests {
    @Test("migrate is idempotent and every analyst table, view and column has a comment")
    func schema() throws {
        let database = try TestDatabase.fresh("schema")
        let connection = try database.connect()
        #expect(try Migrator(directory: TestDatabase.sql).migrate(connection).isEmpty)
        let missing = try connection.execute(
            """
            select c.relname || coalesce('.' || a.attname, '') as object
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace and n.nspname in ('analyst', 'mailhound')
            left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where c.relkind in ('r', 'v')
                and coalesce(col_description(c.oid, a.attnum), obj_description(c.oid)) is null
                or (c.relkind in ('r', 'v') and n.nspname in ('analyst', 'mailhound') and a.attnum = 1
                    and obj_description(c.oid) is null)
            order by 1
            """)
        #expect(missing.rows.compactMap { $0["object"] } == [])
    }

    @Test("a database one migration behind upgrades although analyst views depend on the table it drops")
    func upgradeUnderViews() throws {
        let connection = try TestDatabase.fresh("upgrade").connect()
        // Put the database back where 0003 left it: loaded_files with a view on it, 0004 not applied.
        try connection.executeScript(
            """
            delete from mailhound.schema_migrations where version = 4;
            drop table mailhound.file_checkpoints cascade;
            create table mailhound.loaded_files (path text primary key);
            create view analyst.loaded_files as select path from mailhound.loaded_files;
            """, name: "downgrade")
        #expect(try Migrator(directory: TestDatabase.sql).migrate(connection) == ["0004_file_checkpoints.sql"])
        let views = try connection.execute(
            """
            select string_agg(table_name, ',' order by table_name) as names from information_schema.views
            where table_schema = 'analyst' and table_name in ('file_checkpoints', 'loaded_files')
            """)
        #expect(views.rows.first?["names"] == "file_checkpoints")
    }

    @Test("the demo intrusion ranks first, for reasons citing the export and the downloads")
    func demoRanksFirst() throws {
        let (connection, summary) = try loadDemo("demo")
        #expect(summary.quarantined == 0)
        let run = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(
            connection)
        #expect(run.findings > 0)
        let top = try RankedSession.top(5, minimumScore: 0, from: connection)
        let first = try #require(top.first)
        #expect(first.actor == DemoTenant.intruder)
        #expect(first.clientIP == DemoTenant.intruderAddress)
        #expect(first.severity == "critical")
        #expect(first.detectors.first == "export-request")
        #expect(
            Set(["non-owner-sync", "privileged-role", "role-then-read", "export-then-fetch"]).isSubset(
                of: first.detectors))
        #expect(first.reasons.first?.contains("aspnet_client") == true)
        #expect(
            Set(first.mailboxOwners) == Set(DemoTenant.executives.map { "\($0)@\(DemoTenant.domain)" }))
        #expect(top.dropFirst().allSatisfy { $0.score < first.score })
        #expect(top.map(\.rank) == Array(1...top.count))

        // --min-score keeps the ranking and drops what scores lower.
        let strong = try RankedSession.top(100, minimumScore: 50, from: connection)
        #expect(!strong.isEmpty && strong.allSatisfy { $0.score >= 50 })
        #expect(strong.map(\.id) == top.prefix(strong.count).map(\.id))

        // A rerun replaces the findings instead of adding to them.
        let again = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(
            connection)
        #expect(again.findings == run.findings)
        #expect(again.runID == run.runID + 1)
        let stored = try connection.execute("select count(*) as n from mailhound.findings").rows.first?
            .int("n")
        #expect(stored == run.findings)
    }

    @Test("an allow-listed app's findings are kept but suppressed and do not score")
    func allowList() throws {
        let (connection, _) = try loadDemo("allow")
        let runner = DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger)
        let backupActor = "ServicePrincipal_\(DemoTenant.backupAppID)"
        _ = try runner.run(connection)
        let before = try RankedSession.top(1000, minimumScore: 0, from: connection).filter {
            $0.actor == backupActor
        }
        #expect(!before.isEmpty)
        try connection.execute(
            "insert into mailhound.allowlist (tenant, app_id, reason) values (\(DemoTenant.organizationID), \(DemoTenant.backupAppID), 'backup')"
        )
        let run = try runner.run(connection)
        #expect(run.suppressed > 0)
        let after = try RankedSession.top(1000, minimumScore: 0, from: connection).filter {
            $0.actor == backupActor
        }
        #expect(after.isEmpty)
    }

    /// A fresh database holding the demo tenant.
    func loadDemo(_ label: String) throws -> (Connection, IngestSummary) {
        let connection = try TestDatabase.fresh(label).connect()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "demo-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try (DemoTenant().jsonLines().joined(separator: "\n") + "\n").write(
            to: file, atomically: true, encoding: .utf8)
        let summary = try Ingestor(connection: connection, logger: TestDatabase.logger).ingest([
            InputFile(path: file.path)
        ])
        return (connection, summary)
    }
}
