import AuditEvents
import Foundation

/// Entra ID sign-in logs as Microsoft Graph returns them (`auditLogs/signIns`, `signIn` resource),
/// as the portal's JSON and CSV downloads write them, as Log Analytics exports its `SigninLogs`
/// table (JSON or CSV), and as a diagnostic setting writes them to a storage account (resource log
/// records): an array of sign-ins, one a line, or CSV rows. Each is
/// rewritten as the UAL record of a sign-in (`UserLoggedIn` or `UserLoginFailed`, workload
/// AzureActiveDirectory) and normalized as one: the user (or service principal) is the actor, the
/// client app its `ClientAppId`, the resource its `AppId`, the token's session id its `SessionId`,
/// so a sign-in joins the mail reads of the same session; location, result, risk and protocol go
/// into its parameters. The sign-in as written is kept as `raw`.
public enum EntraSignIn {
    /// Whether the first bytes of a file are sign-ins: Graph's, or Log Analytics' `SigninLogs`
    /// (and `AADNonInteractiveUserSignInLogs`, `AADServicePrincipalSignInLogs`) rows.
    static func recognizes(head: String) -> Bool {
        let graph =
            head.contains("\"createdDateTime\"") && head.contains("\"ipAddress\"")
            && (head.contains("\"userPrincipalName\"") || head.contains("\"servicePrincipalId\""))
        let logAnalytics =
            head.contains("\"ResultType\"") && head.contains("\"IPAddress\"")
            && (head.contains("\"UserPrincipalName\"") || head.contains("\"ServicePrincipalId\""))
        return graph || logAnalytics
    }

    /// Whether a CSV header is the portal's download (`Date (UTC)`, `Request ID`...) or a Log
    /// Analytics export of a sign-in table.
    static func recognizes(columns: Set<String>) -> Bool {
        let portal =
            columns.isSuperset(of: ["Date (UTC)", "Request ID"])
            && (columns.contains("Username") || columns.contains("Service principal ID"))
        let logAnalytics =
            columns.isSuperset(of: ["ResultType", "IPAddress"])
            && (columns.contains("UserPrincipalName") || columns.contains("ServicePrincipalId"))
        return portal || logAnalytics
    }

    /// A sign-in as exported, in any of the shapes above, as the Graph `signIn` it was made from;
    /// `dateOrder` reads a CSV download's display-culture time.
    static func signIn(_ exported: [String: Any], dateOrder: DateOrder? = nil) throws(RecordError) -> [String: Any] {
        let row = LogAnalyticsExport.resourceLogRow(exported)
        if row["Date (UTC)"] != nil { return try portalShape(row, dateOrder: dateOrder) }
        return try graphShape(row, dateOrder: dateOrder)
    }

    /// The portal's column names (trimmed, spaces collapsed, lowercased) for the `signIn` fields
    /// they hold as they are.
    private static let portalColumns: [String: String] = [
        "request id": "id", "user agent": "userAgent", "correlation id": "correlationId", "user id": "userId",
        "user": "userDisplayName", "username": "userPrincipalName", "application": "appDisplayName",
        "application id": "appId", "resource": "resourceDisplayName", "resource id": "resourceId",
        "resource tenant id": "resourceTenantId", "home tenant id": "homeTenantId", "ip address": "ipAddress",
        "client app": "clientAppUsed", "authentication protocol": "authenticationProtocol",
        "unique token identifier": "uniqueTokenIdentifier", "client credential type": "clientCredentialType",
        "session id": "sessionId", "conditional access": "conditionalAccessStatus",
        "service principal id": "servicePrincipalId", "service principal name": "servicePrincipalName",
    ]

    /// A row of the portal's CSV download (Entra admin center, Sign-in logs, Download CSV) as a
    /// `signIn`: `Location` is `City, State, Country`; `Status` and `Sign-in error code` the status.
    static func portalShape(_ row: [String: Any], dateOrder: DateOrder?) throws(RecordError) -> [String: Any] {
        var columns: [String: String] = [:]
        for (key, value) in row {
            guard let text = value as? String, !text.isEmpty else { continue }
            columns[key.split(separator: " ").joined(separator: " ").lowercased()] = text
        }
        var signIn: [String: Any] = [:]
        for (column, field) in portalColumns { signIn[field] = columns[column] }
        if let date = columns["date (utc)"] {
            signIn["createdDateTime"] = try LogAnalyticsExport.portalTime(
                date, column: "Date (UTC)", dateOrder: dateOrder)
        }
        let code = columns["sign-in error code"].flatMap { Int($0.trimmed) }
        let succeeded = columns["status"]?.trimmed.lowercased() == "success"
        signIn["status"] = [
            "errorCode": code ?? (succeeded ? 0 : -1), "failureReason": columns["failure reason"] ?? "",
        ]
        if let location = columns["location"] {
            let parts = location.split(separator: ",").map(\.trimmed)
            var place: [String: String] = [:]
            place["countryOrRegion"] = parts.last
            if parts.count > 1 { place["city"] = parts.first }
            if parts.count > 2 { place["state"] = parts[1] }
            signIn["location"] = place
        }
        signIn["deviceDetail"] = [
            "browser": columns["browser"] ?? "", "operatingSystem": columns["operating system"] ?? "",
        ]
        return signIn
    }

    /// A Log Analytics sign-in row as the Graph `signIn` it was made from: the same fields under
    /// capitalized names, `ResourceIdentity` for `resourceId`, `LocationDetails` for `location`,
    /// `ResultType` for the status's error code, dynamic columns possibly as JSON text, the
    /// directory in `AADTenantId` (its `TenantId` is the workspace's, its `ResourceId` Azure's path
    /// of the directory, not the resource signed in to).
    static func graphShape(_ row: [String: Any], dateOrder: DateOrder? = nil) throws(RecordError) -> [String: Any] {
        guard row["ResultType"] != nil || row["TimeGenerated"] != nil else { return row }
        // `Location` (the country code) would land on `location` too: it is only the fallback below.
        let renamed = [
            "IPAddress": "ipAddress", "ResourceIdentity": "resourceId", "LocationDetails": "location",
            "Id": "id", "CreatedDateTime": "createdDateTime", "Location": "locationCountryCode",
            "AADTenantId": "tenantId", "TenantId": "workspaceId", "ResourceId": "azureResourceId",
        ]
        var signIn: [String: Any] = [:]
        for (key, value) in row {
            let name = renamed[key] ?? (key.prefix(1).lowercased() + key.dropFirst())
            if let text = value as? String, let first = text.first, first == "{" || first == "[",
                let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8))
            {
                signIn[name] = parsed
            } else if let text = value as? String, name == "isInteractive" {
                signIn[name] = text.lowercased() == "true"
            } else {
                signIn[name] = value
            }
        }
        if signIn["createdDateTime"] == nil { signIn["createdDateTime"] = signIn["timeGenerated"] }
        if let created = signIn["createdDateTime"] as? String {
            signIn["createdDateTime"] = try LogAnalyticsExport.portalTime(
                created, column: "CreatedDateTime", dateOrder: dateOrder)
        }
        if !(signIn["status"] is [String: Any]), let result = row["ResultType"] {
            signIn["status"] = ["errorCode": Int("\(result)") ?? -1, "failureReason": row["ResultDescription"] ?? ""]
        }
        if !(signIn["location"] is [String: Any]), let country = row["Location"] as? String {
            signIn["location"] = ["countryOrRegion": country]
        }
        return signIn
    }

    /// The UAL record of one sign-in, as JSON; the reason when it holds none.
    public static func ualJSON(_ signIn: [String: Any]) throws(RecordError) -> [UInt8] {
        func text(_ key: String) -> String? {
            guard let value = signIn[key] else { return nil }
            switch value {
            case let string as String: return string.isEmpty ? nil : string
            case let number as NSNumber: return number.stringValue
            default: return nil
            }
        }
        guard let id = text("id") else { throw RecordError(reason: "missing field \"id\"") }
        guard let created = text("createdDateTime") else {
            throw RecordError(reason: "missing field \"createdDateTime\"")
        }
        let status = signIn["status"] as? [String: Any] ?? [:]
        let errorCode = (status["errorCode"] as? NSNumber)?.intValue ?? Int(status["errorCode"] as? String ?? "") ?? 0
        let user = text("userPrincipalName")
        let servicePrincipal = user == nil ? (text("servicePrincipalName") ?? text("servicePrincipalId")) : nil
        guard let actor = user ?? servicePrincipal ?? text("appDisplayName") ?? text("appId") else {
            throw RecordError(reason: "names no user, service principal or app")
        }
        var record: [String: Any] = [
            "Id": id, "CreationTime": created, "RecordType": 15, "Workload": "AzureActiveDirectory",
            "Operation": errorCode == 0 ? "UserLoggedIn" : "UserLoginFailed",
            "ResultStatus": errorCode == 0 ? "Success" : "Failure", "UserId": actor,
            // ServicePrincipal (6) for app-only sign-ins, Regular (0) for users.
            "UserType": servicePrincipal == nil ? 0 : 6,
        ]
        if let tenant = text("resourceTenantId") ?? text("homeTenantId") ?? text("tenantId") {
            record["OrganizationId"] = tenant
        }
        if let address = text("ipAddress") { record["ClientIP"] = address }
        if let agent = text("userAgent") { record["ClientInfoString"] = agent }
        if let client = text("appId") { record["ClientAppId"] = client }
        if let resource = text("resourceId") { record["AppId"] = resource }
        if let session = text("sessionId") { record["SessionId"] = session }
        let location = signIn["location"] as? [String: Any] ?? [:]
        let device = signIn["deviceDetail"] as? [String: Any] ?? [:]
        let details: [(String, Any?)] = [
            ("Country", location["countryOrRegion"]), ("City", location["city"]), ("ErrorCode", errorCode),
            ("FailureReason", status["failureReason"]), ("AppDisplayName", signIn["appDisplayName"]),
            ("ResourceDisplayName", signIn["resourceDisplayName"]), ("ClientAppUsed", signIn["clientAppUsed"]),
            ("IsInteractive", (signIn["isInteractive"] as? Bool).map { $0 ? "True" : "False" }),
            ("AuthenticationProtocol", signIn["authenticationProtocol"]),
            ("ConditionalAccessStatus", signIn["conditionalAccessStatus"]),
            ("RiskLevelDuringSignIn", signIn["riskLevelDuringSignIn"]), ("RiskState", signIn["riskState"]),
            ("ClientCredentialType", signIn["clientCredentialType"]),
            ("UniqueTokenIdentifier", signIn["uniqueTokenIdentifier"]), ("CorrelationId", signIn["correlationId"]),
            ("DeviceOperatingSystem", device["operatingSystem"]), ("DeviceBrowser", device["browser"]),
        ]
        record["Parameters"] = details.compactMap { name, value -> [String: String]? in
            switch value {
            case let string as String where !string.isEmpty: return ["Name": name, "Value": string]
            case let number as NSNumber: return ["Name": name, "Value": number.stringValue]
            case let int as Int: return ["Name": name, "Value": String(int)]
            default: return nil
            }
        }
        do {
            return Array(try JSONSerialization.data(withJSONObject: record))
        } catch {
            throw RecordError(reason: "cannot be rewritten as a sign-in record")
        }
    }
}

extension AuditFileReader {
    func readEntraSignIns(_ buffer: StreamBuffer, firstLine: Int, _ body: (SourceItem) throws -> Void) throws {
        try readRewrittenJSON(
            buffer, firstLine: firstLine, reasonPrefix: "sign-in: ", skipped: "sign-ins",
            rewrite: { try EntraSignIn.ualJSON(EntraSignIn.signIn($0)) }, body)
    }

    func readEntraSignInsCSV(_ buffer: StreamBuffer, _ table: CSVTableRead, _ body: (SourceItem) throws -> Void) throws
    {
        let dateOrder = options.dateOrder
        try readRewrittenCSV(
            buffer, table, reasonPrefix: "sign-in: ", skipped: "sign-ins",
            rewrite: { try EntraSignIn.ualJSON(EntraSignIn.signIn($0, dateOrder: dateOrder)) }, body)
    }
}
