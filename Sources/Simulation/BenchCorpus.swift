import AuditEvents
import DemoData
import Foundation

/// The benchmark's input: N MailItemsAccessed records shaped like a real tenant's (≈1.5 KB each),
/// written as UAL JSON lines or as a Purview audit export CSV and, for the peer measurement, as the
/// very rows mailhound stores, pre-flattened to CSV in `mailhound.events` column order. The same
/// seed gives the same bytes.
public struct BenchCorpus: Sendable {
    public let records: Int
    public let seed: UInt64
    public let users: Int
    /// Span of the generated activity, ending on 2024-05-31.
    public let days: Int

    public static let organizationID = "5f1c9a2e-3b7d-4c61-9e2a-7d40c1a8e901"
    public static let domain = "contoso.example"

    /// The columns of the flat CSV: what `analyst.mailbox_events` shows of a stored record, raw
    /// text included, but the session.
    public static let columns = """
        tenant, record_id, occurred_at, record_type, workload, operation, result_status, actor, actor_kind,
        user_type, logon_type, mailbox_owner, mailbox_guid, client_ip, client_info, app_id, client_app_id,
        source_session_id, access_type, items, bytes, folders, is_throttled, external_access, object_id,
        parameters, source_file, source_line, source_offset, raw
        """

    public init(records: Int, seed: UInt64 = 42, users: Int = 3000, days: Int = 90) {
        self.records = records
        self.seed = seed
        self.users = max(1, users)
        self.days = max(1, days)
    }

    public struct Written: Sendable {
        public var dataBytes: Int64
        public var csvBytes: Int64

        public init(dataBytes: Int64 = 0, csvBytes: Int64 = 0) {
            self.dataBytes = dataBytes
            self.csvBytes = csvBytes
        }
    }

    /// How the records are written for the ingest.
    public enum Layout: String, Sendable, CaseIterable {
        /// One UAL record a line (`Search-UnifiedAuditLog` output, Management API blobs split by line).
        case jsonLines = "ual-jsonl"
        /// A Purview audit search export: a CSV row a record, the record as JSON in `AuditData`.
        case purviewCSV = "purview-csv"

        static let purviewHeader =
            "RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames\n"
    }

    /// Writes the UAL JSON lines.
    @discardableResult
    public func write(jsonLines: URL, flatCSV: URL, sourceFile: String) throws -> Written {
        try write(.jsonLines, to: jsonLines, flatCSV: flatCSV, sourceFile: sourceFile)
    }

    /// Writes the records in `layout` and the rows mailhound stores for them; `sourceFile` is the
    /// path the CSV rows name in `source_file` (the data file as the ingest will see it).
    @discardableResult
    public func write(_ layout: Layout, to data: URL, flatCSV: URL, sourceFile: String) throws -> Written {
        let json = try BufferedFile(data)
        let csv = try BufferedFile(flatCSV)
        var random = SplitMix64(seed: seed)
        let start =
            Timestamp(year: 2024, month: 5, day: 31).microsecondsSinceEpoch - Int64(days) * 86_400_000_000
        let step = Int64(days) * 86_400_000_000 / Int64(max(records, 1))
        var offset: Int64 = 0
        var firstLine = 1
        if layout == .purviewCSV {
            json.append(Layout.purviewHeader)
            offset = Int64(Layout.purviewHeader.utf8.count)
            firstLine = 2
        }
        for index in 0..<records {
            let time = Timestamp(
                microsecondsSinceEpoch: start + step * Int64(index) / 1_000_000 * 1_000_000)
            let record = makeRecord(index: index, time: time, random: &random)
            let line = record.json
            let written = layout == .jsonLines ? line + "\n" : record.purviewRow(auditData: line)
            json.append(written)
            record.appendCSVRow(
                to: csv, sourceFile: sourceFile, line: firstLine + index, offset: offset, raw: line)
            offset += Int64(written.utf8.count)
        }
        try json.close()
        try csv.close()
        return Written(dataBytes: json.written, csvBytes: csv.written)
    }

    private func makeRecord(index: Int, time: Timestamp, random: inout SplitMix64) -> Record {
        let user = random.next(below: users)
        var record = Record(
            id: random.uuid(), time: time, tenant: Self.organizationID,
            actor: "user\(user)@\(Self.domain)",
            address: "198.51.\(100 + user / 250 % 4).\(user % 250 + 1)",
            mailboxGUID: random.uuid(), session: random.uuid(),
            folder: folders[random.next(below: folders.count)])
        for _ in 0..<4 {
            record.items.append((random.hex(24), 2_000 + random.next(below: 90_000)))
        }
        return record
    }

    private let folders = ["\\Inbox", "\\Sent Items", "\\Archive", "\\Projects\\Q2 Budget"]

    private struct Record {
        var id: String
        var time: Timestamp
        var tenant: String
        var actor: String
        var address: String
        var mailboxGUID: String
        var session: String
        var folder: String
        var items: [(messageID: String, size: Int)] = []

        static let outlook = "d3590ed6-52b3-4102-aeff-aad2292ab01c"
        static let clientInfo = "Client=MSExchangeRPC"

        var json: String {
            let creation = String(time.description.dropLast())  // UAL times carry no zone
            let listed = items.map {
                "{\"InternetMessageId\":\"<\($0.messageID)@\(BenchCorpus.domain)>\",\"SizeInBytes\":\($0.size)}"
            }.joined(separator: ",")
            let path = escapedBackslashes(folder)
            return """
                {"CreationTime":"\(creation)","Id":"\(id)","Operation":"MailItemsAccessed",\
                "OrganizationId":"\(tenant)","RecordType":50,"ResultStatus":"Succeeded",\
                "UserKey":"10032001A1B2C3D4","UserType":0,"Version":1,"Workload":"Exchange","UserId":"\(actor)",\
                "AppId":"\(Self.outlook)","ClientAppId":"\(Self.outlook)","ClientIPAddress":"\(address)",\
                "ClientInfoString":"\(Self.clientInfo)","ExternalAccess":false,"InternalLogonType":0,"LogonType":0,\
                "LogonUserSid":"S-1-5-21-1004336348-1177238915-682003330-1105","MailboxGuid":"\(mailboxGUID)",\
                "MailboxOwnerSid":"S-1-5-21-1004336348-1177238915-682003330-1105","MailboxOwnerUPN":"\(actor)",\
                "OperationProperties":[{"Name":"MailAccessType","Value":"Bind"},{"Name":"IsThrottled","Value":"False"}],\
                "OrganizationName":"contosoexample.onmicrosoft.com","OriginatingServer":"DB8PR01MB6502 (15.20.7544.019)",\
                "SessionId":"\(session)","OperationCount":\(items.count),\
                "Folders":[{"Id":"LgAAAAAxQ2vN8r1ZQbXlYJc0bUeZAQBzk2Sx7nQpT4ZcQ0aE1cD9AAAAAAEMAAAB","Path":"\(path)",\
                "FolderItems":[\(listed)]}]}
                """
        }

        /// The Purview export row of this record, `auditData` quoted as CSV.
        func purviewRow(auditData: String) -> String {
            let quoted = auditData.replacingOccurrences(of: "\"", with: "\"\"")
            let creation = String(time.description.dropLast()) + ".0000000Z"
            return "\(id),\(creation),50,MailItemsAccessed,\(actor),\"\(quoted)\",,\n"
        }

        /// Appends the row mailhound's normalizer produces for `raw` (this record's JSON), in
        /// `mailhound.events` column order.
        func appendCSVRow(
            to file: BufferedFile, sourceFile: String, line: Int, offset: Int64, raw: String
        ) {
            let fields: [String] = [
                tenant, id, time.description, "50", "Exchange", "MailItemsAccessed", "Succeeded", actor,
                "user",
                "0", "0", actor, mailboxGUID, address, Self.clientInfo, Self.outlook, Self.outlook, session,
                "Bind",
                String(items.count), String(items.reduce(0) { $0 + $1.size }),
                "{\"" + escapedBackslashes(folder) + "\"}", "f", "f", "", "", sourceFile, String(line),
                String(offset),
                raw,
            ]
            for (index, field) in fields.enumerated() {
                if index > 0 { file.append(byte: UInt8(ascii: ",")) }
                // Empty means NULL in PostgreSQL's CSV; everything else is quoted.
                guard !field.isEmpty else { continue }
                file.append(byte: UInt8(ascii: "\""))
                for byte in field.utf8 {
                    if byte == UInt8(ascii: "\"") { file.append(byte: byte) }
                    file.append(byte: byte)
                }
                file.append(byte: UInt8(ascii: "\""))
            }
            file.append(byte: UInt8(ascii: "\n"))
        }
    }
}

private func escapedBackslashes(_ text: String) -> String {
    var result = ""
    for character in text {
        if character == "\\" { result.append("\\") }
        result.append(character)
    }
    return result
}

/// Appends text to a file through a 1 MiB buffer.
final class BufferedFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var written: Int64 = 0

    init(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(1 << 20)
    }

    func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    func append(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer))
        written += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}
