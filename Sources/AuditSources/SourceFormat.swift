/// The file formats mailhound reads, recognized from content, never from the file name.
public enum SourceFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Microsoft 365 UAL records, one JSON object a line.
    case ualJSONLines = "ual-jsonl"
    /// UAL records in a JSON array (Management Activity API content blob, ConvertTo-Json output).
    case ualJSONArray = "ual-json"
    /// Purview audit search export, or Search-UnifiedAuditLog | Export-Csv: a CSV with an AuditData column.
    case purviewCSV = "purview-csv"
    /// Search-MailboxAuditLog | Export-Csv (Exchange on-premises, older Exchange Online).
    case mailboxAuditCSV = "mailbox-audit-csv"
    /// Search-AdminAuditLog flattened to CSV: RunDate, Caller, CmdletName, CmdletParameters...
    case adminAuditCSV = "admin-audit-csv"
    /// Exchange front-end HttpProxy logs (Owa, Ecp, Ews, Autodiscover, Mapi...).
    case httpProxy = "httpproxy"
    /// IIS W3C extended logs of the Exchange front end.
    case iisW3C = "iis"
    /// Microsoft Sentinel's OfficeActivity table exported as JSON (lines or an array).
    case sentinelJSON = "sentinel-json"
    /// Microsoft Sentinel's OfficeActivity table exported as CSV.
    case sentinelCSV = "sentinel-csv"
    /// Exchange's ECP Server log: the control panel's requests, the cmdlets they ran.
    case ecpServer = "ecp-server"
    /// Exchange's OAB generator log: the downloads it failed, and where their files went.
    case oabGenerator = "oab-generator"
    /// Microsoft Graph activity logs (`MicrosoftGraphActivityLogs`) as JSON: mail reads through Graph.
    case graphActivity = "graph-activity"
    /// The same exported from Log Analytics as CSV.
    case graphActivityCSV = "graph-activity-csv"
    /// Entra ID sign-in logs as JSON (Graph `signIn` objects, `SigninLogs` rows, resource logs).
    case entraSignIns = "entra-signins"
    /// Entra ID sign-in logs as CSV: the portal's download, or a Log Analytics export.
    case entraSignInsCSV = "entra-signins-csv"

    public var description: String { rawValue }
}
