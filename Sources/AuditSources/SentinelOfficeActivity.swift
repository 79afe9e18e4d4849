import AuditEvents
import Foundation

/// Microsoft Sentinel's `OfficeActivity` table (Log Analytics), as a KQL or portal export: the
/// UAL record under other names and types. `OfficeId` is the UAL `Id`, `TimeGenerated` its
/// `CreationTime`, `OfficeWorkload` its `Workload`, `OfficeObjectId` its `ObjectId`,
/// `Client_IPAddress` its `ClientIPAddress`; `RecordType` and `UserType` are names (`ExchangeItem`,
/// `Regular`); dynamic columns (`Folders`, `Parameters`, `OperationProperties`...) may come as
/// JSON text. Each row is rewritten as the UAL record and normalized as one, so the same record
/// from UAL and from Sentinel is one record; its row as exported is kept as `raw`.
enum SentinelOfficeActivity {
    static let renamed: [String: String] = [
        "OfficeId": "Id", "TimeGenerated": "CreationTime", "OfficeWorkload": "Workload", "OfficeObjectId": "ObjectId",
        "Client_IPAddress": "ClientIPAddress", "Logon_Type": "LogonType",
    ]

    /// Log Analytics columns that are not part of the audit record.
    static let dropped: Set<String> = [
        "TenantId", "SourceSystem", "Type", "_ResourceId", "_SubscriptionId", "_BilledSize", "_IsBillable",
        "SourceRecordId",
    ]

    /// `AuditLogRecordType` names, for the record types mailhound reads.
    static let recordTypes: [String: Int] = [
        "ExchangeAdmin": 1, "ExchangeItem": 2, "ExchangeItemGroup": 3, "SharePoint": 4, "SharePointFileOperation": 6,
        "AzureActiveDirectory": 8, "AzureActiveDirectoryAccountLogon": 9, "DataCenterSecurityCmdlet": 10,
        "SharePointSharingOperation": 14, "AzureActiveDirectoryStsLogon": 15, "SecurityComplianceCenterEOPCmdlet": 18,
        "ExchangeAggregatedOperation": 19, "Discovery": 24, "MicrosoftTeams": 25, "ExchangeItemAggregated": 50,
    ]

    /// `UserType` names.
    static let userTypes: [String: Int] = [
        "Regular": 0, "Reserved": 1, "Admin": 2, "DcAdmin": 3, "System": 4, "Application": 5, "ServicePrincipal": 6,
        "CustomPolicy": 7, "SystemPolicy": 8,
    ]

    static let numberColumns: Set<String> = ["LogonType", "InternalLogonType", "OperationCount", "Version"]

    /// Whether a header or a record's keys are OfficeActivity's.
    static func recognizes(_ names: Set<String>) -> Bool {
        names.contains("OfficeId") && (names.contains("OfficeWorkload") || names.contains("TimeGenerated"))
    }

    /// A column name as the portal writes it, `TimeGenerated [UTC]`, without its zone note.
    static func columnName(_ name: String) -> String {
        name.hasSuffix(" [UTC]") ? String(name.dropLast(" [UTC]".count)) : name
    }

    /// The UAL record a row holds, as JSON; the reason when it holds none. `dateOrder`: how to read
    /// a portal download's display-culture time (`--date-order`), when its numbers do not say.
    static func ualJSON(_ row: [String: Any], dateOrder: DateOrder? = nil) throws(RecordError) -> [UInt8] {
        var record: [String: Any] = [:]
        for (exported, value) in row {
            let column = columnName(exported)
            guard !dropped.contains(column), !(value is NSNull) else { continue }
            if let text = value as? String, text.isEmpty { continue }
            let name = renamed[column] ?? column
            record[name] = try converted(value, column: name, dateOrder: dateOrder)
        }
        guard record["Id"] != nil else { throw RecordError(reason: "missing column \"OfficeId\"") }
        do {
            return Array(try JSONSerialization.data(withJSONObject: record))
        } catch {
            throw RecordError(reason: "cannot be rewritten as a UAL record")
        }
    }

    private static func converted(_ value: Any, column: String, dateOrder: DateOrder?) throws(RecordError) -> Any {
        guard let text = value as? String else { return value }
        switch column {
        case "CreationTime":
            return try portalTime(text, dateOrder: dateOrder)
        case "RecordType":
            if let number = Int(text) ?? recordTypes[text] { return number }
            throw RecordError(reason: "RecordType \"\(text.prefix(64))\" is not a record type mailhound knows")
        case "UserType":
            if let number = Int(text) ?? userTypes[text] { return number }
            throw RecordError(reason: "UserType \"\(text.prefix(64))\" is not a user type mailhound knows")
        case _ where numberColumns.contains(column):
            return Int(text) ?? text
        case "ExternalAccess", "IsThrottled":
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: return text
            }
        default:
            // Dynamic columns exported as their JSON text.
            if let first = text.first, first == "[" || first == "{",
                let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8))
            {
                return parsed
            }
            return text
        }
    }
}

extension SentinelOfficeActivity {
    /// `TimeGenerated` as the Azure portal's CSV download writes it, in the browser's display
    /// culture but UTC (`5/14/2024, 9:40:03.000 AM`), rewritten as ISO 8601; ISO text as it is.
    /// Day and month are told apart by a number above 12, else by `--date-order`.
    static func portalTime(_ text: String, dateOrder: DateOrder?) throws(RecordError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count < 64, trimmed.utf8.dropFirst(4).first != UInt8(ascii: "-") else { return text }
        // Without the date's comma and the clock's fraction, it is the culture form PowerShell writes.
        let words = trimmed.replacingOccurrences(of: ",", with: " ").split(separator: " ").map { word in
            word.contains(":") ? word.split(separator: ".").first.map(String.init) ?? String(word) : String(word)
        }
        let plain = words.joined(separator: " ")
        guard let fields = LocalTimeParser.fields(plain) else { return text }
        let order = fields.first > 12 ? .dmy : fields.second > 12 ? .mdy : dateOrder
        guard let order else {
            throw RecordError(
                reason: "TimeGenerated \"\(trimmed)\" can be read month-first or day-first: pass --date-order mdy "
                    + "(an en-US browser's download) or dmy")
        }
        guard let time = LocalTimeParser(order: order, timeZone: TimeZone(identifier: "UTC") ?? .current).parse(plain)
        else { throw RecordError(reason: "TimeGenerated \"\(trimmed)\" is not a date") }
        return time.description
    }
}

extension AuditFileReader {
    /// One OfficeActivity row (a JSON object's text, or a CSV row's fields by column) normalized
    /// as the UAL record it holds; `raw` is the row as exported.
    func deliverSentinel(
        _ row: () throws -> [String: Any], raw: String, origin: Origin, _ body: (SourceItem) throws -> Void
    ) throws {
        let json: [UInt8]
        do {
            json = try SentinelOfficeActivity.ualJSON(try row(), dateOrder: options.dateOrder)
        } catch let error as RecordError {
            return try body(quarantine(origin, "OfficeActivity: " + error.reason, raw))
        } catch {
            return try body(quarantine(origin, "OfficeActivity: not a JSON object", raw))
        }
        try deliverRewritten(json, raw: raw, origin: origin, reasonPrefix: "OfficeActivity: ", body)
    }

    /// The JSON objects of an export, as an array or one a line.
    func readJSONRecords(_ buffer: StreamBuffer, firstLine: Int, _ deliver: (RawRecord) throws -> Void) throws {
        if buffer.available > 0, buffer.storage[buffer.start] == UInt8(ascii: "[") {
            try splitJSONArray(buffer, file: input.path, firstLine: firstLine, deliver)
        } else {
            try splitLines(buffer, file: input.path, firstLine: firstLine, deliver)
        }
    }

    /// JSON objects of another source (an array or one a line), each rewritten as the UAL record
    /// it holds by `rewrite` (nil: a record of nothing mailhound keeps, counted as `skipped`), its
    /// problems quarantined under `reasonPrefix`.
    func readRewrittenJSON(
        _ buffer: StreamBuffer, firstLine: Int, reasonPrefix: String, skipped: String,
        rewrite: ([String: Any]) throws -> [UInt8]?, _ body: (SourceItem) throws -> Void
    ) throws {
        let file = input.path
        try readJSONRecords(buffer, firstLine: firstLine) { record in
            let origin = Origin(file: file, line: record.line, byteOffset: record.offset)
            let text = record.text
            if let problem = record.problem { return try body(self.quarantine(origin, problem, text)) }
            let json: [UInt8]?
            do {
                guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                    throw RecordError(reason: "not a JSON object")
                }
                json = try rewrite(object)
            } catch let error as RecordError {
                return try body(self.quarantine(origin, reasonPrefix + error.reason, text))
            } catch {
                return try body(self.quarantine(origin, reasonPrefix + "not a JSON object", text))
            }
            guard let json else { return try body(.skipped(workload: skipped)) }
            try self.deliverRewritten(json, raw: text, origin: origin, reasonPrefix: reasonPrefix, body)
        }
    }

    /// A record of another source rewritten as the UAL record it holds: normalized as one, kept
    /// as written (`raw`), its problems quarantined under `reasonPrefix`.
    func deliverRewritten(
        _ json: [UInt8], raw: String, origin: Origin, reasonPrefix: String, _ body: (SourceItem) throws -> Void
    ) throws {
        normalizer.withPaddedBuffer { $0.append(contentsOf: json) }
        try normalizer.normalizePadded(line: origin.line, byteOffset: origin.byteOffset) { outcome in
            switch consume outcome {
            case .success(let record):
                guard let record else { return try body(.skipped(workload: normalizer.skippedWorkload)) }
                var event = AuditEvent(record)
                event.raw = raw
                try body(.event(event))
            case .failure(let error):
                try body(quarantine(origin, reasonPrefix + error.reason, raw))
            }
        }
    }

    func readSentinelJSON(_ buffer: StreamBuffer, firstLine: Int, _ body: (SourceItem) throws -> Void) throws {
        let file = input.path
        let deliver = { (record: RawRecord) throws in
            let origin = Origin(file: file, line: record.line, byteOffset: record.offset)
            let text = record.text
            if let problem = record.problem { return try body(self.quarantine(origin, problem, text)) }
            try self.deliverSentinel(
                {
                    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                        throw RecordError(reason: "not a JSON object")
                    }
                    return object
                }, raw: text, origin: origin, body)
        }
        try readJSONRecords(buffer, firstLine: firstLine, deliver)
    }

    func readSentinelCSV(_ buffer: StreamBuffer, _ table: CSVTableRead, _ body: (SourceItem) throws -> Void) throws {
        try readCSVTable(
            buffer, file: input.path, firstLine: table.firstLine, columns: table.columns,
            holdBackTail: table.holdBackTail, advanced: table.advanced, header: { _, _ in },
            row: { row in
                try deliverSentinel(
                    {
                        var values: [String: Any] = [:]
                        for (index, name) in row.columns.names.enumerated() where index < row.record.fields.count {
                            values[name] = row.reader.text(of: row.record, field: index)
                        }
                        return values
                    }, raw: row.text, origin: row.origin, body)
            },
            malformed: { origin, problem, text in try body(quarantine(origin, problem, text)) })
    }
}
