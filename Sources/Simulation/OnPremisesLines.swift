import AuditEvents

/// Lines of the on-premises Exchange logs, in the layouts documented in `../shared/formats`:
/// `Search-MailboxAuditLog` and `Search-AdminAuditLog` exports (Windows PowerShell `Export-Csv`,
/// every field quoted, en-US times), HttpProxy CSV logs and IIS W3C logs.
enum OnPremisesLines {
    static let mailboxAuditColumns = [
        "RunspaceId", "Operation", "OperationResult", "LogonType", "ExternalAccess", "DestFolderId",
        "DestFolderPathName", "FolderId", "FolderPathName", "FolderName", "MemberRights", "MemberSid", "MemberUpn",
        "ClientInfoString", "ClientIPAddress", "ClientMachineName", "ClientProcessName", "ClientVersion",
        "InternalLogonType", "MailboxOwnerUPN", "MailboxOwnerSid", "DestMailboxOwnerUPN", "DestMailboxOwnerSid",
        "DestMailboxGuid", "CrossMailboxOperation", "LogonUserDisplayName", "LogonUserSid", "SourceItems",
        "SourceFolders", "SourceItemIdsList", "SourceItemSubjectsList", "SourceItemAttachmentsList",
        "SourceItemFolderPathNamesList", "SourceFolderPathNamesList", "SourceItemInternetMessageIdsList", "ItemId",
        "ItemSubject", "ItemAttachments", "ItemInternetMessageId", "DirtyProperties", "OriginatingServer",
        "SessionId", "OperationProperties", "AuditOperationsCountInAggregatedRecord", "AggregatedRecordFoldersData",
        "AppId", "ClientAppId", "MailboxGuid", "MailboxResolvedOwnerName", "LastAccessed", "Identity", "IsValid",
        "ObjectState",
    ]

    static let adminAuditColumns = [
        "RunDate", "Caller", "CmdletName", "ObjectModified", "CmdletParameters", "ModifiedProperties", "Succeeded",
        "Error", "OriginatingServer", "ExternalAccess",
    ]

    static let httpProxyColumns = [
        "DateTime", "RequestId", "Protocol", "UrlHost", "UrlStem", "AuthenticationType", "IsAuthenticated",
        "AuthenticatedUser", "AnchorMailbox", "UserAgent", "ClientIpAddress", "ServerHostName", "HttpStatus",
        "Method", "RoutingHint", "RequestBytes", "ResponseBytes", "UrlQuery",
    ]

    static let iisFields =
        "date time s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
        + "cs(Referer) sc-status sc-substatus sc-win32-status time-taken"

    /// A header line and rows of a PowerShell CSV export; values missing from a row are empty.
    static func csvHeader(_ columns: [String]) -> String {
        columns.map(quoted).joined(separator: ",")
    }

    static func csvRow(_ columns: [String], _ values: [String: String]) -> String {
        columns.map { quoted(values[$0] ?? "") }.joined(separator: ",")
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// `3/2/2021 9:27:11 AM`: how an en-US PowerShell session renders a date.
    static func usDate(_ time: Timestamp) -> String {
        let iso = time.description  // 2021-03-02T09:27:11Z
        func number(_ offset: Int, _ length: Int) -> Int { Int(iso.dropFirst(offset).prefix(length)) ?? 0 }
        let hour = number(11, 2)
        return "\(number(5, 2))/\(number(8, 2))/\(number(0, 4)) \(hour % 12 == 0 ? 12 : hour % 12):"
            + iso.dropFirst(14).prefix(5) + (hour < 12 ? " AM" : " PM")
    }

    /// `2021-03-02 02:04:00`: the IIS date and time fields.
    static func iisTime(_ time: Timestamp) -> String {
        let text = time.description
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8))
    }

    /// `2021-03-02T02:04:00.000Z`: HttpProxy DateTime.
    static func proxyTime(_ time: Timestamp) -> String {
        String(time.description.prefix(19)) + ".000Z"
    }

    static func iisHeader(date: Timestamp) -> [String] {
        [
            "#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
            "#Date: \(iisTime(date))", "#Fields: \(iisFields)",
        ]
    }

    static func httpProxyHeader(date: Timestamp) -> [String] {
        [
            "#Software: Microsoft Exchange Server", "#Version: 15.01.2176.002", "#Log-type: HttpProxy Logs",
            "#Date: \(proxyTime(date))", "#Fields: \(httpProxyColumns.joined(separator: ","))",
        ]
    }

    /// One IIS line; spaces in the user agent become `+` as IIS writes them.
    static func iisLine(
        at time: Timestamp, server: String = "EXCH01", method: String, stem: String, query: String = "-",
        user: String = "-", client: String, agent: String, status: Int
    ) -> String {
        [
            iisTime(time), server, server == "EXCH01" ? "192.0.2.10" : "192.0.2.11", method, stem, query, "443", user,
            client, agent.replacing(" ", with: "+"),
            "-", String(status), "0", "0", "31",
        ].joined(separator: " ")
    }
}
