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

@Suite("Schema and detection")
struct SchemaAndDetectionTests {
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

    @Test("with its sign-ins, the demo's Graph read after a sign-in from abroad ranks second, behind the intrusion")
    func demoTokenTheft() throws {
        let (connection, _) = try loadDemo("demosignins", withSignIns: true)
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection)
        let top = try RankedSession.top(3, minimumScore: 0, from: connection)
        #expect(top.first?.actor == DemoTenant.intruder)
        let theft = try #require(top.dropFirst().first)
        #expect(theft.actor == "cfo@\(DemoTenant.domain)")
        #expect(theft.clientIP == DemoTenant.foreignSignInAddress)
        #expect(theft.severity == "high")
        #expect(theft.detectors.first == "signin-new-country")
        #expect(
            theft.reasons.first
                == "cfo@northwind.example signed in from RU (Moscow, 203.0.113.140) at 2021-03-01T04:13:02Z, "
                + "a country new to them (before: US), and read mail")
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

    @Test("the first page of the ranking and each session's rank are the ranked view's, read without sorting it all")
    func pagesAndRanksMatchTheView() throws {
        let (connection, _) = try loadDemo("ranks")
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection)
        let view = try connection.execute(
            "select rank, session_id, score, severity from analyst.ranked_sessions order by rank, session_id"
        ).rows.map {
            Ranked(rank: $0.int("rank"), id: $0["session_id"] ?? "", score: $0.int("score"), severity: $0["severity"])
        }
        #expect(view.count > 10)
        for limit in [1, 5, view.count, view.count + 5] {
            let page = try RankedSession.top(limit, minimumScore: 0, from: connection).map {
                Ranked(rank: $0.rank, id: $0.id, score: $0.score, severity: $0.severity)
            }
            #expect(page == Array(view.prefix(limit)))
        }
        let best = view.compactMap(\.score).max() ?? 0
        for minimum in [40, best, best + 1] {
            let reaching = view.filter { ($0.score ?? 0) >= minimum }
            for limit in [1, 3, view.count] {
                let page = try RankedSession.top(limit, minimumScore: minimum, from: connection).map(\.id)
                #expect(page == reaching.prefix(limit).map(\.id), "score \(minimum), limit \(limit)")
            }
        }
        for session in view {
            let header = try #require(try SessionTimeline.load(session.id, limit: 1, from: connection)).session
            #expect(Ranked(rank: header.rank, id: header.id, score: header.score, severity: header.severity) == session)
        }
        let unscored = try #require(
            try connection.execute(
                """
                select s.session_id from analyst.sessions as s
                where not exists (select from analyst.ranked_sessions as r where r.session_id = s.session_id)
                limit 1
                """
            ).rows.first?["session_id"])
        let header = try #require(try SessionTimeline.load(unscored, limit: 1, from: connection)).session
        #expect(header.rank == nil && header.score == nil && header.severity == nil)
    }

    struct Ranked: Equatable {
        var rank: Int?
        var id: String
        var score: Int?
        var severity: String?
    }

    @Test(
        "a score is the formula's, rounded from the exact product, whatever order its findings come in",
        arguments: [
            ([60, 25, 25], 78),  // 77.5: in double precision 77 in one order, 78 in another
            ([45, 10], 51),  // 50.5: 50 in double precision, in either order
            ([35, 25, 10], 56),
            ([99, 99, 99], 99),
            ([120], 99),
            ([50], 50),
            ([], 0),
        ])
    func scoreIgnoresOrder(points: [Int], expected: Int) throws {
        let connection = try TestDatabase.fresh("score_order").connect()
        for order in Self.permutations(points) {
            let literal = "{" + order.map(String.init).joined(separator: ",") + "}"
            let score = try connection.execute(
                "select mailhound.combined_score(p) as score from unnest(\(literal)::integer[]) as u(p)"
            ).rows.first?.int("score")
            #expect(score == expected, "points in the order \(order)")
        }
    }

    static func permutations(_ values: [Int]) -> [[Int]] {
        guard let first = values.first else { return [[]] }
        return permutations(Array(values.dropFirst())).flatMap { rest in
            (0...rest.count).map { index in
                var order = rest
                order.insert(first, at: index)
                return order
            }
        }
    }

    /// A fresh database holding the demo tenant.
    func loadDemo(_ label: String, withSignIns: Bool = false) throws -> (Connection, IngestSummary) {
        let connection = try TestDatabase.fresh(label).connect()
        let demo = DemoTenant()
        var inputs: [InputFile] = []
        for lines in [demo.jsonLines()] + (withSignIns ? [demo.signInLines()] : []) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "demo-\(UUID().uuidString).jsonl")
            try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            inputs.append(InputFile(path: file.path))
        }
        defer { for input in inputs { try? FileManager.default.removeItem(atPath: input.path) } }
        let summary = try Ingestor(connection: connection, logger: TestDatabase.logger).ingest(inputs)
        return (connection, summary)
    }
}
