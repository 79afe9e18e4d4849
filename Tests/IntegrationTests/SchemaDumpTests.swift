import Foundation
import Store
import Testing

/// `sql/schema.sql` is the schema a fresh `migrate` builds, as `pg_dump --schema-only` prints it,
/// so a reviewer sees every schema change as a diff of that file. Function bodies stand as their
/// SHA-256 (the bodies are in sql/functions), owners and dump-session lines are left out.
@Suite("Schema dump")
struct SchemaDumpTests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sql/schema.sql")

    @Test("sql/schema.sql is what a fresh migrate builds (MAILHOUND_WRITE_SCHEMA=1 rewrites it)")
    func schemaMatches() throws {
        let database = try TestDatabase.fresh("dump")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).sql")
        defer { try? FileManager.default.removeItem(at: output) }
        let pgDump = try EmbeddedCluster.locateServerBinaries().appendingPathComponent("pg_dump").path
        let status = try Subprocess.run(
            [pgDump, "--schema-only", "--no-owner", "--no-privileges", "--dbname", database.conninfo],
            outputPath: output.path)
        let dump = try String(contentsOf: output, encoding: .utf8)
        #expect(status == 0, "\(dump)")
        let schema = SchemaDump.normalized(dump)
        if ProcessInfo.processInfo.environment["MAILHOUND_WRITE_SCHEMA"] == "1" {
            try schema.write(to: Self.committed, atomically: true, encoding: .utf8)
        }
        let committed = (try? String(contentsOf: Self.committed, encoding: .utf8)) ?? ""
        #expect(
            committed == schema,
            "sql/schema.sql differs from a fresh migrate: run MAILHOUND_WRITE_SCHEMA=1 swift test --filter SchemaDump and review the diff"
        )
    }

    @Test("a function body becomes its hash, and the dump's session lines go")
    func normalization() {
        let dump = """
            -- Dumped from database version 15.18
            \\restrict abc
            SET statement_timeout = 0;
            CREATE FUNCTION mailhound.f() RETURNS integer
                LANGUAGE sql
                AS $$ select 1 $$;


            CREATE FUNCTION mailhound.g() RETURNS void
                LANGUAGE plpgsql
                AS $_$
            begin
                execute $x$ select 1 $x$;
            end
            $_$;
            \\unrestrict abc
            """
        #expect(
            SchemaDump.normalized(dump) == """
                CREATE FUNCTION mailhound.f() RETURNS integer
                    LANGUAGE sql
                    AS $$ -- body: sha256 \(SchemaDump.sha256(" select 1 ")) $$;

                CREATE FUNCTION mailhound.g() RETURNS void
                    LANGUAGE plpgsql
                    AS $_$ -- body: sha256 \(SchemaDump.sha256("\nbegin\n    execute $x$ select 1 $x$;\nend\n")) $_$;

                """)
    }
}

enum SchemaDump {
    static func normalized(_ dump: String) -> String {
        var text = dump
        // Function bodies: AS $tag$ ... $tag$; (pg_dump picks a tag the body does not hold).
        let body = try! Regex(#"AS (\$[A-Za-z_]*\$)(.*?)\1;"#).dotMatchesNewlines()
        text = text.replacing(body) { match in
            let tag = String(match.output[1].substring ?? "")
            let content = String(match.output[2].substring ?? "")
            return "AS \(tag) -- body: sha256 \(sha256(content)) \(tag);"
        }
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            !line.hasPrefix("-- Dumped ") && !line.hasPrefix("\\restrict") && !line.hasPrefix("\\unrestrict")
                && !line.hasPrefix("SET ") && !line.hasPrefix("SELECT pg_catalog.set_config")
        }
        var lines: [Substring] = []
        for line in kept where !(line.isEmpty && (lines.last?.isEmpty ?? true)) { lines.append(line) }
        return lines.joined(separator: "\n").trimmingCharacters(in: .newlines) + "\n"
    }

    static func sha256(_ text: String) -> String { SQLFile(name: "", text: text).sha256 }
}
