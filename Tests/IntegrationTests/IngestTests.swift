import AuditSources
import DemoData
import Detection
import Foundation
import Ingest
import Logging
import PostgresClient
import Simulation
import Store
import Testing

@Suite("Ingest into PostgreSQL")
struct IngestTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("AuditSourcesTests/Fixtures")

    func ingest(
        _ names: [String], into connection: Connection, reload: Bool = false
    ) throws
        -> IngestSummary
    {
        var options = Ingestor.Options()
        options.reloadUnchanged = reload
        return try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
            .ingest(names.map { InputFile(path: Self.fixtures.appendingPathComponent($0).path) })
    }

    func count(_ table: String, _ connection: Connection) throws -> Int {
        try connection.execute(Query(unsafeSQL: "select count(*) as n from \(table)")).rows.first?.int(
            "n") ?? -1
    }

    @Test("malformed records are quarantined while the rest load")
    func quarantine() throws {
        let connection = try TestDatabase.fresh("quarantine").connect()
        let summary = try ingest(["malformed.jsonl"], into: connection)
        #expect(summary.loaded == 3)
        #expect(summary.quarantined == 6)
        #expect(summary.otherWorkloads == 1)
        #expect(try count("mailhound.events", connection) == 3)
        let lines = try connection.execute(
            "select source_line, reason from analyst.quarantine order by source_line")
        #expect(lines.rows.map { $0.int("source_line") ?? 0 } == [2, 4, 5, 6, 9, 11])
        let ip = try connection.execute("select host(client_ip) as ip from mailhound.events limit 1")
            .rows.first?["ip"]
        #expect(ip == "2001:db8::7")
    }

    @Test("raw texts read back verbatim from their chunks; overlapping files leave no orphaned chunk; prune takes them")
    func rawChunks() throws {
        let connection = try TestDatabase.fresh("raw_chunks").connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-chunks-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // 300 records of 1-3 KB, some with accents and emoji: several chunks of 16 KB.
        let lines = (0..<300).map { index in
            let id = String(format: "%08x-0000-4000-8000-%012x", index, index)
            let subject = String(
                repeating: index % 3 == 0 ? "Überweisung 🙂 " : "quarterly report ", count: 60 + index % 100)
            return
                #"{"Id":"\#(id)","CreationTime":"2024-05-\#(10 + index / 100)T09:40:03","Operation":"MailItemsAccessed","#
                + #""Workload":"Exchange","OrganizationId":"t-1","UserId":"u\#(index % 7)@contoso.example","Subject":"\#(subject)"}"#
        }
        let first = folder.appendingPathComponent("first.jsonl")
        let second = folder.appendingPathComponent("second.jsonl")
        try lines[..<200].joined(separator: "\n").write(to: first, atomically: true, encoding: .utf8)
        try lines[100...].joined(separator: "\n").write(to: second, atomically: true, encoding: .utf8)
        var options = Ingestor.Options()
        options.batchBytes = 64 << 10  // several batches, some half stored when the second file comes
        let ingestor = Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
        #expect(try ingestor.ingest([InputFile(path: first.path)]).loaded == 200)
        let again = try ingestor.ingest([InputFile(path: second.path)])
        #expect(again.loaded == 100 && again.duplicates == 100)

        let stored = try connection.execute("select raw from analyst.mailbox_events order by record_id")
        #expect(stored.rows.map { $0["raw"] ?? "" } == lines)
        let orphans = Query(
            unsafeSQL: """
                select count(*) as n from mailhound.raw_chunks as c
                where not exists (select from mailhound.events as e where e.tenant = c.tenant and e.raw_chunk = c.chunk_id)
                """)
        #expect(
            try connection.execute(orphans).rows.first?.int("n") == 0, "a chunk is written only for rows stored into it"
        )
        #expect(try count("mailhound.raw_chunks", connection) >= 20)

        _ = try Retention.prune(before: "2024-05-12", dryRun: false, from: connection)
        #expect(try count("mailhound.events", connection) == 100)
        #expect(try connection.execute(orphans).rows.first?.int("n") == 0, "a chunk goes with its last record")
        let kept = try connection.execute("select raw from analyst.mailbox_events order by record_id")
        #expect(kept.rows.map { $0["raw"] ?? "" } == Array(lines[200...]))
    }

    @Test("a batch of several tenants leaves out only keys stored under the same tenant")
    func tenantsInOneBatch() throws {
        let connection = try TestDatabase.fresh("tenants").connect()
        func record(_ id: String, _ tenant: String) -> String {
            #"{"Id":"\#(id)","CreationTime":"2024-05-14T09:40:03","Operation":"MailItemsAccessed","#
                + #""Workload":"Exchange","OrganizationId":"\#(tenant)","UserId":"u@contoso.example"}"#
        }
        let (r1, r2, r3, r4) = (
            "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222",
            "33333333-3333-4333-8333-333333333333", "44444444-4444-4444-8444-444444444444"
        )
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-tenants-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("first.jsonl")
        let second = folder.appendingPathComponent("second.jsonl")
        try [record(r1, "t-a"), record(r2, "t-b"), record(r3, "t-a")].joined(separator: "\n")
            .write(to: first, atomically: true, encoding: .utf8)
        // r2 again under t-b (stored) and under t-a (a new row: keys are per tenant).
        try [record(r1, "t-a"), record(r2, "t-b"), record(r4, "t-b"), record(r2, "t-a")].joined(separator: "\n")
            .write(to: second, atomically: true, encoding: .utf8)
        let ingestor = Ingestor(connection: connection, options: Ingestor.Options(), logger: TestDatabase.logger)
        #expect(try ingestor.ingest([InputFile(path: first.path)]).loaded == 3)
        let again = try ingestor.ingest([InputFile(path: second.path)])
        #expect(again.loaded == 2)
        #expect(again.duplicates == 2)
        let rows = try connection.execute(
            "select tenant || ' ' || record_id as key from mailhound.events order by tenant, record_id")
        #expect(
            rows.rows.compactMap { $0["key"] } == [
                "t-a \(r1)", "t-a \(r2)", "t-a \(r3)", "t-b \(r2)", "t-b \(r4)",
            ])
    }

    @Test("ingesting twice stores everything once; an unchanged file is skipped")
    func idempotent() throws {
        let connection = try TestDatabase.fresh("twice").connect()
        let names = ["malformed.jsonl", "records.jsonl.gz", "envelopes.json", "bom-crlf.jsonl"]
        let first = try ingest(names, into: connection)
        let events = try count("mailhound.events", connection)
        let quarantined = try count("mailhound.quarantine", connection)
        let second = try ingest(names, into: connection)
        #expect(second.filesSkipped == 4)
        #expect(second.recordsRead == 0)
        let forced = try ingest(names, into: connection, reload: true)
        #expect(forced.loaded == 0)
        #expect(forced.duplicates == first.loaded)
        #expect(try count("mailhound.events", connection) == events)
        #expect(try count("mailhound.quarantine", connection) == quarantined)
        #expect(events == 3 + 5 + 3 + 2)
    }

    @Test(
        "a load four times the stored events builds the group-key index once at its end, with autovacuum held off and detect not waiting for it; one that died is finished by the next run",
        .timeLimit(.minutes(2))
    )
    func deferredGroupKeyIndex() throws {
        let database = try TestDatabase.fresh("deferred_index")
        let connection = try database.connect()
        func index() throws -> (oid: String?, definition: String?) {
            let row = try connection.execute(
                """
                select to_regclass('mailhound.events_session_key')::oid::text as oid,
                    pg_get_indexdef(to_regclass('mailhound.events_session_key')) as definition
                """
            ).rows.first
            return (row?["oid"], row?["definition"])
        }
        func load(_ file: URL) throws -> IngestSummary {
            var options = Ingestor.Options()
            options.deferIndexBytes = 1
            return try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
                .ingest([InputFile(path: file.path)])
        }
        let original = try index()
        #expect(
            original.definition
                == "CREATE INDEX events_session_key ON mailhound.events USING btree (session_key, occurred_at)")

        // 150 KB into the empty table: dropped, and built again (a new index) after the rows.
        let large = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-large-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: large) }
        try (0..<100).map { index in
            #"{"Id":"\#(String(format: "%08x-0000-4000-8000-%012x", index, index))","#
                + #""CreationTime":"2024-05-10T09:\#(10 + index % 50):03","Operation":"MailItemsAccessed","#
                + #""Workload":"Exchange","OrganizationId":"t-1","UserId":"u\#(index % 7)@contoso.example","#
                + #""Subject":"\#(String(repeating: "quarterly report ", count: 90))"}"#
        }.joined(separator: "\n").write(to: large, atomically: true, encoding: .utf8)
        #expect(try load(large).loaded == 100)
        let rebuilt = try index()
        #expect(rebuilt.oid != original.oid)
        #expect(rebuilt.definition == original.definition)
        // 1 KB into a table of 100 rows: kept.
        #expect(try load(Self.fixtures.appendingPathComponent("bom-crlf.jsonl")).loaded == 2)
        #expect(try index().oid == rebuilt.oid)

        // While such a load runs, a connection holds the lock autovacuum takes without waiting,
        // so none starts on the table and delays the build; rows still go in. Released, it is free.
        func vacuumWouldStart() throws -> Bool {
            let vacuum = try database.connect()
            defer { vacuum.rollbackIfInTransaction() }
            try vacuum.execute("begin")
            do {
                try vacuum.execute("lock table mailhound.events in share update exclusive mode nowait")
                return true
            } catch  where error.sqlState == .lockNotAvailable {
                return false
            }
        }
        let hold = try #require(GroupKeyIndex.holdOffVacuum(conninfo: connection.conninfoForAnotherSession))
        #expect(try vacuumWouldStart() == false)
        let held = large.deletingLastPathComponent().appendingPathComponent("mailhound-held-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: held) }
        try (200..<202).map { index in
            #"{"Id":"\#(String(format: "%08x-0000-4000-8000-%012x", index, index))","#
                + #""CreationTime":"2024-05-11T09:00:03","Operation":"MailItemsAccessed","OrganizationId":"t-1"}"#
        }.joined(separator: "\n").write(to: held, atomically: true, encoding: .utf8)
        #expect(try load(held).loaded == 2)
        // Nor does a full detect wait for the load to sample the events (autovacuum does, after it).
        let detected = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(
            connection, mode: .full)
        #expect(detected.events == 104)
        hold.release()
        #expect(try vacuumWouldStart() == true)

        // A load that drops it and dies: while its session lives, no one else builds it...
        var dying: Connection? = try database.connect()
        let deferred = try dying?.execute("select mailhound.defer_session_index(1000000000) as deferred")
        #expect(deferred?.rows.first?.bool("deferred") == true)
        #expect(try index().oid == nil)
        let built = try connection.execute("select mailhound.restore_deferred_indexes() as built")
        #expect(built.rows.first?.int("built") == 0)
        dying = nil
        // The server lets go of the lock when its backend has exited, a moment after the client.
        for _ in 0..<200
        where try connection.execute(
            """
            select exists (
                select from pg_locks
                where locktype = 'advisory' and classid = 1835560 and objid = 2
                    and database = (select oid from pg_database where datname = current_database())
            ) as held
            """
        ).rows.first?.bool("held") == true {
            Thread.sleep(forTimeInterval: 0.05)
        }
        // ...and once it is gone, the next load does, as it was.
        #expect(try load(Self.fixtures.appendingPathComponent("envelopes.json")).loaded == 3)
        #expect(try index().definition == original.definition)
        #expect(try count("mailhound.deferred_indexes", connection) == 0)
        #expect(try count("mailhound.events", connection) == 107)
    }

    @Test("the same record in JSON lines and in a Purview CSV is stored once")
    func acrossFormats() throws {
        let connection = try TestDatabase.fresh("formats").connect()
        _ = try ingest(["bom-crlf.jsonl"], into: connection)
        let csv = try ingest(["purview.csv"], into: connection)
        #expect(csv.duplicates == 1)
        #expect(csv.loaded == 1)
        #expect(csv.quarantined == 1)
        #expect(try count("mailhound.events", connection) == 3)
    }

    @Test("shared samples: JSON and Purview exports of the same records give one row each")
    func sharedSamples() throws {
        let samples = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("shared/formats/samples")
        guard FileManager.default.fileExists(atPath: samples.path) else { return }
        let connection = try TestDatabase.fresh("samples").connect()
        let files = [
            "ual-mailitemsaccessed.jsonl", "ual-content-blob.json", "purview-audit-export.csv",
            "purview-audit-export-classic.csv",
        ]
        let summary = try Ingestor(connection: connection, logger: TestDatabase.logger)
            .ingest(files.map { InputFile(path: samples.appendingPathComponent($0).path) })
        #expect(summary.quarantined == 0)
        let distinct = try connection.execute(
            "select count(distinct record_id) as n from mailhound.events"
        ).rows
            .first?.int("n")
        #expect(try count("mailhound.events", connection) == distinct)
        #expect(summary.loaded + summary.otherWorkloads / 2 <= 28)
        #expect(summary.duplicates > 0)
    }
}

@Suite("Benchmark corpus")
struct BenchCorpusTests {
    @Test(
        "the ingest of the generated records equals the generator's own flattened rows, column for column",
        arguments: BenchCorpus.Layout.allCases)
    func normalizedEqualsFlattened(layout: BenchCorpus.Layout) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mailhound-corpus-\(getpid())-\(layout.rawValue)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("records")
        let csv = folder.appendingPathComponent("flat.csv")
        let corpus = BenchCorpus(records: 500, seed: 7)
        try corpus.write(layout, to: json, flatCSV: csv, sourceFile: json.path)
        let again = folder.appendingPathComponent("again")
        try corpus.write(layout, to: again, flatCSV: folder.appendingPathComponent("again.csv"), sourceFile: "")
        #expect(try Data(contentsOf: json) == Data(contentsOf: again))

        let connection = try TestDatabase.fresh("corpus_\(layout == .jsonLines ? "jsonl" : "purview")").connect()
        let summary = try Ingestor(connection: connection, logger: TestDatabase.logger).ingest([
            InputFile(path: json.path)
        ])
        #expect(summary.loaded == 500)
        try connection.executeScript(
            "create temp table flat as select \(BenchCorpus.columns) from analyst.mailbox_events with no data",
            name: "flat table")
        let rows = try Data(contentsOf: csv)
        try connection.copyIn(
            Query(unsafeSQL: "copy flat (\(BenchCorpus.columns)) from stdin (format csv)")
        ) { write in try rows.withUnsafeBytes { try write($0) } }
        let differing = try connection.execute(
            Query(
                unsafeSQL: """
                    select count(*) as n from (
                        (select \(BenchCorpus.columns) from analyst.mailbox_events except all
                         select \(BenchCorpus.columns) from flat)
                        union all
                        (select \(BenchCorpus.columns) from flat except all
                         select \(BenchCorpus.columns) from analyst.mailbox_events)) differing
                    """)
        ).rows.first?.int("n")
        #expect(differing == 0)
    }
}

@Suite("Rows already stored are left out of the COPY stream")
struct KeyedRowsTests {
    @Test("a subset of rows is sent exactly as encoded, framed as a complete stream")
    func keepingRows() {
        var encoder = BinaryCopyEncoder()
        for value in ["a", "bb", "ccc"] {
            encoder.appendRow(fieldCount: 1) { $0.append(text: value) }
        }
        encoder.finish()
        let kept = encoder.keepingRows { $0 != 1 }
        var expected = BinaryCopyEncoder()
        for value in ["a", "ccc"] {
            expected.appendRow(fieldCount: 1) { $0.append(text: value) }
        }
        expected.finish()
        #expect(kept.bytes == expected.bytes)
        #expect(kept.rowCount == 2)
    }

    @Test("a row that outgrows the buffer keeps the fields written before it grew")
    func rowGrowsBuffer() {
        var encoder = BinaryCopyEncoder(reservingCapacity: 64)
        let start = encoder.byteCount
        let long = String(repeating: "x", count: 1000)
        encoder.appendRow(fieldCount: 3) { row in
            row.append(text: "first")
            row.append(text: long)
            row.append(int32: 7)
        }
        let expected: [UInt8] =
            [0, 3] + [0, 0, 0, 5] + Array("first".utf8) + [0, 0, 0x03, 0xE8] + Array(long.utf8) + [
                0, 0, 0, 4, 0, 0, 0, 7,
            ]
        #expect(Array(encoder.bytes[start...]) == expected)
    }

    @Test("text fields: NUL becomes U+FFFD, empty text is a zero-length field, not NULL")
    func textFields() {
        var encoder = BinaryCopyEncoder()
        let start = encoder.bytes.count + 2  // after the row's field count
        encoder.appendRow(fieldCount: 2) { row in
            row.append(text: "a\0b")
            row.append(text: "")
        }
        let replaced = Array("a\u{FFFD}b".utf8)
        #expect(Array(encoder.bytes[start...]) == [0, 0, 0, UInt8(replaced.count)] + replaced + [0, 0, 0, 0])
    }
}
