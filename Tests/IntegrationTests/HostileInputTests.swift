import AuditSources
import Detection
import Foundation
import PostgresClient
import Store
import Testing

@testable import Ingest

/// Log fields are written by whoever made the request. Whatever they hold, the records around
/// them load, and every later command keeps working.
@Suite("Hostile input")
struct HostileInputTests {
    /// About 3 KB that does not compress: a btree entry holds about 2.7 KB.
    static func long(_ label: String) -> String {
        label + (0..<80).map { _ in UUID().uuidString }.joined()
    }

    /// The fixtures of every format with their identities, clients, servers, folders and URLs
    /// grown past 3 KB each (alike in every file, so a record exported twice stays one), and a UAL
    /// record with every text field grown.
    /// Without `grow`, the fixtures as they are: what the grown ones must load as.
    static func hostileFolder(grow: Bool = true) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-hostile-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let grown = [
            "northwind.example", "contoso.example", "Client=WebServices", "Client=MSExchangeRPC", "python-requests",
            "Mozilla/5.0", "DuckDuckBot", "EXCH01", "svc-archive", "Inbox", "/owa/", "/ecp/", "ServerInfo~",
            "X-BEResource-Cookie", "NT AUTHORITY", "FullAccess",
        ].map { ($0, long("-")) }
        let names = [
            "mailbox-audit-dmy.csv", "admin-audit.csv", "httpproxy.log", "iis.log", "purview.csv",
            "sentinel-officeactivity.csv", "sentinel-officeactivity.json", "ecp-server.log", "graph-activity.jsonl",
            "graph-activity.csv", "entra-signins.json", "entra-signins-portal.csv", "entra-signins-loganalytics.csv",
        ]
        for name in names {
            var text = try String(
                contentsOf: IngestTests.fixtures.appendingPathComponent(name), encoding: .utf8)
            for (token, suffix) in grown where grow {
                // IIS separates fields by spaces, and keeps none inside one.
                text = text.replacingOccurrences(of: token, with: token + suffix)
            }
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        func record(_ id: String, actorEnd: String) -> String {
            let fields =
                [
                    ("Id", id), ("CreationTime", "2024-05-14T09:40:03"), ("Operation", "MailItemsAccessed"),
                    ("Workload", "Exchange"), ("OrganizationId", "t-" + long("")), ("RecordType", 50),
                    ("UserId", "mallory" + long("") + actorEnd + "@contoso.example"),
                    ("ClientIPAddress", "2001:db8::7"),
                    ("ClientInfoString", long("Client=")), ("SessionId", long("")), ("AppId", long("")),
                    ("ClientAppId", long("")), ("MailboxOwnerUPN", long("alice") + "@contoso.example"),
                    ("MailboxGuid", long("")), ("ResultStatus", long("")), ("ObjectId", long("")),
                    ("OriginatingServer", long("EXCH")), ("LogonType", 2),
                    (
                        "OperationProperties",
                        [
                            ["Name": "MailAccessType", "Value": long("Sync")],
                            ["Name": "IsThrottled", "Value": "False"],
                        ]
                    ),
                    ("Folders", [["Path": "\\" + long("Inbox"), "FolderItems": [["SizeInBytes": 10]]]]),
                ] as [(String, Any)]
            let object = Dictionary(uniqueKeysWithValues: fields)
            let data = try? JSONSerialization.data(withJSONObject: object)
            return String(decoding: data ?? Data(), as: UTF8.self)
        }
        guard grow else { return folder }
        let ual = [
            record("aaaaaaaa-0000-4000-8000-000000000001", actorEnd: "a"),
            record("aaaaaaaa-0000-4000-8000-000000000002", actorEnd: "b"),
        ]
        try ual.joined(separator: "\n").write(
            to: folder.appendingPathComponent("ual.jsonl"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test(
        "values over 3 KB in every text field of every format load bounded; detect, coverage, sessions and the worker go on",
        .enabled(if: mailhoundExecutable != nil))
    func oversizedValues() throws {
        let database = try TestDatabase.fresh("hostile")
        let folder = try Self.hostileFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = ["--database-url", database.conninfo]
        let ingest = try mailhound(["ingest", folder.path] + url)
        // 2: some grown values are not valid (a LogonType, an address), and those records are quarantined.
        #expect([0, 2].contains(ingest.status), "\(ingest.output)")
        for command in [["detect"], ["coverage"], ["sessions"], ["accounts"], ["detect", "--full"]] {
            #expect(try mailhound(command + url).status == 0, "\(command)")
        }
        let worker = try mailhound(["worker", "--once", "--watch", folder.path] + url)
        // 2: files read whole again (JSON arrays keep no checkpoint) quarantine their bad rows again.
        #expect([0, 2].contains(worker.status), "\(worker.output)")

        let connection = try database.connect()
        let loaded = try connection.execute(
            """
            select count(distinct actor) filter (where record_id::text like 'aaaaaaaa-%') as long_actors,
                max(greatest(octet_length(tenant), octet_length(actor), octet_length(mailbox_owner),
                    octet_length(client_info), octet_length(source_session_id))) as longest,
                bool_and(octet_length(raw) > 3000) filter (where record_id::text like 'aaaaaaaa-%') as raw_whole
            from analyst.mailbox_events
            """
        ).rows.first
        let plain = try TestDatabase.fresh("plain")
        let plainFolder = try Self.hostileFolder(grow: false)
        defer { try? FileManager.default.removeItem(at: plainFolder) }
        _ = try mailhound(["ingest", plainFolder.path, "--database-url", plain.conninfo])
        let counts =
            "select (select count(*) from mailhound.events) as events, (select count(*) from mailhound.web_requests) as web, (select count(*) from mailhound.quarantine) as quarantined"
        let expected = try #require(try plain.connect().execute(Query(unsafeSQL: counts)).rows.first)
        let got = try #require(try connection.execute(Query(unsafeSQL: counts)).rows.first)
        // The same records as the plain fixtures, and the two grown UAL records.
        #expect(got.int("events") == (expected.int("events") ?? 0) + 2)
        #expect(got.int("web") == expected.int("web") && got.int("quarantined") == expected.int("quarantined"))
        #expect((expected.int("events") ?? 0) >= 9)
        #expect(loaded?.int("long_actors") == 2, "two long actors differing only at the end stay two")
        #expect((loaded?.int("longest") ?? .max) <= 512)
        #expect(loaded?["raw_whole"] == "t")
        let actor = try #require(
            try connection.execute("select actor from mailhound.events where record_id::text like 'aaaaaaaa-%' limit 1")
                .rows.first?["actor"])
        #expect(actor.hasPrefix("mallory") && actor.contains("…[") && actor.hasSuffix("]"))
        let web = try connection.execute(
            "select count(*) as n, max(octet_length(user_agent)) as longest from mailhound.web_requests"
        ).rows.first
        #expect((web?.int("n") ?? 0) > 0 && (web?.int("longest") ?? .max) <= 4096)
    }

    @Test(
        "item sizes whose sum passes 64 bits load and detect: a record's and a session's bytes stop at the largest bigint",
        .enabled(if: mailhoundExecutable != nil))
    func sizesPastSixtyFourBits() throws {
        let database = try TestDatabase.fresh("hostile-sizes")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-sizes-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let largest = Int64.max
        let records = (1...2).map { number in
            #"{"Id":"bbbbbbbb-0000-4000-8000-00000000000\#(number)","CreationTime":"2024-05-14T09:4\#(number):03","#
                + #""Operation":"MailItemsAccessed","OrganizationId":"t-1","RecordType":50,"Workload":"Exchange","#
                + #""UserId":"mallory@contoso.example","ClientIPAddress":"203.0.113.9","SessionId":"s-1","#
                + #""MailboxOwnerUPN":"alice@contoso.example","#
                + #""Folders":[{"Path":"\\Inbox","FolderItems":[{"SizeInBytes":\#(largest)},{"SizeInBytes":\#(largest)}]}]}"#
        }
        try records.joined(separator: "\n").write(
            to: folder.appendingPathComponent("ual.jsonl"), atomically: true, encoding: .utf8)
        let url = ["--database-url", database.conninfo]
        let ingest = try mailhound(["ingest", folder.path] + url)
        #expect(ingest.status == 0, "\(ingest.output)")
        let detect = try mailhound(["detect", "--full"] + url)
        #expect(detect.status == 0, "\(detect.output)")
        let connection = try database.connect()
        let stored = try connection.execute(
            """
            select (select string_agg(bytes::text, ',' order by record_id) from mailhound.events) as records,
                (select string_agg(format('%s %s', events, bytes), ',') from mailhound.sessions) as sessions
            """
        ).rows.first
        #expect(stored?["records"] == "\(largest),\(largest)")
        #expect(stored?["sessions"] == "2 \(largest)")
    }

    @Test("a row PostgreSQL refuses is quarantined with its line and SQLSTATE; the rows around it load")
    func refusedRowIsQuarantined() throws {
        let connection = try TestDatabase.fresh("refused").connect()
        // Stands in for any value the server refuses that bounding did not foresee.
        try connection.execute(
            "alter table mailhound.events add constraint refuse_poison check (actor is distinct from 'poison@contoso.example')"
        )
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-refused-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = (1...9).map { index in
            let actor = index == 6 ? "poison" : "user\(index)"
            return #"{"Id":"bbbbbbbb-0000-4000-8000-00000000000\#(index)","CreationTime":"2024-05-14T09:40:03","#
                + #""Operation":"MailItemsAccessed","Workload":"Exchange","OrganizationId":"t","#
                + #""UserId":"\#(actor)@contoso.example"}"#
        }
        let file = folder.appendingPathComponent("ual.jsonl")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let summary = try Ingestor(connection: connection, options: Ingestor.Options(), logger: TestDatabase.logger)
            .ingest([InputFile(path: file.path)])
        #expect(summary.loaded == 8 && summary.quarantined == 1 && summary.duplicates == 0)
        let entry = try #require(
            try connection.execute("select source_line, reason, raw from mailhound.quarantine").rows.first)
        #expect(entry.int("source_line") == 6)
        #expect(
            entry["reason"]
                == #"PostgreSQL refused it: new row for relation "events" violates check constraint "refuse_poison" (SQLSTATE 23514)"#
        )
        #expect(entry["raw"] == lines[5])
    }

    @Test("an upgrade shortens values stored long before, as ingest now does, so coverage works again")
    func upgradeShortensStoredValues() throws {
        let before = try SQLTreeCopy(migrations: { $0["0016_bounded_texts.sql"] = nil })
        let database = try TestDatabase.fresh("upgrade_bounded", migratedWith: before.directory)
        let connection = try database.connect()
        let mailboxes = [Self.long("ceo") + "@contoso.example", String(repeating: "é", count: 2000)]
        for mailbox in mailboxes {
            try connection.execute(
                """
                insert into mailhound.events (
                    tenant, record_id, occurred_at, operation, actor_kind, actor, mailbox_owner, access_type,
                    source_file, source_line, source_offset, raw_chunk, raw_start, raw_length)
                values ('t', gen_random_uuid(), now(), 'MailItemsAccessed', 'user', 'u@contoso.example', \(mailbox),
                    'Bind', 'f', 1, 0, 0, 1, 2)
                """)
        }
        #expect(throws: PostgresError.self) { try CoverageRefresh.refresh(connection) }
        try Migrator(directory: TestDatabase.sql).migrate(connection)
        _ = try CoverageRefresh.refresh(connection)
        let stored = try connection.execute("select mailbox_owner from mailhound.events order by 1")
            .rows.compactMap { $0["mailbox_owner"] }
        let expected = mailboxes.map { mailbox in
            var bytes = Array(mailbox.utf8)
            return bytes.withUnsafeMutableBufferPointer {
                BoundedText.shortened(UnsafeBufferPointer($0), limit: BoundedText.keyBytes)
            }
        }
        #expect(Set(stored) == Set(expected.compactMap { $0 }) && stored.count == 2)
    }
}

@Suite("Keys never merge different records")
struct SharedKeyTests {
    @Test("Test-ProxyLogon's CSV with placeholder RequestIds keeps every row; a re-run doubles none")
    func placeholderRequestIDs() throws {
        let connection = try TestDatabase.fresh("placeholders").connect()
        let ingestor = Ingestor(connection: connection, options: Ingestor.Options(), logger: TestDatabase.logger)
        let file = InputFile(path: IngestTests.fixtures.appendingPathComponent("test-proxylogon-26855.csv").path)
        let first = try ingestor.ingest([file])
        #expect(first.loaded == 11 && first.keptUnderDerivedKeys == 10 && first.duplicates == 0)
        #expect(
            first.line.hasPrefix(
                "1 files, 11 records read, 11 loaded (10 under derived keys: their ids were other records'), 0 duplicates, 0 quarantined"
            ))
        var again = Ingestor.Options()
        again.reloadUnchanged = true
        let second = try Ingestor(connection: connection, options: again, logger: TestDatabase.logger).ingest([file])
        #expect(second.loaded == 0 && second.duplicates == 11)
        let stored = try connection.execute(
            """
            select count(*) as n, count(*) filter (where key_source = 'conflict') as derived,
                count(*) filter (where 'ssrf-anchor' = any(indicators)) as ssrf,
                count(*) filter (where missing_fields = array['ServerHostName', 'AuthenticatedUser', 'Protocol',
                    'Method', 'UrlQuery', 'BackEndCookie', 'RequestBytes', 'ResponseBytes']) as partial,
                (select count(*) from analyst.web_requests where missing_fields is not null) as analyst_partial
            from mailhound.web_requests
            """
        ).rows.first
        #expect(stored?.int("n") == 11 && stored?.int("derived") == 10 && stored?.int("ssrf") == 11)
        // An extract of nine columns: its rows say what they do not carry (an empty user is unknown).
        #expect(stored?.int("partial") == 11 && stored?.int("analyst_partial") == 11)
    }

    @Test("a Sentinel export (JSON and CSV) and a UAL export of the same records store each record once")
    func sentinelAndUAL() throws {
        let connection = try TestDatabase.fresh("sentinel").connect()
        let names = ["sentinel-officeactivity.json", "ual-as-in-sentinel.jsonl", "sentinel-officeactivity.csv"]
        let summary = try Ingestor(connection: connection, options: Ingestor.Options(), logger: TestDatabase.logger)
            .ingest(names.map { InputFile(path: IngestTests.fixtures.appendingPathComponent($0).path) })
        #expect(summary.loaded == 2 && summary.duplicates == 4 && summary.keptUnderDerivedKeys == 0)
        let kinds = try connection.execute(
            "select actor_kind || ' ' || operation as k from mailhound.events order by 1")
        #expect(kinds.rows.compactMap { $0["k"] } == ["admin Add-MailboxPermission", "delegate MailItemsAccessed"])
    }

    @Test("Graph activity and Entra sign-ins exported as JSON and as CSV store each record once")
    func graphAndSignInExports() throws {
        let connection = try TestDatabase.fresh("graphexports").connect()
        let ingestor = Ingestor(connection: connection, options: Ingestor.Options(), logger: TestDatabase.logger)
        func ingest(_ names: [String]) throws -> IngestSummary {
            try ingestor.ingest(names.map { InputFile(path: IngestTests.fixtures.appendingPathComponent($0).path) })
        }
        let signIns = try ingest(["entra-signins.json", "entra-signins-portal.csv", "entra-signins-loganalytics.csv"])
        #expect(signIns.loaded == 3 && signIns.duplicates == 4 && signIns.keptUnderDerivedKeys == 0)
        let graph = try ingest(["graph-activity.jsonl", "graph-activity.csv"])
        #expect(graph.loaded == 4 && graph.duplicates == 1 && graph.keptUnderDerivedKeys == 0)
    }

    @Test("two UAL records under one Id are both kept, in one batch or across files; a repeat is a duplicate")
    func sharedUALIds() throws {
        let connection = try TestDatabase.fresh("sharedids").connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-shared-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func record(_ user: String) -> String {
            #"{"Id":"00000000-0000-0000-0000-000000000000","CreationTime":"2024-05-14T09:40:03","#
                + #""Operation":"MailItemsAccessed","Workload":"Exchange","OrganizationId":"t","UserId":"\#(user)"}"#
        }
        let first = folder.appendingPathComponent("a.jsonl")
        let second = folder.appendingPathComponent("b.jsonl")
        try [record("ann@contoso.example"), record("bob@contoso.example"), record("ann@contoso.example")]
            .joined(separator: "\n").write(to: first, atomically: true, encoding: .utf8)
        try [record("bob@contoso.example"), record("cy@contoso.example")].joined(separator: "\n")
            .write(to: second, atomically: true, encoding: .utf8)
        let ingestor = Ingestor(connection: connection, options: Ingestor.Options(), logger: TestDatabase.logger)
        let one = try ingestor.ingest([InputFile(path: first.path)])
        #expect(one.loaded == 2 && one.keptUnderDerivedKeys == 1 && one.duplicates == 1)
        let two = try ingestor.ingest([InputFile(path: second.path)])
        #expect(two.loaded == 1 && two.keptUnderDerivedKeys == 1 && two.duplicates == 1)
        let actors = try connection.execute("select actor, key_source from mailhound.events order by actor").rows
            .map { "\($0["actor"] ?? "") \($0["key_source"] ?? "own")" }
        #expect(actors == ["ann@contoso.example own", "bob@contoso.example conflict", "cy@contoso.example conflict"])
    }
}

@Suite("Connection options and timeouts")
struct ConnectionOptionTests {
    @Test(
        "--database-url before the command, a foreign URL refused by name, a password warned of, a read past its time limit explained",
        .enabled(if: mailhoundExecutable != nil))
    func options() throws {
        let database = try TestDatabase.fresh("options")
        #expect(try mailhound(["--database-url", database.conninfo, "sessions"]).status == 0)
        #expect(try mailhound(["-v", "--database-url=\(database.conninfo)", "runs", "--format", "json"]).status == 0)

        let mysql = try mailhoundRun(["sessions", "--database-url", "mysql://u@db.example/mail"])
        #expect(mysql.status == 1)
        #expect(
            mysql.errors
                == """
                Error: mysql:// is not a PostgreSQL URL
                hint: mailhound stores in PostgreSQL: give postgresql://user@host:5432/database or a conninfo such as 'host=db.example dbname=mailhound'

                """)

        let secret = try mailhoundRun(["sessions", "--database-url", "postgresql://u:secret@127.0.0.1:1/x"])
        #expect(
            secret.errors.hasPrefix(
                "warning: the password in --database-url shows in ps to every user of this machine; "
                    + "prefer DATABASE_URL, PGPASSWORD or a ~/.pgpass file (PGPASSFILE)\n"))
        #expect(!secret.errors.contains("secret"))

        // An analyst's open transaction holds the sessions' and accounts' scores: the read gives up,
        // and says why.
        let analyst = try database.connect()
        try analyst.execute("begin")
        try analyst.execute(
            "lock table mailhound.sessions, mailhound.session_scores, mailhound.account_scores in access exclusive mode"
        )
        let slow = try mailhoundRun(
            ["sessions", "--database-url", database.conninfo],
            environment: ["MAILHOUND_STATEMENT_TIMEOUT": "300ms", "MAILHOUND_LOCK_TIMEOUT": "1min"])
        #expect(slow.status == 1)
        #expect(slow.errors.contains("canceling statement due to statement timeout (SQLSTATE 57014)"))
        #expect(
            slow.errors.hasSuffix(
                "hint: a query ran past MAILHOUND_STATEMENT_TIMEOUT (5min unless set): raise it for a large tenant, "
                    + "e.g. MAILHOUND_STATEMENT_TIMEOUT=30min, or look for a blocking session in pg_stat_activity\n"))
        let locked = try mailhoundRun(
            ["accounts", "--database-url", database.conninfo], environment: ["MAILHOUND_LOCK_TIMEOUT": "300ms"])
        #expect(locked.status == 1)
        #expect(locked.errors.contains("(SQLSTATE 55P03)"))
        #expect(
            locked.errors.hasSuffix(
                "hint: another session holds a lock mailhound needs (an open transaction in psql?): end it and run again; "
                    + "MAILHOUND_LOCK_TIMEOUT sets the wait (10s unless set)\n"))
        try analyst.execute("rollback")
    }

    @Test(
        "mailhound psql opens psql on the migrated database, arguments after -- passed on",
        .enabled(if: mailhoundExecutable != nil))
    func psql() throws {
        let database = try TestDatabase.fresh("psql")
        let run = try mailhound(
            ["psql", "--database-url", database.conninfo, "--", "-Atc", "select count(*) from analyst.ranked_sessions"])
        #expect(run.status == 0 && run.output == "0\n")
    }

    @Test("passwords are found in URLs and conninfo strings, and nowhere else")
    func passwords() {
        #expect(DatabaseTarget.holdsPassword("postgresql://u:pw@h/db"))
        #expect(DatabaseTarget.holdsPassword("postgres://h/db?user=u&password=pw"))
        #expect(DatabaseTarget.holdsPassword("host=h password=pw dbname=d"))
        #expect(!DatabaseTarget.holdsPassword("postgresql://u@h:5432/db"))
        #expect(!DatabaseTarget.holdsPassword("host=h dbname=password_audit"))
    }
}
