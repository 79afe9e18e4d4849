import Detection
import Foundation
import Store
import Testing

@Suite("Detector files")
struct DetectorFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let directory = SQLDirectory(root: root.appendingPathComponent("sql"))
    static let detectorFolder = root.appendingPathComponent("sql/detectors")

    static let fileNames: [String] = (try? directory.files(in: .detectors).map(\.name)) ?? []

    @Test("the catalogue holds every detector, and each names a test file that exercises it")
    func catalogue() throws {
        #expect(
            Self.fileNames == [
                "app-mail-reading.sql", "audit-tampering.sql", "campaign.sql", "consented-app-reads.sql",
                "daily-breadth.sql",
                "ediscovery-export.sql",
                "export-request.sql",
                "machine-identity.sql", "many-mailboxes.sql", "new-client.sql", "non-owner-sync.sql",
                "oab-file-write.sql", "off-hours.sql",
                "operation-context.sql",
                "permission-grant.sql", "privileged-role.sql", "search-then-read.sql", "signin-failures.sql",
                "signin-new-country.sql", "slow-breadth.sql",
                "throttled-mailbox.sql",
                "token-replay.sql", "virtual-directory-script.sql", "volume-outlier.sql", "web-exploit.sql",
            ])
        for name in Self.fileNames {
            let text = try String(contentsOf: Self.detectorFolder.appendingPathComponent(name), encoding: .utf8)
            let detector = try DetectorFile(fileName: name, text: text)
            let testFile = try #require(detector.header["tests"], "\(name) names no test file")
            let tests = try String(contentsOf: Self.root.appendingPathComponent(testFile), encoding: .utf8)
            #expect(tests.contains("\"\(detector.id)\""), "\(testFile) does not exercise \(detector.id)")
        }
    }

    /// The required header keys, each with a placeholder, and the blank line that ends a header.
    static let minimalHeader = DetectorFile.requiredKeys.map { "-- \($0): x" }.joined(separator: "\n") + "\n\n"

    @Test("held to one tenant, every tenant view a query reads is filtered by it; comments and strings stay")
    func heldToTenant() throws {
        let text =
            Self.minimalHeader + """
                -- reads analyst.sessions twice
                select s.tenant, s.session_id, 'analyst.findings' as detector_id
                from analyst.sessions as s
                where not exists (select 1 from analyst.sessions where sessions.actor = s.actor)
                    and s.session_id in (select session_id from analyst.findings as f)
                    and exists (select 1 from analyst.network_owners)
                """
        let held = try DetectorFile(fileName: "x.sql", text: text)
            .query(heldTo: TenantHold(parameter: "$2", tenantViews: ["sessions", "findings"]))
        #expect(
            held == """
                -- reads analyst.sessions twice
                select s.tenant, s.session_id, 'analyst.findings' as detector_id
                from (select * from analyst.sessions where tenant = $2::text) as s
                where not exists (select 1 from (select * from analyst.sessions where tenant = $2::text) as sessions where sessions.actor = s.actor)
                    and s.session_id in (select session_id from (select * from analyst.findings where tenant = $2::text) as f)
                    and exists (select 1 from analyst.network_owners)
                """)
    }

    @Test("held to one tenant, a table function's call becomes its body beside a row of the call's arguments")
    func inlinedFunction() throws {
        let function = try InlinedFunction(
            definition: """
                -- function: mailhound.likes(tenant text, names text[]) returns table (n integer)
                create or replace function mailhound.likes(tenant text, names text[])
                returns table (n integer, found boolean)
                language sql stable
                as $$
                    select count(*)::integer, count(*) > 0 from mailhound.sessions as s
                    where s.tenant = likes.tenant and s.actor = any(likes.names) and likes.tenant <> 'likes.names'
                $$;
                """)
        #expect(function.name == "mailhound.likes" && function.parameters == ["tenant", "names"])
        #expect(function.columns == ["n", "found"])
        let text =
            Self.minimalHeader + """
                select s.tenant, l.n
                from analyst.sessions as s
                cross join lateral mailhound.likes(s.tenant, array[lower(s.actor), 'a,b']) as l
                """
        let held = try DetectorFile(fileName: "x.sql", text: text)
            .query(heldTo: TenantHold(parameter: "$2", tenantViews: ["sessions"], functions: [function]))
        #expect(
            held == """
                select s.tenant, l.n
                from (select * from analyst.sessions where tenant = $2::text) as s
                cross join lateral (select inlined.* from (select s.tenant as tenant, array[lower(s.actor), 'a,b'] as names) as likes
                cross join lateral (
                    select count(*)::integer, count(*) > 0 from mailhound.sessions as s
                    where s.tenant = $2::text and s.actor = any(likes.names) and $2::text <> 'likes.names'
                ) as inlined(n, found)) as l
                """)
    }

    @Test("every header has the required keys, and its id is the file name", arguments: fileNames)
    func header(_ name: String) throws {
        let text = try String(contentsOf: Self.detectorFolder.appendingPathComponent(name), encoding: .utf8)
        let detector = try DetectorFile(fileName: name, text: text)
        #expect(detector.id + ".sql" == name)
        #expect(["low", "medium", "high", "critical"].contains(detector.severity))
        #expect(detector.header["reads"]?.contains("analyst.") == true)
        // How the detector treats routine and campaigns (its baseline line tells the cold start).
        #expect(detector.header["routine"]?.isEmpty == false, "\(name): routine line")
        #expect(detector.header["baseline"]?.isEmpty == false, "\(name): baseline line")
        let sql = detector.query.split(separator: "\n").drop { $0.hasPrefix("--") }.joined(separator: "\n")
        #expect(sql.hasPrefix("with ") || sql.hasPrefix("select"))
        #expect(!detector.query.hasSuffix(";"))
        #expect(!detector.query.contains("now()"), "time must come from the data")
        // The header tells an analyst what an incremental run re-judges; the runner goes by the query.
        #expect(detector.judgesIncrementally == (detector.header["judges"] != nil), "\(name): judges line")
    }

    @Test("a header without a required key is refused")
    func missingKey() {
        #expect(throws: DetectorFileError(file: "x.sql", reason: "header has no \"title:\" line")) {
            try DetectorFile(fileName: "x.sql", text: "-- id: x\nselect 1")
        }
    }

    @Test("continuation lines extend the previous key; a blank line ends the header")
    func continuation() throws {
        let text = """
            -- id:        demo
            -- title:     Demo
            -- status:    test
            -- severity:  low    points: 5
            -- finds:     first line
            --            second line
            -- why:       because
            -- reads:     analyst.sessions(session_id)
            -- evidence:  none
            -- reason:    it fired
            -- tests:     Tests/DemoTests.swift

            -- A comment on the query, after the blank line that ends the header.
            select 1;
            """
        let detector = try DetectorFile(fileName: "demo.sql", text: text)
        #expect(detector.header["finds"] == "first line second line")
        #expect(detector.header["tests"] == "Tests/DemoTests.swift")
        #expect(detector.severity == "low")
        #expect(detector.query == "-- A comment on the query, after the blank line that ends the header.\nselect 1")
    }
}
