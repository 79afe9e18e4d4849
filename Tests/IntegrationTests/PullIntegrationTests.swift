import AuditSources
import Foundation
import Ingest
import M365Emulator
import PostgresClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `mailhound pull` end to end: the built binary against the emulator of the Management Activity
/// API and a real PostgreSQL, compared with loading the same records from an exported file.
@Suite("Pull from Microsoft 365 (emulated)", .serialized, .enabled(if: mailhoundExecutable != nil))
struct PullIntegrationTests {
    static let tenant = "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
    static let client = "0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b"
    static let secret = "s3cret~value.for_the_emulator"

    /// Every column of every record, raw text included, but where it came from.
    static let checksum = Query(
        unsafeSQL: """
            select count(*) as n, md5(string_agg(
                (to_jsonb(e) - 'source_file' - 'source_line' - 'source_offset')::text, ','
                order by tenant, record_id)) as digest
            from analyst.mailbox_events as e
            """)

    /// A folder with the secret file, and the emulator's blobs also written as one exported file.
    struct Setup {
        var folder: URL
        var secretFile: String
        var exported: String
        var blobs: [M365Emulator.Blob]
    }

    func setUp(blobs count: Int = 12, records: Int = 25) throws -> Setup {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-pull-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let secretFile = folder.appendingPathComponent("secret").path
        try Data((Self.secret + "\n").utf8).write(to: URL(fileURLWithPath: secretFile))
        // From 60 hours ago to half an hour ago: several windows, and the last blob in the hour that
        // the next pull lists again.
        let blobs = EmulatedContent.exchangeBlobs(
            tenantID: Self.tenant, count: count, recordsPerBlob: records, hoursAgo: 60,
            spacingMinutes: 59.5 * 60 / Double(max(1, count - 1)))
        let exported = folder.appendingPathComponent("exported.jsonl").path
        try Data((blobs.flatMap(\.records).joined(separator: "\n") + "\n").utf8).write(
            to: URL(fileURLWithPath: exported))
        return Setup(folder: folder, secretFile: secretFile, exported: exported, blobs: blobs)
    }

    func pullArguments(_ database: String, _ emulator: M365Emulator, _ setup: Setup, _ extra: [String] = []) -> [String]
    {
        [
            "pull", "--database-url", database, "--tenant-id", Self.tenant, "--client-id", Self.client,
            "--client-secret-file", setup.secretFile, "--login-url", emulator.baseURL, "--api-url", emulator.baseURL,
            "--graph-url", emulator.baseURL, "--content-types", "Audit.Exchange",
        ] + extra
    }

    func digest(_ connection: Connection) throws -> String? {
        let row = try connection.execute(Self.checksum).rows.first
        return "\(row?["n"] ?? "") \(row?["digest"] ?? "")"
    }

    func fromFiles(_ setup: Setup) throws -> Connection {
        let connection = try TestDatabase.fresh("pullfile").connect()
        _ = try Ingestor(connection: connection, logger: TestDatabase.logger).ingest([InputFile(path: setup.exported)])
        return connection
    }

    @Test("a pull loads the same rows as the exported file, starts the subscription, and a second pull fetches nothing")
    func fullPull() throws {
        let setup = try setUp()
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: setup.blobs)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pull")
        let saved = setup.folder.appendingPathComponent("evidence")
        let run = try mailhoundRun(pullArguments(database.conninfo, emulator, setup, ["--save", saved.path]))
        #expect(run.status == 0)
        // --save keeps every blob as it came, named by its content id.
        let kept = try FileManager.default.contentsOfDirectory(
            atPath: saved.appendingPathComponent("Audit.Exchange").path)
        #expect(kept.count == 12)
        #expect(
            try Data(contentsOf: saved.appendingPathComponent("Audit.Exchange/\(setup.blobs[0].contentId).json"))
                == Data(setup.blobs[0].json.utf8))
        let lines = run.errors.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "pull: started the Audit.Exchange subscription; its first content can take up to 12 hours")
        let bytes = setup.blobs.reduce(0) { $0 + $1.json.utf8.count }
        #expect(
            lines.last?.hasPrefix(
                "pull: 7 windows, 12 blobs listed, 12 fetched (\(bytes) bytes); 300 records read, 300 loaded, "
                    + "0 duplicates, 0 quarantined, ") == true, "\(run.errors)")
        #expect(emulator.enabledSubscriptions == ["Audit.Exchange"])
        let pulled = try database.connect()
        #expect(try digest(pulled) == digest(try fromFiles(setup)))
        let sources = try pulled.execute(
            "select count(distinct source_file) as n, min(source_file) as first from mailhound.events")
        #expect(sources.rows.first?.int("n") == 12)
        #expect(sources.rows.first?["first"] == "m365:\(Self.tenant)/Audit.Exchange/\(setup.blobs[0].contentId)")
        let checkpoint = try pulled.execute(
            "select content_type, blobs_pulled, listed_until > now() - interval '1 minute' as recent from analyst.pull_checkpoints"
        )
        #expect(checkpoint.rows.first?["content_type"] == "Audit.Exchange")
        #expect(checkpoint.rows.first?.int("blobs_pulled") == 12)
        #expect(checkpoint.rows.first?.bool("recent") == true)

        let again = try mailhoundRun(pullArguments(database.conninfo, emulator, setup))
        #expect(again.status == 0)
        #expect(
            again.errors.hasPrefix(
                "pull: 1 windows, 1 blobs listed (1 pulled before), 0 fetched (0 bytes); 0 records read, 0 loaded, "
                    + "0 duplicates, 0 quarantined, "), "\(again.errors)")
        #expect(setup.blobs.allSatisfy { emulator.fetches(of: $0.contentId) == 1 })
    }

    @Test("a pull killed with SIGKILL mid-way resumes with nothing lost or doubled, fetching done blobs once")
    func killAndResume() throws {
        let executable = try #require(mailhoundExecutable)
        let setup = try setUp(blobs: 16, records: 40)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        var faults = M365Emulator.Faults()
        faults.blobDelay = 0.15
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: setup.blobs, faults: faults)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pullkill")
        let arguments = pullArguments(database.conninfo, emulator, setup, ["--concurrency", "2"])
        let pid = try spawn([executable] + arguments, output: setup.folder.appendingPathComponent("first.log").path)
        for _ in 0..<400 where emulator.contentFetchCount < 7 { usleep(10_000) }
        kill(pid, SIGKILL)
        #expect(try exitStatus(of: pid) == 128 + SIGKILL)
        let connection = try database.connect()
        let before =
            try connection.execute("select count(*) as n from mailhound.pulled_content").rows.first?.int("n") ?? -1
        #expect(before < 16, "the kill came after the pull had finished")

        emulator.setFaults { $0.blobDelay = 0 }
        let resumed = try mailhoundRun(arguments)
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(try digest(connection) == digest(try fromFiles(setup)))
        // A blob stored before the kill is not fetched again; one in flight may be, once.
        let refetched = setup.blobs.filter { emulator.fetches(of: $0.contentId) > 1 }.count
        #expect(refetched <= 16 - before)
        #expect(setup.blobs.allSatisfy { emulator.fetches(of: $0.contentId) <= 2 })
    }

    @Test("throttling, server errors and a truncated body are survived; an expired blob is quarantined and reported")
    func faults() throws {
        let setup = try setUp(blobs: 6, records: 10)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        var faults = M365Emulator.Faults()
        faults.throttleFirst = 1
        faults.failFirst = 2
        faults.truncateFirst = 1
        faults.repeatListing = true
        faults.revokeTokensAfter = 5
        faults.expired = [setup.blobs[5].contentId]
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: setup.blobs, faults: faults)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pullfaults")
        let run = try mailhoundRun(pullArguments(database.conninfo, emulator, setup, ["--concurrency", "1"]))
        #expect(run.status == 2, "\(run.errors)")
        #expect(run.errors.contains(", 6 blobs listed, 5 fetched ("))
        #expect(run.errors.contains(", 1 expired before fetched (quarantined); 50 records read, 50 loaded"))
        #expect(emulator.tokenRequestCount == 2)
        let connection = try database.connect()
        let quarantined = try connection.execute("select source_file, reason from analyst.quarantine")
        #expect(quarantined.rows.count == 1)
        #expect(
            quarantined.rows.first?["source_file"] == "m365:\(Self.tenant)/Audit.Exchange/\(setup.blobs[5].contentId)")
        #expect(
            quarantined.rows.first?["reason"]?.hasPrefix("content blob not served (AF20051): Content requested") == true
        )
    }

    @Test("a hostile listing entry (an id too long to be one, a time that is none) is quarantined, the rest loads")
    func hostileListing() throws {
        let setup = try setUp(blobs: 2, records: 3)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        var faults = M365Emulator.Faults()
        let longID = String(repeating: "A", count: 3000)
        faults.extraListingEntries = [
            #"{"contentType":"Audit.Exchange","contentId":"\#(longID)","contentUri":"http://127.0.0.1:1/x","contentCreated":"yesterday","contentExpiration":"never"}"#
        ]
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: setup.blobs, faults: faults)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pullhostile")
        let run = try mailhoundRun(pullArguments(database.conninfo, emulator, setup))
        #expect(run.status == 2, "\(run.errors)")
        #expect(run.errors.contains(", 1 unusable (quarantined); 6 records read, 6 loaded"), "\(run.errors)")
        let quarantined = try database.connect().execute("select reason from analyst.quarantine")
        #expect(
            quarantined.rows.map { $0["reason"] ?? "" } == ["content id of 3000 bytes, longer than a content id can be"]
        )
    }

    @Test("an empty blob is pulled with nothing to load; an error page served as a blob is quarantined, not fatal")
    func oddBodies() throws {
        let setup = try setUp(blobs: 3, records: 4)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        var faults = M365Emulator.Faults()
        faults.bodies = [setup.blobs[0].contentId: "", setup.blobs[1].contentId: "<html>Service Unavailable</html>"]
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: setup.blobs, faults: faults)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pullodd")
        let run = try mailhoundRun(pullArguments(database.conninfo, emulator, setup))
        #expect(run.status == 2, "\(run.errors)")
        #expect(run.errors.contains("; 5 records read, 4 loaded, 0 duplicates, 1 quarantined"), "\(run.errors)")
        let connection = try database.connect()
        #expect(try connection.execute("select count(*) as n from mailhound.pulled_content").rows.first?.int("n") == 3)
        let reasons = try connection.execute("select source_file, reason from analyst.quarantine").rows
        #expect(reasons.map { $0["reason"] ?? "" } == ["unexpected content between JSON records"])
        #expect(reasons.first?["source_file"] == "m365:\(Self.tenant)/Audit.Exchange/\(setup.blobs[1].contentId)")
    }

    @Test("a blob whose records were loaded from an exported file first is stored once")
    func overlapWithFiles() throws {
        let setup = try setUp(blobs: 4, records: 10)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: setup.blobs)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pulloverlap")
        let exportedFirst = setup.folder.appendingPathComponent("first-blob.jsonl")
        try Data(setup.blobs[0].records.joined(separator: "\n").utf8).write(to: exportedFirst)
        let connection = try database.connect()
        _ = try Ingestor(connection: connection, logger: TestDatabase.logger).ingest([
            InputFile(path: exportedFirst.path)
        ])
        let run = try mailhoundRun(pullArguments(database.conninfo, emulator, setup))
        #expect(run.status == 0)
        #expect(run.errors.contains("40 records read, 30 loaded, 10 duplicates, 0 quarantined"), "\(run.errors)")
        #expect(try connection.execute("select count(*) as n from mailhound.events").rows.first?.int("n") == 40)
    }

    @Test("bad credentials end the pull with the endpoint, the code and a hint; the secret never shows")
    func badCredentials() throws {
        let setup = try setUp(blobs: 1, records: 1)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let emulator = M365Emulator(tenantID: Self.tenant, clientID: Self.client, secret: "another", blobs: setup.blobs)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pullcreds")
        let run = try mailhoundRun(
            pullArguments(database.conninfo, emulator, setup, ["--verbose"]),
            environment: ["MAILHOUND_LOG_LEVEL": "trace"])
        #expect(run.status == 1)
        let lines = run.errors.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                "error: POST \(emulator.baseURL)/\(Self.tenant)/oauth2/v2.0/token: HTTP 401 AADSTS7000215 "
                    + "AADSTS7000215: Invalid client secret provided."))
        #expect(
            lines.contains(
                "hint: the client secret is wrong: use the secret's Value (not its Secret ID) from the app registration"
            ))
        #expect(!run.errors.contains(Self.secret) && !run.output.contains(Self.secret))

        let onArgv = try mailhoundRun(["pull", "--client-secret", Self.secret, "--tenant-id", Self.tenant])
        #expect(onArgv.status == 64)
        #expect(
            onArgv.errors.hasPrefix(
                "Error: a secret on the command line shows in ps to every user: put it in a file for "
                    + "--client-secret-file, or in MAILHOUND_CLIENT_SECRET\n"))

        let plain = try mailhoundRun(
            pullArguments(database.conninfo, emulator, setup) + ["--api-url", "http://manage.office.com"])
        #expect(plain.status == 64)
        #expect(
            plain.errors.contains(
                "http://manage.office.com: plain http is accepted for loopback addresses only; use https"))
    }

    @Test("worker --pull --once pulls beside folder watching, detects, and a second pass fetches nothing new")
    func workerPulls() throws {
        let setup = try setUp(blobs: 5, records: 8)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: setup.blobs)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pullworker")
        var arguments = pullArguments(database.conninfo, emulator, setup)
        arguments[0] = "worker"
        arguments += ["--pull", "--once"]
        let first = try mailhoundRun(arguments)
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.errors.contains("pulled"))
        let connection = try database.connect()
        #expect(try connection.execute("select count(*) as n from mailhound.events").rows.first?.int("n") == 40)
        #expect(try connection.execute("select count(*) as n from mailhound.detection_runs").rows.first?.int("n") == 1)
        let second = try mailhoundRun(arguments)
        #expect(second.status == 0)
        #expect(setup.blobs.allSatisfy { emulator.fetches(of: $0.contentId) == 1 })
    }

    @Test(
        "pull --sign-ins loads Entra sign-ins from Graph as the same events as the sign-ins file, and resumes from its checkpoint"
    )
    func signIns() throws {
        let setup = try setUp(blobs: 2, records: 5)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let signIns = EmulatedContent.signIns(tenantID: Self.tenant, count: 40, hoursAgo: 50, spacingMinutes: 70)
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: setup.blobs, signIns: signIns)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pullsignins")
        let run = try mailhoundRun(pullArguments(database.conninfo, emulator, setup, ["--sign-ins"]))
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.errors.contains(", 40 sign-ins; 50 records read, 50 loaded"), "\(run.errors)")
        let connection = try database.connect()
        let failed = try connection.execute(
            """
            select actor, host(client_ip) as ip, mailhound.parameter_value(parameters, 'Country') as country
            from mailhound.events where operation = 'UserLoginFailed'
            """)
        #expect(failed.rows.count == 1)
        #expect(failed.rows.first?["actor"] == "svc-sync@contoso.example")
        #expect(failed.rows.first?["country"] == "RU")

        let file = setup.folder.appendingPathComponent("signins.jsonl")
        try Data((signIns.map(\.json).joined(separator: "\n") + "\n").utf8).write(to: file)
        let fromFile = try TestDatabase.fresh("signinsfile").connect()
        _ = try Ingestor(connection: fromFile, logger: TestDatabase.logger).ingest([InputFile(path: file.path)])
        let onlySignIns = Query(
            unsafeSQL: """
                select count(*) as n, md5(string_agg(
                    (to_jsonb(e) - 'source_file' - 'source_line' - 'source_offset' - 'loaded_txid' - 'raw_chunk'
                        - 'raw_start' - 'raw_length')::text, ','
                    order by record_id)) as digest
                from mailhound.events as e where workload = 'AzureActiveDirectory'
                """)
        #expect(
            try connection.execute(onlySignIns).rows.first?["digest"]
                == fromFile.execute(onlySignIns).rows.first?["digest"])
        let checkpoint = try connection.execute(
            "select count(*) as n from analyst.pull_checkpoints where content_type = 'Graph.SignIns'")
        #expect(checkpoint.rows.first?.int("n") == 1)

        let again = try mailhoundRun(pullArguments(database.conninfo, emulator, setup, ["--sign-ins"]))
        #expect(again.status == 0)
        #expect(again.errors.contains("0 loaded"), "\(again.errors)")

        // A start past Graph's 30 days is moved to it and said, as the activity API's 7 days are.
        let since = Date().addingTimeInterval(-40 * 86400).formatted(.iso8601)
        let early = try mailhoundRun(
            pullArguments(
                try TestDatabase.fresh("signinsreach").conninfo, emulator, setup, ["--sign-ins", "--since", since]))
        #expect(early.status == 0, "\(early.errors)")
        #expect(early.errors.contains("warning: Graph.SignIns before "), "\(early.errors)")
        #expect(
            early.errors.contains(
                "is past the API's 30-day reach (asked from \(since)): export older sign-ins from Log Analytics (SigninLogs) instead"
            ), "\(early.errors)")
        #expect(
            early.errors.contains(
                "is past the API's 7-day reach (asked from \(since)): export older records from Purview instead"))
    }

    @Test("pull --audit-query runs Graph audit log queries; their records are the activity API's, stored once")
    func auditLogQuery() throws {
        let setup = try setUp(blobs: 6, records: 7)
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: setup.blobs)
        try emulator.start()
        defer { emulator.stop() }
        let database = try TestDatabase.fresh("pullauditquery")
        let run = try mailhoundRun(
            pullArguments(database.conninfo, emulator, setup, ["--audit-query", "--poll-seconds", "0.05"]))
        #expect(run.status == 0, "\(run.errors)")
        // 26 weekly queries over 180 days; the blobs' 42 records once from each API.
        #expect(
            run.errors.contains(", 42 audit log query records; 84 records read, 42 loaded, 42 duplicates"),
            "\(run.errors)")
        #expect(try digest(try database.connect()) == digest(try fromFiles(setup)))
    }
}
