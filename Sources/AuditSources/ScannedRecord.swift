import AuditEvents
import CAuditJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One UAL record read in place: its text fields are views into the input and the scanner's
/// buffers, valid only until the reader reads its next record. Non-copyable and lent to the
/// reader's callback (`borrowing`), so it cannot be kept past that call. The ingest encodes rows
/// from it without making a `String` of every field; `AuditEvent(record)` makes an owned copy.
public struct ScannedRecord: ~Copyable {
    public typealias Text = UnsafeBufferPointer<UInt8>

    /// The record's OrganizationId, or the reader's default tenant when it has none.
    public let tenant: Text
    public let recordID: RecordID
    public let occurredAt: Timestamp
    public let operation: Text
    public let actorKind: ActorKind
    public let mailboxOwner: Text?
    public let clientIP: IPAddress?
    public let items: Int
    /// Where the record was read: the file's name, the line and the byte offset.
    public let sourceFile: Text
    public let sourceLine: Int
    public let sourceOffset: Int64
    /// The record as it was read, kept as evidence.
    public let raw: Text
    /// The normalizer's, overwritten by the next record: pointed to, not copied, as records pass
    /// through several calls.
    private let fieldsStorage: UnsafePointer<mh_ual_record>
    private let scanner: OpaquePointer

    /// Validates the scanned fields; throws for a record that cannot be loaded.
    init(
        fields fieldsStorage: UnsafePointer<mh_ual_record>, scanner: OpaquePointer, raw: Text,
        source: (file: Text, line: Int, offset: Int64), defaultTenant: Text, inferredOwners: OwnedText
    ) throws(RecordError) {
        let fields = fieldsStorage.pointee
        guard let id = fields.id.text else { throw RecordError(reason: "missing field \"Id\"") }
        guard let recordID = RecordID(utf8: id) else {
            let shown = String(decoding: UnsafeBufferPointer(rebasing: id.prefix(64)), as: UTF8.self)
            throw RecordError(
                reason:
                    "field \"Id\" is \"\(shown)\"\(id.count > 64 ? "…" : ""), not a GUID: a UAL record's Id is a GUID "
                    + "such as 6f9619ff-8b86-d011-b42d-00c04fc964ff")
        }
        guard let time = fields.creation_time.text else {
            throw RecordError(reason: "missing field \"CreationTime\"")
        }
        guard let occurredAt = Timestamp(iso8601: time) else {
            throw RecordError(reason: "field \"CreationTime\" is not an ISO 8601 time")
        }
        guard let operation = fields.operation.text, !operation.isEmpty else {
            throw RecordError(reason: "missing field \"Operation\"")
        }
        self.fieldsStorage = fieldsStorage
        self.scanner = scanner
        self.raw = raw
        (sourceFile, sourceLine, sourceOffset) = source
        self.recordID = recordID
        self.occurredAt = occurredAt
        self.operation = operation
        tenant = fields.organization_id.text.flatMap { $0.isEmpty ? nil : $0 } ?? defaultTenant
        let clientAppID = fields.client_app_id.text
        actorKind = ActorKind.classify(
            actor: fields.user_id.text ?? Text(start: nil, count: 0), userType: fields.user_type.optional,
            logonType: fields.logon_type.optional,
            hasAppID: clientAppID?.isEmpty == false || fields.app_id.text != nil)
        clientIP = (fields.client_ip.text ?? fields.client_ip_address.text).flatMap(IPAddress.init(logText:))
        // Aggregated binds report their count; Sync records list no items.
        items = max(Int(fields.items), fields.operation_count.optional ?? 0)
        var owner = fields.mailbox_owner.text
        if owner == nil, fields.hasParameters {
            let parameters = Self.ownedParameters(of: fields, scanner: scanner)
            let target = AuditEvent.mailboxTarget(
                operation: String(decoding: operation, as: UTF8.self), parameter: parameters.value(named:))
            owner = target.map { inferredOwners.hold($0) }
        }
        mailboxOwner = owner
    }

    private var fields: mh_ual_record { fieldsStorage.pointee }

    public var origin: Origin {
        Origin(file: String(decoding: sourceFile, as: UTF8.self), line: sourceLine, byteOffset: sourceOffset)
    }

    public var recordType: Int? { fields.record_type.optional }
    public var workload: Text? { fields.workload.text }
    public var resultStatus: Text? { fields.result_status.text }
    /// Who acted (UserId).
    public var actor: Text? { fields.user_id.text }
    public var userType: Int? { fields.user_type.optional }
    public var logonType: Int? { fields.logon_type.optional }
    public var mailboxGUID: Text? { fields.mailbox_guid.text }
    public var clientInfo: Text? { fields.client_info.text }
    public var appID: Text? { fields.app_id.text }
    public var clientAppID: Text? { fields.client_app_id.text }
    /// The record's own SessionId; an empty one is none.
    public var sourceSessionID: Text? { fields.session_id.text.flatMap { $0.isEmpty ? nil : $0 } }
    public var accessType: Text? { fields.mail_access_type.text }
    public var bytes: Int64 { fields.bytes }
    public var isThrottled: Bool? { fields.is_throttled.flag }
    public var externalAccess: Bool? { fields.external_access.flag }
    public var objectID: Text? { fields.object_id.text }
    /// Cloud records name no on-premises server.
    public var originServer: String? { nil }

    /// Whether a text of the record may hold a NUL byte: every view lies in the raw record or in
    /// text the scanner unescaped, and the scanner notes a NUL in the latter.
    public var textMayHoldNUL: Bool {
        fields.unescaped_nul != 0 || raw.baseAddress.map { memchr($0, 0, raw.count) != nil } ?? false
    }

    public var folders: Folders { Folders(scanner: scanner, count: fields.folder_count) }

    public var hasParameters: Bool { fields.hasParameters }

    /// Cmdlet parameters in source order; a Parameters text comes last, with an empty name.
    public func forEachParameter(_ body: (Text, Text) -> Void) {
        Self.forEachParameter(of: fields, scanner: scanner, body)
    }

    private static func forEachParameter(
        of fields: mh_ual_record, scanner: OpaquePointer, _ body: (Text, Text) -> Void
    ) {
        let empty = Text(start: nil, count: 0)
        for index in 0..<fields.parameter_count {
            body(
                mh_scanner_parameter_name(scanner, index).text ?? empty,
                mh_scanner_parameter_value(scanner, index).text ?? empty)
        }
        if let text = fields.parameters_text.text { body(empty, text) }
    }

    /// Folder paths the record lists, in order.
    public struct Folders: RandomAccessCollection {
        let scanner: OpaquePointer
        public let count: Int
        public var startIndex: Int { 0 }
        public var endIndex: Int { count }
        public subscript(position: Int) -> Text {
            mh_scanner_folder(scanner, position).text ?? Text(start: nil, count: 0)
        }
    }

    /// The parameters as owned values, for the inferred owner and for `AuditEvent(record)`.
    var ownedParameters: [Parameter] { Self.ownedParameters(of: fields, scanner: scanner) }

    private static func ownedParameters(of fields: mh_ual_record, scanner: OpaquePointer) -> [Parameter] {
        var parameters: [Parameter] = []
        parameters.reserveCapacity(fields.parameter_count + 1)
        forEachParameter(of: fields, scanner: scanner) { name, value in
            parameters.append(
                Parameter(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        }
        return parameters
    }
}

extension AuditEvent {
    /// An owned copy of a record read in place.
    public init(_ record: borrowing ScannedRecord) {
        func string(_ text: ScannedRecord.Text?) -> String? { text.map { String(decoding: $0, as: UTF8.self) } }
        self.init(
            tenant: String(decoding: record.tenant, as: UTF8.self), recordID: record.recordID,
            occurredAt: record.occurredAt,
            recordType: record.recordType, workload: string(record.workload),
            operation: String(decoding: record.operation, as: UTF8.self), resultStatus: string(record.resultStatus),
            actor: string(record.actor), actorKind: record.actorKind, userType: record.userType,
            logonType: record.logonType, mailboxOwner: string(record.mailboxOwner),
            mailboxGUID: string(record.mailboxGUID), clientIP: record.clientIP, clientInfo: string(record.clientInfo),
            appID: string(record.appID), clientAppID: string(record.clientAppID),
            sourceSessionID: string(record.sourceSessionID), accessType: string(record.accessType),
            items: record.items, bytes: record.bytes,
            folders: record.folders.map { String(decoding: $0, as: UTF8.self) },
            isThrottled: record.isThrottled, externalAccess: record.externalAccess,
            objectID: string(record.objectID), parameters: record.ownedParameters, originServer: record.originServer,
            origin: record.origin, raw: String(decoding: record.raw, as: UTF8.self))
    }
}

/// Text the normalizer makes (an inferred mailbox owner) and lends out like the scanner's views:
/// valid until the next record.
final class OwnedText {
    private var storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)

    deinit { storage.deallocate() }

    func hold(_ text: String) -> UnsafeBufferPointer<UInt8> {
        let utf8 = text.utf8
        if utf8.count > storage.count {
            storage.deallocate()
            storage = .allocate(capacity: utf8.count)
        }
        let copied = storage.initialize(fromContentsOf: utf8)
        return UnsafeBufferPointer(rebasing: storage[..<copied])
    }
}

/// Text that stays put for the life of its owner (a file's name, a default tenant), lent to
/// every record as a view, so a record holds no reference to count.
final class HeldText {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ text: String) {
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.utf8.count)
        _ = storage.initialize(fromContentsOf: text.utf8)
        bytes = UnsafeBufferPointer(storage)
    }

    deinit { bytes.deallocate() }
}

extension mh_ual_record {
    /// Whether the record lists cmdlet parameters or carries them as one text.
    var hasParameters: Bool { parameter_count > 0 || parameters_text.ptr != nil }
}

extension mh_str {
    /// The view's bytes; nil when the key was absent or JSON null.
    var text: UnsafeBufferPointer<UInt8>? {
        guard let ptr else { return nil }
        return UnsafeBufferPointer(start: UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: len)
    }
}

extension Int64 {
    var optional: Int? { self < 0 ? nil : Int(self) }
}

extension Int32 {
    var flag: Bool? { self < 0 ? nil : self == 1 }
}
