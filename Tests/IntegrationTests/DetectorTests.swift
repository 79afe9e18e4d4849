import AuditEvents
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

/// Records for one detector's scenario, each with a fresh id.
struct Scenario {
    static let tenant = "5f1c9a2e-3b7d-4c61-9e2a-7d40c1a8e901"
    private(set) var records: [UALRecord] = []
    /// IIS log lines (W3C, the sample's #Fields) loaded beside the records under the same tenant.
    var webRequests: [String] = []
    /// Lines of an IP-to-ASN table (ip2asn TSV) loaded before detection, when not empty.
    var networkOwners: [String] = []
    /// Entra sign-ins (Graph signIn objects, one a line) loaded beside the records.
    var signIns: [String] = []

    /// `2024-05-{day}T{hour}:{minute}:00`, days from 1 (day 32 is 1 June).
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> String {
        let mayFirst: Int64 = 1_714_521_600
        let seconds = mayFirst + Int64((day - 1) * 86_400 + hour * 3_600 + minute * 60)
        return String(Timestamp(microsecondsSinceEpoch: seconds * 1_000_000).description.dropLast())
    }

    mutating func add(_ make: (_ id: Int, _ tenant: String) -> UALRecord) {
        records.append(make(records.count + 1, Self.tenant))
    }

    mutating func read(
        _ day: Int, _ hour: Int, _ minute: Int = 0, actor: String, owner: String? = nil,
        address: String = "198.51.100.7",
        access: String = "Bind", items: Int = 5, logonType: Int = 0, userType: Int = 0, client: String = "Client=OWA;",
        appID: String? = nil, clientAppID: String? = nil, session: String? = nil, throttled: Bool = false
    ) {
        add {
            .mailRead(
                id: $0, tenant: $1, at: Self.at(day, hour, minute), actor: actor, owner: owner ?? actor,
                address: address, access: access, items: items, logonType: logonType, userType: userType,
                client: client, appID: appID, clientAppID: clientAppID, session: session, throttled: throttled)
        }
    }

    mutating func cmdlet(
        _ day: Int, _ hour: Int, _ minute: Int = 0, actor: String, _ operation: String,
        _ parameters: [(String, String)],
        address: String = "198.51.100.7", recordType: Int = 1, workload: String = "Exchange"
    ) {
        add {
            .cmdlet(
                id: $0, tenant: $1, at: Self.at(day, hour, minute), actor: actor, operation: operation,
                parameters: parameters, address: address, recordType: recordType, workload: workload)
        }
    }

    /// An Entra sign-in of `actor`, successful unless `failed`, from `country`.
    mutating func signIn(
        _ day: Int, _ hour: Int, _ minute: Int = 0, actor: String, address: String = "198.51.100.7",
        country: String = "US", failed: Bool = false, session: String? = nil, risk: String = "none"
    ) {
        let id = String(format: "5e5e5e5e-0000-4000-8000-%012x", signIns.count + 1)
        let sessionField = session.map { #","sessionId":"\#($0)""# } ?? ""
        signIns.append(
            #"{"id":"\#(id)","createdDateTime":"\#(Self.at(day, hour, minute))Z","userPrincipalName":"\#(actor)","#
                + #""appId":"d3590ed6-52b3-4102-aeff-aad2292ab01c","ipAddress":"\#(address)","#
                + #""resourceId":"00000003-0000-0000-c000-000000000000","resourceTenantId":"\#(Self.tenant)","#
                + #""riskLevelDuringSignIn":"\#(risk)","status":{"errorCode":\#(failed ? 50126 : 0)},"#
                + #""location":{"city":"somewhere","countryOrRegion":"\#(country)"}\#(sessionField)}"#)
    }

    /// An Entra record of `actor` consenting to `app` (its service principal) with delegated `scope`;
    /// with `appID`, the application id as Entra names it, in the service principal names and as a
    /// target of type 4.
    mutating func consent(
        _ day: Int, _ hour: Int, actor: String, app: String, scope: String, appID: String? = nil,
        forAllUsers: Bool = false
    ) {
        let extra = UALRecord.consentFields(
            servicePrincipal: app, principal: actor, scope: scope, app: appID.map { ($0, "Mail Helper") },
            forAllUsers: forAllUsers)
        add {
            .event(
                id: $0, tenant: $1, at: Self.at(day, hour), actor: actor, operation: "Consent to application.",
                recordType: 8, workload: "AzureActiveDirectory", address: "198.51.100.7", extra: extra)
        }
    }

    static func fullAccess(_ target: String, to user: String) -> [(String, String)] {
        [("Identity", target), ("User", user), ("AccessRights", "FullAccess")]
    }

    /// it-admin grants svc-sync FullAccess on alice, svc-sync syncs it, it-admin revokes; the
    /// helpdesk grants an assistant access to the CEO, unused.
    mutating func grantReadRevoke() {
        cmdlet(
            5, 9, 31, actor: "it-admin@contoso.example", "Add-MailboxPermission",
            Self.fullAccess("alice@contoso.example", to: "SVC-SYNC@contoso.example"))
        read(
            5, 9, 40, actor: "svc-sync@contoso.example", owner: "alice@contoso.example", address: "203.0.113.66",
            access: "Sync", logonType: 2)
        cmdlet(
            5, 11, 0, actor: "it-admin@contoso.example", "Remove-MailboxPermission",
            Self.fullAccess("alice@contoso.example", to: "svc-sync@contoso.example"))
        cmdlet(
            6, 9, actor: "helpdesk@contoso.example", "Add-MailboxPermission",
            Self.fullAccess("ceo@contoso.example", to: "assistant@contoso.example"))
    }

    /// rogue searches all mailboxes at night, exports the search and downloads it from a new
    /// address (another session); legal exports a case search as it does every time.
    mutating func ediscoveryTheft() {
        for day in 1...20 {
            read(day, 9, actor: "rogue@contoso.example", address: "198.51.100.30")
            read(day, 9, actor: "legal@contoso.example", address: "198.51.100.40")
        }
        cmdlet(
            2, 10, actor: "legal@contoso.example", "New-ComplianceSearch",
            [("Name", "case-7"), ("ExchangeLocation", "alice@contoso.example")], address: "198.51.100.40",
            recordType: 18, workload: "SecurityComplianceCenter")
        cmdlet(
            20, 10, actor: "legal@contoso.example", "New-ComplianceSearchAction",
            [("SearchName", "case-8"), ("Export", "")], address: "198.51.100.40", recordType: 18,
            workload: "SecurityComplianceCenter")
        cmdlet(
            20, 2, actor: "rogue@contoso.example", "New-ComplianceSearch",
            [("Name", "all-mail"), ("ExchangeLocation", "All")], address: "198.51.100.30", recordType: 18,
            workload: "SecurityComplianceCenter")
        cmdlet(
            20, 2, 5, actor: "rogue@contoso.example", "New-ComplianceSearchAction",
            [("SearchName", "all-mail"), ("Export", "")], address: "198.51.100.30", recordType: 18,
            workload: "SecurityComplianceCenter")
        add {
            .event(
                id: $0, tenant: $1, at: Self.at(20, 3), actor: "rogue@contoso.example",
                operation: "SearchExportDownloaded",
                recordType: 24, workload: "SecurityComplianceCenter", address: "203.0.113.50",
                extra: [("ObjectId", .text("all-mail_Export"))])
        }
    }

    /// The intruder exports the CEO to aspnet_client, removes the request and fetches the PST;
    /// a migration exports bob to a file share.
    mutating func exportRemoveFetch() {
        let path = "\\\\EXCH01\\c$\\inetpub\\wwwroot\\aspnet_client\\ceo.pst"
        cmdlet(
            2, 2, 12, actor: "intruder@contoso.example", "New-MailboxExportRequest",
            [("Mailbox", "ceo@contoso.example"), ("FilePath", path)], address: "203.0.113.66")
        cmdlet(
            2, 2, 30, actor: "intruder@contoso.example", "Remove-MailboxExportRequest",
            [("Identity", "ceo@contoso.example\\MailboxExport")], address: "203.0.113.66")
        webRequests = [
            "2024-05-02 02:41:00 192.0.2.10 GET /aspnet_client/ceo.pst - 443 - 203.0.113.66 curl/7.68.0 - 200 0 0 1234"
        ]
        cmdlet(
            3, 10, actor: "migration@contoso.example", "New-MailboxExportRequest",
            [("Mailbox", "bob@contoso.example"), ("FilePath", "\\\\fs01\\exports\\bob.pst")])
    }

    /// Loads the records into a fresh database, runs every detector and returns `detector`'s
    /// findings keyed by the session's actor (lower-case): the one with the most points.
    func findings(
        of detector: String, window: DetectionRunner.Window = .init()
    ) throws -> [String: (points: Int, reason: String)] {
        try everyFinding(of: detector, window: window).compactMapValues(\.last)
    }

    /// Every finding of `detector` by actor (lower-case), fewest points first; equal points in
    /// session order, so the result never depends on where rows lie in the table.
    func everyFinding(
        of detector: String, window: DetectionRunner.Window = .init()
    ) throws -> [String: [(points: Int, reason: String)]] {
        let connection = try detected(window: window)
        var found: [String: [(points: Int, reason: String)]] = [:]
        for row in try connection.execute(
            """
            select lower(s.actor) as actor, f.points, f.reason
            from mailhound.findings as f join mailhound.sessions as s using (tenant, session_id)
            where f.detector_id = \(detector)
            order by f.points, f.session_id
            """
        ).rows {
            found[row["actor"] ?? "", default: []].append((row.int("points") ?? 0, row["reason"] ?? ""))
        }
        return found
    }

    /// A fresh database holding the records, after one detection run; with `firstLoad`, the
    /// records before that index are loaded and detected first, the rest then loaded and detected
    /// incrementally.
    /// `beforeEachRun` runs after each load, before the run that follows it (to alter what was stored).
    func detected(
        window: DetectionRunner.Window = .init(), firstLoad: Int? = nil,
        beforeEachRun: (Connection) throws -> Void = { _ in }
    ) throws -> Connection {
        let database = try TestDatabase.fresh("detector")
        let connection = try database.connect()
        var written: [URL] = []
        defer { for file in written { try? FileManager.default.removeItem(at: file) } }
        func temporaryFile(_ suffix: String, _ lines: [String]) throws -> InputFile {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID())-\(suffix)")
            written.append(file)
            try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            return InputFile(path: file.path)
        }
        let header = [
            "#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
                + "cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
        ]
        let split = firstLoad ?? records.count
        var inputs = [
            try temporaryFile("ual.jsonl", records[..<split].map(\.jsonLine)),
            try temporaryFile("u_ex.log", header + webRequests),
        ]
        if !signIns.isEmpty { inputs.append(try temporaryFile("signins.jsonl", signIns)) }
        var options = Ingestor.Options()
        options.read = ReadOptions(tenant: Self.tenant)
        let summary = try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
            .ingest(inputs)
        #expect(summary.quarantined == 0 && summary.loaded == split + webRequests.count + signIns.count)
        if !networkOwners.isEmpty {
            let loaded = try NetworkOwnerTable.load(try temporaryFile("asn.tsv", networkOwners), into: connection)
            #expect(loaded.ranges == networkOwners.count && loaded.malformed.isEmpty)
        }
        let runner = DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger)
        try beforeEachRun(connection)
        _ = try runner.run(connection, window: window)
        if split < records.count {
            let rest = try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
                .ingest([try temporaryFile("ual-rest.jsonl", records[split...].map(\.jsonLine))])
            #expect(rest.quarantined == 0 && rest.loaded == records.count - split)
            try beforeEachRun(connection)
            #expect(try runner.run(connection, window: window).mode == .incremental)
        }
        return connection
    }
}

@Suite("Detectors, each against its attack and its benign look-alike")
struct DetectorTests {
    @Test("throttled-mailbox: a throttled read of someone else's mailbox outweighs an owner's")
    func throttled() throws {
        var scenario = Scenario()
        scenario.read(3, 10, actor: "alice@contoso.example", items: 900, throttled: true)
        scenario.read(
            3, 11, actor: "mallory@contoso.example", owner: "carol@contoso.example", items: 900, logonType: 2,
            throttled: true)
        scenario.read(3, 12, actor: "bob@contoso.example", items: 900)
        let found = try scenario.findings(of: "throttled-mailbox")
        #expect(found["alice@contoso.example"]?.points == 30)
        #expect(found["mallory@contoso.example"]?.points == 45)
        #expect(
            found["mallory@contoso.example"]?.reason.contains("reads until 2024-05-04 11:00 UTC are not logged") == true
        )
        #expect(found["bob@contoso.example"] == nil)
    }

    @Test(
        "permission-grant: grant, read, revoke scores both sides; service identities and unused helpdesk grants do not")
    func permissionGrant() throws {
        var scenario = Scenario()
        scenario.grantReadRevoke()
        scenario.cmdlet(
            6, 10, actor: "NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)", "Add-MailboxPermission",
            Scenario.fullAccess("bob@contoso.example", to: "eve@contoso.example"))
        scenario.cmdlet(
            6, 11, actor: "ediscovery@contoso.example", "Add-MailboxPermission",
            Scenario.fullAccess(
                "DiscoverySearchMailbox{D919BA05}@contoso.example",
                to: "DiscoverySearchMailbox{D919BA05}@contoso.example"))
        scenario.cmdlet(
            6, 12, actor: "mallory@contoso.example", "Add-MailboxPermission",
            Scenario.fullAccess("cfo@contoso.example", to: "Mallory@contoso.example"))
        let found = try scenario.findings(of: "permission-grant")
        #expect(found["it-admin@contoso.example"]?.points == 60)
        #expect(found["svc-sync@contoso.example"]?.points == 55)
        #expect(found["svc-sync@contoso.example"]?.reason.contains("revoked at 2024-05-05 11:00 UTC") == true)
        #expect(found["helpdesk@contoso.example"]?.points == 35)
        #expect(found["mallory@contoso.example"]?.points == 55)
        #expect(found["nt authority\\system (microsoft.exchange.servicehost)"] == nil)
        #expect(found["ediscovery@contoso.example"] == nil)
    }

    @Test(
        "permission-grant: a shared mailbox given to one more reader weighs 15 less on both sides; granting it to oneself does not"
    )
    func permissionGrantOnSharedMailbox() throws {
        var scenario = Scenario()
        // No one signs in to support@; two people read it on two days each.
        for day in 1...2 {
            scenario.read(day, 9, actor: "vera@contoso.example", owner: "support@contoso.example", logonType: 2)
            scenario.read(day, 10, actor: "wen@contoso.example", owner: "support@contoso.example", logonType: 2)
        }
        scenario.cmdlet(
            4, 9, actor: "helpdesk@contoso.example", "Add-MailboxPermission",
            Scenario.fullAccess("support@contoso.example", to: "newbie@contoso.example"))
        scenario.read(4, 11, actor: "newbie@contoso.example", owner: "support@contoso.example", logonType: 2)
        scenario.cmdlet(
            5, 9, actor: "mallory@contoso.example", "Add-MailboxPermission",
            Scenario.fullAccess("support@contoso.example", to: "mallory@contoso.example"))
        let found = try scenario.findings(of: "permission-grant")
        #expect(found["helpdesk@contoso.example"]?.points == 35)
        #expect(
            found["helpdesk@contoso.example"]?.reason
                == "helpdesk@contoso.example granted newbie@contoso.example FullAccess on support@contoso.example (Add-MailboxPermission); newbie@contoso.example read it within 24 h (1 session(s)); a shared mailbox several people read"
        )
        #expect(found["newbie@contoso.example"]?.points == 30)
        #expect(found["mallory@contoso.example"]?.points == 55)
        #expect(found["mallory@contoso.example"]?.reason.contains("shared") == false)
    }

    @Test("privileged-role: ApplicationImpersonation then reads scores 60; an ordinary role nothing")
    func privilegedRole() throws {
        var scenario = Scenario()
        scenario.cmdlet(
            4, 22, actor: "admin@contoso.example", "New-ManagementRoleAssignment",
            [("Role", "ApplicationImpersonation"), ("User", "svc-x@contoso.example")])
        scenario.read(
            5, 2, actor: "svc-x@contoso.example", owner: "ceo@contoso.example", address: "203.0.113.9", items: 300,
            logonType: 1)
        scenario.cmdlet(
            4, 10, actor: "helpdesk@contoso.example", "New-ManagementRoleAssignment",
            [("Role", "Mail Recipients"), ("User", "temp@contoso.example")])
        scenario.cmdlet(
            6, 10, actor: "lead@contoso.example", "New-ManagementRoleAssignment",
            [("Role", "Mailbox Search"), ("User", "auditor@contoso.example")])
        let found = try scenario.findings(of: "privileged-role")
        #expect(found["admin@contoso.example"]?.points == 60)
        #expect(found["admin@contoso.example"]?.reason.contains("ApplicationImpersonation") == true)
        #expect(found["lead@contoso.example"]?.points == 45)
        #expect(found["helpdesk@contoso.example"] == nil)
    }

    @Test("ediscovery-export: a first-time, all-mailbox export downloaded from a new address outranks a routine one")
    func ediscovery() throws {
        var scenario = Scenario()
        scenario.ediscoveryTheft()
        let found = try scenario.everyFinding(of: "ediscovery-export")
        // The search-and-export session and the download session each get a finding.
        let rogue = try #require(found["rogue@contoso.example"])
        #expect(rogue.allSatisfy { $0.points >= 65 } && rogue.count == 2)
        #expect(
            rogue.contains { $0.reason.contains("first eDiscovery in 90 days") && $0.reason.contains("all mailboxes") })
        #expect(rogue.contains { $0.reason.contains("downloaded from new address 203.0.113.50") })
        #expect(found["legal@contoso.example"]?.map(\.points) == [30])
    }

    @Test(
        "ediscovery-export: a download from the tenant's own office block, or in the data's first week, is not from a new address"
    )
    func ediscoveryDownloadNetworks() throws {
        var scenario = Scenario()
        for day in 1...20 {
            for person in 1...12 {
                scenario.read(day, 9, actor: "staff\(person)@contoso.example", address: "198.51.100.\(10 + person)")
            }
            scenario.read(day, 9, actor: "officer@contoso.example", address: "192.0.2.10")
            scenario.read(day, 9, actor: "early@contoso.example", address: "192.0.2.20")
        }
        for (actor, day, address, download) in [
            ("officer@contoso.example", 12, "192.0.2.10", "198.51.100.77"),
            ("early@contoso.example", 2, "192.0.2.20", "198.18.0.99"),
        ] {
            let search = "case-\(day)"
            scenario.cmdlet(
                day, 10, actor: actor, "New-ComplianceSearch",
                [("Name", search), ("ExchangeLocation", "staff1@contoso.example")], address: address,
                recordType: 18, workload: "SecurityComplianceCenter")
            scenario.cmdlet(
                day, 10, 5, actor: actor, "New-ComplianceSearchAction", [("SearchName", search), ("Export", "")],
                address: address, recordType: 18, workload: "SecurityComplianceCenter")
            scenario.add {
                .event(
                    id: $0, tenant: $1, at: Scenario.at(day, 11), actor: actor, operation: "SearchExportDownloaded",
                    recordType: 24, workload: "SecurityComplianceCenter", address: download,
                    extra: [("ObjectId", .text(search + "_Export"))])
            }
        }
        let found = try scenario.everyFinding(of: "ediscovery-export")
        #expect(found["officer@contoso.example"]?.map(\.points) == [50, 50])
        #expect(found["early@contoso.example"]?.map(\.points) == [30, 30])
        #expect(!found.values.joined().contains { $0.reason.contains("new address") })
    }

    @Test("audit-tampering: bypass and audit sets without MailItemsAccessed fire; a full audit set does not")
    func auditTampering() throws {
        var scenario = Scenario()
        scenario.cmdlet(
            3, 1, actor: "mallory@contoso.example", "Set-MailboxAuditBypassAssociation",
            [("Identity", "mallory@contoso.example"), ("AuditBypassEnabled", "$true")])
        scenario.read(3, 3, actor: "mallory@contoso.example", owner: "ceo@contoso.example", logonType: 2)
        scenario.cmdlet(
            3, 10, actor: "admin@contoso.example", "Set-Mailbox",
            [("Identity", "cfo@contoso.example"), ("AuditOwner", "MailboxLogin,HardDelete")])
        scenario.cmdlet(
            3, 12, actor: "careful@contoso.example", "Set-Mailbox",
            [("Identity", "cfo@contoso.example"), ("AuditOwner", "MailboxLogin,MailItemsAccessed")])
        scenario.cmdlet(
            3, 14, actor: "tenant-admin@contoso.example", "Set-AdminAuditLogConfig",
            [("UnifiedAuditLogIngestionEnabled", "False")])
        let found = try scenario.findings(of: "audit-tampering")
        #expect(found["mallory@contoso.example"]?.points == 70)
        #expect(found["admin@contoso.example"]?.points == 55)
        #expect(found["tenant-admin@contoso.example"]?.points == 55)
        #expect(found["careful@contoso.example"] == nil)
    }

    @Test("search-then-read: a delegate's search then bulk read fires; an owner's own search does not")
    func searchThenRead() throws {
        var scenario = Scenario()
        for (actor, owner, logon) in [
            ("mallory@contoso.example", "ceo@contoso.example", 2), ("ceo@contoso.example", "ceo@contoso.example", 0),
        ] {
            let session = UUID().uuidString
            scenario.add {
                .event(
                    id: $0, tenant: $1, at: Scenario.at(7, 14), actor: actor, operation: "SearchQueryInitiatedExchange",
                    recordType: 50, workload: "Exchange", address: "198.51.100.9",
                    extra: [
                        ("MailboxOwnerUPN", .text(owner)), ("LogonType", .number(logon)), ("SessionId", .text(session)),
                    ])
            }
            scenario.read(
                7, 14, 5, actor: actor, owner: owner, address: "198.51.100.9", items: 150, logonType: logon,
                session: session)
        }
        let found = try scenario.findings(of: "search-then-read")
        #expect(found["mallory@contoso.example"]?.points == 50)
        #expect(found["ceo@contoso.example"] == nil)
    }

    @Test("signin-new-country: mail read after a sign-in from a new country fires; home and a cold start do not")
    func signInNewCountry() throws {
        var scenario = Scenario()
        for actor in ["alice@contoso.example", "bob@contoso.example"] {
            for day in 1...5 {
                scenario.signIn(day, 9, actor: actor, session: "\(actor)-\(day)")
                scenario.read(day, 9, 5, actor: actor, session: "\(actor)-\(day)")
            }
        }
        scenario.signIn(
            8, 3, actor: "alice@contoso.example", address: "198.51.100.23", country: "RU", session: "stolen",
            risk: "medium")
        scenario.read(8, 3, 10, actor: "alice@contoso.example", address: "198.51.100.23", items: 300, session: "stolen")
        scenario.signIn(8, 9, actor: "bob@contoso.example", session: "bob-8")
        scenario.read(8, 9, 5, actor: "bob@contoso.example", session: "bob-8")
        scenario.signIn(1, 9, actor: "carol@contoso.example", session: "carol-1")
        scenario.signIn(
            8, 3, actor: "carol@contoso.example", address: "198.51.100.23", country: "RU", session: "carol-8")
        scenario.read(8, 3, 10, actor: "carol@contoso.example", address: "198.51.100.23", session: "carol-8")
        let found = try scenario.findings(of: "signin-new-country")
        #expect(
            found["alice@contoso.example"]?.points == 60
                && found["alice@contoso.example"]?.reason
                    == "alice@contoso.example signed in from RU (somewhere, 198.51.100.23) at 2024-05-08T03:00:00Z, "
                    + "a country new to them (before: US), and read mail"
        )
        #expect(found["bob@contoso.example"] == nil)
        #expect(found["carol@contoso.example"] == nil)
    }

    @Test("signin-failures: failures then a read from a new address fire; failures then a read from the office do not")
    func signInFailures() throws {
        var scenario = Scenario()
        for actor in ["dave@contoso.example", "erin@contoso.example"] {
            for day in 1...5 { scenario.read(day, 9, actor: actor, address: "198.51.100.5") }
            for minute in stride(from: 0, to: 12, by: 2) {
                scenario.signIn(8, 2, minute, actor: actor, address: "203.0.113.66", failed: true)
            }
        }
        scenario.read(8, 2, 30, actor: "dave@contoso.example", address: "203.0.113.66", items: 50)
        scenario.read(8, 2, 30, actor: "erin@contoso.example", address: "198.51.100.5")
        let found = try scenario.findings(of: "signin-failures")
        #expect(
            found["dave@contoso.example"]?.points == 50
                && found["dave@contoso.example"]?.reason
                    == "dave@contoso.example failed 6 sign-ins between 2024-05-08T02:00:00Z and 2024-05-08T02:10:00Z, "
                    + "then read mail from 203.0.113.66, new to them"
        )
        #expect(found["erin@contoso.example"] == nil)
    }

    @Test("virtual-directory-script: a web shell in an OAB ExternalUrl fires; a plain URL and $null do not")
    func virtualDirectoryScript() throws {
        var scenario = Scenario()
        let shell =
            #"http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["k"],"unsafe");}</script>"#
        scenario.cmdlet(
            2, 2, 4, actor: "mallory@contoso.example", "Set-OabVirtualDirectory",
            [("ExternalUrl", shell), ("Identity", "OAB (Default Web Site)")], address: "203.0.113.66")
        scenario.cmdlet(
            2, 10, actor: "admin@contoso.example", "Set-OwaVirtualDirectory",
            [("ExternalUrl", "https://mail.contoso.example/owa"), ("InternalUrl", "$null")])
        let found = try scenario.findings(of: "virtual-directory-script")
        #expect(found["mallory@contoso.example"]?.points == 90)
        #expect(
            found["mallory@contoso.example"]?.reason
                == "mallory@contoso.example set Set-OabVirtualDirectory ExternalUrl to script: " + shell.prefix(120))
        #expect(found["admin@contoso.example"] == nil)
    }

    @Test(
        "token-replay: one SessionId reading from two distant networks fires, weakly when one client read from both; one network block does not"
    )
    func tokenReplay() throws {
        var scenario = Scenario()
        let thief = "Client=OWA;Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"
        scenario.read(8, 9, actor: "alice@contoso.example", address: "198.51.100.5", session: "sid-alice")
        scenario.read(
            8, 9, 20, actor: "alice@contoso.example", address: "203.0.113.9", items: 200, client: thief,
            session: "sid-alice")
        scenario.read(8, 9, actor: "bob@contoso.example", address: "198.51.100.5", session: "sid-bob")
        scenario.read(8, 9, 20, actor: "bob@contoso.example", address: "198.51.7.77", session: "sid-bob")
        // A phone carried from home Wi-Fi onto its carrier: one client on both networks.
        let phone = "Client=REST;Client=RESTSystem;Outlook-iOS/2.0;"
        scenario.read(8, 19, actor: "dave@contoso.example", address: "198.51.100.5", client: phone, session: "sid-dave")
        scenario.read(
            8, 19, 30, actor: "dave@contoso.example", address: "203.0.113.9", client: phone, session: "sid-dave")
        let found = try scenario.findings(of: "token-replay")
        #expect(found["alice@contoso.example"]?.points == 40)
        #expect(
            found["alice@contoso.example"]?.reason
                == "alice@contoso.example's sign-in session sid-alice read mail from 2 distant networks: 198.51.0.0/16, 203.0.0.0/16"
        )
        #expect(found["dave@contoso.example"]?.points == 15)
        #expect(
            found["dave@contoso.example"]?.reason
                == "dave@contoso.example's sign-in session sid-dave read mail from 2 distant networks: 198.51.0.0/16, 203.0.0.0/16, with one client throughout (a device that moved, unless the client was copied too)"
        )
        #expect(found["bob@contoso.example"] == nil)
    }

    @Test(
        "with an IP-to-ASN table, a carrier's other blocks are neither a new network nor token replay; a hosting provider is new"
    )
    func networkOwners() throws {
        var scenario = Scenario()
        scenario.networkOwners = [
            "198.51.100.0\t198.51.101.255\t64500\tUS\tEXAMPLE-MOBILE",
            "203.0.113.0\t203.0.113.255\t64511\tNL\tEXAMPLE-HOSTING",
            "192.0.2.0\t192.0.2.255\t64500\tUS\tEXAMPLE-MOBILE",
        ]
        for day in 1...8 {
            scenario.read(day, 9, actor: "alice@contoso.example", address: "198.51.100.7")
            scenario.read(day, 9, actor: "bob@contoso.example", address: "198.51.100.8")
        }
        scenario.read(9, 9, actor: "alice@contoso.example", address: "198.51.101.40")
        scenario.read(9, 9, actor: "bob@contoso.example", address: "203.0.113.80")
        scenario.read(9, 12, actor: "carol@contoso.example", address: "198.51.100.5", session: "sid-carol")
        scenario.read(9, 12, 20, actor: "carol@contoso.example", address: "192.0.2.77", session: "sid-carol")
        let connection = try scenario.detected()
        let found = try connection.execute(
            """
            select lower(s.actor) as actor, f.detector_id, f.reason
            from mailhound.findings as f join mailhound.sessions as s using (tenant, session_id)
            where f.detector_id in ('new-client', 'token-replay')
            """
        ).rows.map { "\($0["actor"] ?? "") \($0["detector_id"] ?? ""): \($0["reason"] ?? "")" }
        #expect(
            found == [
                "bob@contoso.example new-client: bob@contoso.example used a new address 203.0.113.80 (new network: AS64511 EXAMPLE-HOSTING)"
            ])
    }

    @Test("off-hours: a 03:00 read by a nine-to-five actor fires; their usual hours and a cold start do not")
    func offHours() throws {
        var scenario = Scenario()
        for day in 1...12 {
            scenario.read(day, 9, actor: "dave@contoso.example")
            scenario.read(day, 16, actor: "dave@contoso.example")
        }
        scenario.read(13, 3, actor: "dave@contoso.example", owner: "ceo@contoso.example", logonType: 2)
        scenario.read(13, 10, actor: "erin@contoso.example")
        for day in 1...3 { scenario.read(day, 9, actor: "newbie@contoso.example") }
        scenario.read(4, 3, actor: "newbie@contoso.example")
        let found = try scenario.findings(of: "off-hours")
        #expect(found["dave@contoso.example"]?.points == 30)
        #expect(found["dave@contoso.example"]?.reason.contains("03:00 UTC") == true)
        #expect(found.count == 1)
    }

    @Test(
        "off-hours: hours inside the actor's day-long sessions are usual, though no session began in them; the night is not"
    )
    func offHoursSpannedSessions() throws {
        var scenario = Scenario()
        for day in 1...12 {
            let session = String(format: "0a0a0a0a-0000-4000-8000-%012x", day)
            for hour in 9...17 { scenario.read(day, hour, actor: "frank@contoso.example", session: session) }
        }
        scenario.read(13, 15, actor: "frank@contoso.example", owner: "support@contoso.example", logonType: 2)
        scenario.read(14, 2, actor: "frank@contoso.example", owner: "support@contoso.example", logonType: 2)
        let found = try scenario.everyFinding(of: "off-hours")
        #expect(
            found["frank@contoso.example"]?.map(\.reason) == [
                "frank@contoso.example read mail at 02:00 UTC; none of their 13 sessions in the 30 days before was active within an hour of it, outside the tenant's working hours"
            ])
    }

    @Test(
        "off-hours from the data's start: a 03:00 read on its second day fires, looking at the days after; an evening habit begun on its third day does not"
    )
    func offHoursFromTheDataStart() throws {
        var scenario = Scenario()
        for day in 1...20 {
            for person in ["ann", "ben", "cat", "dan"] {
                scenario.read(day, 9, actor: "\(person)@contoso.example", session: "\(person)-\(day)")
                scenario.read(day, 15, actor: "\(person)@contoso.example", session: "\(person)-\(day)")
            }
            scenario.read(day, 9, actor: "kim@contoso.example")
            scenario.read(day, 16, actor: "kim@contoso.example")
            // An assistant who reads the boss's mail every evening from the data's third day.
            scenario.read(day, 9, actor: "lee@contoso.example")
            if day >= 3 {
                scenario.read(day, 21, actor: "lee@contoso.example", owner: "ann@contoso.example", logonType: 2)
            }
        }
        scenario.read(2, 3, actor: "kim@contoso.example", owner: "ceo@contoso.example", logonType: 2)
        let found = try scenario.findings(of: "off-hours")
        #expect(Set(found.keys) == ["kim@contoso.example"])
        #expect(found["kim@contoso.example"]?.points == 30)
        #expect(
            found["kim@contoso.example"]?.reason
                == "kim@contoso.example read mail at 03:00 UTC; none of their 38 sessions in the 30 days before and after was active within an hour of it (the data starts here), outside the tenant's working hours"
        )
    }

    @Test("app-mail-reading: a new app and a spike fire; the steady backup app does not")
    func appMailReading() throws {
        var scenario = Scenario()
        let backup = "5b1e4b0f-9c7a-4e2d-8f3b-6a9d0c2e1f47"
        let spiking = "11111111-2222-3333-4444-555555555555"
        let newcomer = "99999999-8888-7777-6666-555555555555"
        for day in 1...20 {
            scenario.read(
                day, 1, actor: "ServicePrincipal_\(backup)", owner: "alice@contoso.example", items: 40 + day % 3,
                userType: 5, appID: backup)
            if day % 2 == 0 {
                scenario.read(
                    day, 2, actor: "ServicePrincipal_\(spiking)", owner: "bob@contoso.example", items: 20, userType: 5,
                    appID: spiking)
            }
        }
        scenario.read(
            21, 1, actor: "ServicePrincipal_\(backup)", owner: "alice@contoso.example", items: 42, userType: 5,
            appID: backup)
        scenario.read(
            21, 3, actor: "ServicePrincipal_\(spiking)", owner: "ceo@contoso.example", items: 4000, userType: 5,
            appID: spiking)
        scenario.read(
            21, 4, actor: "ServicePrincipal_\(newcomer)", owner: "cfo@contoso.example", items: 10, userType: 5,
            appID: newcomer)
        scenario.read(
            2, 4, actor: "ServicePrincipal_cold", owner: "cfo@contoso.example", items: 10, userType: 5,
            appID: "cold-start-app")
        let found = try scenario.findings(of: "app-mail-reading")
        #expect(found["serviceprincipal_\(spiking)"]?.points == 40)
        #expect(found["serviceprincipal_\(newcomer)"]?.points == 35)
        #expect(found["serviceprincipal_\(backup)"] == nil)
        #expect(found["serviceprincipal_cold"] == nil)
    }

    @Test(
        "consented-app-reads: reads from a new network after a Mail.Read consent fire, a campaign named; other scopes, the user's own network and earlier reads do not"
    )
    func consentedAppReads() throws {
        var scenario = Scenario()
        let people = ["carol", "dave", "erin", "frank", "gina", "heidi"].map { "\($0)@contoso.example" }
        for day in 1...10 {
            for person in people { scenario.read(day, 9, actor: person, address: "198.51.100.7") }
        }
        scenario.consent(11, 9, actor: people[0], app: "app-x", scope: "Mail.Read offline_access User.Read")
        scenario.consent(12, 8, actor: people[1], app: "app-x", scope: "Mail.Read offline_access User.Read")
        scenario.consent(11, 9, actor: people[2], app: "app-y", scope: "Mail.ReadWrite")
        scenario.consent(11, 9, actor: people[3], app: "app-z", scope: "Calendars.Read")
        scenario.consent(11, 9, actor: people[4], app: "app-w", scope: "Mail.Read")
        scenario.read(11, 8, actor: people[5], address: "203.0.113.40", client: "Client=REST;", session: "sid-early")
        scenario.consent(11, 9, actor: people[5], app: "app-v", scope: "Mail.Read")
        let rest = "Client=REST;Client=RESTSystem;;"
        scenario.read(11, 12, actor: people[0], address: "203.0.113.40", items: 30, client: rest, session: "sid-x1")
        scenario.read(12, 8, 30, actor: people[1], address: "203.0.113.41", items: 30, client: rest, session: "sid-x2")
        scenario.read(11, 10, actor: people[2], address: "192.0.2.50", client: rest, session: "sid-y")
        scenario.read(11, 10, actor: people[3], address: "192.0.2.50", client: rest, session: "sid-z")
        scenario.read(11, 10, actor: people[4], address: "198.51.100.9", client: rest, session: "sid-w")
        scenario.read(11, 10, actor: people[5], address: "203.0.113.40", client: rest, session: "sid-early")
        let found = try scenario.findings(of: "consented-app-reads")
        #expect(found[people[0]]?.points == 35)
        #expect(
            found[people[0]]?.reason
                == "carol@contoso.example consented to app app-x (Mail.Read) at 2024-05-11T09:00:00Z; 3 hours later, mail was read in their name from 203.0.113.0/24, a network they had not used; 2 identities consented to that app within 3 days"
        )
        #expect(found[people[1]]?.points == 35)
        #expect(found[people[2]]?.points == 35)
        #expect(
            found[people[2]]?.reason
                == "erin@contoso.example consented to app app-y (Mail.ReadWrite) at 2024-05-11T09:00:00Z; an hour later, mail was read in their name from 192.0.2.0/24, a network they had not used"
        )
        #expect(found[people[3]] == nil)
        #expect(found[people[4]] == nil)
        #expect(found[people[5]] == nil)
    }

    @Test(
        "consented-app-reads: the app's own reads from a network the user used once fire, once; from their routine, or reads of another client, do not"
    )
    func consentedAppReadsByApp() throws {
        var scenario = Scenario()
        let people = ["ivan", "judy", "ken", "lena"].map { "\($0)@contoso.example" }
        for day in 1...10 {
            for person in people { scenario.read(day, 9, actor: person, address: "198.51.100.7") }
        }
        for person in people { scenario.read(3, 20, actor: person, address: "203.0.113.40") }
        let app = "6b4f3e2a-9c1d-4e58-a7b0-2d9e8f7c6a51"
        let graph = "00000003-0000-0000-c000-000000000000"
        let rest = "Client=REST;Client=RESTSystem;;"
        for person in people {
            scenario.consent(
                11, 9, actor: person, app: "0c7d5e4f-1a2b-4c3d-9e8f-7a6b5c4d3e2f", scope: "Mail.Read", appID: app)
        }
        // ivan: the app, from the address he used once; judy: the app (an add-in) from her office.
        scenario.read(
            11, 22, actor: people[0], address: "203.0.113.40", items: 40, client: rest, appID: graph, clientAppID: app,
            session: "sid-i")
        scenario.read(
            11, 10, actor: people[1], address: "198.51.100.7", client: rest, appID: graph, clientAppID: app,
            session: "sid-j")
        // ken: his own OWA from that address again; lena: the service principal's id as the AppId.
        scenario.read(11, 22, actor: people[2], address: "203.0.113.40", appID: "owa", session: "sid-k")
        scenario.read(
            11, 22, actor: people[3], address: "203.0.113.41", client: rest,
            appID: "0C7D5E4F-1A2B-4C3D-9E8F-7A6B5C4D3E2F", session: "sid-l")
        // The app again the next night, from that address: one fact, found once.
        scenario.read(
            12, 22, actor: people[0], address: "203.0.113.40", items: 40, client: rest, appID: graph, clientAppID: app,
            session: "sid-i2")
        let found = try scenario.findings(of: "consented-app-reads")
        #expect(try scenario.everyFinding(of: "consented-app-reads")[people[0]]?.count == 1)
        #expect(
            found[people[0]]?.reason
                == "ivan@contoso.example consented to app 0c7d5e4f-1a2b-4c3d-9e8f-7a6b5c4d3e2f (Mail.Read) at 2024-05-11T09:00:00Z; 13 hours later, that app read mail in their name from 203.0.113.0/24, a network they had not used on more than one day; 4 identities consented to that app within 3 days"
        )
        #expect(found[people[0]]?.points == 35)
        #expect(found[people[1]] == nil)
        #expect(found[people[2]] == nil)
        #expect(found[people[3]]?.reason.contains("that app read mail in their name from 203.0.113.0/24") == true)
    }

    @Test("consented-app-reads: after an admin's consent for all users, the app's reads in any user's name")
    func consentedAppReadsForAllUsers() throws {
        var scenario = Scenario()
        let people = ["admin", "mia", "noah", "olga", "pia", "quinn", "rob", "sam", "tom", "uma", "vic", "wes"].map {
            "\($0)@contoso.example"
        }
        for day in 1...10 {
            for person in people { scenario.read(day, 9, actor: person, address: "198.51.100.7") }
        }
        scenario.read(3, 20, actor: people[2], address: "203.0.113.40")
        let app = "6b4f3e2a-9c1d-4e58-a7b0-2d9e8f7c6a51"
        let graph = "00000003-0000-0000-c000-000000000000"
        let rest = "Client=REST;Client=RESTSystem;;"
        scenario.consent(
            11, 9, actor: people[0], app: "0c7d5e4f-1a2b-4c3d-9e8f-7a6b5c4d3e2f", scope: "Mail.Read", appID: app,
            forAllUsers: true)
        // mia: the app from a network new to her; noah: from the address he used once; olga: the
        // app (an add-in) from her office; pia: her own reads from a new network, not the app's.
        for (person, address) in [
            (people[1], "192.0.2.40"), (people[2], "203.0.113.41"), (people[3], "198.51.100.7"),
        ] {
            scenario.read(
                11, 22, actor: person, address: address, items: 40, client: rest, appID: graph, clientAppID: app)
        }
        scenario.read(11, 22, actor: people[4], address: "203.0.113.42")
        // Five more from noah's network the next night, one an hour: the app reads for six there, as
        // a rollout to everyone does, and the first five stand for the rest.
        for (hour, person) in people[7...].enumerated() {
            scenario.read(
                12, 1 + hour, actor: person, address: "203.0.113.44", items: 40, client: rest, appID: graph,
                clientAppID: app)
        }
        // quinn lets another app in for herself alone: its reads in rob's name are not hers to explain.
        let other = "7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
        scenario.consent(
            11, 9, actor: people[5], app: "1d8e6f50-2b3c-4d4e-8f90-8b7c6d5e4f30", scope: "Mail.Read", appID: other)
        scenario.read(11, 22, actor: people[6], address: "203.0.113.43", client: rest, appID: graph, clientAppID: other)
        let found = try scenario.findings(of: "consented-app-reads")
        #expect(
            found[people[1]]?.reason
                == "admin@contoso.example consented to app 0c7d5e4f-1a2b-4c3d-9e8f-7a6b5c4d3e2f (Mail.Read) for all users at 2024-05-11T09:00:00Z; 13 hours later, that app read mail in mia@contoso.example's name from 192.0.2.0/24, a network they had not used"
        )
        #expect(found[people[1]]?.points == 35)
        #expect(
            found[people[2]]?.reason.hasSuffix(
                "from 203.0.113.0/24, a network they had not used on more than one day; that week it read the mail of 6 identities from there"
            ) == true)
        #expect(found[people[2]]?.points == 15)
        #expect(found[people[3]] == nil)
        #expect(found[people[4]] == nil)
        #expect(found[people[6]] == nil)
        #expect(Set(found.keys) == Set([people[1], people[2]] + people[7...10]))
    }

    @Test("consented-app-reads: with an IP-to-ASN table, another block of the user's own AS is not a new network")
    func consentedAppReadsByAS() throws {
        var scenario = Scenario()
        scenario.networkOwners = [
            "198.51.100.0\t198.51.101.255\t64500\tUS\tEXAMPLE-MOBILE",
            "203.0.113.0\t203.0.113.255\t64511\tNL\tEXAMPLE-HOSTING",
        ]
        for day in 1...10 {
            scenario.read(day, 9, actor: "carol@contoso.example", address: "198.51.100.7")
            scenario.read(day, 9, actor: "dave@contoso.example", address: "198.51.100.8")
        }
        scenario.consent(11, 9, actor: "carol@contoso.example", app: "app-x", scope: "Mail.Read")
        scenario.consent(11, 9, actor: "dave@contoso.example", app: "app-y", scope: "Mail.Read")
        scenario.read(11, 10, actor: "carol@contoso.example", address: "198.51.101.9", session: "sid-c")
        scenario.read(11, 10, actor: "dave@contoso.example", address: "203.0.113.40", session: "sid-d")
        let found = try scenario.findings(of: "consented-app-reads")
        #expect(found["carol@contoso.example"] == nil)
        #expect(found["dave@contoso.example"]?.reason.hasSuffix("from AS64511, a network they had not used") == true)
    }

    @Test("export-request: a web-served export removed and then fetched scores 95; a file-share export 50")
    func exportRequest() throws {
        var scenario = Scenario()
        scenario.exportRemoveFetch()
        let found = try scenario.findings(of: "export-request")
        let intruder = try #require(found["intruder@contoso.example"])
        #expect(intruder.points == 95)
        #expect(
            intruder.reason.contains("removed the request 18 min later")
                && intruder.reason.contains("fetched over the web from 203.0.113.66"))
        #expect(found["migration@contoso.example"]?.points == 50)
    }

    @Test("machine-identity: SYSTEM outweighs an app-only principal; a user is not a machine")
    func machineIdentity() throws {
        var scenario = Scenario()
        scenario.read(
            2, 2, actor: "NT AUTHORITY\\SYSTEM (w3wp)", owner: "ceo@contoso.example", logonType: 4, userType: 4)
        scenario.read(2, 3, actor: "ServicePrincipal_app", owner: "cfo@contoso.example", userType: 5, appID: "app-1")
        scenario.read(2, 4, actor: "alice@contoso.example")
        let found = try scenario.findings(of: "machine-identity")
        #expect(found["nt authority\\system (w3wp)"]?.points == 45)
        #expect(found["serviceprincipal_app"]?.points == 25)
        #expect(found["alice@contoso.example"] == nil)
    }

    @Test("many-mailboxes: an admin session sweeping eight mailboxes fires; a delegate's usual two do not")
    func manyMailboxes() throws {
        var scenario = Scenario()
        for (index, owner) in ["a", "b", "c", "d", "e", "f", "g", "h"].enumerated() {
            scenario.read(4, 1, index, actor: "admin@contoso.example", owner: "\(owner)@contoso.example", logonType: 1)
        }
        for day in 1...4 {
            scenario.read(day, 9, actor: "assistant@contoso.example", owner: "ceo@contoso.example", logonType: 2)
            scenario.read(day, 9, 5, actor: "assistant@contoso.example", owner: "cfo@contoso.example", logonType: 2)
        }
        let found = try scenario.findings(of: "many-mailboxes")
        #expect((found["admin@contoso.example"]?.points ?? 0) >= 30)
        #expect(found["assistant@contoso.example"] == nil)
    }

    @Test(
        "new-client: a new network and client after a week of history fires; a new office address and the first days do not"
    )
    func newClient() throws {
        var scenario = Scenario()
        for day in 1...8 { scenario.read(day, 9, actor: "alice@contoso.example", address: "198.51.100.7") }
        scenario.add {
            .mailRead(
                id: $0, tenant: $1, at: Scenario.at(9, 9), actor: "alice@contoso.example",
                owner: "alice@contoso.example", address: "203.0.113.80", client: "Client=REST;python-requests/2.31")
        }
        scenario.read(1, 9, actor: "bob@contoso.example", address: "198.51.100.8")
        scenario.read(3, 15, actor: "bob@contoso.example", address: "192.0.2.99")
        for day in 1...8 { scenario.read(day, 9, actor: "carol@contoso.example", address: "198.51.100.20") }
        scenario.read(9, 9, actor: "carol@contoso.example", address: "198.51.100.21")
        let found = try scenario.findings(of: "new-client")
        #expect(found["alice@contoso.example"]?.points == 35)
        #expect(found["bob@contoso.example"] == nil)
        #expect(found["carol@contoso.example"] == nil)
    }

    @Test(
        "new-client from the data's start: a hosting network on its second day, back the next night, fires by the days after; a home network used on many of them does not"
    )
    func newClientFromTheDataStart() throws {
        var scenario = Scenario()
        for day in 1...20 {
            scenario.read(day, 9, actor: "kim@contoso.example", address: "198.51.100.7")
            scenario.read(day, 16, actor: "kim@contoso.example", address: "198.51.100.7")
            scenario.read(day, 9, actor: "lee@contoso.example", address: "198.51.100.8")
            if day % 3 == 2 { scenario.read(day, 20, actor: "lee@contoso.example", address: "192.0.2.50") }
        }
        for night in [2, 3] {
            scenario.add {
                .mailRead(
                    id: $0, tenant: $1, at: Scenario.at(night, 3), actor: "kim@contoso.example",
                    owner: "kim@contoso.example", address: "203.0.113.80", client: "Client=REST;python-requests/2.31")
            }
        }
        let found = try scenario.everyFinding(of: "new-client")
        #expect(Set(found.keys) == ["kim@contoso.example"])
        #expect(
            found["kim@contoso.example"]?.map(\.reason) == [
                "kim@contoso.example used a new address 203.0.113.80 (new network) and a new client Client=REST;python-requests/2.31 (the data starts here: seldom or never used again)"
            ])
    }

    @Test(
        "new-client's look-ahead ends with the data's first window: the address used often after it changes no judgment, incremental or full"
    )
    func newClientLookAheadIncremental() throws {
        var scenario = Scenario()
        func office(_ day: Int) {
            scenario.read(day, 9, actor: "kim@contoso.example", address: "198.51.100.7")
            scenario.read(day, 16, actor: "kim@contoso.example", address: "198.51.100.7")
        }
        for day in 1...34 { office(day) }
        scenario.add {
            .mailRead(
                id: $0, tenant: $1, at: Scenario.at(2, 3), actor: "kim@contoso.example", owner: "kim@contoso.example",
                address: "203.0.113.80", client: "Client=REST;python-requests/2.31")
        }
        let firstLoad = scenario.records.count
        // Past the first window (its data starts on day 1): the address every evening.
        for day in 35...40 {
            office(day)
            for hour in [19, 20, 21] { scenario.read(day, hour, actor: "kim@contoso.example", address: "203.0.113.80") }
        }
        let connection = try scenario.detected(firstLoad: firstLoad)
        func lines() throws -> [String] {
            try connection.execute(
                """
                select to_char(s.first_seen at time zone 'UTC', 'DD HH24') || ' ' || f.points || ' ' || f.reason as line
                from mailhound.findings as f join mailhound.sessions as s using (tenant, session_id)
                where f.detector_id = 'new-client'
                order by s.first_seen
                """
            ).rows.compactMap { $0["line"] }
        }
        let incremental = try lines()
        #expect(
            incremental == [
                "02 03 35 kim@contoso.example used a new address 203.0.113.80 (new network) and a new client Client=REST;python-requests/2.31 (the data starts here: seldom or never used again)",
                "04 19 25 kim@contoso.example used a new address 203.0.113.80 (new network)",
            ])
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection, mode: .full)
        #expect(try lines() == incremental)
    }

    @Test(
        "new-client, operation-context: the office block many colleagues use is not a new network; a hosting address is"
    )
    func organisationNetwork() throws {
        var scenario = Scenario()
        for day in 1...9 {
            for colleague in 1...10 {
                scenario.read(day, 9, actor: "staff\(colleague)@contoso.example", address: "198.51.100.\(colleague)")
            }
        }
        for day in 1...8 {
            scenario.read(day, 9, actor: "dana@contoso.example", address: "192.0.2.50")
            scenario.read(day, 9, actor: "eve@contoso.example", address: "192.0.2.60")
        }
        scenario.read(9, 9, actor: "dana@contoso.example", address: "198.51.100.9")
        scenario.read(9, 9, actor: "eve@contoso.example", address: "203.0.113.80")
        scenario.cmdlet(
            9, 10, actor: "dana@contoso.example", "Add-MailboxPermission",
            Scenario.fullAccess("frank@contoso.example", to: "gina@contoso.example"), address: "198.51.100.9")
        let found = try scenario.findings(of: "new-client")
        #expect(Set(found.keys) == ["eve@contoso.example"])
        #expect(found["eve@contoso.example"]?.points == 25)
        let operations = try scenario.findings(of: "operation-context")
        #expect(operations["dana@contoso.example"]?.points == 15)
        #expect(
            operations["dana@contoso.example"]?.reason
                == "dana@contoso.example ran Add-MailboxPermission: the first permission-grant operation of theirs in the data"
        )
    }

    @Test(
        "volume-outlier: 2,000 items of others' mail against a ten-item habit fires; of one's own, weakly; the habit not"
    )
    func volumeOutlier() throws {
        var scenario = Scenario()
        for day in 1...12 {
            scenario.read(day, 9, actor: "carol@contoso.example", items: 8 + day % 4)
            scenario.read(day, 10, actor: "dan@contoso.example", items: 60 + day % 5)
        }
        var ownMailbox = scenario
        scenario.read(13, 9, actor: "carol@contoso.example", owner: "ceo@contoso.example", items: 2000, logonType: 2)
        ownMailbox.read(13, 9, actor: "carol@contoso.example", items: 2000)
        let found = try scenario.findings(of: "volume-outlier")
        #expect((found["carol@contoso.example"]?.points ?? 0) >= 35)
        #expect(found["dan@contoso.example"] == nil)
        #expect(try ownMailbox.findings(of: "volume-outlier")["carol@contoso.example"]?.points == 25)
    }

    @Test(
        "slow-breadth: three new colleagues a day for a week fires; delegates, shared-mailbox teams and a service account reading the same fifteen from the data's first day do not"
    )
    func slowBreadth() throws {
        var scenario = Scenario()
        let colleagues = (1...30).map { "colleague\($0)@contoso.example" }
        for day in 1...15 {
            for offset in 0..<3 where day >= 8 {
                scenario.read(
                    day, 10, offset, actor: "insider@contoso.example", owner: colleagues[(day - 8) * 3 + offset],
                    items: 3, logonType: 2, session: "insider-\(day)")
            }
            for sales in 1...15 {
                scenario.read(
                    day, 12, sales, actor: "svc-crm@contoso.example", owner: "sales\(sales)@contoso.example",
                    logonType: 2, session: "crm-\(day)")
            }
            scenario.read(day, 9, actor: "assistant@contoso.example", owner: "ceo@contoso.example", logonType: 2)
            scenario.read(day, 9, 5, actor: "assistant@contoso.example", owner: "cfo@contoso.example", logonType: 2)
            for member in 1...4 {
                scenario.read(
                    day, 11, member, actor: "agent\(member)@contoso.example", owner: "support@contoso.example",
                    logonType: 2)
            }
        }
        let found = try scenario.findings(of: "slow-breadth")
        let insider = try #require(found["insider@contoso.example"])
        #expect(insider.points >= 45 && insider.reason.contains("threshold 10"))
        #expect(found.keys.sorted() == ["insider@contoso.example"])
    }

    @Test("a shared mailbox has no owner who acts, and two or more people who each read it on two UTC days or more")
    func sharedMailboxes() throws {
        var scenario = Scenario()
        let (ann, bob) = ("ann@contoso.example", "bob@contoso.example")
        // desk and boss: both read on two days each; the boss reads her own mail too.
        for day in [1, 3] {
            for owner in ["desk@contoso.example", "boss@contoso.example"] {
                scenario.read(day, 9, actor: ann, owner: owner, logonType: 2)
                scenario.read(day, 10, actor: bob, owner: owner, logonType: 2)
            }
        }
        scenario.read(2, 8, actor: "boss@contoso.example")
        // team: ann on two days; bob twice, in two sessions of one UTC day.
        scenario.read(1, 11, actor: ann, owner: "team@contoso.example", logonType: 2)
        scenario.read(2, 11, actor: ann, owner: "team@contoso.example", logonType: 2)
        scenario.read(4, 0, 5, actor: bob, owner: "team@contoso.example", logonType: 2)
        scenario.read(4, 23, 50, actor: bob, owner: "team@contoso.example", logonType: 2)
        let connection = try scenario.detected()
        let shared = try connection.execute(
            "select format('%s %s', mailbox, readers) as line from analyst.shared_mailboxes order by mailbox"
        ).rows.compactMap { $0["line"] }
        #expect(shared == ["desk@contoso.example {ann@contoso.example,bob@contoso.example}"])
    }

    @Test(
        "daily-breadth: an admin reaching eight new mailboxes in separate sessions fires; a nightly app's routine, a shared inbox and the first week do not"
    )
    func dailyBreadth() throws {
        var scenario = Scenario()
        let staff = ["a", "b", "c", "d", "e", "f", "g", "h"].map { "\($0)@contoso.example" }
        for day in 1...10 {
            scenario.read(day, 9, actor: "admin@contoso.example", owner: "admin@contoso.example")
            for (index, owner) in staff.enumerated() {
                scenario.read(
                    day, 1, index, actor: "ServicePrincipal_backup", owner: owner, userType: 5, appID: "backup-app")
                scenario.read(day, 8, actor: owner)
            }
            for member in 1...3 {
                scenario.read(
                    day, 11, member, actor: "agent\(member)@contoso.example", owner: "support@contoso.example",
                    logonType: 2)
            }
        }
        // One mailbox an hour: no session reaches three mailboxes, so many-mailboxes stays quiet.
        for (hour, owner) in (staff + ["support@contoso.example"]).enumerated() {
            scenario.read(10, 12 + hour, actor: "admin@contoso.example", owner: owner, logonType: 1)
            scenario.read(2, 12 + hour, actor: "newcomer@contoso.example", owner: owner, logonType: 1)
        }
        let connection = try scenario.detected()
        let shared = try connection.execute("select mailbox from analyst.shared_mailboxes").rows.map { $0["mailbox"] }
        #expect(shared == ["support@contoso.example"])
        let detector = "daily-breadth"
        let findings = try connection.execute(
            """
            select lower(s.actor) as actor, count(*) as sessions, min(f.evidence ->> 'mailbox_count') as mailboxes
            from mailhound.findings as f join mailhound.sessions as s using (tenant, session_id)
            where f.detector_id = \(detector)
            group by 1
            """
        ).rows.map { "\($0["actor"] ?? ""): \($0["sessions"] ?? "") sessions, \($0["mailboxes"] ?? "") mailboxes" }
        #expect(findings == ["admin@contoso.example: 8 sessions, 8 mailboxes"])
        #expect(try scenario.findings(of: "many-mailboxes")["admin@contoso.example"] == nil)
    }

    @Test(
        "daily-breadth judged incrementally: a day's sweep loaded in two parts scores every session as a full run does")
    func dailyBreadthIncremental() throws {
        var scenario = Scenario()
        let staff = ["a", "b", "c", "d", "e", "f", "g", "h"].map { "\($0)@contoso.example" }
        for day in 1...10 {
            scenario.read(day, 9, actor: "admin@contoso.example", owner: "admin@contoso.example")
            for owner in staff { scenario.read(day, 8, actor: owner) }
        }
        // Six mailboxes, an hour apart, before the first detect (35 + 2 a mailbox above five);
        // two more the same day after it, from another address, so that the first six sessions
        // are not cut again: every one of the day's eight sessions then has 41.
        for (hour, owner) in staff.prefix(6).enumerated() {
            scenario.read(10, 12 + hour, actor: "admin@contoso.example", owner: owner, logonType: 1)
        }
        let firstLoad = scenario.records.count
        for (hour, owner) in staff.suffix(2).enumerated() {
            scenario.read(
                10, 18 + hour, actor: "admin@contoso.example", owner: owner, address: "203.0.113.5", logonType: 1)
        }
        // Baselines of three days: day 10 is past the data's first window, where judgments look
        // ahead and would send every session back to be judged.
        let window = DetectionRunner.Window(baselineDays: 3)
        let connection = try scenario.detected(window: window, firstLoad: firstLoad)
        let detector = "daily-breadth"
        func points() throws -> [String] {
            try connection.execute(
                """
                select s.first_seen::text || ' ' || f.points as line
                from mailhound.findings as f join mailhound.sessions as s using (tenant, session_id)
                where f.detector_id = \(detector)
                order by s.first_seen
                """
            ).rows.compactMap { $0["line"] }
        }
        let incremental = try points()
        #expect(incremental.count == 8 && incremental.allSatisfy { $0.hasSuffix(" 41") })
        let touches = try TestDatabase.mailboxTouches(connection)
        #expect(touches.count == 8 && touches.differing == 0)
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(
            connection, mode: .full, window: window)
        #expect(try points() == incremental)
        #expect(try TestDatabase.mailboxTouches(connection) == touches)
    }

    @Test(
        "mailbox touches: an incremental run writes those of the sessions it judges, each new touch's previous one among those kept"
    )
    func mailboxTouchesIncremental() throws {
        var scenario = Scenario()
        func days(_ range: ClosedRange<Int>) {
            for day in range {
                scenario.read(day, 9, actor: "assistant@contoso.example", owner: "boss@contoso.example", logonType: 2)
                scenario.read(day, 10, actor: "boss@contoso.example")
                if day % 3 == 0 {
                    scenario.read(
                        day, 11, actor: "assistant@contoso.example", owner: "cfo@contoso.example", logonType: 2)
                }
            }
        }
        days(1...12)
        let firstLoad = scenario.records.count
        days(13...15)
        let window = DetectionRunner.Window(baselineDays: 3)
        let connection = try scenario.detected(window: window, firstLoad: firstLoad)
        let judgedFrom = try connection.execute(
            "select judged_from::date::text as day from mailhound.detection_runs order by run_id desc limit 1"
        ).rows.first?["day"]
        #expect(judgedFrom == "2024-05-13")
        // The boss's mailbox on 15 days, the CFO's on days 3, 6, 9, 12 and 15.
        let touches = try TestDatabase.mailboxTouches(connection)
        #expect(touches == TestDatabase.StoredRows(count: 20, differing: 0))
        #expect(try TestDatabase.tenantSpans(connection) == TestDatabase.StoredRows(count: 1, differing: 0))
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(
            connection, mode: .full, window: window)
        #expect(try TestDatabase.mailboxTouches(connection) == touches)
    }

    @Test(
        "actor days: an incremental run rewrites the days it judges and keeps the rest; off-hours on the new day is the full run's"
    )
    func actorDaysIncremental() throws {
        var scenario = Scenario()
        for day in 1...40 {
            scenario.read(day, 9, actor: "dave@contoso.example")
            scenario.read(day, 16, actor: "dave@contoso.example", address: "203.0.113.9")
        }
        let firstLoad = scenario.records.count
        scenario.read(41, 3, actor: "dave@contoso.example", owner: "ceo@contoso.example", logonType: 2)
        let connection = try scenario.detected(firstLoad: firstLoad)
        // The new day less the baseline window: the data's first window still looks ahead to it.
        let judgedFrom = try connection.execute(
            "select judged_from::date::text as day from mailhound.detection_runs order by run_id desc limit 1"
        ).rows.first?["day"]
        #expect(judgedFrom == "2024-05-11")
        func offHours() throws -> [String] {
            try connection.execute(
                "select reason from mailhound.findings where detector_id = 'off-hours' order by session_id"
            ).rows.compactMap { $0["reason"] }
        }
        let incremental = try offHours()
        #expect(
            incremental == [
                "dave@contoso.example read mail at 03:00 UTC; none of their 60 sessions in the 30 days before was active within an hour of it, outside the tenant's working hours"
            ])
        // Two blocks a day for 40 days, and the night's read.
        let days = try TestDatabase.actorDays(connection)
        #expect(days == TestDatabase.StoredRows(count: 81, differing: 0))
        #expect(try TestDatabase.tenantSpans(connection) == TestDatabase.StoredRows(count: 1, differing: 0))
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection, mode: .full)
        #expect(try offHours() == incremental)
        #expect(try TestDatabase.actorDays(connection) == days)
    }

    @Test("judged from: a long session that new records extend is judged again from the day it began")
    func judgedFromLongSession() throws {
        var scenario = Scenario()
        let session = "0b0b0b0b-0000-4000-8000-000000000001"
        for day in 3...9 { scenario.read(day, 10, actor: "sync@contoso.example", session: session) }
        for day in 1...12 { scenario.read(day, 9, actor: "alice@contoso.example") }
        scenario.read(12, 9, 50, actor: "alice@contoso.example")
        let firstLoad = scenario.records.count
        scenario.read(12, 11, actor: "sync@contoso.example", session: session)
        // Joins alice's two sessions of day 12 into one.
        scenario.read(12, 9, 25, actor: "alice@contoso.example")
        let connection = try scenario.detected(window: DetectionRunner.Window(baselineDays: 3), firstLoad: firstLoad)
        // The session now reaches the new record from day 3: only the long sessions' index finds it.
        let judgedFrom = try connection.execute(
            "select judged_from::date::text as day from mailhound.detection_runs order by run_id desc limit 1"
        ).rows.first?["day"]
        #expect(judgedFrom == "2024-05-03")
        // The tenant's records and sessions follow the sessions replaced: alice 14 records in 12
        // sessions (day 12's three now one), sync 8 in 1.
        #expect(try TestDatabase.tenantSpans(connection) == TestDatabase.StoredRows(count: 1, differing: 0))
        let spans = try connection.execute("select events, sessions from mailhound.tenant_spans").rows.first
        #expect(spans?["events"] == "22" && spans?["sessions"] == "13")
        // The sessions replaced took their items from the counts, and the new ones added theirs.
        #expect(try TestDatabase.sessionItemCounts(connection).differing == 0)
    }

    @Test("baselines look back --baseline-days: a network last used 40 days ago is new at 30 days, not at 60")
    func trailingBaseline() throws {
        var scenario = Scenario()
        for day in 1...9 { scenario.read(day, 9, actor: "alice@contoso.example", address: "198.51.100.7") }
        for day in 10...50 { scenario.read(day, 9, actor: "alice@contoso.example", address: "192.0.2.70") }
        // 42 days after the office address was last used.
        scenario.read(51, 9, actor: "alice@contoso.example", address: "198.51.100.7")
        func newNetworks(baselineDays: Int) throws -> [String] {
            try scenario.detected(window: .init(baselineDays: baselineDays)).execute(
                "select evidence ->> 'client_ip' as ip from mailhound.findings where detector_id = 'new-client' order by 1"
            ).rows.compactMap { $0["ip"] }
        }
        #expect(try newNetworks(baselineDays: 30) == ["192.0.2.70", "198.51.100.7"])
        #expect(try newNetworks(baselineDays: 60) == ["192.0.2.70"])
    }

    @Test("non-owner-sync: a delegate syncing two mailboxes fires; an owner syncing a new phone does not")
    func nonOwnerSync() throws {
        var scenario = Scenario()
        scenario.read(
            3, 2, actor: "svc-sync@contoso.example", owner: "alice@contoso.example", access: "Sync", logonType: 2)
        scenario.read(
            3, 2, 5, actor: "svc-sync@contoso.example", owner: "bob@contoso.example", access: "Sync", logonType: 2)
        scenario.read(3, 9, actor: "carol@contoso.example", access: "Sync")
        let found = try scenario.findings(of: "non-owner-sync")
        #expect(found["svc-sync@contoso.example"]?.points == 48)
        #expect(found["carol@contoso.example"] == nil)
    }

    @Test(
        "routine: a backup syncing the same mailboxes nightly from the data's first day is damped, first night included; new mailboxes, another network or another hour are not"
    )
    func routineSync() throws {
        var scenario = Scenario()
        let staff = (1...6).map { "staff\($0)@contoso.example" }
        for day in 1...20 {
            for (index, owner) in staff.enumerated() {
                scenario.read(
                    day, 1, index, actor: "backup@contoso.example", owner: owner, address: "198.51.100.5",
                    access: "Sync", logonType: 2)
            }
        }
        // The same identity on night 21: new mailboxes, from a new network, at 04:00.
        scenario.read(
            21, 4, actor: "backup@contoso.example", owner: "ceo@contoso.example", address: "203.0.113.9",
            access: "Sync", logonType: 2)
        // Another identity doing what the backup did, on its first night only.
        for (index, owner) in staff.enumerated() {
            scenario.read(
                20, 1, index, actor: "intruder@contoso.example", owner: owner, address: "198.51.100.5",
                access: "Sync", logonType: 2)
        }
        let found = try scenario.everyFinding(of: "non-owner-sync")
        let backup = try #require(found["backup@contoso.example"])
        #expect(backup.count == 21)
        // 20 routine nights at a fifth of 70, the changed night at full weight.
        #expect(backup.map(\.points) == Array(repeating: 14, count: 20) + [40])
        // Nights 1 to 5 find fewer than five like nights before them and count the nights after.
        let reasons = backup.map(\.reason)
        #expect(reasons.filter { $0.hasSuffix("; routine, as on 19 other days (the data starts here)") }.count == 5)
        #expect(reasons.contains { $0.hasSuffix("; routine, as on 19 earlier days") })
        #expect(found["intruder@contoso.example"]?.map(\.points) == [70])
    }

    @Test(
        "volume-outlier: a steady nightly app is judged against itself from its first night, its wiggles are not outliers, a fivefold night is"
    )
    func steadyVolume() throws {
        var scenario = Scenario()
        for day in 1...20 {
            for user in 1...10 {
                scenario.read(day, 9, actor: "user\(user)@contoso.example", items: 5)
            }
            let items = day == 20 ? 5000 : day == 15 ? 1100 : 1000 + (day % 3) * 10
            scenario.read(
                day, 1, actor: "archiver@contoso.example", owner: "ceo@contoso.example", address: "198.51.100.5",
                items: items, logonType: 2)
        }
        let found = try scenario.everyFinding(of: "volume-outlier")
        let archiver = try #require(found["archiver@contoso.example"])
        #expect(archiver.count == 1)
        #expect(archiver.first?.points == 50)
        #expect(archiver.first?.reason.hasPrefix("archiver@contoso.example read 5000 items in one session") == true)
    }

    @Test(
        "machine-identity: an app reading the same mailboxes nightly from the data's first day is routine on its first night too; a new app is not"
    )
    func routineApp() throws {
        var scenario = Scenario()
        for day in 1...10 {
            for owner in ["a", "b", "c"] {
                scenario.read(
                    day, 2, actor: "journal-app", owner: "\(owner)@contoso.example", address: "198.51.100.5",
                    userType: 5, appID: "11111111-2222-3333-4444-555555555555")
            }
        }
        scenario.read(
            10, 3, actor: "new-app", owner: "ceo@contoso.example", address: "203.0.113.9", userType: 5,
            appID: "99999999-2222-3333-4444-555555555555")
        let found = try scenario.everyFinding(of: "machine-identity")
        #expect(found["journal-app"]?.map(\.points) == Array(repeating: 10, count: 10))
        // Its first night's three mailboxes have no history; the nights after make it routine.
        let breadth = try scenario.everyFinding(of: "many-mailboxes")
        #expect(breadth["journal-app"]?.map(\.points) == [5])
        #expect(breadth["journal-app"]?.first?.reason.hasSuffix("; routine, as on 9 other days") == true)
        #expect(
            found["journal-app"]?.contains {
                $0.reason.hasSuffix("(routine: as on 9 other days; the data starts here)")
            }
                == true)
        #expect(found["new-app"]?.map(\.points) == [25])
    }

    @Test(
        "campaign: a new app reading a dozen executives a few a night over five nights, one session a mailbox, fires on every session; assistants, help desks and backups do not"
    )
    func campaign() throws {
        var scenario = Scenario()
        let executives = (1...12).map { "exec\($0)@contoso.example" }
        for day in 1...20 {
            for (index, executive) in executives.enumerated() {
                scenario.read(
                    day, 1, index, actor: "backup@contoso.example", owner: executive, address: "198.51.100.5",
                    access: "Sync", logonType: 2)
            }
            for boss in executives.prefix(3) {
                scenario.read(day, 10, actor: "assistant@contoso.example", owner: boss, logonType: 2)
            }
            for executive in executives { scenario.read(day, 8, actor: executive) }
            // The help desk opens two new mailboxes a day, from the office, as it always has.
            for ticket in 0..<2 {
                scenario.read(
                    day, 11, ticket * 45, actor: "helpdesk@contoso.example",
                    owner: "user\(day * 2 + ticket)@contoso.example", logonType: 1)
            }
        }
        // First seen on night 15: two or three executives a night, each its own session.
        for (night, range) in [(15, 0..<3), (16, 3..<5), (17, 5..<8), (18, 8..<10), (19, 10..<12)] {
            for (slot, index) in range.enumerated() {
                scenario.read(
                    night, 2, slot * 45, actor: "app-thief", owner: executives[index], address: "203.0.113.\(night)",
                    items: 40, userType: 5, appID: "77777777-2222-3333-4444-555555555555")
            }
        }
        let found = try scenario.everyFinding(of: "campaign")
        #expect(Set(found.keys) == ["app-thief"])
        let thief = try #require(found["app-thief"])
        #expect(thief.count == 12 && thief.allSatisfy { $0.points == 75 })
        #expect(
            thief.first?.reason
                == "app-thief (an app-only identity, first seen 2024-05-15) reached 12 mailboxes new to it on 5 days from 2024-05-15 to 2024-05-19"
        )
    }

    @Test(
        "campaign, cold start looking ahead: an app the data starts with that takes a dozen mailboxes once each and stops fires; a CRM account reading the same mailboxes every day after, and an admin's chores that go on, do not"
    )
    func campaignFromTheDataStart() throws {
        var scenario = Scenario()
        let executives = (1...12).map { "exec\($0)@contoso.example" }
        let sales = (1...12).map { "sales\($0)@contoso.example" }
        for day in 1...20 {
            for person in executives + sales { scenario.read(day, 8, actor: person) }
            // Half the sales team on the first day, the other half on the second, all of it after.
            for (index, seller) in sales.enumerated() where day > 2 || index % 2 == day - 1 {
                scenario.read(day, 10, index, actor: "crm@contoso.example", owner: seller, logonType: 1)
            }
            // An admin's chores on another colleague's mailbox most days: a pause after the first
            // week ends a run of six, and the chores go on after it.
            if day <= 6 || (day >= 11 && day % 2 == 1) {
                scenario.cmdlet(
                    day, 11, actor: "ops@contoso.example", "Set-Mailbox",
                    [("Identity", "user\(day)@contoso.example"), ("IssueWarningQuota", "9 GB")])
            }
        }
        for (night, range) in [(2, 0..<3), (3, 3..<5), (4, 5..<8), (5, 8..<10), (6, 10..<12)] {
            for (slot, index) in range.enumerated() {
                scenario.read(
                    night, 2, slot * 45, actor: "early-thief", owner: executives[index],
                    address: "203.0.113.\(night)", items: 40, userType: 5, appID: "88888888-2222-3333-4444-555555555555"
                )
            }
        }
        let found = try scenario.everyFinding(of: "campaign")
        #expect(Set(found.keys) == ["early-thief"])
        let thief = try #require(found["early-thief"])
        #expect(thief.count == 12 && thief.allSatisfy { $0.points == 75 })
        #expect(
            thief.first?.reason
                == "early-thief (an app-only identity, first seen 2024-05-02, the data starts here: it stopped on 2024-05-06 and was active on 0 days after) reached 12 mailboxes new to it on 5 days from 2024-05-02 to 2024-05-06"
        )
    }

    @Test(
        "operation-context: a first eDiscovery export at 03:00 from a new network, or one tried on a single day before, fires with no download; routine legal exports do not; a first grant in office hours weakly"
    )
    func operationContext() throws {
        var scenario = Scenario()
        let executives = (1...6).map { "exec\($0)@contoso.example" }.joined(separator: ",")
        for day in 1...20 {
            for hour in [9, 13, 16] {
                scenario.read(day, hour, actor: "rogue@contoso.example", address: "198.51.100.30")
                scenario.read(day, hour, actor: "legal@contoso.example", address: "198.51.100.40")
                scenario.read(day, hour, actor: "helpdesk@contoso.example", address: "198.51.100.50")
                scenario.read(day, hour, actor: "tried@contoso.example", address: "198.51.100.31")
            }
        }
        // The intruder tried the account once, ten days before the export.
        scenario.read(10, 12, actor: "tried@contoso.example", address: "203.0.113.90")
        for day in [2, 9, 16] {
            scenario.cmdlet(
                day, 10, actor: "legal@contoso.example", "New-ComplianceSearch",
                [("Name", "case-\(day)"), ("ExchangeLocation", "alice@contoso.example")], address: "198.51.100.40",
                recordType: 18, workload: "SecurityComplianceCenter")
            scenario.cmdlet(
                day, 10, 20, actor: "legal@contoso.example", "New-ComplianceSearchAction",
                [("SearchName", "case-\(day)"), ("Export", "")], address: "198.51.100.40", recordType: 18,
                workload: "SecurityComplianceCenter")
        }
        scenario.cmdlet(
            10, 13, 30, actor: "helpdesk@contoso.example", "Add-MailboxPermission",
            Scenario.fullAccess("bob@contoso.example", to: "carol@contoso.example"), address: "198.51.100.50")
        for (minute, operation, parameters) in [
            (0, "New-ComplianceSearch", [("Name", "q"), ("ExchangeLocation", executives)]),
            (5, "Start-ComplianceSearch", [("Identity", "q")]),
            (20, "New-ComplianceSearchAction", [("SearchName", "q"), ("Export", "")]),
        ] {
            scenario.cmdlet(
                20, 3, minute, actor: "rogue@contoso.example", operation, parameters, address: "203.0.113.77",
                recordType: 18, workload: "SecurityComplianceCenter")
            scenario.cmdlet(
                20, 3, minute, actor: "tried@contoso.example", operation, parameters, address: "203.0.113.90",
                recordType: 18, workload: "SecurityComplianceCenter")
        }
        let found = try scenario.findings(of: "operation-context")
        #expect(Set(found.keys) == ["rogue@contoso.example", "tried@contoso.example", "helpdesk@contoso.example"])
        #expect(found["tried@contoso.example"]?.points == 65)
        #expect(
            found["tried@contoso.example"]?.reason.hasSuffix(
                "from 203.0.113.90, a network they had used on one day only in the 30 days before") == true)
        #expect(found["rogue@contoso.example"]?.points == 65)
        #expect(
            found["rogue@contoso.example"]?.reason
                == "rogue@contoso.example ran New-ComplianceSearch, New-ComplianceSearchAction, Start-ComplianceSearch: the first ediscovery operation of theirs in the data; at 03:00 UTC, an hour none of their 57 sessions in the 30 days before was active in, outside the tenant's working hours; from 203.0.113.77, a network they had not used in the 30 days before"
        )
        #expect(found["helpdesk@contoso.example"]?.points == 15)
    }

    @Test(
        "operation-context, cold start looking ahead: a first-week eDiscovery export at 03:00 from a new network fires; a weekly ticket that starts with the data does not"
    )
    func operationContextFromTheDataStart() throws {
        var scenario = Scenario()
        for day in 1...20 {
            for hour in [9, 13, 16] {
                scenario.read(day, hour, actor: "rogue@contoso.example", address: "198.51.100.30")
                scenario.read(day, hour, actor: "legal@contoso.example", address: "198.51.100.40")
            }
        }
        for day in [2, 9, 16] {
            scenario.cmdlet(
                day, 10, actor: "legal@contoso.example", "New-ComplianceSearchAction",
                [("SearchName", "case-\(day)"), ("Export", "")], address: "198.51.100.40", recordType: 18,
                workload: "SecurityComplianceCenter")
        }
        scenario.cmdlet(
            3, 3, actor: "rogue@contoso.example", "New-ComplianceSearchAction", [("SearchName", "q"), ("Export", "")],
            address: "203.0.113.77", recordType: 18, workload: "SecurityComplianceCenter")
        let found = try scenario.findings(of: "operation-context")
        #expect(Set(found.keys) == ["rogue@contoso.example"])
        #expect(found["rogue@contoso.example"]?.points == 65)
        #expect(
            found["rogue@contoso.example"]?.reason
                == "rogue@contoso.example ran New-ComplianceSearchAction: the first ediscovery operation of theirs in the data, with none on the 30 days after (the data starts here); at 03:00 UTC, an hour none of their 57 sessions in the 30 days before and after was active in, outside the tenant's working hours; from 203.0.113.77, a network they had not used in the 30 days before and after"
        )
    }

    @Test(
        "off-hours and operation-context: a thin history of short sessions at 14:00 still works the tenant's office day; the night is off-hours"
    )
    func workingHours() throws {
        var scenario = Scenario()
        for day in 1...20 {
            for person in ["ann", "ben", "cat", "dan"] {
                for hour in 9...17 {
                    scenario.read(day, hour, actor: "\(person)@contoso.example", session: "\(person)-\(day)")
                }
            }
            // Their only history: a cmdlet or a short read at 14:00 on most days.
            if day % 3 != 0 {
                scenario.cmdlet(
                    day, 14, actor: "ops@contoso.example", "Set-Mailbox",
                    [("Identity", "ann@contoso.example"), ("IssueWarningQuota", "9 GB")], address: "198.51.100.60")
                scenario.read(day, 14, actor: "oncall@contoso.example", address: "198.51.100.61")
            }
        }
        // An office-hours export request and read; a night grant and read.
        scenario.cmdlet(
            18, 10, actor: "ops@contoso.example", "New-MailboxExportRequest",
            [("Mailbox", "ben@contoso.example"), ("FilePath", "\\\\fs01\\legal$\\ben.pst")], address: "198.51.100.60")
        scenario.read(18, 10, actor: "oncall@contoso.example", owner: "ann@contoso.example", logonType: 2)
        scenario.cmdlet(
            19, 2, actor: "ops@contoso.example", "Add-MailboxPermission",
            Scenario.fullAccess("cat@contoso.example", to: "ops@contoso.example"), address: "198.51.100.60")
        scenario.read(19, 2, actor: "oncall@contoso.example", owner: "cat@contoso.example", logonType: 2)
        let connection = try scenario.detected()
        let found = try connection.execute(
            """
            select f.detector_id, f.points, f.reason
            from mailhound.findings as f join mailhound.sessions as s using (tenant, session_id)
            where f.detector_id in ('off-hours', 'operation-context')
            order by s.first_seen, f.detector_id
            """
        ).rows.map { "\($0["detector_id"] ?? "") \($0["points"] ?? ""): \($0["reason"] ?? "")" }
        #expect(
            found == [
                "operation-context 15: ops@contoso.example ran New-MailboxExportRequest: the first mailbox-export operation of theirs in the data",
                "off-hours 30: oncall@contoso.example read mail at 02:00 UTC; none of their 13 sessions in the 30 days before was active within an hour of it, outside the tenant's working hours",
                "operation-context 30: ops@contoso.example ran Add-MailboxPermission: the first permission-grant operation of theirs in the data; at 02:00 UTC, an hour none of their 13 sessions in the 30 days before was active in, outside the tenant's working hours",
            ])
    }
}
