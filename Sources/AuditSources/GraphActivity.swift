import AuditEvents
import Foundation

/// Microsoft Graph activity logs (`MicrosoftGraphActivityLogs`, from an Entra diagnostic setting:
/// exported from Log Analytics as JSON, an array or one a line, or as CSV; or the resource log
/// records a storage account or Event Hubs receives): one row per Graph request. A
/// successful GET of mail (`/messages`, `/mailFolders`, a message's `$value`, `/messages/delta`) is
/// rewritten as the UAL record of a mail read through Graph (`MailItemsAccessed`, `AppId` Graph,
/// `ClientAppId` the caller's app) and normalized as one: the user, or for app-only calls the
/// service principal, is the actor; the mailbox the URI names (`/users/{id}`, or the caller for
/// `/me`) its owner; the URI's folder and item count (one for a message, `$top` or Graph's page
/// of 10 for a list) its folders and items; the sign-in's session its `SessionId`, so the reads
/// join the sign-in and the UAL records of that token. Other requests are counted, not stored.
public enum GraphActivity {
    static let graphAppID = "00000003-0000-0000-c000-000000000000"

    /// Whether the first bytes of a JSON file are Graph requests: Log Analytics rows, or resource
    /// log records of a diagnostic setting (the same fields, camel-cased, under `properties`).
    static func recognizes(head: String) -> Bool {
        let logAnalytics =
            head.contains("\"RequestUri\"") && head.contains("\"RequestMethod\"")
            && (head.contains("\"ServicePrincipalId\"") || head.contains("\"SignInActivityId\""))
        let resourceLog =
            head.contains("\"requestUri\"") && head.contains("\"requestMethod\"")
            && (head.contains("\"servicePrincipalId\"") || head.contains("\"signInActivityId\""))
        return logAnalytics || resourceLog
    }

    /// Whether a CSV header is a Log Analytics export of the table.
    static func recognizes(columns: Set<String>) -> Bool {
        columns.isSuperset(of: ["RequestUri", "RequestMethod"])
            && (columns.contains("ServicePrincipalId") || columns.contains("SignInActivityId"))
    }

    /// The UAL record of a mail read, as JSON; nil for a request that reads no mail. `exported` is a
    /// Log Analytics row (JSON or CSV, names in any case) or a resource log record; `dateOrder`
    /// reads a CSV download's display-culture time.
    public static func ualJSON(_ exported: [String: Any], dateOrder: DateOrder? = nil) throws(RecordError) -> [UInt8]? {
        let isResourceLog = exported["properties"] is [String: Any]
        var row: [String: Any] = [:]
        for (key, value) in LogAnalyticsExport.resourceLogRow(exported) { row[key.lowercased()] = value }
        func text(_ key: String) -> String? {
            switch row[key.lowercased()] {
            case let string as String: return string.isEmpty ? nil : string
            case let number as NSNumber: return number.stringValue
            default: return nil
            }
        }
        guard let method = text("RequestMethod"), let uri = text("RequestUri") else {
            throw RecordError(reason: "missing RequestMethod or RequestUri")
        }
        guard method.uppercased() == "GET", let status = text("ResponseStatusCode").flatMap(Int.init),
            (200..<300).contains(status), let read = MailRequest(uri: uri)
        else { return nil }
        guard let id = text("RequestId") ?? text("OperationId") else { throw RecordError(reason: "missing RequestId") }
        guard let generated = text("TimeGenerated") ?? text("time") else {
            throw RecordError(reason: "missing TimeGenerated")
        }
        let time = try LogAnalyticsExport.portalTime(generated, column: "TimeGenerated", dateOrder: dateOrder)
        let user = text("UserId")
        let servicePrincipal = user == nil ? text("ServicePrincipalId") : nil
        guard let actor = user ?? servicePrincipal.map({ "ServicePrincipal_" + $0 }) else {
            throw RecordError(reason: "names no user or service principal")
        }
        var record: [String: Any] = [
            "Id": id, "CreationTime": time, "RecordType": 50, "Workload": "Exchange", "Operation": "MailItemsAccessed",
            "ResultStatus": "Succeeded", "UserId": actor, "UserType": servicePrincipal == nil ? 0 : 5,
            "LogonType": 0, "AppId": graphAppID, "MailboxOwnerUPN": read.owner ?? actor,
            "OperationProperties": [["Name": "MailAccessType", "Value": read.sync ? "Sync" : "Bind"]],
            "Folders": [["Path": read.folder]],
        ]
        if !read.sync { record["OperationCount"] = read.items }
        // A Log Analytics row's TenantId is the workspace's; a resource log's is the directory's.
        if let tenant = text("AadTenantId") ?? (isResourceLog ? text("TenantId") : nil) {
            record["OrganizationId"] = tenant
        }
        if let app = text("AppId") { record["ClientAppId"] = app }
        if let address = text("IPAddress") { record["ClientIPAddress"] = address }
        if let agent = text("UserAgent") { record["ClientInfoString"] = agent }
        if let session = text("SessionId") ?? text("SignInActivityId") { record["SessionId"] = session }
        do {
            return Array(try JSONSerialization.data(withJSONObject: record))
        } catch {
            throw RecordError(reason: "cannot be rewritten as a mail read")
        }
    }

    /// What a Graph URI says of a mail read: whose mailbox, which folder, how many items.
    struct MailRequest {
        var owner: String?
        var folder: String
        var items: Int
        var sync: Bool

        init?(uri: String) {
            guard let components = URLComponents(string: uri) else { return nil }
            let segments = components.percentEncodedPath.split(separator: "/").map {
                String($0).removingPercentEncoding ?? String($0)
            }
            // /v1.0/users/{id}/... or /beta/me/...
            guard segments.count >= 3 else { return nil }
            var rest = segments.dropFirst()
            switch rest.first?.lowercased() {
            case "me": owner = nil
            case "users" where rest.count >= 2: owner = rest.dropFirst().first?.lowercased()
            default: return nil
            }
            rest = rest.dropFirst(rest.first?.lowercased() == "me" ? 1 : 2)
            var folder = "\\Inbox"
            if rest.first?.lowercased().hasPrefix("mailfolders") == true {
                let inline = rest.first.flatMap { $0.split(separator: "(").dropFirst().first }
                let named =
                    inline.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "')")) }
                    ?? rest.dropFirst().first
                folder = "\\" + (named ?? "Inbox")
                rest = rest.dropFirst(inline == nil ? 2 : 1)
            }
            guard rest.first?.lowercased() == "messages" else { return nil }
            let after = Array(rest.dropFirst())
            self.folder = folder
            sync = after.first?.lowercased() == "delta"
            if sync || after.isEmpty {
                let top = components.queryItems?.first { $0.name.lowercased() == "$top" }?.value.flatMap(Int.init)
                items = max(1, min(top ?? 10, 1000))
            } else {
                items = 1
            }
        }
    }
}

extension AuditFileReader {
    static let graphSkipped = "Graph requests that read no mail"

    func readGraphActivity(_ buffer: StreamBuffer, firstLine: Int, _ body: (SourceItem) throws -> Void) throws {
        try readRewrittenJSON(
            buffer, firstLine: firstLine, reasonPrefix: "Graph activity: ", skipped: Self.graphSkipped,
            rewrite: { try GraphActivity.ualJSON($0) }, body)
    }

    func readGraphActivityCSV(_ buffer: StreamBuffer, _ table: CSVTableRead, _ body: (SourceItem) throws -> Void) throws
    {
        let dateOrder = options.dateOrder
        try readRewrittenCSV(
            buffer, table, reasonPrefix: "Graph activity: ", skipped: Self.graphSkipped,
            rewrite: { try GraphActivity.ualJSON($0, dateOrder: dateOrder) }, body)
    }
}
