import AuditEvents
import DemoData

/// Writes the simulated tenant's records into a `SimulationLog` and remembers which sessions are
/// planted: ordinary work here, look-alikes in `BenignTraps.swift`, intrusions in `Attacks.swift`.
struct Simulator {
    var random: SplitMix64
    let people: People
    let days: Int
    let variant: SimulationVariant
    let mix: SimulationMix
    let calendar = SimulationCalendar()
    var log = SimulationLog()
    var attacks: [SimulationTruth.Incident] = []
    var traps: [SimulationTruth.Incident] = []
    /// People already given a planted role.
    var assigned = Set<String>()
    private var recordNumber: Int

    let tenant = SimulatedTenant.organizationID
    static let outlook = "d3590ed6-52b3-4102-aeff-aad2292ab01c"
    static let owa = "00000002-0000-0ff1-ce00-000000000000"
    /// Outlook for iOS and Android: its app id and the client it logs.
    static let outlookMobile = "27922004-5251-4030-b22d-91ecd9a37ea4"
    static let outlookMobileClient = "Client=OutlookService;Outlook-iOS/2.0;"
    static let backupApp = "5b1e4b0f-9c7a-4e2d-8f3b-6a9d0c2e1f47"
    /// Microsoft Graph: the AppId of a record an app wrote through Graph, whose ClientAppId is the app.
    static let graph = "00000003-0000-0000-c000-000000000000"
    static let archivingApp = "a6c1d2e3-4f50-4a6b-8c7d-9e0f1a2b3c4d"
    static let browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0"
    static let folders = ["\\Inbox", "\\Inbox", "\\Inbox", "\\Sent Items", "\\Archive", "\\Drafts"]

    init(
        seed: UInt64, people: People, days: Int, variant: SimulationVariant = .standard,
        mix: SimulationMix = SimulationMix()
    ) {
        random = SplitMix64(seed: seed)
        self.people = people
        self.days = days
        self.variant = variant
        self.mix = mix
        // Record ids differ between seeds, so two simulations can share a database.
        recordNumber = Int(seed % 100_000) * 10_000_000
    }

    mutating func simulate() {
        for day in 0..<days {
            for person in people.cloud where calendar.isWeekday(day) || random.next(below: 6) == 0 {
                ownerDay(person, day: day)
            }
            if calendar.isWeekday(day) {
                onPremisesDay(day)
                adminRoutine(day)
            }
            healthProbes(day)
        }
        plantTraps()
        plantAttacks()
        // Blind spots for coverage: four days of IIS logs rotated away before anyone copied them.
        let lost = calendar.at(8, 0)...calendar.at(12, 0)
        log.iis.removeAll { lost.contains($0.time) }
        log.secondFrontEndIIS.removeAll { lost.contains($0.time) }
    }

    // MARK: ordinary work

    /// An owner reads their own mail in one to three sessions, from the office or from home.
    mutating func ownerDay(_ person: Person, day: Int) {
        for _ in 0..<(1 + random.next(below: 3)) {
            let atOffice = calendar.isWeekday(day) && random.next(below: 10) < 7
            let address = atOffice ? officeAddress() : person.home
            let outlook = random.next(below: 5) < 3
            ownerSession(
                person, at: calendar.at(day, person.startHour + random.next(below: 9), random.next(below: 60)),
                address: address, client: outlook ? "Client=MSExchangeRPC" : "Client=OWA;" + Self.browser,
                appID: outlook ? Self.outlook : Self.owa, records: 2 + random.next(below: 4), items: 8)
        }
    }

    mutating func ownerSession(
        _ person: Person, at start: Timestamp, address: String, client: String, appID: String, records: Int,
        items: Int
    ) {
        ownerSessionNamed(
            random.uuid(), person, at: start, address: address, client: client, appID: appID, records: records,
            items: items)
    }

    /// An owner's session under a SessionId the caller chose: by default an ordinary day's OWA
    /// session from `address`.
    mutating func ownerSessionNamed(
        _ session: String, _ person: Person, at start: Timestamp, address: String,
        client: String = "Client=OWA;" + Simulator.browser, appID: String = Simulator.owa,
        records: Int = 3, items: Int = 8
    ) {
        var time = start
        for _ in 0..<records {
            read(
                time, actor: person.upn, owner: person.upn, address: address, items: 1 + random.next(below: items),
                client: client, appID: appID, session: session,
                folder: Self.folders[random.next(below: Self.folders.count)])
            time = time.adding(minutes: 2 + random.next(below: 10))
        }
    }

    /// The research group on EXCH01: owner actions in the mailbox audit, OWA in the IIS log, and the
    /// lab manager reading the lab head's mailbox as a delegate.
    mutating func onPremisesDay(_ day: Int) {
        for person in people.onPremises {
            let time = calendar.at(day, person.startHour + random.next(below: 8), random.next(below: 60))
            let address = officeAddress()
            log.iis.append(
                .init(
                    time: time,
                    text: OnPremisesLines.iisLine(
                        at: time, method: "POST", stem: "/owa/auth.owa", user: person.upn, client: address,
                        agent: Self.browser, status: 302)))
            log.iis.append(
                .init(
                    time: time.adding(minutes: 1),
                    text: OnPremisesLines.iisLine(
                        at: time.adding(minutes: 1), method: "GET", stem: "/owa/", user: "FABRIKAM\\\(person.name)",
                        client: address, agent: Self.browser, status: 200)))
            // HttpProxy logs were kept for the last days only.
            if day >= days - 7 {
                httpProxy(
                    time.adding(minutes: 1), protocol: "Owa", stem: "/owa/", user: "FABRIKAM\\\(person.name)",
                    anchor: "Smtp~\(person.upn)", agent: Self.browser, client: address, status: 200, method: "GET")
            }
            for offset in 0..<(1 + random.next(below: 3)) {
                mailboxAudit(
                    time.adding(minutes: 3 + offset * 7),
                    operation: ["Update", "MoveToDeletedItems", "SoftDelete"][random.next(below: 3)],
                    logonType: "Owner",
                    actorName: person.displayName, actorSID: person.sid, owner: person, address: address,
                    client: "Client=OWA;" + Self.browser, folder: "\\Inbox", items: 1)
            }
        }
        if random.next(below: 3) == 0, let person = people.onPremises.first {
            adminAudit(
                calendar.at(day, 10, random.next(below: 60)), caller: "\(SimulatedTenant.domain)/Users/Administrator",
                cmdlet: "Set-Mailbox", object: "\(SimulatedTenant.domain)/Users/\(person.displayName)",
                parameters: [("Identity", person.name), ("ProhibitSendReceiveQuota", "10 GB")])
        }
        guard people.onPremises.count > 1 else { return }
        let head = people.onPremises[0]
        let manager = people.onPremises[1]
        mailboxAudit(
            calendar.at(day, manager.startHour + 1, random.next(below: 60)), operation: "FolderBind",
            logonType: "Delegate", actorName: manager.displayName, actorSID: manager.sid, owner: head,
            address: officeAddress(), client: "Client=OWA;" + Self.browser, folder: "\\Calendar", items: 1)
    }

    /// IT staff run a few cmdlets a working day with their admin accounts.
    mutating func adminRoutine(_ day: Int) {
        let chores: [(String, (String) -> [(String, String)])] = [
            ("Set-Mailbox", { [("Identity", $0), ("ProhibitSendQuota", "49 GB")] }),
            ("Set-CASMailbox", { [("Identity", $0), ("OWAEnabled", "True")] }),
            ("Add-DistributionGroupMember", { [("Identity", "litigation-team"), ("Member", $0)] }),
            ("New-MoveRequest", { [("Identity", $0), ("TargetDatabase", "EURPR04DG123-db081")] }),
        ]
        for admin in people.admins {
            for _ in 0..<(1 + random.next(below: 3)) {
                let (operation, parameters) = chores[random.next(below: chores.count)]
                let target = people.cloud[random.next(below: people.cloud.count)].upn
                cmdlet(
                    calendar.at(day, admin.startHour + 1 + random.next(below: 7), random.next(below: 60)),
                    actor: admin.adminUPN, operation: operation, parameters: parameters(target),
                    address: officeAddress())
            }
        }
    }

    /// Managed availability probes: local, every day, on both front ends.
    mutating func healthProbes(_ day: Int) {
        for hour in stride(from: 0, to: 24, by: 6) {
            let time = calendar.at(day, hour, 0, 41)
            func probe(_ server: String) -> SimulationLog.Line {
                SimulationLog.Line(
                    time: time,
                    text: OnPremisesLines.iisLine(
                        at: time, server: server, method: "GET", stem: "/owa/", client: "::1",
                        agent: "AMProbe/Local/ClientAccess", status: 302))
            }
            log.iis.append(probe("EXCH01"))
            log.secondFrontEndIIS.append(probe("EXCH02"))
        }
    }

    // MARK: record shapes

    mutating func nextID() -> Int {
        recordNumber += 1
        return recordNumber
    }

    mutating func officeAddress() -> String { "198.51.100.\(20 + random.next(below: 40))" }

    /// Who consents to the app with service principal `servicePrincipal`: in about a quarter of
    /// tenants an admin, on behalf of every user, else `user` alone. Decided by the id already
    /// drawn, so that no other story's draws move.
    func consent(to servicePrincipal: String, by user: Person) -> (consenter: Person, forAllUsers: Bool) {
        "0123".contains(servicePrincipal.first ?? "f") ? (people.admins[2], true) : (user, false)
    }

    mutating func read(
        _ time: Timestamp, actor: String, owner: String, address: String, access: String = "Bind", items: Int,
        logonType: Int = 0, userType: Int = 0, client: String, appID: String?, clientAppID: String? = nil,
        session: String?, folder: String = "\\Inbox", throttled: Bool = false
    ) {
        let number = nextID()
        let record = UALRecord.mailRead(
            id: number, tenant: tenant, at: time.description, actor: actor, owner: owner, address: address,
            access: access, items: items, logonType: logonType, userType: userType, client: client, appID: appID,
            clientAppID: clientAppID, session: session, throttled: throttled, folders: [folder])
        log.mailAccess.append(
            .init(line: .init(time: time, text: record.jsonLine), id: UALRecord.id(number), actor: actor))
    }

    /// An Exchange Online admin cmdlet or compliance operation, into the Purview export.
    mutating func cmdlet(
        _ time: Timestamp, actor: String, operation: String, parameters: [(String, String)], address: String,
        recordType: Int = 1, workload: String = "Exchange"
    ) {
        exportToPurview(time, actor: actor, operation: operation, recordType: recordType) { number, tenant in
            .cmdlet(
                id: number, tenant: tenant, at: time.description, actor: actor, operation: operation,
                parameters: parameters, address: address, recordType: recordType, workload: workload)
        }
    }

    /// Any other cloud record (directory changes, eDiscovery downloads), into the Purview export.
    mutating func event(
        _ time: Timestamp, actor: String, operation: String, recordType: Int, workload: String, address: String,
        extra: [(String, UALRecord.Value)]
    ) {
        exportToPurview(time, actor: actor, operation: operation, recordType: recordType) { number, tenant in
            .event(
                id: number, tenant: tenant, at: time.description, actor: actor, operation: operation,
                recordType: recordType, workload: workload, address: address, extra: extra)
        }
    }

    private mutating func exportToPurview(
        _ time: Timestamp, actor: String, operation: String, recordType: Int,
        _ make: (_ number: Int, _ tenant: String) -> UALRecord
    ) {
        let number = nextID()
        log.purview.append(
            .init(
                time: time,
                text: SimulationLog.purviewRow(
                    json: make(number, tenant).jsonLine, id: UALRecord.id(number), time: time, recordType: recordType,
                    operation: operation, user: actor)))
    }

    mutating func mailboxAudit(
        _ time: Timestamp, operation: String, logonType: String, actorName: String, actorSID: String, owner: Person,
        address: String, client: String, folder: String, items: Int
    ) {
        let values = [
            "RunspaceId": "6f2d8a41-93c7-4e0b-b5d2-1c7e9a3f0b64", "Operation": operation,
            "OperationResult": "Succeeded",
            "LogonType": logonType, "ExternalAccess": "False", "FolderPathName": folder, "ClientInfoString": client,
            "ClientIPAddress": address, "InternalLogonType": logonType, "MailboxOwnerUPN": owner.upn,
            "MailboxOwnerSid": owner.sid, "LogonUserDisplayName": actorName, "LogonUserSid": actorSID,
            "ItemId": items == 1 && operation != "FolderBind" ? "RgAAAA" + random.hex(24) : "",
            "AuditOperationsCountInAggregatedRecord": items > 1 ? String(items) : "",
            "OriginatingServer": "EXCH01 (15.01.2176.002)", "MailboxGuid": owner.mailboxGUID,
            "MailboxResolvedOwnerName": owner.displayName, "LastAccessed": OnPremisesLines.usDate(time),
            "Identity": random.hex(40), "IsValid": "True", "ObjectState": "New",
        ]
        log.mailboxAudit.append(
            .init(time: time, text: OnPremisesLines.csvRow(OnPremisesLines.mailboxAuditColumns, values)))
    }

    mutating func adminAudit(
        _ time: Timestamp, caller: String, cmdlet: String, object: String, parameters: [(String, String)]
    ) {
        let values = [
            "RunDate": OnPremisesLines.usDate(time), "Caller": caller, "CmdletName": cmdlet, "ObjectModified": object,
            "CmdletParameters": parameters.map { "-\($0.0) '\($0.1.replacing("'", with: "''"))'" }.joined(
                separator: " "),
            "Succeeded": "True", "Error": "None", "OriginatingServer": "EXCH01 (15.01.2176.002)",
            "ExternalAccess": "False",
        ]
        log.adminAudit.append(
            .init(time: time, text: OnPremisesLines.csvRow(OnPremisesLines.adminAuditColumns, values)))
    }

    mutating func httpProxy(
        _ time: Timestamp, protocol: String, stem: String, user: String, anchor: String, agent: String,
        client: String, status: Int, method: String
    ) {
        let fields = [
            OnPremisesLines.proxyTime(time), random.uuid(), `protocol`, "mail.\(SimulatedTenant.domain)", stem,
            user.isEmpty ? "" : "Negotiate", user.isEmpty ? "false" : "true", user, anchor,
            "\"\(agent)\"", client, "EXCH01", String(status), method, "", "512", "2048", "",
        ]
        log.httpProxy.append(.init(time: time, text: fields.joined(separator: ",")))
    }

    mutating func iis(
        _ time: Timestamp, method: String, stem: String, query: String = "-", user: String = "-", client: String,
        agent: String, status: Int = 200
    ) {
        log.iis.append(
            .init(
                time: time,
                text: OnPremisesLines.iisLine(
                    at: time, method: method, stem: stem, query: query, user: user, client: client, agent: agent,
                    status: status)))
    }
}

extension Person {
    var displayName: String {
        name.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// Stable per name, so the same person has the same SID and mailbox in every row.
    var sid: String { "S-1-5-21-2081649358-3142781940-1512377004-\(1100 + stableNumber % 9000)" }
    var mailboxGUID: String { UALRecord.id(stableNumber) }

    private var stableNumber: Int {
        name.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) & 0x7FFF_FFFF }
    }
}

extension Timestamp {
    func adding(minutes: Int) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: microsecondsSinceEpoch + Int64(minutes) * 60_000_000)
    }
}
