import Foundation
import PostgresClient
import Testing

/// Loaders, detectors and admins: every command works with the least role it names, the others
/// are refused with the role that is missing, and a loader cannot change what detection decided.
@Suite("Operator roles")
struct OperatorRolesTests {
    @Test(
        "each role runs its commands, is refused the others with the role it lacks, and touches nothing else",
        .enabled(if: mailhoundExecutable != nil))
    func leastPrivilege() throws {
        let database = try TestDatabase.fresh("roles")
        let owner = try database.connect()
        let suffix = String(UInt32.random(in: 0...UInt32.max))
        let logins = ["loader": "lou_\(suffix)", "detector": "dee_\(suffix)", "admin": "ada_\(suffix)"]
        for (kind, login) in logins.sorted(by: { $0.key < $1.key }) {
            try owner.execute(Query(unsafeSQL: "create role \(login) login", name: "create login"))
            let granted = try mailhoundRun(["grant", kind, login, "--database-url", database.conninfo])
            #expect(granted.status == 0, "\(granted.errors)")
        }
        defer {
            for login in logins.values {
                _ = try? owner.execute(Query(unsafeSQL: "drop owned by \(login); drop role \(login)", name: "drop"))
            }
        }
        func run(_ kind: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
            try mailhoundRun(arguments + ["--database-url", database.conninfo + " user=\(logins[kind] ?? "")"])
        }
        let files = ["purview.csv", "httpproxy.log"].map { IngestTests.fixtures.appendingPathComponent($0).path }

        // The loader loads and reads the quarantine; detection is not its to run. It loads even
        // without the right to defer and build the group-key index (grants an administrator made
        // before those functions came): the index then stays as it is.
        try owner.executeScript(
            """
            revoke execute on function mailhound.defer_session_index(bigint), mailhound.restore_deferred_indexes()
                from mailhound_loader
            """, name: "revoke index upkeep")
        let loaded = try run("loader", ["ingest", "--tenant", "t1"] + files)
        #expect(loaded.status == 2 && loaded.errors.contains("ingest: 2 files"), "\(loaded.errors)")
        #expect(try run("loader", ["errors"]).status == 0)
        let refusedDetect = try run("loader", ["detect"])
        #expect(refusedDetect.status == 1)
        #expect(
            refusedDetect.errors.hasSuffix(
                "(SQLSTATE 42501)\nhint: this command needs the role mailhound_detector (or mailhound_admin): the database's owner runs mailhound grant detector LOGIN\n"
            ), "\(refusedDetect.errors)")

        // The detector detects (its statistics refreshed without owning the tables: no warning)
        // and keeps the allow-list; loading is not its to do.
        let detected = try run("detector", ["detect"])
        #expect(detected.status == 0 && !detected.errors.contains("WARNING"), "\(detected.errors)")
        #expect(
            try run("detector", ["allow", "add", "--actor", "backup@example.com", "--reason", "backup"]).status == 0)
        #expect(try run("detector", ["sessions"]).status == 0)
        let refusedIngest = try run("detector", ["ingest", "--tenant", "t1", "--reload"] + files)
        #expect(
            refusedIngest.status == 1
                && refusedIngest.errors.hasSuffix(
                    "hint: this command needs the role mailhound_loader (or mailhound_admin): the database's owner runs mailhound grant loader LOGIN\n"
                ), "\(refusedIngest.errors)")
        let refusedPrune = try run("detector", ["prune", "--before", "2030-01-01"])
        #expect(
            refusedPrune.status == 1
                && refusedPrune.errors.hasSuffix(
                    "hint: this command needs the role mailhound_admin: the database's owner runs mailhound grant admin LOGIN\n"
                ), "\(refusedPrune.errors)")
        let refusedGrant = try run("admin", ["grant", "reader", logins["loader"] ?? ""])
        #expect(
            refusedGrant.status == 1
                && refusedGrant.errors.hasSuffix(
                    "hint: this command changes the schema or hands out roles: run it as the database's owner\n"),
            "\(refusedGrant.errors)")

        // What a loader may not touch, tried in SQL: each refused.
        let loader = try Connection(conninfo: database.conninfo + " user=\(logins["loader"] ?? "")")
        for statement in [
            "delete from mailhound.findings", "update mailhound.detectors set sql_text = ''",
            "insert into mailhound.allowlist (actor, reason) values ('x', 'y')", "delete from mailhound.detection_runs",
            "delete from mailhound.events", "select count(*) from mailhound.sessions",
        ] {
            #expect(throws: PostgresError.self, "\(statement)") {
                try loader.execute(Query(unsafeSQL: statement, name: "forbidden"))
            }
        }

        // The admin holds every role: it loads, detects, and prunes.
        #expect(try run("admin", ["ingest", "--tenant", "t2", "--reload"] + files).status == 2)
        #expect(try run("admin", ["detect"]).status == 0)
        let pruned = try run("admin", ["prune", "--before", "2030-01-01"])
        #expect(pruned.status == 0, "\(pruned.errors)")
        let left = try owner.execute("select count(*) as n from mailhound.events").rows.first?.int("n")
        #expect(left == 0)
    }
}
