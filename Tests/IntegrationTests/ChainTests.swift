import Detection
import PostgresClient
import Rankings
import ReadModel
import Store
import Testing

@Suite("Chains link the findings and sessions of one intrusion")
struct ChainTests {
    struct Chain: Equatable {
        var kind: String
        var points: Int
        var actors: [String]
    }

    /// Every chain with its member sessions' actors, in member order.
    func chains(_ connection: Connection) throws -> [Chain] {
        try connection.execute(
            """
            select c.kind, c.points,
                array(select lower(s.actor) from unnest(c.sessions) with ordinality as m(id, n)
                      join mailhound.sessions as s on s.tenant = c.tenant and s.session_id = m.id order by m.n) as actors
            from analyst.chains as c
            order by c.kind, c.first_seen
            """
        ).rows.map { Chain(kind: $0["kind"] ?? "", points: $0.int("points") ?? 0, actors: $0.textArray("actors")) }
    }

    /// The reason of the one chain the test expects.
    func onlyReason(_ connection: Connection) throws -> String? {
        try connection.execute("select reason from analyst.chains").rows.first?["reason"]
    }

    func rank(of actor: String, _ connection: Connection) throws -> Int? {
        try connection.execute(
            "select min(rank) as rank from analyst.ranked_sessions where lower(actor) = \(actor)"
        ).rows.first?.int("rank")
    }

    @Test("grant → read → revoke links the admin's and the reader's sessions, which then outrank a grant kept and used")
    func grantReadRevoke() throws {
        var scenario = Scenario()
        scenario.grantReadRevoke()
        scenario.read(6, 10, actor: "assistant@contoso.example", owner: "ceo@contoso.example", logonType: 2)
        let connection = try scenario.detected()
        #expect(
            try chains(connection) == [
                Chain(
                    kind: "grant-read-revoke", points: 85,
                    actors: ["it-admin@contoso.example", "svc-sync@contoso.example"])
            ])
        let members = try connection.execute(
            "select count(*) as n from mailhound.findings where detector_id = 'grant-read-revoke' and points = 85"
        ).rows.first?.int("n")
        #expect(members == 2)
        let helpdesk = try #require(try rank(of: "helpdesk@contoso.example", connection))
        #expect(try #require(try rank(of: "svc-sync@contoso.example", connection)) < helpdesk)
        #expect(try #require(try rank(of: "it-admin@contoso.example", connection)) < helpdesk)
    }

    @Test("search → export → download across two sessions is one eDiscovery chain; a routine case export is not")
    func ediscoveryTheft() throws {
        var scenario = Scenario()
        scenario.ediscoveryTheft()
        let connection = try scenario.detected()
        #expect(
            try chains(connection) == [
                Chain(
                    kind: "ediscovery-theft", points: 92, actors: ["rogue@contoso.example", "rogue@contoso.example"])
            ])
        #expect(try onlyReason(connection)?.contains("all-mail exported and downloaded over 2 session(s)") == true)
    }

    @Test(
        "a new compliance hire's first export of two custodians from the office is no eDiscovery chain; the same export at 03:00 is"
    )
    func firstTicketIsNoTheft() throws {
        var scenario = Scenario()
        for (actor, hour, address) in [
            ("hire@contoso.example", 10, "198.51.100.40"), ("night@contoso.example", 3, "198.51.100.50"),
        ] {
            for day in 1...20 { scenario.read(day, 9, actor: actor, address: address) }
            let search = "ticket-\(actor.prefix(4))"
            scenario.cmdlet(
                20, hour, actor: actor, "New-ComplianceSearch",
                [("Name", search), ("ExchangeLocation", "alice@contoso.example,bob@contoso.example")],
                address: address, recordType: 18, workload: "SecurityComplianceCenter")
            scenario.cmdlet(
                20, hour, 20, actor: actor, "New-ComplianceSearchAction", [("SearchName", search), ("Export", "")],
                address: address, recordType: 18, workload: "SecurityComplianceCenter")
            scenario.add {
                .event(
                    id: $0, tenant: $1, at: Scenario.at(20, hour + 1), actor: actor,
                    operation: "SearchExportDownloaded", recordType: 24, workload: "SecurityComplianceCenter",
                    address: address, extra: [("ObjectId", .text("\(search)_Export"))])
            }
        }
        let connection = try scenario.detected()
        #expect(
            try chains(connection) == [
                Chain(
                    kind: "ediscovery-theft", points: 92, actors: ["night@contoso.example", "night@contoso.example"])
            ])
        #expect(
            try onlyReason(connection)
                == "eDiscovery theft: search ticket-nigh exported and downloaded over 2 session(s); first eDiscovery in 90 days, a stage at an hour the actor never works"
        )
        let exports = try connection.execute(
            "select reason from analyst.findings where detector_id = 'ediscovery-export' and reason like 'hire%' order by reason"
        ).rows.compactMap { $0["reason"] }
        #expect(
            exports == [
                "hire@contoso.example exported eDiscovery search ticket-hire (created, exported); first eDiscovery in 90 days",
                "hire@contoso.example exported eDiscovery search ticket-hire (downloaded); first eDiscovery in 90 days",
            ])
    }

    @Test("--since and --until keep the chains with a session in the window")
    func chainsInWindow() throws {
        var scenario = Scenario()
        scenario.grantReadRevoke()
        for (since, expected) in [("2024-05-05", 1), ("2024-05-06", 0)] {
            let connection = try scenario.detected(window: .init(since: since))
            #expect(try chains(connection).count == expected, "since \(since)")
        }
        let before = try scenario.detected(window: .init(until: "2024-05-05"))
        #expect(try chains(before).isEmpty)
    }

    @Test("export → remove → fetch, and rights → reads, are chains; a plain file-share export is not")
    func exportAndRights() throws {
        var scenario = Scenario()
        scenario.exportRemoveFetch()
        scenario.cmdlet(
            2, 2, 0, actor: "intruder@contoso.example", "New-ManagementRoleAssignment",
            [("Role", "Mailbox Import Export"), ("User", "intruder@contoso.example")], address: "203.0.113.66")
        scenario.read(
            2, 2, 15, actor: "intruder@contoso.example", owner: "cfo@contoso.example", address: "203.0.113.66",
            access: "Sync", logonType: 1)
        let connection = try scenario.detected()
        let found = try chains(connection)
        #expect(found.contains(Chain(kind: "export-then-fetch", points: 95, actors: ["intruder@contoso.example"])))
        #expect(
            found.contains {
                $0.kind == "role-then-read" && $0.points == 90 && $0.actors.first == "intruder@contoso.example"
            })
        #expect(!found.contains { $0.actors.contains("migration@contoso.example") })
        #expect(try rank(of: "intruder@contoso.example", connection) == 1)
    }

    @Test("two roles given to one identity in one session, then its reads, are one chain naming both roles")
    func twoRolesOneChain() throws {
        var scenario = Scenario()
        for (minute, role) in [(0, "Mailbox Import Export"), (1, "ApplicationImpersonation")] {
            scenario.cmdlet(
                2, 2, minute, actor: "intruder@contoso.example", "New-ManagementRoleAssignment",
                [("Role", role), ("User", "intruder@contoso.example")], address: "203.0.113.66")
        }
        scenario.read(
            2, 2, 15, actor: "intruder@contoso.example", owner: "cfo@contoso.example", address: "203.0.113.66",
            access: "Sync", logonType: 1)
        let connection = try scenario.detected()
        let reasons = try connection.execute("select reason from mailhound.chains where kind = 'role-then-read'")
            .rows.compactMap { $0["reason"] }
        #expect(
            reasons == [
                "Rights then reads: ApplicationImpersonation, Mailbox Import Export given to intruder@contoso.example, which then read others' mail in 1 session(s)"
            ])
    }

    @Test("SSRF from an address, then SYSTEM reading mailboxes from it, is one chain; a search then bulk read another")
    func ssrfAndSearch() throws {
        var scenario = Scenario()
        scenario.webRequests = [
            "2024-05-02 01:50:00 192.0.2.10 POST /ecp/y.js - 443 - 203.0.113.66 ExchangeServicesClient/0.0.0.0 - 200 0 0 30"
        ]
        scenario.read(
            2, 2, 10, actor: "NT AUTHORITY\\SYSTEM (w3wp)", owner: "ceo@contoso.example", address: "203.0.113.66",
            access: "Sync", logonType: 4, userType: 4)
        scenario.add {
            .event(
                id: $0, tenant: $1, at: Scenario.at(7, 14), actor: "mallory@contoso.example",
                operation: "SearchQueryInitiatedExchange",
                recordType: 50, workload: "Exchange", address: "198.51.100.9",
                extra: [
                    ("MailboxOwnerUPN", .text("cfo@contoso.example")), ("LogonType", .number(2)),
                    ("SessionId", .text("sid-m")),
                ])
        }
        scenario.read(
            7, 14, 5, actor: "mallory@contoso.example", owner: "cfo@contoso.example", address: "198.51.100.9",
            items: 150, logonType: 2, session: "sid-m")
        let connection = try scenario.detected()
        let found = try chains(connection)
        #expect(found.contains(Chain(kind: "ssrf-then-read", points: 95, actors: ["nt authority\\system (w3wp)"])))
        #expect(found.contains(Chain(kind: "search-then-steal", points: 80, actors: ["mallory@contoso.example"])))
    }

    /// Ten people reading their own mail from the office every day for two weeks: enough people
    /// that the tenant's 99th percentile is an ordinary session's.
    func tenOwnersReadingTheirMail() -> Scenario {
        var scenario = Scenario()
        let people = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
            .map { "\($0)@contoso.example" }
        for day in 1...14 {
            for (index, person) in people.enumerated() {
                scenario.read(day, 8 + index / 2, index % 2 * 30, actor: person, items: 8 + (day + index) % 4)
            }
        }
        return scenario
    }

    @Test(
        "a bulk read of one's own mailbox from a network never used is a chain that ranks high; a traveller's few reads and an owner's bulk read from the office are not"
    )
    func newNetworkBulkRead() throws {
        var scenario = tenOwnersReadingTheirMail()
        scenario.read(15, 3, actor: "alice@contoso.example", address: "203.0.113.66", items: 600)
        scenario.read(15, 10, actor: "bob@contoso.example", address: "192.0.2.44", items: 10)
        scenario.read(15, 11, actor: "carol@contoso.example", items: 600)
        try expectAliceOnTopByTheChain(
            scenario.detected(),
            reason:
                "Bulk read from a new network: alice@contoso.example read 600 items (their own mailbox) from 203.0.113.66, a network they had not used"
        )
    }

    @Test(
        "an app alice let read her mail downloading it from a new network is no chain: the consent explains the network, which new-client leaves to consented-app-reads"
    )
    func consentedAppBulkRead() throws {
        var scenario = tenOwnersReadingTheirMail()
        let app = "6b4f3e2a-9c1d-4e58-a7b0-2d9e8f7c6a51"
        scenario.consent(
            14, 15, actor: "alice@contoso.example", app: "0c7d5e4f-1a2b-4c3d-9e8f-7a6b5c4d3e2f", scope: "Mail.Read",
            appID: app)
        scenario.read(
            15, 3, actor: "alice@contoso.example", address: "203.0.113.66", items: 600,
            client: "Client=REST;Client=RESTSystem;;", appID: "00000003-0000-0000-c000-000000000000", clientAppID: app,
            session: "sid-app")
        scenario.read(15, 10, actor: "bob@contoso.example", address: "192.0.2.44", items: 10)
        let connection = try scenario.detected()
        #expect(try chains(connection).isEmpty)
        let found = try connection.execute(
            """
            select lower(s.actor) || ' ' || f.detector_id as finding
            from analyst.findings as f join analyst.sessions as s using (tenant, session_id)
            where f.detector_id in ('new-client', 'consented-app-reads', 'volume-outlier') and s.first_seen >= '2024-05-15'
            order by 1
            """
        ).rows.compactMap { $0["finding"] }
        #expect(
            found == [
                "alice@contoso.example consented-app-reads", "alice@contoso.example volume-outlier",
                "bob@contoso.example new-client",
            ])
    }

    @Test(
        "a bulk read through a sign-in session replayed from a network the owner had used is the same chain; a replay of a few reads and a bulk read from the office alone are not"
    )
    func replayedSessionBulkRead() throws {
        var scenario = tenOwnersReadingTheirMail()
        // The server was used once before: the network is not new, so new-network-bulk-read is silent.
        scenario.read(5, 12, actor: "alice@contoso.example", address: "192.0.2.44", items: 3)
        scenario.read(15, 9, actor: "alice@contoso.example", items: 8, session: "sid-alice")
        scenario.read(16, 2, actor: "alice@contoso.example", address: "192.0.2.44", items: 600, session: "sid-alice")
        scenario.read(15, 10, actor: "bob@contoso.example", items: 6, session: "sid-bob")
        scenario.read(15, 10, 30, actor: "bob@contoso.example", address: "192.0.2.80", items: 9, session: "sid-bob")
        scenario.read(15, 11, actor: "carol@contoso.example", items: 600, session: "sid-carol")
        let connection = try scenario.detected()
        try expectAliceOnTopByTheChain(
            connection,
            reason:
                "Bulk read from a new network: alice@contoso.example read 608 items (their own mailbox) in sign-in session sid-alice, also used from 192.0.0.0/16, 198.51.0.0/16"
        )
        let replayed = try connection.execute(
            """
            select lower(s.actor) as actor from analyst.findings as f join analyst.sessions as s using (tenant, session_id)
            where f.detector_id = 'token-replay' order by 1
            """
        ).rows.compactMap { $0["actor"] }
        #expect(replayed == ["alice@contoso.example", "bob@contoso.example"])
    }

    /// Alice's session of day 15 on is the one chain, with `reason`, and ranks first, high; its
    /// findings without the chain scored medium: alone they are weak.
    func expectAliceOnTopByTheChain(_ connection: Connection, reason: String) throws {
        #expect(
            try chains(connection) == [
                Chain(kind: "new-network-bulk-read", points: 60, actors: ["alice@contoso.example"])
            ])
        #expect(try onlyReason(connection) == reason)
        let top = try connection.execute(
            "select lower(actor) as actor, score from analyst.ranked_sessions order by rank limit 1"
        ).rows.first
        #expect(top?["actor"] == "alice@contoso.example")
        #expect((top?.int("score") ?? 0) >= 65)
        let alone = try connection.execute(
            """
            select mailhound.combined_score(f.points) as score
            from analyst.findings as f join analyst.sessions as s using (tenant, session_id)
            where lower(s.actor) = 'alice@contoso.example' and f.detector_id <> 'new-network-bulk-read'
                and s.first_seen >= '2024-05-15'
            """
        ).rows.first?.int("score")
        #expect((alone ?? 100) < 65)
    }
}
