/// Writes the demo's UAL records. Random choices come from a seeded SplitMix64, so the same seed
/// always yields the same bytes.
struct RecordGenerator {
    struct Record {
        var time: String
        var json: String
    }

    private(set) var records: [Record] = []
    private var random: SplitMix64
    private let tenant = DemoTenant.organizationID
    private let domain = DemoTenant.domain

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    private static let outlook = "d3590ed6-52b3-4102-aeff-aad2292ab01c"
    private static let exchange = "00000002-0000-0ff1-ce00-000000000000"

    mutating func ownerDay(user: String, userIndex: Int, date: DemoDate) {
        let atHome = !date.isWeekday || random.next(below: 5) == 0
        let address = atHome ? "192.0.2.\(10 + userIndex)" : "198.51.100.\(20 + random.next(below: 4))"
        let session = random.uuid()
        let reads = 3 + random.next(below: 6)
        var hour = 8 + random.next(below: 2)
        for _ in 0..<reads {
            let minute = random.next(below: 60)
            let items = 1 + random.next(below: 6)
            mailItemsAccessed(
                time: date.stamp(hour: hour, minute: minute, second: random.next(below: 60)),
                actor: "\(user)@\(domain)",
                owner: "\(user)@\(domain)", logonType: 0, userType: 0, address: address,
                client: "Client=MSExchangeRPC",
                appID: Self.outlook, session: session, access: "Bind", folders: ["\\Inbox"], items: items)
            hour = min(hour + 1 + random.next(below: 2), 18)
        }
    }

    mutating func delegateReads(assistant: String, executive: String, date: DemoDate) {
        let session = random.uuid()
        for hour in [9, 11, 14, 16] {
            mailItemsAccessed(
                time: date.stamp(
                    hour: hour, minute: random.next(below: 60), second: random.next(below: 60)),
                actor: "\(assistant)@\(domain)", owner: "\(executive)@\(domain)", logonType: 2, userType: 0,
                address: "198.51.100.\(20 + random.next(below: 4))", client: "Client=OWA;Action=ViaProxy",
                appID: Self.exchange, session: session, access: "Bind", folders: ["\\Inbox", "\\Calendar"],
                items: 1 + random.next(below: 4))
        }
    }

    mutating func nightlyBackup(mailboxes: [String], date: DemoDate) {
        for (index, mailbox) in mailboxes.enumerated() {
            mailItemsAccessed(
                time: date.stamp(hour: 1, minute: index / 2, second: random.next(below: 60)),
                actor: "ServicePrincipal_\(DemoTenant.backupAppID)", owner: "\(mailbox)@\(domain)",
                logonType: 0,
                userType: 5, address: "203.0.113.10", client: "Client=REST;Client=RESTSystem;;",
                appID: DemoTenant.backupAppID, session: nil, access: "Bind", folders: ["\\Inbox"],
                items: 5 + random.next(below: 20))
        }
    }

    mutating func newPhoneSync(user: String, date: DemoDate) {
        let session = random.uuid()
        for (offset, folder) in ["\\Inbox", "\\Sent Items", "\\Archive", "\\Calendar"].enumerated() {
            mailItemsAccessed(
                time: date.stamp(hour: 19, minute: 5 + offset, second: 10), actor: "\(user)@\(domain)",
                owner: "\(user)@\(domain)", logonType: 0, userType: 0, address: "192.0.2.200",
                client: "Client=OutlookService;Outlook-iOS/2.0;",
                appID: "27922004-5251-4030-b22d-91ecd9a37ea4",
                session: session, access: "Sync", folders: [folder], items: 0)
        }
    }

    mutating func ticketedEDiscovery(date: DemoDate) {
        admin(
            time: date.stamp(hour: 10, minute: 30, second: 0), actor: "compliance-officer@\(domain)",
            userType: 2,
            operation: "New-ComplianceSearchAction", address: "198.51.100.21", appID: Self.exchange,
            parameters: .text("-SearchName \"CASE-1187 litigation hold\" -Export -Format \"FxStream\""),
            recordType: 18, workload: "SecurityComplianceCenter")
    }

    mutating func intrusion(date: DemoDate) {
        let actor = DemoTenant.intruder
        let address = DemoTenant.intruderAddress
        let web = "Client=WebServices;ExchangeServicesClient/0.0.0.0;"
        admin(
            time: date.stamp(hour: 2, minute: 10, second: 4), actor: actor, userType: 4,
            operation: "New-ManagementRoleAssignment", address: address, appID: Self.exchange,
            parameters: .pairs([("Role", "Mailbox Import Export"), ("User", actor)]))
        admin(
            time: date.stamp(hour: 2, minute: 12, second: 31), actor: actor, userType: 4,
            operation: "New-MailboxExportRequest", address: address, appID: Self.exchange,
            parameters: .pairs([
                ("Mailbox", "ceo@\(domain)"),
                ("FilePath", "\\\\EXCH01\\c$\\inetpub\\wwwroot\\aspnet_client\\ceo.pst"),
                ("ContentFilter", "(Received -ge '01/01/2021')"),
            ]))
        var minute = 14
        for executive in DemoTenant.executives {
            for folder in ["\\Inbox", "\\Sent Items", "\\Archive"] {
                mailItemsAccessed(
                    time: date.stamp(hour: 2, minute: minute, second: random.next(below: 60)), actor: actor,
                    owner: "\(executive)@\(DemoTenant.domain)", logonType: 1, userType: 4, address: address,
                    client: web, appID: Self.exchange, session: nil, access: "Sync", folders: [folder],
                    items: 0)
            }
            mailItemsAccessed(
                time: date.stamp(hour: 2, minute: minute + 2, second: random.next(below: 60)), actor: actor,
                owner: "\(executive)@\(DemoTenant.domain)", logonType: 1, userType: 4, address: address,
                client: web, appID: Self.exchange, session: nil, access: "Bind", folders: ["\\Inbox"],
                items: 140 + random.next(below: 40))
            minute += 5
        }
        admin(
            time: date.stamp(hour: 2, minute: 38, second: 12), actor: actor, userType: 4,
            operation: "Remove-MailboxExportRequest", address: address, appID: Self.exchange,
            parameters: .pairs([("Identity", "ceo@\(domain)\\MailboxExport")]))
    }

    // MARK: record shapes

    /// Token theft read through Graph: the CFO's session, signed in from abroad a minute before
    /// (`DemoTenant.signInLines`), reads her mail through Microsoft Graph with an app she never
    /// used, from that address.
    mutating func graphReadAfterForeignSignIn(date: DemoDate) {
        let actor = "cfo@\(domain)"
        for (minute, folder) in [(14, "\\Inbox"), (19, "\\Sent Items"), (25, "\\Finance"), (31, "\\Archive")] {
            mailItemsAccessed(
                time: date.stamp(hour: 4, minute: minute, second: 12), actor: actor, owner: actor, logonType: 0,
                userType: 0, address: DemoTenant.foreignSignInAddress, client: "Client=REST;Client=RESTSystem;;",
                appID: DemoTenant.graphAppID, clientAppID: DemoTenant.foreignApp, session: DemoTenant.foreignSession,
                access: "Bind", folders: [folder], items: 30 + random.next(below: 20))
        }
    }

    private mutating func mailItemsAccessed(
        time: String, actor: String, owner: String, logonType: Int, userType: Int, address: String,
        client: String,
        appID: String, clientAppID: String? = nil, session: String?, access: String, folders: [String], items: Int
    ) {
        var itemJSON: [String] = []
        for _ in 0..<items {
            itemJSON.append(
                "{\"InternetMessageId\":\"<\(random.hex(12))@\(domain)>\",\"SizeInBytes\":\(2000 + random.next(below: 90000))}"
            )
        }
        let folderJSON = folders.enumerated().map { index, path in
            let listed =
                access == "Bind" && index == 0
                ? ",\"FolderItems\":[\(itemJSON.joined(separator: ","))]" : ""
            return "{\"Id\":\"LgAAAA\(random.hex(8))\",\"Path\":\(quoted(path))\(listed)}"
        }.joined(separator: ",")
        var fields: [(String, String)] = [
            ("CreationTime", quoted(time)), ("Id", quoted(random.uuid())),
            ("Operation", "\"MailItemsAccessed\""),
            ("OrganizationId", quoted(tenant)), ("RecordType", "50"), ("ResultStatus", "\"Succeeded\""),
            ("UserType", String(userType)), ("Version", "1"), ("Workload", "\"Exchange\""),
            ("UserId", quoted(actor)),
            ("AppId", quoted(appID)), ("ClientAppId", quoted(clientAppID ?? appID)),
            ("ClientIPAddress", quoted(address)),
            ("ClientInfoString", quoted(client)), ("ExternalAccess", "false"),
            ("LogonType", String(logonType)),
            ("MailboxOwnerUPN", quoted(owner)),
            (
                "OperationProperties",
                "[{\"Name\":\"MailAccessType\",\"Value\":\"\(access)\"},{\"Name\":\"IsThrottled\",\"Value\":\"False\"}]"
            ),
            ("Folders", "[\(folderJSON)]"),
        ]
        if access == "Bind" { fields.append(("OperationCount", String(items))) }
        if let session { fields.append(("SessionId", quoted(session))) }
        append(time: time, fields)
    }

    enum Parameters {
        case pairs([(String, String)])
        case text(String)
    }

    private mutating func admin(
        time: String, actor: String, userType: Int, operation: String, address: String, appID: String,
        parameters: Parameters, recordType: Int = 1, workload: String = "Exchange"
    ) {
        let parameterJSON: String
        switch parameters {
        case .pairs(let pairs):
            parameterJSON =
                "["
                + pairs.map { "{\"Name\":\(quoted($0.0)),\"Value\":\(quoted($0.1))}" }
                .joined(separator: ",") + "]"
        case .text(let text):
            parameterJSON = quoted(text)
        }
        append(
            time: time,
            [
                ("CreationTime", quoted(time)), ("Id", quoted(random.uuid())),
                ("Operation", quoted(operation)),
                ("OrganizationId", quoted(tenant)), ("RecordType", String(recordType)),
                ("ResultStatus", "\"True\""),
                ("UserType", String(userType)), ("Version", "1"), ("Workload", quoted(workload)),
                ("ClientIP", quoted(address + ":" + String(40000 + random.next(below: 20000)))),
                ("ObjectId", quoted(operation)), ("UserId", quoted(actor)), ("AppId", quoted(appID)),
                ("ClientAppId", quoted(appID)), ("ExternalAccess", "false"), ("Parameters", parameterJSON),
            ])
    }

    private mutating func append(time: String, _ fields: [(String, String)]) {
        records.append(
            Record(
                time: time, json: "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"))
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingBackslashesAndQuotes() + "\""
    }
}

extension String {
    fileprivate func replacingBackslashesAndQuotes() -> String {
        var result = ""
        for character in self {
            if character == "\\" || character == "\"" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
