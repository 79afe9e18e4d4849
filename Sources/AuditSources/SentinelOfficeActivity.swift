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

    /// The UAL record a row holds, as JSON; the reason when it holds none. `dateOrder`: how to read
    /// a portal download's display-culture time (`--date-order`), when its numbers do not say.
    static func ualJSON(_ row: [String: Any], dateOrder: DateOrder? = nil) throws(RecordError) -> [UInt8] {
        var record: [String: Any] = [:]
        for (exported, value) in row {
            let column = LogAnalyticsExport.columnName(exported)
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
            return try LogAnalyticsExport.portalTime(text, column: "TimeGenerated", dateOrder: dateOrder)
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

extension AuditFileReader {
    func readSentinelJSON(_ buffer: StreamBuffer, firstLine: Int, _ body: (SourceItem) throws -> Void) throws {
        let dateOrder = options.dateOrder
        try readRewrittenJSON(
            buffer, firstLine: firstLine, reasonPrefix: "OfficeActivity: ", skipped: "",
            rewrite: { try SentinelOfficeActivity.ualJSON($0, dateOrder: dateOrder) }, body)
    }

    func readSentinelCSV(_ buffer: StreamBuffer, _ table: CSVTableRead, _ body: (SourceItem) throws -> Void) throws {
        let dateOrder = options.dateOrder
        try readRewrittenCSV(
            buffer, table, reasonPrefix: "OfficeActivity: ", skipped: "",
            rewrite: { try SentinelOfficeActivity.ualJSON($0, dateOrder: dateOrder) }, body)
    }
}
