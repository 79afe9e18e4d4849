import Foundation
import Rankings
import Reports
import Testing

/// The keys of every `--format json` output, exactly: these are contracts with the scripts and
/// notebooks that read them. A null value keeps its key.
@Suite("JSON contracts")
struct JSONContractTests {
    static func keys(_ json: String) throws -> [[String]] {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8))
        if let objects = value as? [[String: Any]] { return objects.map { $0.keys.sorted() } }
        return [try #require(value as? [String: Any]).keys.sorted()]
    }

    static func keys(of object: Any?) throws -> [String] {
        try #require(object as? [String: Any]).keys.sorted()
    }

    @Test("sessions, with their web evidence")
    func sessions() throws {
        var session = ReportsTests.session
        session.actor = nil
        session.webEvidence = [
            WebEvidence(
                at: "2021-03-02T02:09:00Z", method: nil, url: "/ecp/y.js", status: 241, clientIP: nil, userAgent: nil,
                indicators: ["ssrf-anchor"], file: "a.log", line: 3)
        ]
        let json = SessionReport.json([session])
        #expect(
            try Self.keys(json) == [
                [
                    "actor", "actor_kind", "blind_spots", "bytes", "client", "client_ip", "detectors", "first_seen",
                    "id", "items", "last_seen", "mailbox_owners", "rank", "reasons", "score", "severity",
                    "suppressed_reasons", "tenant", "web_evidence",
                ]
            ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]).first
        let evidence = try #require((object?["web_evidence"] as? [Any])?.first)
        #expect(
            try Self.keys(of: evidence) == [
                "at", "client_ip", "file", "indicators", "line", "method", "status", "url", "user_agent",
            ])
    }

    @Test("accounts")
    func accounts() throws {
        let account = RankedAccount(
            rank: 1, score: 80, severity: "high", role: .actor, tenant: "t", account: "a@x", sessions: 2,
            detectors: ["d"], reasons: ["r"])
        #expect(
            try Self.keys(AccountReport.render([account], format: .json, width: 100)) == [
                ["account", "detectors", "rank", "reasons", "role", "score", "sessions", "severity", "tenant"]
            ])
    }

    @Test("runs")
    func runs() throws {
        let run = DetectionRun(
            id: 1, mode: "full", status: "succeeded", startedAt: "2021-03-02T02:10:04Z", seconds: nil,
            windowFrom: nil, windowUntil: nil, baselineDays: 30, dataFrom: nil, dataUntil: nil, events: 1,
            sessions: 1, sessionsRebuilt: 1, judgedFrom: "all", findings: 0, detectors: 17)
        #expect(
            try Self.keys(RunReport.render([run], format: .json, width: 100)) == [
                [
                    "baseline_days", "data_from", "data_until", "detectors", "events", "findings", "id",
                    "judged_from", "mode", "seconds", "sessions", "sessions_rebuilt", "started_at", "status",
                    "window_from", "window_until",
                ]
            ])
    }

    @Test("coverage")
    func coverage() throws {
        let window = BlindWindow(
            tenant: "t", kind: "throttled", subject: "ceo@x", startsAt: nil, endsAt: nil, detail: "d")
        #expect(
            try Self.keys(CoverageReport.render([window], format: .json, width: 100)) == [
                ["detail", "ends_at", "kind", "starts_at", "subject", "tenant"]
            ])
    }

    @Test("errors")
    func errors() throws {
        let entry = QuarantineEntry(
            tenant: "t", file: "f", line: 1, offset: 0, reason: "r", raw: "x", quarantinedAt: "2021-03-02T02:10:04Z")
        #expect(
            try Self.keys(ErrorReport.render([entry], format: .json, width: 100)) == [
                ["file", "line", "offset", "quarantined_at", "raw", "reason", "tenant"]
            ])
    }

    @Test("allow list")
    func allowList() throws {
        let entry = AllowListEntry(
            id: 1, tenant: "t", actor: nil, appID: "app", clientNetwork: nil, detector: nil, reason: "r",
            expiresAt: nil, createdAt: "2021-03-02T02:10:04Z", suppresses: 0, expired: false)
        #expect(
            try Self.keys(AllowListReport.render([entry], format: .json, width: 100)) == [
                [
                    "actor", "app_id", "client_network", "created_at", "detector", "expired", "expires_at", "id",
                    "reason", "suppresses", "tenant",
                ]
            ])
    }

    @Test("one session's timeline")
    func timeline() throws {
        let story = SessionTimeline(
            session: .init(
                id: "s", tenant: "t", actor: nil, actorKind: "user", client: nil, clients: nil, clientIPs: [],
                mailboxOwners: [],
                firstSeen: "a", lastSeen: "b", events: 1, items: 0, bytes: 0, rank: nil, score: nil, severity: nil),
            findings: [.init(detector: "d", points: 10, reason: "r", evidence: .null, suppressedBy: nil)],
            timeline: [
                .init(
                    at: "a", kind: "record", inSession: true, operation: "MailItemsAccessed", actor: nil, mailbox: nil,
                    detail: nil, clientIP: nil, items: 1, file: "f", line: 1)
            ],
            omitted: 0)
        let json = TimelineReport.render(story, format: .json, width: 100)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["findings", "omitted", "session", "timeline"])
        #expect(
            try Self.keys(of: object["session"]) == [
                "actor", "actor_kind", "bytes", "client", "client_ips", "clients", "events", "first_seen", "id",
                "items",
                "last_seen", "mailbox_owners", "rank", "score", "severity", "tenant",
            ])
        #expect(
            try Self.keys(of: (object["findings"] as? [Any])?.first) == [
                "detector", "evidence", "points", "reason", "suppressed_by",
            ])
        #expect(
            try Self.keys(of: (object["timeline"] as? [Any])?.first) == [
                "actor", "at", "client_ip", "detail", "file", "in_session", "items", "kind", "line", "mailbox",
                "operation",
            ])
    }
}
