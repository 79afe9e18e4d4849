import AuditEvents
import Foundation

/// Exchange on-premises exports made with PowerShell: `Search-MailboxAuditLog` and
/// `Search-AdminAuditLog` piped to `Export-Csv`. Columns are found by name; times are the exporting
/// session's culture and zone (see `ReadOptions`).
extension AuditFileReader {
    static let logonTypeNumbers: [String: Int] = [
        "owner": 0, "admin": 1, "delegate": 2, "transport": 3, "systemservice": 4, "bestaccess": 5,
        "delegatedadmin": 6,
    ]

    func readMailboxAudit(_ buffer: StreamBuffer, _ table: CSVTableRead, _ body: (SourceItem) throws -> Void) throws {
        try readAuditTable(
            buffer, table, timeColumn: "LastAccessed", required: ["Operation", "LastAccessed", "MailboxOwnerUPN"],
            event: mailboxAuditEvent, body)
    }

    func readAdminAudit(_ buffer: StreamBuffer, _ table: CSVTableRead, _ body: (SourceItem) throws -> Void) throws {
        try readAuditTable(
            buffer, table, timeColumn: "RunDate", required: ["RunDate", "CmdletName"], event: adminAuditEvent, body)
    }

    /// Rows become events, or quarantined records with the reason they could not.
    private func readAuditTable(
        _ buffer: StreamBuffer, _ table: CSVTableRead, timeColumn: String, required: [String],
        event: (CSVRow, LocalTimeParser) throws(RecordError) -> AuditEvent, _ body: (SourceItem) throws -> Void
    ) throws {
        let time = LocalTimeParser(order: try settleDateOrder(column: timeColumn), timeZone: zone)
        try readCSVTable(
            buffer, file: input.path, firstLine: table.firstLine, columns: table.columns,
            holdBackTail: table.holdBackTail, advanced: table.advanced,
            header: { columns, line in try requireColumns(required, in: columns, line: line) },
            row: { row in
                do {
                    try body(.event(try event(row, time)))
                } catch let error as RecordError {
                    try body(quarantine(row.origin, error.reason, row.text))
                }
            },
            malformed: { origin, problem, text in try body(quarantine(origin, problem, text)) })
    }

    private func mailboxAuditEvent(_ row: CSVRow, time: LocalTimeParser) throws(RecordError) -> AuditEvent {
        let occurredAt = try localTime(row, "LastAccessed", time)
        guard let operation = row.value("Operation") else { throw RecordError(reason: "missing Operation") }
        let owner = row.value("MailboxOwnerUPN")
        let logonType = row.value("LogonType").flatMap { Self.logonTypeNumbers[$0.lowercased()] }
        // The export names the acting user only by display name and SID; an owner logon is the owner.
        let actor =
            logonType == 0
            ? owner ?? row.value("LogonUserDisplayName")
            : row.value("LogonUserDisplayName") ?? row.value("LogonUserSid")
        let properties = (row.value("OperationProperties") ?? "").split(separator: " ").map(String.init)
        func property(_ name: String) -> String? {
            properties.first { $0.hasPrefix(name + ":") }.map { String($0.dropFirst(name.count + 1)) }
        }
        let identity = row.value("Identity") ?? row.text
        let appID = row.value("AppId")
        var folders: [String] = []
        if let folder = row.value("FolderPathName") { folders.append(folder) }
        let items =
            row.value("AuditOperationsCountInAggregatedRecord").flatMap { Int($0) }
            ?? (row.value("ItemId") != nil ? 1 : 0)
        return AuditEvent(
            tenant: defaultTenant, recordID: RecordID(naturalKey: identity, kind: "mailbox-audit"),
            occurredAt: occurredAt, workload: "Exchange", operation: operation,
            resultStatus: row.value("OperationResult"), actor: actor,
            actorKind: ActorKind.classify(actor: actor, userType: nil, logonType: logonType, appID: appID),
            logonType: logonType, mailboxOwner: owner, mailboxGUID: row.value("MailboxGuid"),
            clientIP: row.value("ClientIPAddress").flatMap(IPAddress.init(logText:)),
            clientInfo: row.value("ClientInfoString"), appID: appID, clientAppID: row.value("ClientAppId"),
            sourceSessionID: row.value("SessionId"), accessType: property("MailAccessType"), items: items,
            folders: folders, isThrottled: property("IsThrottled").map { $0.lowercased() == "true" },
            externalAccess: row.value("ExternalAccess").map { $0.lowercased() == "true" },
            objectID: row.value("ItemSubject"), originServer: AuditEvent.serverName(row.value("OriginatingServer")),
            origin: row.origin, raw: row.text)
    }

    private func adminAuditEvent(_ row: CSVRow, time: LocalTimeParser) throws(RecordError) -> AuditEvent {
        let occurredAt = try localTime(row, "RunDate", time)
        guard let cmdlet = row.value("CmdletName") else { throw RecordError(reason: "missing CmdletName") }
        let caller = row.value("Caller")
        let parameterText = row.value("CmdletParameters") ?? ""
        let parameters = CmdletParameters.parse(parameterText)
        // No id in the export: the event is who ran what on which object with which parameters, when.
        let key = [occurredAt.description, caller ?? "", cmdlet, row.value("ObjectModified") ?? "", parameterText]
            .joined(separator: "\u{1F}")
        var event = AuditEvent(
            tenant: defaultTenant, recordID: RecordID(naturalKey: key, kind: "admin-audit"),
            occurredAt: occurredAt, workload: "Exchange", operation: cmdlet,
            resultStatus: row.value("Succeeded"), actor: caller,
            // Whoever runs an admin cmdlet holds an admin role, unless it is a system context.
            actorKind: ActorKind.classify(actor: caller, userType: 2, logonType: nil, appID: nil),
            clientIP: row.value("ClientIP").flatMap(IPAddress.init(logText:)), appID: row.value("AppId"),
            sourceSessionID: row.value("SessionId"),
            externalAccess: row.value("ExternalAccess").map { $0.lowercased() == "true" },
            objectID: row.value("ObjectModified"), parameters: parameters,
            originServer: AuditEvent.serverName(row.value("OriginatingServer")), origin: row.origin, raw: row.text)
        event.inferMailboxOwnerFromParameters()
        return event
    }

    private var zone: TimeZone { options.timeZone ?? TimeZone(identifier: "UTC") ?? .current }

    private func localTime(
        _ row: CSVRow, _ column: String, _ time: LocalTimeParser
    ) throws(RecordError)
        -> Timestamp
    {
        guard let text = row.value(column) else { throw RecordError(reason: "missing \(column)") }
        guard let parsed = time.parse(text) else {
            if time.order == nil, LocalTimeParser.fields(text.trimmed) != nil {
                throw RecordError(reason: "\(column) \"\(text)\" needs --date-order mdy or dmy")
            }
            throw RecordError(reason: "\(column) \"\(text)\" is not a date and time")
        }
        return parsed
    }

    private func requireColumns(_ names: [String], in columns: CSVColumns, line: Int) throws {
        let missing = names.filter { !columns.contains($0) }
        guard missing.isEmpty else {
            throw SourceError(
                file: input.path, line: line, reason: "header lacks \(missing.joined(separator: ", "))")
        }
    }

    /// The option when given; else the order the file's own values prove, in a first pass over it.
    /// Standard input cannot be read twice, so there only the option decides.
    private func settleDateOrder(column: String) throws -> DateOrder? {
        if let order = options.dateOrder { return order }
        guard !input.isStandardInput else { return nil }
        let buffer = try input.openBuffer()
        let firstLine = try Self.sniff(buffer, file: input.path, forced: options.format).line
        var evidence = DateOrderEvidence()
        try readCSVTable(
            buffer, file: input.path, firstLine: firstLine, header: { _, _ in },
            row: { row in
                if let value = row.value(column) { evidence.observe(value, line: row.origin.line) }
            },
            malformed: { _, _, _ in })
        return try evidence.settle(file: input.path, column: column)
    }
}
