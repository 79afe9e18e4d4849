import AuditSources
import DemoData
import Detection
import Foundation
import Ingest
import PostgresClient
import Simulation
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Worker", .enabled(if: mailhoundExecutable != nil))
struct WorkerTests {
    @Test("two sessions cannot hold the same file's lock")
    func fileLocks() throws {
        let database = try TestDatabase.fresh("locks")
        let first = try database.connect()
        let second = try database.connect()
        #expect(try AdvisoryLock.tryLockFile("/logs/a.jsonl", on: first))
        #expect(try !AdvisoryLock.tryLockFile("/logs/a.jsonl", on: second))
        #expect(try AdvisoryLock.tryLockFile("/logs/b.jsonl", on: second))
        try AdvisoryLock.unlockFile("/logs/a.jsonl", on: first)
        #expect(try AdvisoryLock.tryLockFile("/logs/a.jsonl", on: second))
    }

    @Test("a running worker loads lines appended to a watched file, stops on SIGTERM, and matches a clean load")
    func watchAppendStop() throws {
        let executable = try #require(mailhoundExecutable)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-worker-\(UUID())")
        let watched = folder.appendingPathComponent("watched")
        try FileManager.default.createDirectory(at: watched, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpusFile = folder.appendingPathComponent("corpus.jsonl")
        try BenchCorpus(records: 3000, seed: 5).write(
            jsonLines: corpusFile, flatCSV: folder.appendingPathComponent("flat.csv"), sourceFile: "")
        let lines = try String(contentsOf: corpusFile, encoding: .utf8).split(separator: "\n")
        let log = watched.appendingPathComponent("ual.jsonl")
        try Data((lines[0..<2000].joined(separator: "\n") + "\n").utf8).write(to: log)

        let database = try TestDatabase.fresh("worker")
        let connection = try database.connect()
        let pid = try spawn(
            [
                executable, "worker", "--database-url", database.conninfo, "--watch", watched.path, "--interval", "1s",
                "--detect-every", "1s",
            ],
            output: folder.appendingPathComponent("worker.log").path)
        func events() throws -> Int {
            try connection.execute("select count(*) as n from mailhound.events").rows.first?.int("n") ?? -1
        }
        func waitFor(_ count: Int) throws -> Bool {
            for _ in 0..<600 {
                if try events() >= count { break }
                usleep(50_000)
            }
            return try events() == count
        }
        #expect(try waitFor(2000))
        let handle = try #require(FileHandle(forWritingAtPath: log.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((lines[2000...].joined(separator: "\n") + "\n").utf8))
        try handle.close()
        #expect(try waitFor(3000))
        kill(pid, SIGTERM)
        #expect(try exitStatus(of: pid) == 0)
        let workerLog = (try? String(contentsOf: folder.appendingPathComponent("worker.log"), encoding: .utf8)) ?? ""
        #expect(workerLog.contains("reading on from the checkpoint"))
        #expect(workerLog.contains("worker stopped"))
        let runs = try connection.execute("select count(*) as n from mailhound.detection_runs").rows.first?.int("n")
        #expect((runs ?? 0) >= 1)

        let clean = try TestDatabase.fresh("workerclean").connect()
        _ = try Ingestor(connection: clean, logger: TestDatabase.logger).ingest([InputFile(path: log.path)])
        #expect(
            try connection.execute(Self.checksum).rows.first?["digest"]
                == clean.execute(Self.checksum).rows.first?["digest"])
    }

    @Test("a worker killed with SIGKILL mid-batch and started again leaves what a clean single load leaves")
    func killedAndRestarted() throws {
        let executable = try #require(mailhoundExecutable)
        let (folder, watched, log) = try watchedCorpus("killed", records: 12_000, seed: 9)
        defer { try? FileManager.default.removeItem(at: folder) }

        let database = try TestDatabase.fresh("sigkill")
        let connection = try database.connect()
        func events() throws -> Int {
            try connection.execute("select count(*) as n from mailhound.events").rows.first?.int("n") ?? -1
        }
        let command = [
            executable, "worker", "--database-url", database.conninfo, "--watch", watched.path, "--batch-records",
            "100",
        ]
        func checkpointed() throws -> Bool {
            try connection.execute("select count(*) as n from mailhound.file_checkpoints where not complete").rows
                .first?.int("n") == 1
        }
        let first = try spawn(command, output: folder.appendingPathComponent("first.log").path)
        // Batches commit in any order on two connections, and a checkpoint follows only once the
        // batches before it are in: stored rows alone do not mean the file has one yet.
        for _ in 0..<3000 {
            if try events() >= 300, try checkpointed() { break }
            usleep(2_000)
        }
        kill(first, SIGKILL)
        #expect(try exitStatus(of: first) == 128 + SIGKILL)
        let partial = try events()
        #expect(partial >= 300 && partial < 12_000)
        #expect(partial % 100 == 0)

        let second = try spawn(command + ["--once"], output: folder.appendingPathComponent("second.log").path)
        #expect(try exitStatus(of: second) == 0)
        let secondLog = (try? String(contentsOf: folder.appendingPathComponent("second.log"), encoding: .utf8)) ?? ""
        #expect(secondLog.contains("reading on from the checkpoint"))
        #expect(try events() == 12_000)

        let clean = try TestDatabase.fresh("sigkillclean").connect()
        _ = try Ingestor(connection: clean, logger: TestDatabase.logger).ingest([InputFile(path: log.path)])
        #expect(
            try connection.execute(Self.checksum).rows.first?["digest"]
                == clean.execute(Self.checksum).rows.first?["digest"])
    }

    @Test("a worker started on records loaded but never judged detects them, though no new record arrives")
    func detectsWhatAKilledPassLeft() throws {
        let executable = try #require(mailhoundExecutable)
        let (folder, watched, log) = try watchedCorpus("unjudged", records: 2_000, seed: 4)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try TestDatabase.fresh("unjudged")
        let connection = try database.connect()
        // What a worker killed after its load and before its detection leaves.
        _ = try Ingestor(connection: connection, logger: TestDatabase.logger).ingest([InputFile(path: log.path)])
        #expect(try DetectionRunner.hasUnjudgedRecords(connection))
        let pass = try spawn(
            [executable, "worker", "--once", "--database-url", database.conninfo, "--watch", watched.path],
            output: folder.appendingPathComponent("worker.log").path)
        #expect(try exitStatus(of: pass) == 0)
        let runs = try connection.execute(
            "select count(*) as n from mailhound.detection_runs where status = 'succeeded'")
        #expect(runs.rows.first?.int("n") == 1)
        #expect(try !DetectionRunner.hasUnjudgedRecords(connection))
    }

    /// A temporary folder whose `watched/ual.jsonl` holds a generated corpus.
    private func watchedCorpus(_ label: String, records: Int, seed: UInt64) throws -> (URL, URL, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-\(label)-\(UUID())")
        let watched = folder.appendingPathComponent("watched")
        try FileManager.default.createDirectory(at: watched, withIntermediateDirectories: true)
        let log = watched.appendingPathComponent("ual.jsonl")
        try BenchCorpus(records: records, seed: seed).write(
            jsonLines: log, flatCSV: folder.appendingPathComponent("flat.csv"), sourceFile: "")
        return (folder, watched, log)
    }

    static let checksum = Query(
        unsafeSQL: """
            select count(*) as n, md5(string_agg(record_id::text || '/' || source_line || '/' || md5(raw), ','
                order by record_id)) as digest
            from analyst.mailbox_events
            """)
}
