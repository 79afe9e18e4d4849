import AuditSources
import DemoData
import Foundation
import Ingest
import PostgresClient
import Simulation
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Checkpoints: grown, replaced and interrupted files")
struct CheckpointTests {
    /// A scratch folder and the lines of a generated corpus.
    struct Corpus {
        let folder: URL
        let lines: [String]

        init(records: Int) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-checkpoints-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let json = folder.appendingPathComponent("corpus.jsonl")
            try BenchCorpus(records: records, seed: 11).write(
                jsonLines: json, flatCSV: folder.appendingPathComponent("flat.csv"), sourceFile: "")
            lines = try String(contentsOf: json, encoding: .utf8).split(separator: "\n").map(String.init)
        }

        func write(_ name: String, _ text: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }

        func append(_ path: String, _ text: String) throws {
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    func ingest(
        _ path: String, _ connection: Connection, configure: (inout Ingestor.Options) -> Void = { _ in }
    )
        throws -> IngestSummary
    {
        var options = Ingestor.Options()
        configure(&options)
        return try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
            .ingest([InputFile(path: path)])
    }

    func count(_ connection: Connection) throws -> Int {
        try connection.execute("select count(*) as n from mailhound.events").rows.first?.int("n") ?? -1
    }

    @Test("one file under three spellings (absolute, with .., through a link) is loaded once")
    func spellings() throws {
        let corpus = try Corpus(records: 10)
        defer { corpus.remove() }
        let connection = try TestDatabase.fresh("spellings").connect()
        let path = try corpus.write("ual.jsonl", corpus.lines.joined(separator: "\n") + "\n")
        try FileManager.default.createDirectory(
            at: corpus.folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let link = corpus.folder.appendingPathComponent("link.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        let dotted = corpus.folder.appendingPathComponent("sub/../ual.jsonl").path
        let ingestor = Ingestor(connection: connection, logger: TestDatabase.logger)
        #expect(try InputFile.expand([path, dotted, link]).count == 1)
        #expect(try ingestor.ingest(InputFile.expand([path])).loaded == 10)
        let again = try ingestor.ingest(InputFile.expand([dotted]))
        #expect(again.filesSkipped == 1 && again.recordsRead == 0)
        #expect(try ingestor.ingest(InputFile.expand([link])).filesSkipped == 1)
        let stored = try connection.execute(
            "select path, device is not null and inode is not null as identified from mailhound.file_checkpoints")
        #expect(stored.rows.map { $0["path"] } == [URL(fileURLWithPath: path).resolvingSymlinksInPath().path])
        #expect(stored.rows.first?.bool("identified") == true)
    }

    @Test("a file replaced after it was found is refused, not read in place of the one found")
    func replacedBeforeReading() throws {
        let corpus = try Corpus(records: 10)
        defer { corpus.remove() }
        let connection = try TestDatabase.fresh("rotated").connect()
        let path = try corpus.write("ual.jsonl", corpus.lines[0..<5].joined(separator: "\n") + "\n")
        let found = try InputFile.expand([path])
        // Rotation: the old file is moved away and a new one takes its name.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        _ = try corpus.write("ual.jsonl", corpus.lines[5...].joined(separator: "\n") + "\n")
        let summary = try Ingestor(connection: connection, logger: TestDatabase.logger).ingest(found)
        #expect(
            summary.failures.map(\.description) == [
                "\(found[0].path): replaced while mailhound was reading it (rotated?); run again to load the new file"
            ])
        #expect(try count(connection) == 0)
    }

    @Test("a file that grew is read on from its checkpoint; a half-written last line waits for its end")
    func grownFile() throws {
        let corpus = try Corpus(records: 10)
        defer { corpus.remove() }
        let connection = try TestDatabase.fresh("grown").connect()
        let path = try corpus.write("ual.jsonl", corpus.lines[0..<6].joined(separator: "\n") + "\n")
        #expect(try ingest(path, connection).loaded == 6)

        // Four more lines, the last one still being written.
        let half = corpus.lines[9].prefix(100)
        try corpus.append(path, corpus.lines[6..<9].joined(separator: "\n") + "\n" + half)
        let second = try ingest(path, connection) { $0.holdBackUnterminatedTails = true }
        #expect(second.filesResumed == 1)
        #expect(second.recordsRead == 3)
        #expect(second.loaded == 3)
        #expect(second.quarantined == 0)

        try corpus.append(path, String(corpus.lines[9].dropFirst(100)) + "\n")
        let third = try ingest(path, connection) { $0.holdBackUnterminatedTails = true }
        #expect(third.recordsRead == 1)
        #expect(third.loaded == 1)
        #expect(try count(connection) == 10)
        let lines = try connection.execute("select source_line from mailhound.events order by source_line")
        #expect(lines.rows.map { $0.int("source_line") ?? 0 } == Array(1...10))
        #expect(try ingest(path, connection).filesSkipped == 1)
    }

    @Test("an IIS log that grew resumes under the #Fields it was read with")
    func grownWebLog() throws {
        let connection = try TestDatabase.fresh("grownweb").connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-iis-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("u_ex210302.log").path
        let fields =
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status\n"
        try Data((fields + "2021-03-02 02:04:00 192.0.2.10 GET /owa/ - 443 - 192.0.2.41 Mozilla/5.0 200\n").utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(try ingest(path, connection).loaded == 1)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data(
                "2021-03-02 02:05:00 192.0.2.10 POST /ecp/y.js - 443 - 203.0.113.66 python-requests/2.25.1 200\n".utf8))
        try handle.close()
        let second = try ingest(path, connection)
        #expect(second.filesResumed == 1)
        #expect(second.loaded == 1)
        #expect(second.quarantined == 0)
        let flagged = try connection.execute(
            "select indicators from mailhound.web_requests where url_stem = '/ecp/y.js'"
        ).rows.first?.textArray("indicators")
        #expect(flagged == ["static-post", "campaign-user-agent"])
    }

    @Test("a file replaced by other content is noticed, read again, and nothing doubles")
    func replacedFile() throws {
        let corpus = try Corpus(records: 8)
        defer { corpus.remove() }
        let connection = try TestDatabase.fresh("replaced").connect()
        let path = try corpus.write("ual.jsonl", corpus.lines[0..<4].joined(separator: "\n") + "\n")
        #expect(try ingest(path, connection).loaded == 4)
        _ = try corpus.write("ual.jsonl", corpus.lines[2..<8].joined(separator: "\n") + "\n")
        let second = try ingest(path, connection)
        #expect(second.changedFiles == [path])
        #expect(second.recordsRead == 6)
        #expect(second.loaded == 4)
        #expect(second.duplicates == 2)
        #expect(try count(connection) == 8)
    }

    @Test("killed in the middle of a batch and restarted, the database equals a clean single load")
    func interrupted() throws {
        let corpus = try Corpus(records: 3000)
        defer { corpus.remove() }
        let path = try corpus.write("ual.jsonl", corpus.lines.joined(separator: "\n") + "\n")
        let small: (inout Ingestor.Options) -> Void = { $0.batchRecords = 150 }

        let database = try TestDatabase.fresh("killed")
        let connection = try database.connect()
        let backend = try connection.execute("select pg_backend_pid() as pid").rows.first?.int("pid") ?? 0
        let killed = Thread {
            guard let killer = try? database.connect() else { return }
            // Once a few batches are committed, wait until the loader is inside a transaction and kill it.
            for _ in 0..<2000 {
                let state = try? killer.execute(
                    """
                    select (select count(*) from mailhound.events) as loaded,
                        (select state from pg_stat_activity where pid = \(backend)) as state
                    """
                ).rows.first
                if (state?.int("loaded") ?? 0) >= 450,
                    state?["state"] == "idle in transaction" || state?["state"] == "active"
                {
                    _ = try? killer.execute("select pg_terminate_backend(\(backend))")
                    return
                }
                usleep(500)
            }
        }
        killed.start()
        #expect(throws: (any Error).self) { try ingest(path, connection, configure: small) }
        let partial = try count(try database.connect())
        #expect(partial >= 450 && partial < 3000)
        #expect(partial % 150 == 0)

        let restart = try ingest(path, try database.connect(), configure: small)
        #expect(restart.filesResumed == 1)
        #expect(restart.loaded == 3000 - partial)
        // A second lane may have committed one batch past the checkpoint: read again, stored once.
        #expect(restart.duplicates <= 150)

        let clean = try TestDatabase.fresh("clean").connect()
        _ = try ingest(path, clean, configure: small)
        let checksum = """
            select count(*) as n, md5(string_agg(record_id::text || '/' || source_line || '/' || md5(raw), ','
                order by record_id)) as digest
            from analyst.mailbox_events
            """
        let restarted = try database.connect().execute(Query(unsafeSQL: checksum)).rows.first
        let single = try clean.execute(Query(unsafeSQL: checksum)).rows.first
        #expect(restarted?.int("n") == 3000)
        #expect(restarted?["digest"] == single?["digest"])
    }
}
