import AuditEvents

/// The simulation's records, kept per log they belong in until written out in time order.
struct SimulationLog {
    struct Line {
        var time: Timestamp
        var text: String
    }

    /// A MailItemsAccessed record, with what its Purview export row names besides the JSON.
    struct MailAccess {
        var line: Line
        var id: String
        var actor: String
    }

    /// MailItemsAccessed records: the bulk of the UAL, exported as JSON lines a week a file; the
    /// newest also as a Purview export cut at the cap.
    var mailAccess: [MailAccess] = []
    /// Admin, compliance and directory records: a Purview audit search export (CSV rows).
    var purview: [Line] = []
    var mailboxAudit: [Line] = []
    var adminAudit: [Line] = []
    var httpProxy: [Line] = []
    var iis: [Line] = []
    /// The second front end, EXCH02: its IIS logs were copied, its HttpProxy logs were not.
    var secondFrontEndIIS: [Line] = []

    static let purviewHeader =
        "RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames"

    /// The searches' row cap: a Purview export stops here however many records matched.
    static let searchCap = 5000

    static func purviewRow(
        json: String, id: String, time: Timestamp, recordType: Int, operation: String, user: String
    ) -> String {
        let creation = String(time.description.dropLast()) + ".0000000Z"
        return [id, creation, String(recordType), operation, user, OnPremisesLines.quoted(json), "", ""]
            .joined(separator: ",")
    }

    /// Relative paths and their lines. The Purview export lists the newest record first, as the
    /// portal does; web logs are a file a day, present only for the days that have lines.
    func files(calendar: SimulationCalendar) -> [(String, [String])] {
        var files: [(String, [String])] = []
        let mail = sorted(mailAccess, by: \.line.time)
        let weeks = Dictionary(grouping: mail.map(\.line)) { week(of: $0.time, calendar) }
        for (week, lines) in weeks.sorted(by: { $0.key < $1.key }) {
            files.append(("exchange-online/ual-mailitemsaccessed-week\(week + 1).jsonl", lines.map(\.text)))
        }
        files.append(
            ("exchange-online/purview-audit-admin.csv", [Self.purviewHeader] + sorted(purview).reversed().map(\.text)))
        // A responder's export of the last days' MailItemsAccessed, newest first, cut at the cap:
        // every row is also in the JSON lines, so the ingest counts them as duplicates.
        files.append(
            (
                "exchange-online/purview-mailitemsaccessed-last-days.csv",
                [Self.purviewHeader]
                    + mail.reversed().prefix(Self.searchCap).map { record in
                        Self.purviewRow(
                            json: record.line.text, id: record.id, time: record.line.time, recordType: 50,
                            operation: "MailItemsAccessed", user: record.actor)
                    }
            ))
        files.append(
            (
                "exch01/mailbox-audit.csv",
                ["\u{FEFF}" + OnPremisesLines.csvHeader(OnPremisesLines.mailboxAuditColumns)]
                    + sorted(mailboxAudit).map(\.text)
            ))
        files.append(
            (
                "exch01/admin-audit.csv",
                ["\u{FEFF}" + OnPremisesLines.csvHeader(OnPremisesLines.adminAuditColumns)]
                    + sorted(adminAudit).map(\.text)
            ))
        for (day, lines) in byDay(httpProxy) {
            files.append(
                (
                    "exch01/HttpProxy/Ecp/HttpProxy_\(day.compact)01-1.LOG",
                    OnPremisesLines.httpProxyHeader(date: lines[0].time) + lines.map(\.text)
                ))
        }
        for (server, log) in [("exch01", iis), ("exch02", secondFrontEndIIS)] {
            for (day, lines) in byDay(log) {
                files.append(
                    (
                        "\(server)/W3SVC1/u_ex\(day.compact.dropFirst(2)).log",
                        OnPremisesLines.iisHeader(date: lines[0].time) + lines.map(\.text)
                    ))
            }
        }
        return files
    }

    /// In time order; records of the same instant keep the order they were made in.
    private func sorted<Item>(_ items: [Item], by time: KeyPath<Item, Timestamp>) -> [Item] {
        items.enumerated().sorted { ($0.element[keyPath: time], $0.offset) < ($1.element[keyPath: time], $1.offset) }
            .map(\.element)
    }

    private func sorted(_ lines: [Line]) -> [Line] { sorted(lines, by: \.time) }

    private func week(of time: Timestamp, _ calendar: SimulationCalendar) -> Int {
        Int((time.microsecondsSinceEpoch - calendar.start.microsecondsSinceEpoch) / (7 * 86_400_000_000))
    }

    private struct Day: Hashable, Comparable {
        var compact: String
        static func < (lhs: Day, rhs: Day) -> Bool { lhs.compact < rhs.compact }
    }

    private func byDay(_ lines: [Line]) -> [(Day, [Line])] {
        Dictionary(grouping: sorted(lines)) { line in
            Day(compact: String(line.time.description.prefix(10)).replacing("-", with: ""))
        }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
