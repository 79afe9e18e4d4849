import AuditSources
import Detection
import Foundation
import Ingest
import PostgresClient
import Store
import Testing

/// An MSSP's database: two tenants, a reader bound to each. Neither sees anything of the other,
/// through any analyst view, a rank, a count or mailhound's own read commands.
@Suite("Readers bound to tenants")
struct TenantIsolationTests {
    @Test(
        "every analyst view shows a bound reader its tenant's rows only, in both directions",
        .enabled(if: mailhoundExecutable != nil))
    func isolation() throws {
        let database = try TestDatabase.fresh("isolation")
        let owner = try database.connect()
        let files = ["mailbox-audit-dmy.csv", "admin-audit.csv", "httpproxy.log", "iis.log"].map {
            InputFile(path: IngestTests.fixtures.appendingPathComponent($0).path)
        }
        for tenant in ["alpha", "beta"] {
            var options = Ingestor.Options()
            options.read.tenant = tenant
            // The same files for each tenant: read again though loaded.
            options.reloadUnchanged = true
            _ = try Ingestor(connection: owner, options: options, logger: TestDatabase.logger).ingest(files)
        }
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(owner)
        let suffix = String(UInt32.random(in: 0...UInt32.max))
        let readers = ["alpha": "reader_alpha_\(suffix)", "beta": "reader_beta_\(suffix)"]
        for (tenant, reader) in readers {
            try owner.execute(Query(unsafeSQL: "create role \(reader) login", name: "create reader"))
            let granted = try mailhoundRun(
                ["grant", "reader", reader, "--tenant", tenant, "--database-url", database.conninfo])
            #expect(
                granted.status == 0
                    && granted.errors == "grant: \(reader) reads the analyst views of tenants: \(tenant)\n")
        }
        defer {
            for reader in readers.values {
                _ = try? owner.execute(Query(unsafeSQL: "drop owned by \(reader); drop role \(reader)", name: "drop"))
            }
        }
        let views = try owner.execute(
            """
            select c.relname as view, bool_or(a.attname = 'tenant') as has_tenant
            from pg_class as c
            join pg_namespace as n on n.oid = c.relnamespace and n.nspname = 'analyst'
            join pg_attribute as a on a.attrelid = c.oid and a.attnum > 0
            where c.relkind = 'v'
            group by c.relname
            order by 1
            """
        ).rows.map { ($0["view"] ?? "", $0["has_tenant"] == "t") }
        #expect(views.count >= 20)
        for (mine, reader) in readers {
            let theirs = mine == "alpha" ? "beta" : "alpha"
            let connection = try Connection(conninfo: database.conninfo + " user=\(reader)")
            for (view, hasTenant) in views {
                let sql =
                    hasTenant
                    ? "select count(*) filter (where tenant is distinct from '\(mine)') as other, count(*) as n from analyst.\(view)"
                    : "select 0 as other, count(*) as n from analyst.\(view)"
                let counts = try #require(
                    try connection.execute(Query(unsafeSQL: sql, name: view)).rows.first, "\(view)")
                #expect(counts.int("other") == 0, "\(reader) sees \(theirs) in analyst.\(view)")
                if ["file_checkpoints", "detection_runs"].contains(view) {
                    #expect(counts.int("n") == 0, "\(reader) sees analyst.\(view), which belongs to no tenant")
                }
            }
            let own = try connection.execute(
                "select (select count(*) from analyst.sessions) as sessions, (select count(*) from analyst.mailbox_events) as events, (select coalesce(min(rank), 1) from analyst.ranked_sessions) as first_rank, (select count(*) from analyst.ranked_sessions) as ranked, (select coalesce(max(rank), 0) from analyst.ranked_sessions) as last_rank"
            ).rows.first
            #expect((own?.int("sessions") ?? 0) > 0 && (own?.int("events") ?? 0) > 0, "the test sees something")
            // Ranks are counted among the reader's own sessions: no gap tells of another tenant's.
            #expect(own?.int("first_rank") == 1 && own?.int("last_rank") == own?.int("ranked"))
            #expect(throws: PostgresError.self) { try connection.execute("select count(*) from mailhound.events") }

            let url = ["--database-url", database.conninfo + " user=\(reader)"]
            let sessions = try mailhound(["sessions", "--top", "500", "--format", "json"] + url)
            let listed = try #require(
                try JSONSerialization.jsonObject(with: Data(sessions.output.utf8)) as? [[String: Any]])
            #expect(sessions.status == 0 && !listed.isEmpty && listed.allSatisfy { $0["tenant"] as? String == mine })
            let other = try owner.execute(
                "select session_id from mailhound.sessions where tenant = \(theirs) limit 1"
            ).rows.first?["session_id"]
            #expect(
                try mailhound(["session", other ?? "-"] + url).status == 4, "another tenant's session is not there")
            let detect = try mailhoundRun(["detect"] + url)
            #expect(
                detect.status == 1 && detect.errors.contains("(SQLSTATE 42501)")
                    && detect.errors.hasSuffix(
                        "hint: this command needs the role mailhound_detector (or mailhound_admin): the database's owner runs mailhound grant detector LOGIN\n"
                    ))
        }
    }
}
