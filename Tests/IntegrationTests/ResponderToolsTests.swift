import AuditSources
import DemoData
import Detection
import Foundation
import Ingest
import PostgresClient
import Rankings
import ReadModel
import Simulation
import Store
import Testing

@Suite("Responder tools: allow-list, windows, severity gate, runs and timelines")
struct ResponderToolsTests {
    let runner = DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger)

    /// A database holding the demo tenant, detected once.
    func demoDatabase(_ label: String) throws -> (Database, Connection) {
        let database = try TestDatabase.fresh(label)
        let connection = try database.connect()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString).jsonl")
        try (DemoTenant().jsonLines().joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try Ingestor(connection: connection, options: Ingestor.Options(), logger: TestDatabase.logger)
            .ingest([InputFile(path: file.path)])
        _ = try runner.run(connection)
        return (database, connection)
    }

    func suppressedCount(_ connection: Connection) throws -> Int {
        try connection.execute("select count(*) as n from mailhound.findings where suppressed_by is not null")
            .rows.first?.int("n") ?? -1
    }

    @Test("allow-list entries suppress at once, are listed with what they suppress, and lift when removed")
    func allowList() throws {
        let (_, connection) = try demoDatabase("allow")
        let top = try #require(try RankedSession.top(1, minimumScore: 0, from: connection).first)
        #expect(top.actor == DemoTenant.intruder)

        #expect(throws: AllowList.Refusal.self) { try AllowList.add(.init(), reason: "nothing", to: connection) }
        #expect(throws: AllowList.Refusal.self) {
            try AllowList.add(.init(actor: "someone"), reason: " ", to: connection)
        }
        let expiredID = try AllowList.add(
            .init(actor: DemoTenant.intruder), reason: "expired yesterday", expires: "2000-01-01", to: connection)
        let expired = try #require(try AllowListEntry.list(from: connection, id: expiredID).first)
        #expect(expired.suppresses == 0 && expired.expired)

        let entryID = try AllowList.add(
            .init(actor: DemoTenant.intruder.uppercased(), clientNetwork: "203.0.113.0/24"),
            reason: "INC-1 lab replay", to: connection)
        let entry = try #require(try AllowListEntry.list(from: connection, id: entryID).first)
        #expect(entry.suppresses == top.detectors.count)
        let after = try RankedSession.top(10_000, minimumScore: 0, includeSuppressed: true, from: connection)
        #expect(!after.contains { $0.id == top.id && $0.severity != "suppressed" })
        let hidden = try #require(after.first { $0.id == top.id })
        #expect(hidden.score == 0 && hidden.suppressedReasons.count == top.detectors.count)
        #expect(hidden.suppressedReasons.allSatisfy { $0.contains("allow-list entry \(entry.id): INC-1 lab replay") })
        #expect(try RankedSession.top(50, minimumScore: 0, from: connection).allSatisfy { $0.id != top.id })

        #expect(try AllowList.remove(entry.id, from: connection) == true)
        #expect(try !AllowList.remove(entry.id, from: connection))
        let restored = try RankedSession.top(1, minimumScore: 0, from: connection).first
        #expect(restored == top)
        #expect(try AllowListEntry.list(from: connection).map(\.id) == [expired.id])
    }

    @Test("--since/--until keep findings to sessions in the window and are recorded with the run")
    func window() throws {
        let (_, connection) = try demoDatabase("window")
        let all = try connection.execute("select count(*) as n from mailhound.findings").rows.first?.int("n") ?? 0
        let summary = try runner.run(connection, window: .init(since: "2021-03-01", until: "2021-03-03"))
        #expect(summary.findings > 0 && summary.findings < all)
        let outside = try connection.execute(
            """
            select count(*) as n from mailhound.findings join mailhound.sessions using (tenant, session_id)
            where last_seen < '2021-03-01' or first_seen >= '2021-03-03'
            """
        ).rows.first?.int("n")
        #expect(outside == 0)
        let runs = try DetectionRun.list(limit: 5, from: connection)
        #expect(runs.map(\.id) == [summary.runID, summary.runID - 1])
        #expect(runs.first?.windowFrom == "2021-03-01T00:00:00Z" && runs.first?.windowUntil == "2021-03-03T00:00:00Z")
        #expect(runs.last?.windowFrom == nil && runs.first?.status == "succeeded")
        let detectors = try runner.loadDetectors().count
        #expect(runs.first?.findings == summary.findings && runs.first?.detectors == detectors)
    }

    @Test("the severity gate counts ranked sessions in the band or above")
    func severityGate() throws {
        let (_, connection) = try demoDatabase("gate")
        let ranked = try RankedSession.top(10_000, minimumScore: 0, from: connection)
        for severity in Severity.allCases {
            let expected = ranked.filter { Severity(rawValue: $0.severity).map { $0 >= severity } ?? false }.count
            #expect(try Severity.sessions(atLeast: severity, from: connection) == expected)
        }
        #expect(try Severity.sessions(atLeast: .critical, from: connection) >= 1)
        #expect(try Severity.sessions(atLeast: .low, from: connection) == ranked.count)
    }

    @Test("a session's timeline holds its records in time order, the related grant, and its findings")
    func timeline() throws {
        let database = try TestDatabase.fresh("timeline")
        let connection = try database.connect()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("grant-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let organization = "5f1c9a2e-3b7d-4c61-9e2a-7d40c1a8e901"
        func record(_ id: Int, _ time: String, _ body: String) -> String {
            """
            {"CreationTime":"2024-05-14T\(time)","Id":"00000000-0000-4000-8000-\(String(format: "%012d", id))",\
            "OrganizationId":"\(organization)","Workload":"Exchange",\(body)}
            """
        }
        let grant = record(
            1, "09:31:44",
            """
            "Operation":"Add-MailboxPermission","RecordType":1,"ResultStatus":"True","UserType":2,\
            "UserId":"it-admin@contoso.example","ClientIP":"203.0.113.66:50412",\
            "Parameters":[{"Name":"Identity","Value":"alice@contoso.example"},\
            {"Name":"User","Value":"SVC-SYNC@contoso.example"},{"Name":"AccessRights","Value":"FullAccess"}]
            """)
        // One sign-in, the last read from a second client (a comma and quotes in its text).
        let second = #"Client=REST;Other/1.0 (X11, \"quoted\")"#
        let reads = (0..<3).map { index in
            record(
                10 + index, "09:4\(index):00",
                """
                "Operation":"MailItemsAccessed","RecordType":50,"ResultStatus":"Succeeded","UserType":0,\
                "UserId":"svc-sync@contoso.example","ClientIPAddress":"203.0.113.66","LogonType":2,\
                "SessionId":"sid-sync","MailboxOwnerUPN":"alice@contoso.example",\
                "ClientInfoString":"\(index == 2 ? second : "Client=REST;")",\
                "OperationProperties":[{"Name":"MailAccessType","Value":"Sync"}],\
                "Folders":[{"Path":"\\\\Inbox"}]
                """)
        }
        try ([grant] + reads.reversed()).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        _ = try Ingestor(connection: connection, options: Ingestor.Options(), logger: TestDatabase.logger)
            .ingest([InputFile(path: file.path)])
        _ = try runner.run(connection)
        let id = try #require(
            try connection.execute(
                "select session_id from mailhound.sessions where actor = 'svc-sync@contoso.example'"
            ).rows.first?["session_id"])

        let story = try #require(try SessionTimeline.load(String(id.prefix(6)), limit: 0, from: connection))
        #expect(story.session.id == id && story.session.mailboxOwners == ["alice@contoso.example"])
        #expect(story.session.clients == ["Client=REST;", #"Client=REST;Other/1.0 (X11, "quoted")"#])
        #expect(story.timeline.map(\.kind) == ["related operation", "mailbox", "mailbox", "mailbox"])
        #expect(story.timeline.map(\.at) == story.timeline.map(\.at).sorted())
        let related = try #require(story.timeline.first)
        #expect(related.operation == "Add-MailboxPermission" && related.actor == "it-admin@contoso.example")
        #expect(related.detail?.contains("-AccessRights FullAccess") == true && !related.inSession)
        #expect(story.timeline.dropFirst().allSatisfy { $0.inSession && $0.detail == "Sync \\Inbox" })
        #expect(story.findings.contains { $0.detector == "non-owner-sync" && $0.suppressedBy == nil })
        #expect(story.omitted == 0)

        let short = try #require(try SessionTimeline.load(id, limit: 2, from: connection))
        #expect(short.timeline.count == 2 && short.omitted == 2)
        #expect(try SessionTimeline.load("zz", limit: 0, from: connection) == nil)
    }

    @Test("the CLI: detect --fail-on exits 3 only at or above the band; session and runs print JSON")
    func commandLine() throws {
        let (database, _) = try demoDatabase("cli")
        let url = ["--database-url", database.conninfo]
        #expect(try mailhound(["detect", "--fail-on", "critical"] + url).status == 3)
        #expect(try mailhound(["detect", "--fail-on", "critical", "--since", "2030-01-01"] + url).status == 0)
        #expect(try mailhound(["detect", "--fail-on", "severe"] + url).status == 64)

        _ = try mailhound(["detect"] + url)
        let sessions = try mailhound(["sessions", "--top", "1", "--format", "json"] + url)
        let ranked = try #require(
            try JSONSerialization.jsonObject(with: Data(sessions.output.utf8)) as? [[String: Any]])
        let id = try #require(ranked.first?["id"] as? String)
        let shown = try mailhound(["session", id, "--format", "json"] + url)
        #expect(shown.status == 0)
        let story = try #require(try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])
        #expect((story["session"] as? [String: Any])?["id"] as? String == id)
        #expect(((story["findings"] as? [[String: Any]])?.first?["evidence"] as? [String: Any]) != nil)
        #expect(try mailhound(["session", "ffffffffffffffff"] + url).status == 4)
        #expect(try mailhound(["session", ""] + url).status == 64)

        // --tz shows times in a zone, with its offset; storage and the default stay UTC.
        let local = try mailhound(["sessions", "--top", "1", "--format", "json", "--tz", "Europe/Berlin"] + url)
        let localFirst = try #require(
            (try JSONSerialization.jsonObject(with: Data(local.output.utf8)) as? [[String: Any]])?.first)
        let utcFirst = try #require(ranked.first)
        #expect(
            (localFirst["first_seen"] as? String)?.hasSuffix("+01:00") == true
                || (localFirst["first_seen"] as? String)?.hasSuffix("+02:00") == true)
        #expect((utcFirst["first_seen"] as? String)?.hasSuffix("Z") == true)
        let berlin = ISO8601DateFormatter().date(from: localFirst["first_seen"] as? String ?? "")
        #expect(berlin != nil && berlin == ISO8601DateFormatter().date(from: utcFirst["first_seen"] as? String ?? ""))
        #expect(try mailhound(["sessions", "--tz", "Mars/Olympus"] + url).status == 64)

        let started = Date()
        #expect(try mailhound(["detect", "--full"] + url).status == 0)
        let elapsed = Date().timeIntervalSince(started)
        let runs = try mailhound(["runs", "--format", "json"] + url)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(runs.output.utf8)) as? [[String: Any]])
        #expect(list.count == 5 && list.dropFirst().first?["window_from"] is NSNull)
        // The run's own time, not its transaction's start: most of the command's.
        let seconds = try #require(list.first?["seconds"] as? Double)
        #expect(seconds > 0 && seconds >= elapsed / 2 - 0.3, "\(seconds) of \(elapsed)")
    }
}
