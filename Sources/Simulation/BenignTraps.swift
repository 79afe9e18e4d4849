import AuditEvents
import DemoData

/// Benign activity that looks like theft to a fixed-threshold rule: each is labelled a trap in the
/// truth file, and none may outrank an attack.
extension Simulator {
    mutating func plantTraps() {
        nightlyBackup()
        delegates()
        sharedMailboxes()
        nightShift()
        travellers()
        newPhones()
        roamingPhones()
        helpDeskGrant()
        ticketedEDiscovery()
        caseFilePreparation()
        moreApps()
        moreDelegates()
        vendorMailApp()
    }

    /// A member of staff lets a scheduling assistant read their mail (delegated Mail.Read) in the
    /// working day; from then on the vendor's servers read a few items through Graph several times
    /// each working day. In about a quarter of tenants an admin lets it in for every user instead
    /// (`consent(to:by:)`), and it reads for that member of staff and the eleven listed after
    /// them. (An app that first downloads the whole mailbox, as some mail clients do, differs from
    /// consent phishing only in the hour: see the README.)
    private mutating func vendorMailApp() {
        let staff = ordinaryStaff()
        guard let user = pick(1, from: staff).first, let index = staff.firstIndex(where: { $0.upn == user.upn }) else {
            return
        }
        let day = 3 + random.next(below: max(1, days - 12))
        let servicePrincipal = random.uuid()
        let app = random.uuid()
        let address = "2001:db8:5a1e:40::\(10 + random.next(below: 20))"
        let (consenter, forAllUsers) = consent(to: servicePrincipal, by: user)
        let readers = forAllUsers ? (0..<12).map { staff[(index + $0) % staff.count] } : [user]
        let consented = calendar.at(day, consenter.startHour + 1 + random.next(below: 3), random.next(below: 60))
        event(
            consented, actor: consenter.upn, operation: "Consent to application.", recordType: 8,
            workload: "AzureActiveDirectory", address: officeAddress(),
            extra: UALRecord.consentFields(
                servicePrincipal: servicePrincipal, principal: consenter.name,
                scope: "Calendars.ReadWrite Mail.Read offline_access User.Read",
                app: (app, "Meeting Planner Pro"), forAllUsers: forAllUsers))
        let rest = "Client=REST;Client=RESTSystem;;"
        for reader in readers {
            for later in day..<days where calendar.isWeekday(later) {
                for hour in [reader.startHour + 1, reader.startHour + 4, reader.startHour + 7] {
                    let time = calendar.at(later, hour, random.next(below: 60))
                    guard time > consented.adding(minutes: 30) else { continue }
                    read(
                        time, actor: reader.upn, owner: reader.upn,
                        address: address, items: 1 + random.next(below: 4), client: rest, appID: Self.graph,
                        clientAppID: app, session: nil)
                }
            }
        }
        traps.append(
            .init(
                id: "vendor-mail-app",
                summary: forAllUsers
                    ? "\(consenter.upn) lets a scheduling app read every user's mail; its servers read a few items daily for \(readers.map(\.upn).joined(separator: ", "))"
                    : "\(user.upn) lets a scheduling app read their mail; its servers read a few items daily",
                parts: readers.map {
                    .init(actor: $0.upn, from: consented, until: wholePeriod.1, mailboxes: [$0.upn])
                }))
    }

    /// The mix's apps: each reads its own share of the mailboxes every night from the first day.
    private mutating func moreApps() {
        guard mix.apps > 0 else { return }
        var parts: [SimulationTruth.Part] = []
        for index in 0..<mix.apps {
            let app = random.uuid()
            let actor = "ServicePrincipal_\(app)"
            let share = 10 + random.next(below: 40)
            let mailboxes = people.cloud.map(\.upn).filter { _ in random.next(below: 100) < share }
            let hour = random.next(below: 6)
            let address = "40.\(100 + index % 100).\(random.next(below: 250)).\(10 + random.next(below: 200))"
            for day in 0..<days {
                for (offset, mailbox) in mailboxes.enumerated() {
                    read(
                        calendar.at(day, hour, offset / 4, random.next(below: 60)), actor: actor, owner: mailbox,
                        address: address, items: 5 + random.next(below: 15), userType: 5,
                        client: "Client=REST;Client=RESTSystem;;", appID: app, session: nil)
                }
            }
            parts.append(.init(actor: actor, from: wholePeriod.0, until: wholePeriod.1))
        }
        traps.append(
            .init(id: "more-apps", summary: "\(mix.apps) apps read their share of mailboxes nightly", parts: parts))
    }

    /// The mix's delegates: each reads one to three colleagues' mailboxes every working day.
    private mutating func moreDelegates() {
        guard mix.delegates > 0 else { return }
        var parts: [SimulationTruth.Part] = []
        for delegate in pick(mix.delegates, from: ordinaryStaff()) {
            let others = people.cloud.filter { $0.name != delegate.name }
            let bosses = (0..<(1 + random.next(below: 3))).map { _ in others[random.next(below: others.count)].upn }
            for day in 0..<days where calendar.isWeekday(day) {
                for boss in bosses {
                    read(
                        calendar.at(day, delegate.startHour + 1 + random.next(below: 7), random.next(below: 60)),
                        actor: delegate.upn, owner: boss, address: officeAddress(), items: 1 + random.next(below: 5),
                        logonType: 2, client: "Client=OWA;" + Self.browser, appID: Self.owa, session: random.uuid())
                }
            }
            parts.append(.init(actor: delegate.upn, from: wholePeriod.0, until: wholePeriod.1, mailboxes: bosses))
        }
        traps.append(
            .init(
                id: "more-delegates", summary: "\(mix.delegates) staff read colleagues' mailboxes daily",
                parts: parts))
    }

    private var wholePeriod: (Timestamp, Timestamp) { (calendar.at(0, 0), calendar.at(days, 0)) }

    /// Staff with no special role: travellers, insiders and the like are drawn from them.
    func ordinaryStaff() -> [Person] {
        let special = Set(
            (people.executives + people.assistants + people.admins + [people.complianceOfficer] + people.nightShift
                + people.sharedMembers.flatMap { $0 }).map(\.name))
        return people.cloud.filter { !special.contains($0.name) }
    }

    /// Draws people no other trap or attack has taken.
    mutating func pick(_ count: Int, from pool: [Person]) -> [Person] {
        var chosen: [Person] = []
        var candidates = pool.filter { !assigned.contains($0.name) }
        while chosen.count < count, !candidates.isEmpty {
            let person = candidates.remove(at: random.next(below: candidates.count))
            chosen.append(person)
            assigned.insert(person.name)
        }
        return chosen
    }

    /// A backup app reads every cloud mailbox at 01:00, every night of the data. Harsh traps: it
    /// downloads (Sync) the same number of items every night, and an archiving app reads the
    /// executives' and partners' mailboxes at 03:00 with identical volumes, from the first day too.
    private mutating func nightlyBackup() {
        let actor = "ServicePrincipal_\(Self.backupApp)"
        let harsh = variant == .harshTraps
        for day in 0..<days {
            for (index, mailbox) in (people.cloud.map(\.upn) + people.sharedMailboxes).enumerated() {
                read(
                    calendar.at(day, 1, index / 6, random.next(below: 60)), actor: actor, owner: mailbox,
                    address: "52.170.14.\(10 + random.next(below: 3))", access: harsh ? "Sync" : "Bind",
                    items: harsh ? 0 : 3 + random.next(below: 25),
                    userType: 5, client: "Client=REST;Client=RESTSystem;;", appID: Self.backupApp, session: nil)
            }
        }
        let (from, until) = wholePeriod
        traps.append(
            .init(
                id: "backup-app", summary: "A backup app reads every mailbox each night (app-only, all period)",
                parts: [.init(actor: actor, from: from, until: until)]))
        guard harsh else { return }
        let archiver = "ServicePrincipal_\(Self.archivingApp)"
        for day in 0..<days {
            for (index, person) in (people.executives + people.partners).enumerated() {
                read(
                    calendar.at(day, 3, index), actor: archiver, owner: person.upn, address: "40.112.5.20",
                    items: 40, userType: 5, client: "Client=REST;Client=RESTSystem;;", appID: Self.archivingApp,
                    session: nil)
            }
        }
        traps.append(
            .init(
                id: "archiving-app",
                summary: "An archiving app reads the executives and partners each night with identical volumes",
                parts: [.init(actor: archiver, from: from, until: until)]))
    }

    /// Each assistant reads two executives' mailboxes as a delegate through the working day.
    private mutating func delegates() {
        var parts: [SimulationTruth.Part] = []
        for (index, assistant) in people.assistants.enumerated() {
            // Harsh traps: three bosses each, overlapping.
            let bosses =
                variant == .harshTraps
                ? (0..<3).map { people.executives[(2 * index + $0) % people.executives.count] }
                : Array(people.executives[(2 * index)..<(2 * index + 2)])
            for day in 0..<days where calendar.isWeekday(day) {
                let session = random.uuid()
                let address = officeAddress()
                for offset in [1, 4, 7] {
                    for boss in bosses {
                        read(
                            calendar.at(day, assistant.startHour + offset, random.next(below: 60)),
                            actor: assistant.upn,
                            owner: boss.upn, address: address, items: 1 + random.next(below: 4), logonType: 2,
                            client: "Client=OWA;" + Self.browser, appID: Self.owa, session: session,
                            folder: ["\\Inbox", "\\Calendar"][random.next(below: 2)])
                    }
                }
            }
            parts.append(
                .init(actor: assistant.upn, from: wholePeriod.0, until: wholePeriod.1, mailboxes: bosses.map(\.upn)))
        }
        traps.append(.init(id: "delegates", summary: "Assistants read their executives' mailboxes daily", parts: parts))
    }

    /// Teams answer the support and billing mailboxes every working day.
    private mutating func sharedMailboxes() {
        var parts: [SimulationTruth.Part] = []
        for (mailbox, members) in zip(people.sharedMailboxes, people.sharedMembers) {
            for member in members {
                for day in 0..<days where calendar.isWeekday(day) {
                    read(
                        calendar.at(day, member.startHour + 1 + random.next(below: 7), random.next(below: 60)),
                        actor: member.upn, owner: mailbox, address: officeAddress(), items: 1 + random.next(below: 6),
                        logonType: 2, client: "Client=OWA;" + Self.browser, appID: Self.owa, session: random.uuid())
                }
                parts.append(.init(actor: member.upn, from: wholePeriod.0, until: wholePeriod.1, mailboxes: [mailbox]))
            }
        }
        traps.append(.init(id: "shared-mailboxes", summary: "Teams read shared mailboxes as delegates", parts: parts))
    }

    /// The night shift's ordinary reading happens at night; their baseline says so.
    private mutating func nightShift() {
        guard !people.nightShift.isEmpty else { return }
        traps.append(
            .init(
                id: "night-shift", summary: "Night-shift staff read their own mail at night",
                parts: people.nightShift.map { .init(actor: $0.upn, from: wholePeriod.0, until: wholePeriod.1) }))
    }

    /// Two people work from abroad for five days: a new address and shifted hours, normal volumes.
    private mutating func travellers() {
        for (index, person) in pick(2, from: ordinaryStaff()).enumerated() {
            let first = 3 + random.next(below: days - 10)
            let address = "81.2.\(69 + index).\(10 + random.next(below: 200))"
            for day in first..<(first + 5) {
                for _ in 0..<(1 + random.next(below: 2)) {
                    ownerSession(
                        person,
                        at: calendar.at(day, person.startHour + 8 + random.next(below: 8), random.next(below: 60)),
                        address: address, client: "Client=OWA;" + Self.browser, appID: Self.owa,
                        records: 2 + random.next(below: 4), items: 8)
                }
            }
            traps.append(
                .init(
                    id: "traveller-\(index + 1)",
                    summary: "\(person.upn) reads their own mail from abroad for five days",
                    parts: [
                        .init(
                            actor: person.upn, from: calendar.at(first, 0), until: calendar.at(first + 5, 0),
                            mailboxes: [person.upn])
                    ]))
        }
    }

    /// Owners set up a new phone in the evening at home: the whole mailbox syncs once.
    private mutating func newPhones() {
        var parts: [SimulationTruth.Part] = []
        for person in pick(5, from: ordinaryStaff()) {
            let start = calendar.at(random.next(below: days), 19, random.next(below: 50))
            let session = random.uuid()
            for (offset, folder) in ["\\Inbox", "\\Sent Items", "\\Archive", "\\Calendar", "\\Contacts"].enumerated() {
                read(
                    start.adding(minutes: offset), actor: person.upn, owner: person.upn, address: person.home,
                    access: "Sync", items: 0, client: Self.outlookMobileClient, appID: Self.outlookMobile,
                    session: session, folder: folder)
            }
            parts.append(
                .init(actor: person.upn, from: start, until: start.adding(minutes: 30), mailboxes: [person.upn]))
        }
        traps.append(.init(id: "new-phones", summary: "Owners sync their whole mailbox to a new phone", parts: parts))
    }

    /// Staff read mail on their phones in the evening, one sign-in session moving from home Wi-Fi
    /// to the mobile carrier's network: one token from two distant networks, as a replayed cookie
    /// looks, on a third of the days.
    private mutating func roamingPhones() {
        var parts: [SimulationTruth.Part] = []
        for (index, person) in pick(6, from: ordinaryStaff()).enumerated() {
            let carrier = "172.\(56 + index % 3).\(random.next(below: 250)).\(10 + random.next(below: 200))"
            for day in 0..<days where random.next(below: 3) == 0 {
                let session = random.uuid()
                var time = calendar.at(day, person.startHour + 10 + random.next(below: 3), random.next(below: 30))
                for (offset, address) in [person.home, person.home, carrier, carrier].enumerated() {
                    read(
                        time, actor: person.upn, owner: person.upn, address: address, items: 1 + random.next(below: 6),
                        client: Self.outlookMobileClient, appID: Self.outlookMobile,
                        session: session,
                        folder: offset == 0 ? "\\Inbox" : Self.folders[random.next(below: Self.folders.count)])
                    time = time.adding(minutes: 5 + random.next(below: 15))
                }
            }
            parts.append(.init(actor: person.upn, from: wholePeriod.0, until: wholePeriod.1, mailboxes: [person.upn]))
        }
        traps.append(
            .init(
                id: "roaming-phones",
                summary: "Staff read mail on phones moving from home Wi-Fi to the carrier's network",
                parts: parts))
    }

    /// The help desk grants a new team member FullAccess to the support mailbox, who then uses it.
    private mutating func helpDeskGrant() {
        guard let newcomer = pick(1, from: ordinaryStaff()).first else { return }
        let helpDesk = people.admins[2]
        let mailbox = people.sharedMailboxes[0]
        let day = days / 3 + random.next(below: days / 3)
        let granted = calendar.at(day, helpDesk.startHour + 2, 15)
        cmdlet(
            granted, actor: helpDesk.adminUPN, operation: "Add-MailboxPermission",
            parameters: [("Identity", mailbox), ("User", newcomer.upn), ("AccessRights", "FullAccess")],
            address: officeAddress())
        for later in (day + 1)..<days where calendar.isWeekday(later) {
            read(
                calendar.at(later, newcomer.startHour + 2, random.next(below: 60)), actor: newcomer.upn, owner: mailbox,
                address: officeAddress(), items: 1 + random.next(below: 6), logonType: 2,
                client: "Client=OWA;" + Self.browser, appID: Self.owa, session: random.uuid())
        }
        traps.append(
            .init(
                id: "help-desk-grant", summary: "The help desk gives a new team member the support mailbox",
                parts: [
                    .init(actor: helpDesk.adminUPN, from: granted, until: granted.adding(minutes: 5)),
                    .init(actor: newcomer.upn, from: granted, until: calendar.at(days, 0), mailboxes: [mailbox]),
                ]))
    }

    /// The compliance officer runs a ticketed search and export every Tuesday.
    private mutating func ticketedEDiscovery() {
        let officer = people.complianceOfficer
        var parts: [SimulationTruth.Part] = []
        for day in stride(from: 1, to: days, by: 7) {
            let search = "CASE-\(4100 + day) custodian hold"
            let custodian = people.cloud[random.next(below: people.cloud.count)].upn
            let start = calendar.at(day, officer.startHour + 2, 5)
            let address = officeAddress()
            cmdlet(
                start, actor: officer.upn, operation: "New-ComplianceSearch",
                parameters: [("Name", search), ("ExchangeLocation", custodian)], address: address, recordType: 18,
                workload: "SecurityComplianceCenter")
            cmdlet(
                start.adding(minutes: 1), actor: officer.upn, operation: "Start-ComplianceSearch",
                parameters: [("Identity", search)], address: address, recordType: 18,
                workload: "SecurityComplianceCenter")
            cmdlet(
                start.adding(minutes: 20), actor: officer.upn, operation: "New-ComplianceSearchAction",
                parameters: [("SearchName", search), ("Export", ""), ("Format", "FxStream")], address: address,
                recordType: 18, workload: "SecurityComplianceCenter")
            event(
                start.adding(minutes: 45), actor: officer.upn, operation: "SearchExportDownloaded", recordType: 24,
                workload: "SecurityComplianceCenter", address: address, extra: [("ObjectId", .text(search + "_Export"))]
            )
            parts.append(.init(actor: officer.upn, from: start, until: start.adding(minutes: 50)))
        }
        traps.append(
            .init(
                id: "ticketed-ediscovery", summary: "Weekly ticketed eDiscovery exports by the compliance officer",
                parts: parts))
    }

    /// Three lawyers page through hundreds of their own messages to build a case file.
    private mutating func caseFilePreparation() {
        var parts: [SimulationTruth.Part] = []
        for person in pick(3, from: ordinaryStaff()) {
            var day = random.next(below: days)
            while !calendar.isWeekday(day) { day = (day + 1) % days }
            let start = calendar.at(day, person.startHour + 3, random.next(below: 30))
            ownerSession(
                person, at: start, address: officeAddress(), client: "Client=MSExchangeRPC", appID: Self.outlook,
                records: 12, items: 80)
            parts.append(
                .init(actor: person.upn, from: start, until: start.adding(minutes: 150), mailboxes: [person.upn]))
        }
        traps.append(
            .init(id: "case-file", summary: "Lawyers read hundreds of their own messages for a case", parts: parts))
    }
}
