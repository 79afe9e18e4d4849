import AuditEvents
import DemoData

/// The seven labelled intrusions, each late in the data so baselines exist before it (in the early
/// family, in the data's first week).
extension Simulator {
    mutating func plantAttacks() {
        proxyLogon()
        oauthAppReadingExecutives()
        adminGrantSyncRevoke()
        lowAndSlowInsider()
        rogueComplianceExport()
        stolenSessionDownload()
        consentPhishing()
    }

    /// A day in the last `window` days, at least `margin` days before the end; in the early family,
    /// one of the data's days 1 to 5.
    private mutating func lateDay(window: Int, margin: Int = 1) -> Int {
        guard variant != .early else { return earlyDay(margin: margin) }
        return days - margin - random.next(below: max(1, window - margin))
    }

    /// One of the data's days 1 to 5, at least `margin` days before the end.
    private mutating func earlyDay(margin: Int) -> Int {
        min(days - margin, 1 + random.next(below: 5))
    }

    /// An address from the documentation range no one in the tenant uses.
    private mutating func attackerAddress(_ block: Int) -> String {
        "203.0.113.\(block * 40 + 10 + random.next(below: 30))"
    }

    /// In the known-network family, the abused account read its own mail once from the attacker's
    /// address ten days before the attack: the network is not new to it.
    private mutating func usedOnceBefore(_ address: String, by actor: String, attackDay: Int) {
        guard variant == .knownNetwork else { return }
        let day = max(0, attackDay - 10)
        read(
            calendar.at(day, 12, random.next(below: 60)), actor: actor, owner: actor, address: address, items: 3,
            client: "Client=OWA;" + Self.browser, appID: Self.owa, session: random.uuid())
    }

    /// The hour an attack that runs at night begins at: in the daytime family, moved into the working
    /// day (21:00 to 10:00, 2:00 to 15:00), on the same day.
    private func hour(_ night: Int) -> Int {
        variant == .daytime ? 10 + (night + 3) % 24 : night
    }

    /// When the night's attacks happen, for their summaries.
    private var atNight: String { variant == .daytime ? "by day" : "at night" }

    /// An intruder paging through a mailbox a folder at a time from the night after `day`, at `hour`
    /// (moved by the daytime family) and a minute in `minutes`; the spread family reads `step`
    /// folders a night, the split family starts a fresh session every `step` folders. `read` writes
    /// one folder's record. Returns the first read's time and the time after the last.
    private mutating func pageThrough(
        _ folders: [String], after day: Int, hour night: Int, minutes: Range<Int>, step: Int, session: String,
        read: (inout Simulator, Timestamp, String, String) -> Void
    ) -> (first: Timestamp, end: Timestamp) {
        var session = session
        let first = calendar.at(day + 1, hour(night), minutes.lowerBound + random.next(below: minutes.count))
        var time = first
        for (index, folder) in folders.enumerated() {
            if variant == .spread, index > 0, index % step == 0 {
                time = calendar.at(
                    min(day + 1 + index / step, days - 1), hour(night),
                    minutes.lowerBound + random.next(below: minutes.count))
            }
            if variant == .split, index > 0, index % step == 0 {
                session = random.uuid()
                time = time.adding(minutes: splitGap)
            }
            read(&self, time, folder, session)
            time = time.adding(minutes: 1 + random.next(below: 3))
        }
        return (first, time)
    }

    /// How many items a theft reads where the story reads `items`: in the quiet family, a fortieth.
    private func loot(_ items: Int) -> Int {
        variant == .quiet ? max(1, items / 40) : items
    }

    /// Minutes between two mailboxes of one theft: in the split family far enough apart (40) that
    /// each mailbox is a session of its own.
    private var splitGap: Int { variant == .split ? 40 : 0 }

    /// ProxyLogon on EXCH01: SSRF through the front end and a web shell, then SYSTEM grants itself
    /// Mailbox Import Export, exports the lab head's mailbox to aspnet_client, reads the research
    /// mailboxes over EWS, fetches the PST over the web and removes the export request.
    private mutating func proxyLogon() {
        let day = lateDay(window: 6)
        let attacker = attackerAddress(0)
        let start = calendar.at(day, hour(2), random.next(below: 20))
        let shell = "aspnet_client/system_web/\(random.hex(8)).aspx"
        let exportName = random.hex(6)
        let crawler = "DuckDuckBot/1.0;+(+http://duckduckgo.com/duckduckbot.html)"
        for offset in 0..<3 {
            iis(
                start.adding(minutes: offset), method: "POST", stem: "/owa/auth/Current/themes/resources/logon.css",
                client: attacker, agent: crawler)
        }
        for offset in 0..<3 {
            let time = start.adding(minutes: 2 + offset)
            iis(time, method: "POST", stem: "/ecp/y.js", client: attacker, agent: "python-requests/2.25.1")
            httpProxy(
                time, protocol: "Ecp", stem: "/ecp/y.js", user: "",
                anchor: "ServerInfo~a]@exch01.\(SimulatedTenant.domain):444/autodiscover/autodiscover.xml?#",
                agent: "python-requests/2.25.1", client: attacker, status: 200, method: "POST")
        }
        iis(
            start.adding(minutes: 5), method: "POST", stem: "/ecp/DDI/DDIService.svc/SetObject",
            query: "schema=OABVirtualDirectory", client: attacker, agent: "python-requests/2.25.1")
        let system = "NT AUTHORITY\\SYSTEM (w3wp)"
        adminAudit(
            start.adding(minutes: 5), caller: system, cmdlet: "Set-OabVirtualDirectory",
            object: "EXCH01\\OAB (Default Web Site)",
            parameters: [
                ("Identity", "EXCH01\\OAB (Default Web Site)"),
                (
                    "ExternalUrl",
                    "http://f/<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"p\"],\"unsafe\");}</script>"
                ),
            ])
        for offset in 0..<4 {
            iis(
                start.adding(minutes: 7 + offset), method: "POST", stem: "/" + shell, client: attacker,
                agent: "antSword/v2.1")
        }
        let victims = Array(people.onPremises.prefix(6))
        guard let head = victims.first else { return }
        adminAudit(
            start.adding(minutes: 8), caller: system, cmdlet: "New-ManagementRoleAssignment",
            object: "Mailbox Import Export-SYSTEM", parameters: [("Role", "Mailbox Import Export"), ("User", "SYSTEM")])
        adminAudit(
            start.adding(minutes: 10), caller: system, cmdlet: "New-MailboxExportRequest",
            object: "\(head.name)\\MailboxExport",
            parameters: [
                ("Mailbox", head.name),
                ("FilePath", "\\\\EXCH01\\c$\\inetpub\\wwwroot\\aspnet_client\\\(exportName).pst"),
            ])
        var time = start.adding(minutes: 12)
        for (index, victim) in victims.enumerated() {
            // Spread: two research mailboxes a night from the attack's night on.
            if variant == .spread, index > 0, index % 2 == 0 {
                time = calendar.at(min(day + index / 2, days - 1), hour(2), random.next(below: 20))
            }
            time = time.adding(minutes: splitGap)
            for folder in ["\\Inbox", "\\Sent Items", "\\Inbox\\Grants"] {
                mailboxAudit(
                    time, operation: "FolderBind", logonType: "Admin", actorName: "NT AUTHORITY\\SYSTEM",
                    actorSID: "S-1-5-18", owner: victim, address: attacker,
                    client: "Client=WebServices;ExchangeServicesClient/0.0.0.0;", folder: folder, items: 1)
                mailboxAudit(
                    time.adding(minutes: 1), operation: "MessageBind", logonType: "Admin",
                    actorName: "NT AUTHORITY\\SYSTEM", actorSID: "S-1-5-18", owner: victim, address: attacker,
                    client: "Client=WebServices;ExchangeServicesClient/0.0.0.0;", folder: folder,
                    items: loot(40 + random.next(below: 80)))
            }
            time = time.adding(minutes: 3)
        }
        if variant != .missingStage {
            iis(
                time, method: "GET", stem: "/aspnet_client/\(exportName).pst", client: attacker,
                agent: "python-requests/2.25.1")
            adminAudit(
                time.adding(minutes: 2), caller: system, cmdlet: "Remove-MailboxExportRequest",
                object: "\(head.name)\\MailboxExport",
                parameters: [("Identity", "\(head.name)\\MailboxExport"), ("Confirm", "False")])
        }
        attacks.append(
            .init(
                id: "proxylogon",
                summary:
                    "ProxyLogon on EXCH01 from \(attacker): SSRF, web shell, export to aspnet_client, EWS reads as SYSTEM",
                parts: [
                    .init(actor: system, from: start, until: time.adding(minutes: 5)),
                    .init(
                        actor: "NT AUTHORITY\\SYSTEM", from: start, until: time.adding(minutes: 5),
                        mailboxes: victims.map(\.upn)),
                ]))
    }

    /// A stolen admin session consents full_access_as_app for a new app, which then reads the
    /// executives' mailboxes from a VPS every night for four nights. Split: the executives and the
    /// partners, one to four mailboxes a night, each its own session; missing stage: no consent
    /// record; spread: one or two executives a night over more nights; known network: the consent
    /// comes from an address the admin used once before.
    private mutating func oauthAppReadingExecutives() {
        let day = lateDay(window: 10, margin: 5)
        let admin = people.admins[0]
        let app = random.uuid()
        let actor = "ServicePrincipal_\(app)"
        let granted = calendar.at(day, hour(22), 10 + random.next(below: 30))
        let grantAddress = attackerAddress(1)
        usedOnceBefore(grantAddress, by: admin.adminUPN, attackDay: day)
        if variant != .missingStage {
            event(
                granted, actor: admin.adminUPN, operation: "Add app role assignment grant to service principal.",
                recordType: 8, workload: "AzureActiveDirectory", address: grantAddress,
                extra: [
                    ("ObjectId", .text(app)),
                    (
                        "ModifiedProperties",
                        .properties([
                            ("AppRole.Id", "dc890d15-9560-4a4c-9b7f-a736ec74ec40"),
                            ("AppRole.Value", "full_access_as_app"), ("ServicePrincipal.AppId", app),
                        ])
                    ),
                ])
            event(
                granted.adding(minutes: 3), actor: admin.adminUPN, operation: "Add service principal credentials.",
                recordType: 8, workload: "AzureActiveDirectory", address: grantAddress,
                extra: [("ObjectId", .text(app))])
        }
        let executives = people.executives.map(\.upn)
        let targets = variant == .split ? executives + people.partners.map(\.upn) : executives
        let readAddress = attackerAddress(2)
        // Which mailboxes each night reads.
        var nights: [[String]] = []
        switch variant {
        case .split:
            var left = targets[...]
            while !left.isEmpty {
                let count = 1 + random.next(below: 4)
                nights.append(Array(left.prefix(count)))
                left = left.dropFirst(count)
            }
        case .spread:
            var left = targets[...]
            while !left.isEmpty {
                let count = 1 + random.next(below: 2)
                nights.append(Array(left.prefix(count)))
                left = left.dropFirst(count)
            }
        default:
            nights = Array(repeating: targets, count: max(1, min(day + 5, days) - 1 - day))
        }
        nights = Array(nights.prefix(max(1, days - 1 - day)))
        let lastNight = day + nights.count
        for (offset, mailboxes) in nights.enumerated() {
            let night = day + 1 + offset
            var time = calendar.at(night, hour(1), 30 + random.next(below: 20))
            for mailbox in mailboxes {
                for folder in ["\\Inbox", "\\Sent Items", "\\Archive"] {
                    // On the last night the first executive's mailbox hits the throttle.
                    read(
                        time, actor: actor, owner: mailbox, address: readAddress,
                        items: loot(30 + random.next(below: 60)),
                        userType: 5, client: "Client=REST;Client=RESTSystem;;", appID: app, session: nil,
                        folder: folder,
                        throttled: night == lastNight && mailbox == targets[0])
                    time = time.adding(minutes: 1 + random.next(below: 3))
                }
                time = time.adding(minutes: splitGap)
            }
        }
        attacks.append(
            .init(
                id: "oauth-app-night-reads",
                summary: "\(admin.adminUPN) grants a new app full_access_as_app; it reads the executives \(atNight)",
                parts: [
                    .init(actor: admin.adminUPN, from: granted, until: granted.adding(minutes: 10)),
                    .init(
                        actor: actor, from: calendar.at(day + 1, 0), until: calendar.at(lastNight + 1, 0),
                        mailboxes: nights.flatMap { $0 }),
                ]))
    }

    /// A compromised admin account grants itself FullAccess to an executive at night, syncs the
    /// mailbox, and removes the grant. Split: the sync in two sessions; missing stage: no revoke;
    /// spread: the grant, the sync and the revoke on three nights; known network: from an address
    /// the admin used once before.
    private mutating func adminGrantSyncRevoke() {
        let day = lateDay(window: 8, margin: 3)
        let admin = people.admins[1]
        let victim = people.executives[1 + random.next(below: people.executives.count - 1)]
        let address = attackerAddress(3)
        usedOnceBefore(address, by: admin.adminUPN, attackDay: day)
        let granted = calendar.at(day, hour(23), random.next(below: 15))
        let rights = [("Identity", victim.upn), ("User", admin.adminUPN), ("AccessRights", "FullAccess")]
        cmdlet(granted, actor: admin.adminUPN, operation: "Add-MailboxPermission", parameters: rights, address: address)
        var session = random.uuid()
        var time =
            variant == .spread ? calendar.at(day + 1, hour(23), random.next(below: 15)) : granted.adding(minutes: 8)
        for (index, folder) in [
            "\\Inbox", "\\Sent Items", "\\Archive", "\\Deleted Items", "\\Inbox\\Board", "\\Inbox\\Legal",
        ]
        .enumerated() {
            if variant == .split, index == 3 {
                session = random.uuid()
                time = time.adding(minutes: 40)
            }
            read(
                time, actor: admin.adminUPN, owner: victim.upn, address: address, access: "Sync", items: 0,
                logonType: 2,
                client: "Client=MSExchangeRPC", appID: Self.outlook, session: session, folder: folder)
            time = time.adding(minutes: 2)
        }
        for folder in ["\\Inbox", "\\Inbox\\Board", "\\Inbox\\Legal"] {
            read(
                time, actor: admin.adminUPN, owner: victim.upn, address: address,
                items: loot(60 + random.next(below: 90)),
                logonType: 2, client: "Client=MSExchangeRPC", appID: Self.outlook, session: session, folder: folder)
            time = time.adding(minutes: 4)
        }
        var revoked =
            variant == .spread ? calendar.at(day + 2, hour(23), random.next(below: 15)) : time.adding(minutes: 70)
        if variant == .missingStage {
            revoked = time
        } else {
            cmdlet(
                revoked, actor: admin.adminUPN, operation: "Remove-MailboxPermission", parameters: rights,
                address: address)
        }
        attacks.append(
            .init(
                id: "admin-grant-sync-revoke",
                summary: "\(admin.adminUPN) grants itself FullAccess to \(victim.upn) \(atNight), syncs it, revokes",
                parts: [
                    .init(
                        actor: admin.adminUPN, from: granted, until: revoked.adding(minutes: 1), mailboxes: [victim.upn]
                    )
                ]))
    }

    /// An employee who kept FullAccess from an old role reads a few messages from three colleagues'
    /// mailboxes every working day for three weeks, in working hours, from the office. Split: each
    /// colleague's mailbox in a session of its own.
    private mutating func lowAndSlowInsider() {
        guard let insider = pick(1, from: ordinaryStaff()).first else { return }
        let first = variant == .early ? earlyDay(margin: 1) : max(1, days - 21)
        let last = min(days, first + 21)
        var victims: [String] = []
        for day in first..<last where calendar.isWeekday(day) {
            let session = random.uuid()
            var time = calendar.at(day, insider.startHour + 2 + random.next(below: 5), random.next(below: 60))
            let address = officeAddress()
            for _ in 0..<3 {
                let victim = people.cloud[random.next(below: people.cloud.count)]
                guard victim.name != insider.name else { continue }
                victims.append(victim.upn)
                read(
                    time, actor: insider.upn, owner: victim.upn, address: address, items: 2 + random.next(below: 4),
                    logonType: 2, client: "Client=OWA;" + Self.browser, appID: Self.owa,
                    session: variant == .split ? random.uuid() : session)
                time = time.adding(minutes: 3 + random.next(below: 6) + splitGap)
            }
        }
        attacks.append(
            .init(
                id: "low-and-slow-insider",
                summary:
                    "\(insider.upn) reads a few messages from \(Set(victims).count) colleagues' mailboxes over weeks",
                parts: [
                    .init(
                        actor: insider.upn, from: calendar.at(first, 0), until: calendar.at(last, 0), mailboxes: victims
                    )
                ]))
    }

    /// A paralegal's stolen account searches every mailbox at night, exports the results and downloads
    /// them from another address. Missing stage: no download record; spread: the export the next
    /// night; known network: from an address the paralegal used once before.
    private mutating func rogueComplianceExport() {
        guard let actor = pick(1, from: ordinaryStaff()).first else { return }
        let day = lateDay(window: 8, margin: 2)
        let start = calendar.at(day, hour(21), random.next(below: 30))
        let address = attackerAddress(4)
        usedOnceBefore(address, by: actor.upn, attackDay: day)
        let search = "q" + random.hex(5)
        cmdlet(
            start, actor: actor.upn, operation: "New-ComplianceSearch",
            parameters: [
                ("Name", search), ("ExchangeLocation", "All"), ("ContentMatchQuery", "merger OR acquisition"),
            ],
            address: address, recordType: 18, workload: "SecurityComplianceCenter")
        cmdlet(
            start.adding(minutes: 1), actor: actor.upn, operation: "Start-ComplianceSearch",
            parameters: [("Identity", search)], address: address, recordType: 18, workload: "SecurityComplianceCenter")
        let exported =
            variant == .spread ? calendar.at(day + 1, hour(21), random.next(below: 30)) : start.adding(minutes: 25)
        cmdlet(
            exported, actor: actor.upn, operation: "New-ComplianceSearchAction",
            parameters: [("SearchName", search), ("Export", "")], address: address, recordType: 18,
            workload: "SecurityComplianceCenter")
        let downloaded = exported.adding(minutes: 45)
        if variant != .missingStage {
            event(
                downloaded, actor: actor.upn, operation: "SearchExportDownloaded", recordType: 24,
                workload: "SecurityComplianceCenter", address: attackerAddress(5),
                extra: [("ObjectId", .text(search + "_Export"))])
        }
        attacks.append(
            .init(
                id: "rogue-compliance-export",
                summary: "\(actor.upn)'s account searches all mailboxes \(atNight), exports and downloads them",
                parts: [.init(actor: actor.upn, from: start, until: downloaded.adding(minutes: 1))]))
    }

    /// An employee signs in through an adversary-in-the-middle phishing page during the working
    /// day; that night the intruder replays the stolen session cookie from a rented server and pages
    /// through the whole mailbox in OWA, about seventy times what its owner reads in a session.
    /// Split: a fresh session every few folders; missing stage: no cookie replayed (the intruder
    /// signs in with the password, a SessionId of its own); spread: a third of the folders a night
    /// over three nights; known network: the owner read mail once from that server's address, and
    /// the intruder's browser copies the owner's client text, so the replay shows no client of its own.
    private mutating func stolenSessionDownload() {
        guard let victim = pick(1, from: ordinaryStaff()).first else { return }
        let day = lateDay(window: 8, margin: 4)
        let phished = random.uuid()
        ownerSessionNamed(
            phished, victim, at: calendar.at(day, victim.startHour + 1 + random.next(below: 4), random.next(below: 60)),
            address: officeAddress())
        // TEST-NET-1: the other documentation ranges are the office's and the other intruders'.
        let address = "192.0.2.\(10 + random.next(below: 200))"
        usedOnceBefore(address, by: victim.upn, attackDay: day)
        let client =
            variant == .knownNetwork
            ? "Client=OWA;" + Self.browser
            : "Client=OWA;Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"
        let folders = [
            "\\Inbox", "\\Sent Items", "\\Archive", "\\Deleted Items", "\\Drafts", "\\Inbox\\Finance",
            "\\Inbox\\Invoices", "\\Inbox\\Contracts", "\\Archive\\2023", "\\Archive\\2024",
            "\\Inbox\\Payroll", "\\Inbox\\Suppliers",
        ]
        let (first, time) = pageThrough(
            folders, after: day, hour: 1, minutes: 40..<55, step: 4,
            session: variant == .missingStage ? random.uuid() : phished
        ) { simulator, time, folder, session in
            simulator.read(
                time, actor: victim.upn, owner: victim.upn, address: address,
                items: simulator.loot(80 + simulator.random.next(below: 120)), client: client, appID: Self.owa,
                session: session, folder: folder)
        }
        attacks.append(
            .init(
                id: "stolen-session-download",
                summary: "\(victim.upn)'s stolen session downloads their mailbox \(atNight) from \(address)",
                parts: [
                    .init(actor: victim.upn, from: first, until: time.adding(minutes: 1), mailboxes: [victim.upn])
                ]))
    }

    /// An employee, lured by a phishing mail in the working day, lets an app ("DocView Secure")
    /// read their mail (delegated Mail.Read); in about a quarter of tenants it is an admin who
    /// consents, on behalf of every user (`consent(to:by:)`). From that night the app pages through
    /// the employee's whole mailbox through Graph with the employee's token, from a cloud server:
    /// the records name the employee reading their own mail, with the app as ClientAppId. Split: a
    /// fresh session every few folders; missing stage: no consent record; spread: a third of the
    /// folders a night over three nights; known network: the employee read mail once from that
    /// server's address.
    private mutating func consentPhishing() {
        guard let victim = pick(1, from: ordinaryStaff()).first else { return }
        let day = lateDay(window: 8, margin: 4)
        let servicePrincipal = random.uuid()
        let app = random.uuid()
        let address =
            "2001:db8:c0de:\(String(1 + random.next(below: 0xffe), radix: 16))::\(10 + random.next(below: 90))"
        usedOnceBefore(address, by: victim.upn, attackDay: day)
        let (consenter, forAllUsers) = consent(to: servicePrincipal, by: victim)
        if variant != .missingStage {
            event(
                calendar.at(day, consenter.startHour + 1 + random.next(below: 4), random.next(below: 60)),
                actor: consenter.upn, operation: "Consent to application.", recordType: 8,
                workload: "AzureActiveDirectory", address: officeAddress(),
                extra: UALRecord.consentFields(
                    servicePrincipal: servicePrincipal, principal: consenter.name,
                    scope: "Mail.Read offline_access User.Read",
                    app: (app, "DocView Secure"), forAllUsers: forAllUsers))
        }
        let folders = [
            "\\Inbox", "\\Sent Items", "\\Archive", "\\Deleted Items", "\\Inbox\\Finance", "\\Inbox\\Contracts",
            "\\Archive\\2024", "\\Inbox\\Clients",
        ]
        let (first, time) = pageThrough(folders, after: day, hour: 0, minutes: 10..<40, step: 3, session: random.uuid())
        {
            simulator, time, folder, session in
            simulator.read(
                time, actor: victim.upn, owner: victim.upn, address: address,
                items: simulator.loot(60 + simulator.random.next(below: 120)),
                client: "Client=REST;Client=RESTSystem;;",
                appID: Self.graph, clientAppID: app, session: session, folder: folder)
        }
        attacks.append(
            .init(
                id: "consent-phishing",
                summary: forAllUsers
                    ? "\(consenter.upn) lets a phishing app read every user's mail; it downloads \(victim.upn)'s mailbox \(atNight) from \(address)"
                    : "\(victim.upn) lets a phishing app read their mail; it downloads the mailbox \(atNight) from \(address)",
                parts: [
                    .init(actor: victim.upn, from: first, until: time.adding(minutes: 1), mailboxes: [victim.upn])
                ]))
    }
}
