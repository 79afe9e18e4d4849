/// A deterministic demo tenant as UAL JSON lines: two weeks of a small firm's mailbox activity
/// with benign look-alikes, and one HAFNIUM-style intrusion on the last night.
///
/// Benign: owners reading their mail from the office or home, owners syncing a new phone,
/// assistants reading their executive's mailbox as delegates, a nightly backup app reading every
/// mailbox, and a ticketed eDiscovery export. Intrusion (2021-03-02, 02:10-02:40 UTC, from the
/// VPS address 203.0.113.66): a web shell acting as `NT AUTHORITY\SYSTEM (w3wp)` grants itself
/// Mailbox Import Export, exports the CEO's mailbox to `aspnet_client`, and downloads (Sync and
/// Bind over EWS) four executives' mailboxes. And the night before, a token theft: the CFO's
/// account signs in from abroad (Entra sign-in logs, `signInLines`) and the mail is read through
/// Microsoft Graph by an app she never used, from that address.
public struct DemoTenant: Sendable {
    public static let organizationID = "7d0c1f3e-5a2b-4c8d-9e6f-0a1b2c3d4e5f"
    public static let domain = "northwind.example"
    public static let backupAppID = "5b1e4b0f-9c7a-4e2d-8f3b-6a9d0c2e1f47"
    public static let intruder = "NT AUTHORITY\\SYSTEM (w3wp)"
    public static let intruderAddress = "203.0.113.66"
    public static let executives = ["ceo", "cfo", "general-counsel", "hr-director"]
    /// The token theft: where the CFO's account signed in from, the session and the app.
    public static let foreignSignInAddress = "203.0.113.140"
    public static let foreignSession = "4c1d7a9e-2b3f-4e5d-8a6c-7b9d0e1f2a3b"
    public static let foreignApp = "b5a7f1c2-3d4e-4f60-8a7b-9c0d1e2f3a4b"
    static let graphAppID = "00000003-0000-0000-c000-000000000000"

    public let seed: UInt64

    public init(seed: UInt64 = 2021) { self.seed = seed }

    /// Every record, one JSON object a line, in time order.
    public func jsonLines() -> [String] {
        var generator = RecordGenerator(seed: seed)
        let staff = (1...36).map { String(format2: "staff%02d", $0) } + Self.executives
        let days = 13  // 2021-02-18 .. 2021-03-02
        for day in 0..<days {
            let date = DemoDate(dayOffset: day)
            // Owners at work on weekdays, a few at home at weekends.
            for (index, user) in staff.enumerated() where date.isWeekday || index % 7 == 0 {
                generator.ownerDay(user: user, userIndex: index, date: date)
            }
            // Assistants read their executive's mailbox as delegates.
            if date.isWeekday {
                for (index, executive) in Self.executives.enumerated() {
                    generator.delegateReads(
                        assistant: "assistant\(index + 1)", executive: executive, date: date)
                }
            }
            // The backup app reads every mailbox at 01:00.
            generator.nightlyBackup(mailboxes: staff, date: date)
            // A few owners set up new phones and sync their mailbox from a new address.
            if day == 4 || day == 9 {
                generator.newPhoneSync(user: staff[day], date: date)
            }
        }
        generator.ticketedEDiscovery(date: DemoDate(dayOffset: 7))
        generator.intrusion(date: DemoDate(dayOffset: days - 1))
        generator.graphReadAfterForeignSignIn(date: DemoDate(dayOffset: days - 2))
        return generator.records.sorted { $0.time < $1.time }.map(\.json)
    }

    /// Entra sign-ins (Graph `signIn` objects, one a line): every member of staff signs in at the
    /// office each weekday morning, and on 2021-03-01 at 04:13 the CFO's account signs in from
    /// abroad, rated medium risk, for an app she never used.
    public func signInLines() -> [String] {
        var lines: [String] = []
        let staff = (1...36).map { String(format2: "staff%02d", $0) } + Self.executives
        for day in 0..<13 where DemoDate(dayOffset: day).isWeekday {
            let date = DemoDate(dayOffset: day)
            for (index, user) in staff.enumerated() {
                lines.append(
                    Self.signIn(
                        id:
                            "5e5e5e5e-\(String(format2: "%02d", day))00-4000-8000-0000000000\(String(format2: "%02d", index))",
                        time: date.stamp(hour: 7, minute: 30 + index % 30, second: 5), user: "\(user)@\(Self.domain)",
                        address: "198.51.100.\(20 + index % 4)", country: "US", city: "Seattle",
                        app: "d3590ed6-52b3-4102-aeff-aad2292ab01c", appName: "Microsoft Office",
                        agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Microsoft Outlook 16.0", risk: "none",
                        session: nil))
            }
        }
        lines.append(
            Self.signIn(
                id: "5e5e5e5e-ffff-4000-8000-000000000001",
                time: DemoDate(dayOffset: 11).stamp(hour: 4, minute: 13, second: 2),
                user: "cfo@\(Self.domain)", address: Self.foreignSignInAddress, country: "RU", city: "Moscow",
                app: Self.foreignApp, appName: "Mail Sync Pro", agent: "python-requests/2.25.1", risk: "medium",
                session: Self.foreignSession))
        return lines
    }

    private static func signIn(
        id: String, time: String, user: String, address: String, country: String, city: String, app: String,
        appName: String, agent: String, risk: String, session: String?
    ) -> String {
        let sessionField = session.map { ",\"sessionId\":\"\($0)\"" } ?? ""
        return "{\"id\":\"\(id)\",\"createdDateTime\":\"\(time)Z\",\"userPrincipalName\":\"\(user)\","
            + "\"appId\":\"\(app)\",\"appDisplayName\":\"\(appName)\",\"ipAddress\":\"\(address)\","
            + "\"clientAppUsed\":\"Browser\",\"userAgent\":\"\(agent)\",\"isInteractive\":true,"
            + "\"resourceDisplayName\":\"Microsoft Graph\",\"resourceId\":\"\(graphAppID)\","
            + "\"resourceTenantId\":\"\(organizationID)\",\"homeTenantId\":\"\(organizationID)\","
            + "\"riskLevelDuringSignIn\":\"\(risk)\",\"status\":{\"errorCode\":0},"
            + "\"location\":{\"city\":\"\(city)\",\"countryOrRegion\":\"\(country)\"}\(sessionField)}"
    }
}

/// Calendar arithmetic for the demo's fixed two weeks, starting Thursday 2021-02-18.
struct DemoDate {
    let dayOffset: Int

    var isWeekday: Bool { (dayOffset + 3) % 7 < 5 }  // offset 0 is a Thursday

    func stamp(hour: Int, minute: Int, second: Int) -> String {
        let (month, day) = dayOffset < 11 ? (2, 18 + dayOffset) : (3, dayOffset - 10)
        return "2021-" + String(format2: "%02d", month) + "-" + String(format2: "%02d", day) + "T"
            + String(format2: "%02d", hour) + ":" + String(format2: "%02d", minute) + ":"
            + String(format2: "%02d", second)
    }
}

extension String {
    /// `%02d`-style zero padding without Foundation.
    init(format2 pattern: String, _ value: Int) {
        self = zeroPadded(pattern, value)
    }
}

private func zeroPadded(_ pattern: String, _ value: Int) -> String {
    let digits = String(value)
    let padded = String(repeating: "0", count: max(0, 2 - digits.count)) + digits
    return replacingFirst(in: pattern, "%02d", with: padded)
}

private func replacingFirst(in text: String, _ target: String, with replacement: String) -> String {
    var index = text.startIndex
    while index < text.endIndex {
        if text[index...].hasPrefix(target) {
            return String(text[..<index]) + replacement
                + String(text[text.index(index, offsetBy: target.count)...])
        }
        index = text.index(after: index)
    }
    return text
}
