import AuditEvents

/// The simulation's records, kept per log they belong in until written out in time order.
struct SimulationLog {
    struct Line {
        var time: Timestamp
        var text: String
    }

    /// MailItemsAccessed records: the bulk of the UAL, exported as JSON lines a week a file.
    var mailAccess: [Line] = []
    /// The same MailItemsAccessed records as Purview export rows, for an export cut at the cap.
    var mailAccessRows: [Line] = []
    /// Admin, compliance and directory records: a Purview audit search export (CSV rows).
    var purview: [Line] = []
    var mailboxAudit: [Line] = []
    var adminAudit: [Line] = []
    var httpProxy: [Line] = []
    var iis: [Line] = []

    static let purviewHeader =
        "RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames"

    /// The searches' row cap: a Purview export stops here however many records matched.
    static let searchCap = 5000

    static func purviewRow(
        _ record: UALRecord, id: String, time: Timestamp, recordType: Int, operation: String, user: String
    ) -> String {
        let creation = String(time.description.dropLast()) + ".0000000Z"
        return [id, creation, String(recordType), operation, user, OnPremisesLines.quoted(record.jsonLine), "", ""]
            .joined(separator: ",")
    }

    /// Relative paths and their lines. The Purview export lists the newest record first, as the
    /// portal does; web logs are a file a day, present only for the days that have lines.
    func files(days: Int, calendar: SimulationCalendar) -> [(String, [String])] {
        var files: [(String, [String])] = []
        let weeks = Dictionary(grouping: sorted(mailAccess)) { week(of: $0.time, calendar) }
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
                [Self.purviewHeader] + sorted(mailAccessRows).reversed().prefix(Self.searchCap).map(\.text)
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
        for (day, lines) in byDay(iis) {
            files.append(
                (
                    "exch01/W3SVC1/u_ex\(day.compact.dropFirst(2)).log",
                    OnPremisesLines.iisHeader(date: lines[0].time) + lines.map(\.text)
                ))
        }
        return files
    }

    private func sorted(_ lines: [Line]) -> [Line] {
        lines.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

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
