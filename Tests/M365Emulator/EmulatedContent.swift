import Foundation

/// Content for the emulator: Exchange mailbox-access records, shaped like the Management Activity
/// API's common and Exchange mailbox schemas, spread over blobs made available in the last days.
public enum EmulatedContent {
    /// `count` Audit.Exchange blobs of `recordsPerBlob` records, the first `hoursAgo` hours back
    /// and one every `spacingMinutes`; record ids derive from `seed`, so two calls agree.
    public static func exchangeBlobs(
        tenantID: String, count: Int, recordsPerBlob: Int, hoursAgo: Double = 60, spacingMinutes: Double = 170,
        seed: Int = 1, now: Date = Date()
    ) -> [M365Emulator.Blob] {
        (0..<count).map { index in
            let created = now.addingTimeInterval(-hoursAgo * 3600 + Double(index) * spacingMinutes * 60)
            let records = (0..<recordsPerBlob).map { number in
                record(
                    tenantID: tenantID, id: recordID(seed: seed, blob: index, record: number),
                    time: created.addingTimeInterval(-Double(recordsPerBlob - number) * 7), number: number)
            }
            return M365Emulator.Blob(
                contentType: "Audit.Exchange",
                contentId:
                    "20261201\(String(format: "%04d", seed))\(String(format: "%06d", index))$emulated$Audit_Exchange$na0019",
                created: created, records: records)
        }
    }

    static func recordID(seed: Int, blob: Int, record: Int) -> String {
        String(format: "%08x-0000-4000-8000-%06x%06x", seed, blob, record)
    }

    static func record(tenantID: String, id: String, time: Date, number: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let owners = ["ceo", "cfo", "legal", "hr"]
        let owner = owners[number % owners.count]
        return """
            {"CreationTime":"\(formatter.string(from: time))","Id":"\(id)","Operation":"MailItemsAccessed",\
            "OrganizationId":"\(tenantID)","RecordType":50,"ResultStatus":"Succeeded","UserKey":"app-\(number % 3)",\
            "UserType":0,"Version":1,"Workload":"Exchange","UserId":"svc-sync@contoso.example",\
            "ClientIPAddress":"203.0.113.\(10 + number % 5)","ClientInfoString":"Client=REST;Client=RESTSystem;;",\
            "AppId":"00000003-0000-0ff1-ce00-000000000000","ClientAppId":"d3590ed6-52b3-4102-aeff-aad2292ab01c",\
            "ExternalAccess":false,"InternalLogonType":0,"LogonType":0,"LogonUserSid":"S-1-5-21-1",\
            "MailboxGuid":"aaaaaaaa-0000-4000-8000-00000000000\(number % owners.count)",\
            "MailboxOwnerSid":"S-1-5-21-2","MailboxOwnerUPN":"\(owner)@contoso.example",\
            "OperationProperties":[{"Name":"MailAccessType","Value":"Sync"},{"Name":"IsThrottled","Value":"False"}],\
            "OrganizationName":"contoso.onmicrosoft.com","OriginatingServer":"EMUL01 (15.20.7000.000)",\
            "SessionId":"bbbbbbbb-0000-4000-8000-00000000000\(number % 2)",\
            "Folders":[{"FolderItems":[{"InternetMessageId":"<m\(number)@contoso.example>","SizeInBytes":\(2000 + number)}],\
            "Id":"LgAAAA\(number % 7)","Path":"\\\\Inbox"}],"OperationCount":1}
            """
    }

    /// `count` sign-ins of the Exchange records' service account, one every `spacingMinutes` from
    /// `hoursAgo` back, the last one from another country and failed.
    public static func signIns(
        tenantID: String, count: Int, hoursAgo: Double = 50, spacingMinutes: Double = 97, now: Date = Date()
    ) -> [M365Emulator.SignIn] {
        let formatter = ISO8601DateFormatter()
        return (0..<count).map { index in
            let created = now.addingTimeInterval(-hoursAgo * 3600 + Double(index) * spacingMinutes * 60)
            let failed = index == count - 1
            let json = """
                {"id":"\(String(format: "5e5e5e5e-0000-4000-8000-%012x", index))","createdDateTime":"\(formatter.string(from: created))",\
                "userDisplayName":"Sync service","userPrincipalName":"svc-sync@contoso.example",\
                "userId":"d7cc485d-2c1b-422c-98fd-5ce52859a4a3","appId":"d3590ed6-52b3-4102-aeff-aad2292ab01c",\
                "appDisplayName":"Microsoft Office","ipAddress":"\(failed ? "198.51.100.23" : "203.0.113.10")",\
                "clientAppUsed":"Mobile Apps and Desktop clients","isInteractive":false,\
                "resourceDisplayName":"Office 365 Exchange Online","resourceId":"00000002-0000-0ff1-ce00-000000000000",\
                "resourceTenantId":"\(tenantID)","homeTenantId":"\(tenantID)",\
                "status":{"errorCode":\(failed ? 50126 : 0),"failureReason":"\(failed ? "Invalid username or password." : "Other.")"},\
                "location":{"city":"\(failed ? "Novosibirsk" : "Seattle")","countryOrRegion":"\(failed ? "RU" : "US")"},\
                "riskLevelDuringSignIn":"none","riskState":"none"}
                """
            return M365Emulator.SignIn(created: created, json: json)
        }
    }
}
