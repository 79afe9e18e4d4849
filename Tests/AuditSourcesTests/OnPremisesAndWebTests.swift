import AuditEvents
import Foundation
import Testing

@testable import AuditSources

@Suite("On-premises audit exports")
struct OnPremisesAuditTests {
    @Test("culture dates read in the order the file proves, in the given zone")
    func localTimes() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let us = LocalTimeParser(order: .mdy, timeZone: utc)
        #expect(us.parse("3/2/2021 9:27:11 PM")?.description == "2021-03-02T21:27:11Z")
        #expect(us.parse("3/2/2021 12:05:00 AM")?.description == "2021-03-02T00:05:00Z")
        #expect(
            LocalTimeParser(order: .dmy, timeZone: utc).parse("3/2/2021 9:27:11")?.description == "2021-02-03T09:27:11Z"
        )
        // Winter and summer time in Berlin.
        #expect(
            LocalTimeParser(order: .dmy, timeZone: berlin).parse("02.03.2021 09:27:11")?.description
                == "2021-03-02T08:27:11Z")
        #expect(
            LocalTimeParser(order: .dmy, timeZone: berlin).parse("02.07.2021 09:27:11")?.description
                == "2021-07-02T07:27:11Z")
        #expect(
            LocalTimeParser(order: .dmy, timeZone: berlin).parse("2021-07-02T09:27:11Z")?.description
                == "2021-07-02T09:27:11Z")
        #expect(LocalTimeParser(order: nil, timeZone: utc).parse("3/2/2021 9:27:11 AM") == nil)
        #expect(us.parse("2/31/2021 9:27:11 AM") == nil)
        #expect(us.parse("yesterday") == nil)
    }

    @Test("the date order is proven by the values or refused with the reason")
    func dateOrderEvidence() throws {
        var dayFirst = DateOrderEvidence()
        dayFirst.observe("02.03.2021 09:00:00", line: 2)
        dayFirst.observe("15.03.2021 09:00:00", line: 3)
        #expect(try dayFirst.settle(file: "f", column: "LastAccessed") == .dmy)

        var ambiguous = DateOrderEvidence()
        ambiguous.observe("3/2/2021 9:00:00 AM", line: 2)
        #expect(throws: SourceError.self) { try ambiguous.settle(file: "f", column: "LastAccessed") }

        var mixed = DateOrderEvidence()
        mixed.observe("13/2/2021 9:00:00", line: 2)
        mixed.observe("2/13/2021 9:00:00", line: 3)
        #expect(throws: SourceError.self) { try mixed.settle(file: "f", column: "RunDate") }
    }

    @Test("cmdlet parameters flattened to one line are read back, doubled quotes and switches included")
    func cmdletParameters() {
        let parsed = CmdletParameters.parse(
            "-Mailbox 'alice' -ContentFilter '(Received -ge ''03/01/2020'')' -Confirm -Name \"x\" -Count 5")
        #expect(parsed.map(\.name) == ["Mailbox", "ContentFilter", "Confirm", "Name", "Count"])
        #expect(parsed.map(\.value) == ["alice", "(Received -ge '03/01/2020')", "True", "x", "5"])
    }

    @Test("mailbox audit CSV: #TYPE, BOM, CRLF, day-first dates, IPv6 with port, logon types, bad dates quarantined")
    func mailboxAudit() throws {
        let read = try Fixtures.read(Fixtures.path("mailbox-audit-dmy.csv"))
        #expect(read.format == .mailboxAuditCSV)
        #expect(read.events.count == 4)
        let first = try #require(read.events.first)
        #expect(first.occurredAt.description == "2021-03-02T03:27:11Z")
        #expect(first.actor == "svc-archive")
        #expect(first.actorKind == .delegate)
        #expect(first.logonType == 2)
        #expect(first.clientIP?.description == "2001:db8::66")
        #expect(first.mailboxOwner == "ceo@northwind.example")
        #expect(first.folders == ["\\Inbox"])
        let sync = read.events[2]
        #expect(sync.accessType == "Sync")
        #expect(sync.isThrottled == true)
        let owner = read.events[3]
        #expect(owner.actor == "ceo@northwind.example")
        #expect(owner.actorKind == .user)
        #expect(owner.items == 1)
        #expect(owner.raw.contains("Board pack \"\"final\"\""))
        #expect(read.quarantined.map(\.origin.line) == [7])
        // The same export read twice gives the same ids: the natural key is the entry's Identity.
        #expect(
            try Fixtures.read(Fixtures.path("mailbox-audit-dmy.csv")).events.map(\.recordID)
                == read.events.map(\.recordID))
    }

    @Test("dates no value can disambiguate stop the file with a clear error, unless --date-order is given")
    func ambiguousDates() throws {
        #expect {
            try Fixtures.read(Fixtures.path("mailbox-audit-ambiguous.csv"))
        } throws: { error in
            let description = (error as? SourceError)?.description ?? ""
            return description.contains("mailbox-audit-ambiguous.csv:2") && description.contains("--date-order")
        }
        let read = try Fixtures.read(
            Fixtures.path("mailbox-audit-ambiguous.csv"), options: ReadOptions(tenant: "t", dateOrder: .mdy))
        #expect(read.events.first?.occurredAt.description == "2021-02-03T03:27:11Z")
    }

    @Test("admin audit CSV: parameters, system callers, mailbox targets, month-first proven by 8/23")
    func adminAudit() throws {
        let read = try Fixtures.read(Fixtures.path("admin-audit.csv"))
        #expect(read.format == .adminAuditCSV)
        #expect(
            read.events.map(\.operation) == ["New-ManagementRoleAssignment", "New-MailboxExportRequest", "Set-Mailbox"])
        let export = read.events[1]
        #expect(export.actorKind == .system)
        #expect(export.mailboxOwner == "ceo")
        #expect(export.parameter("FilePath") == "\\\\EXCH01\\c$\\inetpub\\wwwroot\\aspnet_client\\c.pst")
        #expect(export.parameter("ContentFilter") == "(Received -ge '03/01/2020')")
        #expect(export.occurredAt.description == "2021-03-02T02:31:44Z")
        #expect(read.events[2].actorKind == .admin)
        #expect(read.events[2].occurredAt.description == "2021-08-23T14:11:37Z")
        #expect(read.events[0].mailboxOwner == nil)
        #expect(read.quarantined.map(\.origin.line) == [5])
    }

    @Test(
        "shared samples: mailbox audit needs --date-order, admin audit does not",
        .enabled(if: Fixtures.sharedSamples != nil))
    func sharedOnPremisesSamples() throws {
        let samples = try #require(Fixtures.sharedSamples)
        let mailbox = samples.appendingPathComponent("search-mailboxauditlog.csv").path
        #expect(throws: SourceError.self) { try Fixtures.read(mailbox) }
        let read = try Fixtures.read(mailbox, options: ReadOptions(tenant: "t", dateOrder: .mdy))
        #expect(read.events.count == 14)
        #expect(read.events.filter { $0.actor == "exchsvc-backup" }.count == 8)
        let admin = try Fixtures.read(samples.appendingPathComponent("admin-audit-mailboxexportrequest.csv").path)
        #expect(admin.events.count == 14)
        #expect(admin.quarantined.isEmpty)
        #expect(admin.events.contains { $0.parameter("FilePath")?.hasSuffix("x7h3k.aspx") == true })
    }
}

@Suite("Exchange web logs")
struct WebLogTests {
    @Test("indicators of ProxyLogon-era requests")
    func indicators() {
        func classify(
            _ method: String, _ stem: String, query: String? = nil, user: String? = nil, agent: String? = nil,
            anchor: String? = nil, cookie: String? = nil
        ) -> [WebIndicator] {
            WebIndicators.classify(
                method: method, urlStem: stem, urlQuery: query, user: user, userAgent: agent, anchorMailbox: anchor,
                backEndCookie: cookie)
        }
        #expect(
            classify("POST", "/ecp/y.js", anchor: "ServerInfo~a]@exch01:444/ecp/proxyLogon.ecp#") == [
                .ssrfAnchor, .staticPost,
            ])
        #expect(classify("GET", "/ecp/", cookie: "Server~exch01/ecp~1942062522").contains(.ssrfAnchor))
        #expect(classify("GET", "/ecp/", user: "NORTHWIND\\ceo", anchor: "ServerInfo~a]@x:444/ecp#").isEmpty)
        #expect(
            classify("POST", "/ecp/DDI/DDIService.svc/SetObject", query: "schema=OABVirtualDirectory") == [
                .oabVirtualDirectory
            ])
        #expect(classify("GET", "/owa/auth/errorFF.aspx") == [.webShell])
        #expect(classify("GET", "/owa/auth/logon.aspx").isEmpty)
        #expect(
            classify("POST", "/aspnet_client/system_web/x.aspx", agent: "antSword/v2.1") == [
                .webShell, .campaignUserAgent,
            ])
        #expect(classify("GET", "/owa/auth/Redir.png.pst") == [.pstDownload])
        #expect(classify("GET", "/owa/auth/Current/themes/resources/logon.css").isEmpty)
        #expect(classify("POST", "/owa/", agent: "Mozilla/5.0 (Windows NT 10.0)").isEmpty)
    }

    @Test("HttpProxy: bare header, #Fields changing mid-file, BOM, CRLF, quoted agents, bracketed IPv6, bad rows")
    func httpProxy() throws {
        let read = try Fixtures.read(Fixtures.path("httpproxy.log"))
        #expect(read.format == .httpProxy)
        #expect(read.webRequests.count == 3)
        let ssrf = read.webRequests[0]
        #expect(ssrf.clientIP?.description == "2001:db8::66")
        #expect(ssrf.user == nil)
        #expect(ssrf.indicators == [.ssrfAnchor, .staticPost, .campaignUserAgent])
        #expect(ssrf.responseBytes == 2048)
        #expect(read.webRequests[1].userAgent?.contains("(KHTML, like Gecko)") == true)
        #expect(read.webRequests[1].indicators.isEmpty)
        // After the second #Fields: line the columns are fewer and in another order.
        #expect(read.webRequests[2].urlStem == "/EWS/Exchange.asmx")
        #expect(read.webRequests[2].indicators == [.ssrfAnchor, .campaignUserAgent])
        #expect(read.quarantined.map(\.origin.line) == [12, 13])
        // The second #Fields: carries fewer of the fields mailhound reads: those rows say which.
        #expect(read.webRequests[0].missingFields.isEmpty)
        #expect(
            read.webRequests[2].missingFields == [
                "UrlQuery", "RoutingHint", "BackEndCookie", "RequestBytes", "ResponseBytes",
            ])
    }

    @Test("IIS: directives repeated with other fields, + in agents, identical lines kept apart, bad lines")
    func iis() throws {
        let read = try Fixtures.read(Fixtures.path("iis.log"))
        #expect(read.format == .iisW3C)
        #expect(read.webRequests.count == 6)
        let posts = read.webRequests.prefix(2)
        #expect(posts.allSatisfy { $0.indicators == [.staticPost, .campaignUserAgent] })
        // IIS writes spaces as +, so a literal + cannot be told apart: both read as spaces.
        #expect(posts.first?.userAgent == "DuckDuckBot/1.0; ( http://duckduckgo.com/duckduckbot.html)")
        #expect(Set(posts.map(\.key)).count == 2)
        #expect(read.webRequests[1].user == nil)
        #expect(read.webRequests[2].user == "NORTHWIND\\ceo")
        #expect(read.webRequests[3].responseBytes == 734_003_200)
        #expect(read.webRequests[3].indicators == [.pstDownload, .campaignUserAgent])
        #expect(read.webRequests[4].indicators == [.webShell, .campaignUserAgent])
        #expect(read.webRequests.allSatisfy { $0.missingFields.isEmpty })
        #expect(read.quarantined.map(\.origin.line) == [8])
        #expect(try Fixtures.read(Fixtures.path("iis.log")).webRequests.map(\.key) == read.webRequests.map(\.key))
    }

    @Test("shared samples: the ProxyLogon rows are flagged", .enabled(if: Fixtures.sharedSamples != nil))
    func sharedWebSamples() throws {
        let samples = try #require(Fixtures.sharedSamples)
        let proxy = try Fixtures.read(samples.appendingPathComponent("httpproxy-ecp.log").path)
        #expect(proxy.webRequests.count == 10)
        #expect(proxy.webRequests.filter { $0.indicators.contains(.ssrfAnchor) }.count == 7)
        #expect(proxy.quarantined.isEmpty)
        let iis = try Fixtures.read(samples.appendingPathComponent("iis-owa-u_ex210302.log").path)
        #expect(iis.quarantined.isEmpty)
        #expect(
            iis.webRequests.contains { $0.indicators.contains(.webShell) && $0.urlStem?.contains("HxOz3Qa") == true })
        #expect(iis.webRequests.filter { $0.indicators.contains(.staticPost) }.count >= 3)
    }

    @Test("Test-ProxyLogon's ResetVDir CSV: the 27065 requests read as partial HttpProxy rows and are flagged")
    func testProxyLogonResetVirtualDirectory() throws {
        let csv = """
            #TYPE System.Management.Automation.PSCustomObject
            "DateTime","RequestId","ClientIPAddress","UrlHost","UrlStem","RoutingHint","UserAgent","AnchorMailbox","HttpStatus"
            "2021-03-03T02:03:40.118Z","6c4e3a02-7d1f-4f5e-9a3b-1c2d3e4f5a6b","203.0.113.50","mail.contoso.example","/ecp/y.js","X-BEResource-Cookie","ExchangeServicesClient/0.0.0.0","ServerInfo~a]@EXCH01.contoso.example:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=x&a=~1942062522#","200"

            """
        let read = try Fixtures.read(try Fixtures.writeTemporary(csv, name: "EXCH01-Cve-2021-27065-ResetVDir.csv"))
        #expect(read.format == .httpProxy)
        let request = try #require(read.webRequests.first)
        #expect(request.indicators == [.ssrfAnchor, .oabVirtualDirectory, .campaignUserAgent])
        #expect(request.user == nil)
        #expect(request.missingFields.contains("AuthenticatedUser") && request.missingFields.count == 8)
    }

    @Test("Test-ProxyLogon's reports without requests are named for what they are, not an unknown format")
    func testProxyLogonReports() throws {
        let reports = [
            (
                "EXCH01-Cve-2021-26857.csv",
                "#TYPE Selected.System.Diagnostics.Eventing.Reader.EventLogRecord\n\"TimeCreated\",\"MachineName\",\"Message\"\n"
                    + "\"3/2/2021 2:04:15 AM\",\"EXCH01.contoso.example\",\"Watson report: System.InvalidCastException\"\n",
                "Test-ProxyLogon's Application event log extract"
            ),
            (
                "EXCH01-other.csv",
                "#TYPE System.Management.Automation.PSCustomObject\n\"ComputerName\",\"Type\",\"Path\",\"Name\",\"LastWrite\"\n"
                    + "\"EXCH01\",\"LsassDump\",\"C:\\root\\lsass.dmp\",\"lsass.dmp\",\"3/3/2021 4:01:00 AM\"\n",
                "Test-ProxyLogon's list of suspicious files"
            ),
            (
                "EXCH01-Cve-2021-27065.log",
                "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\ECP\\Server\\ECPServer2021030201-1.LOG\r\n",
                "a list of file paths, as Test-ProxyLogon writes them"
            ),
            (
                "EXCH01-Cve-2021-26858-DownloadPaths.log",
                "'\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\shell.aspx'\n",
                "a list of file paths, as Test-ProxyLogon writes them"
            ),
        ]
        for (name, text, reason) in reports {
            let path = try Fixtures.writeTemporary(text, name: name)
            #expect(throws: SourceError.self) { try Fixtures.read(path) }
            do {
                _ = try Fixtures.read(path)
            } catch let error as SourceError {
                #expect(error.reason.hasPrefix(reason), "\(name): \(error.reason)")
            }
        }
    }

    @Test("web log lines without their header are read in Exchange's documented layouts; others stay unknown")
    func headerless() throws {
        func proxyLine(_ values: [String: String], layout: [String]) -> String {
            layout.map { values[$0] ?? "" }.joined(separator: ",")
        }
        let values = [
            "DateTime": "2021-03-02T02:05:00.100Z", "RequestId": "11111111-0000-4000-8000-000000000001",
            "Protocol": "Ecp", "UrlStem": "/ecp/y.js",
            "AnchorMailbox": "ServerInfo~a]@exch01.contoso.example:444/autodiscover/autodiscover.xml?#",
            "UserAgent": "\"Mozilla/5.0 (Windows NT 10.0, Win64)\"", "ClientIpAddress": "203.0.113.50",
            "ServerHostName": "EXCH01", "HttpStatus": "200", "Method": "POST",
        ]
        for layout in [HeaderlessLayouts.httpProxy, HeaderlessLayouts.httpProxyOlder] {
            var second = values
            second["RequestId"] = "11111111-0000-4000-8000-000000000002"
            second["AnchorMailbox"] = "Smtp~ceo@contoso.example"
            let path = try Fixtures.writeTemporary(
                proxyLine(values, layout: layout) + "\r\n" + proxyLine(second, layout: layout) + "\r\n",
                name: "rows.log")
            let read = try Fixtures.read(path)
            #expect(read.format == .httpProxy)
            #expect(read.webRequests.map(\.urlStem) == ["/ecp/y.js", "/ecp/y.js"])
            #expect(read.webRequests.first?.indicators.contains(.ssrfAnchor) == true)
            #expect(
                read.webRequests.first?.userAgent == "Mozilla/5.0 (Windows NT 10.0, Win64)" && read.quarantined.isEmpty)
        }
        let iis = [
            "2021-03-02 02:04:00 192.0.2.10 POST /owa/auth/Current/themes/resources/logon.css - 443 - 203.0.113.50 DuckDuckBot/1.0;+(+http://duckduckgo.com/duckduckbot.html) - 200 0 0 15",
            "2021-03-02 02:04:01 192.0.2.10 GET /aspnet_client/shell.aspx cmd=whoami 443 - 203.0.113.50 python-requests/2.25.1 - 200 0 0 3",
        ]
        let read = try Fixtures.read(try Fixtures.writeTemporary(iis.joined(separator: "\n") + "\n", name: "u_ex.log"))
        #expect(read.format == .iisW3C && read.webRequests.count == 2 && read.quarantined.isEmpty)
        #expect(read.webRequests.last?.indicators.contains(.webShell) == true)
        #expect(read.webRequests.first?.userAgent == "DuckDuckBot/1.0; ( http://duckduckgo.com/duckduckbot.html)")
        // Seven fields are neither layout: still unknown, naming the file.
        #expect(throws: SourceError.self) {
            try Fixtures.read(try Fixtures.writeTemporary("2021-03-02T02:05:00.100Z,a,b,c,d,e,f\n", name: "x.log"))
        }
    }

    @Test("a pasted excerpt: separator and placeholder lines are quarantined one by one, the records around them read")
    func pastedExcerpt() throws {
        let values = [
            "DateTime": "2021-03-02T02:05:00.100Z", "RequestId": "11111111-0000-4000-8000-000000000001",
            "Protocol": "Ecp", "UrlStem": "/ecp/y.js", "ClientIpAddress": "203.0.113.50", "ServerHostName": "EXCH01",
            "AnchorMailbox": "ServerInfo~a]@exch01.contoso.example:444/autodiscover/autodiscover.xml?#",
            "HttpStatus": "200", "Method": "POST",
        ]
        var second = values
        second["RequestId"] = "11111111-0000-4000-8000-000000000002"
        let rows = [values, second].map { row in
            HeaderlessLayouts.httpProxy.map { row[$0] ?? "" }.joined(separator: ",")
        }
        let pasted = ["-----", rows[0], "[...]", "", "==========", rows[1], "-----"].joined(separator: "\n") + "\n"
        let proxy = try Fixtures.read(try Fixtures.writeTemporary(pasted, name: "ticket.txt"))
        #expect(proxy.format == .httpProxy && proxy.webRequests.count == 2)
        #expect(proxy.quarantined.map(\.origin.line) == [1, 3, 5, 7])
        #expect(
            proxy.quarantined.allSatisfy {
                $0.reason == "separator or placeholder line (a pasted excerpt), not a record"
            })

        let iis = try String(contentsOfFile: Fixtures.path("iis.log"), encoding: .utf8)
        let iisPasted = try Fixtures.read(try Fixtures.writeTemporary("*****\n" + iis + "…\n", name: "iis-paste.txt"))
        #expect(iisPasted.format == .iisW3C && iisPasted.webRequests.count == 6)
        #expect(iisPasted.quarantined.filter { $0.reason.hasPrefix("separator") }.map(\.origin.line) == [1, 15])

        let ual = try String(contentsOfFile: Fixtures.path("purview.csv"), encoding: .utf8)
        let csvPasted = try Fixtures.read(
            try Fixtures.writeTemporary("------\n" + ual + "(snip)\n", name: "purview-paste.csv"))
        #expect(csvPasted.format == .purviewCSV && !csvPasted.events.isEmpty)
        #expect(csvPasted.quarantined.filter { $0.reason.hasPrefix("separator") }.count == 2)

        let line =
            #"{"Id":"8f2a6e1c-0000-4000-8000-000000000001","CreationTime":"2021-03-02T02:05:00","Operation":"MailItemsAccessed","RecordType":50,"UserId":"a@contoso.example","Workload":"Exchange"}"#
        let json = try Fixtures.read(try Fixtures.writeTemporary("-----\n\(line)\n...\n", name: "ual-paste.txt"))
        #expect(json.format == .ualJSONLines && json.events.count == 1)
        #expect(json.quarantined.map(\.reason) == Array(repeating: PastedExcerpt.reason, count: 2))
    }

    @Test(
        "a forced --source applies, to unrecognized content too (its lines are quarantined); else unknown content names the file"
    )
    func forcedFormat() throws {
        #expect(throws: SourceError.self) { try Fixtures.read(Fixtures.path("unknown.txt")) }
        let read = try Fixtures.read(Fixtures.path("iis.log"), options: ReadOptions(tenant: "t", format: .iisW3C))
        #expect(read.webRequests.count == 6)
        let forced = try Fixtures.read(Fixtures.path("unknown.txt"), options: ReadOptions(tenant: "t", format: .iisW3C))
        #expect(forced.format == .iisW3C && forced.webRequests.isEmpty && !forced.quarantined.isEmpty)
    }

    @Test("natural keys are stable, version-8 UUIDs")
    func naturalKeys() {
        let key = RecordID(naturalKey: "EXCH01|abc", kind: "httpproxy")
        #expect(key == RecordID(naturalKey: "EXCH01|abc", kind: "httpproxy"))
        #expect(key != RecordID(naturalKey: "EXCH01|abc", kind: "iis"))
        #expect(Array(key.description)[14] == "8")
    }
}
