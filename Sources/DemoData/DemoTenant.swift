/// A deterministic demo tenant as UAL JSON lines: two weeks of a small firm's mailbox activity
/// with benign look-alikes, and one HAFNIUM-style intrusion on the last night.
///
/// Benign: owners reading their mail from the office or home, owners syncing a new phone,
/// assistants reading their executive's mailbox as delegates, a nightly backup app reading every
/// mailbox, and a ticketed eDiscovery export. Intrusion (2021-03-02, 02:10-02:40 UTC, from the
/// VPS address 203.0.113.66): a web shell acting as `NT AUTHORITY\SYSTEM (w3wp)` grants itself
/// Mailbox Import Export, exports the CEO's mailbox to `aspnet_client`, and downloads (Sync and
/// Bind over EWS) four executives' mailboxes.
public struct DemoTenant: Sendable {
    public static let organizationID = "7d0c1f3e-5a2b-4c8d-9e6f-0a1b2c3d4e5f"
    public static let domain = "northwind.example"
    public static let backupAppID = "5b1e4b0f-9c7a-4e2d-8f3b-6a9d0c2e1f47"
    public static let intruder = "NT AUTHORITY\\SYSTEM (w3wp)"
    public static let intruderAddress = "203.0.113.66"
    public static let executives = ["ceo", "cfo", "general-counsel", "hr-director"]

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
        return generator.records.sorted { $0.time < $1.time }.map(\.json)
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
