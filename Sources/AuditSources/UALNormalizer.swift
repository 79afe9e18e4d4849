import AuditEvents
import CAuditJSON

/// Turns one UAL record's JSON (or an envelope holding it) into an `AuditEvent`.
/// Holds simdjson parsers, so one normalizer serves one thread at a time.
public final class UALNormalizer {
    /// Workloads whose records mailhound keeps; others are counted and skipped.
    public static let keptWorkloads: Set<String> = [
        "Exchange", "SecurityComplianceCenter", "AzureActiveDirectory",
    ]

    public enum Outcome {
        case event(AuditEvent)
        case skipped(workload: String)
    }

    private let scanner: OpaquePointer
    private let defaultTenant: String
    private var padded: [UInt8] = []

    public init(defaultTenant: String) {
        guard let scanner = mh_scanner_create() else {
            fatalError("out of memory creating the JSON scanner")
        }
        self.scanner = scanner
        self.defaultTenant = defaultTenant
    }

    deinit { mh_scanner_destroy(scanner) }

    /// Normalizes bytes already copied into `padded`; the CSV reader fills it directly.
    func normalizePadded(origin: Origin) throws(RecordError) -> Outcome {
        let count = padded.count
        padded.append(contentsOf: repeatElement(0x20, count: Int(MH_JSON_PADDING)))
        defer { padded.removeLast(Int(MH_JSON_PADDING)) }
        return try padded.withUnsafeBufferPointer { bytes throws(RecordError) in
            try normalize(base: bytes.baseAddress!, count: count, readable: bytes.count, origin: origin)
        }
    }

    func withPaddedBuffer<T>(_ fill: (inout [UInt8]) -> T) -> T {
        padded.removeAll(keepingCapacity: true)
        return fill(&padded)
    }

    func normalize(
        base: UnsafePointer<UInt8>, count: Int, readable: Int, origin: Origin
    )
        throws(RecordError)
        -> Outcome
    {
        var fields = mh_ual_record()
        let status = base.withMemoryRebound(to: CChar.self, capacity: readable) {
            mh_scan_record(scanner, $0, count, readable, &fields)
        }
        guard status == 0 else {
            throw RecordError(reason: "invalid JSON: " + String(cString: mh_scanner_error(scanner)))
        }
        let raw = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        if let workload = fields.workload.string, !Self.keptWorkloads.contains(workload) {
            return .skipped(workload: workload)
        }
        guard let idText = fields.id.string else { throw RecordError(reason: "missing field \"Id\"") }
        guard let recordID = RecordID(idText) else {
            throw RecordError(reason: "field \"Id\" is not a GUID")
        }
        guard let timeText = fields.creation_time.string else {
            throw RecordError(reason: "missing field \"CreationTime\"")
        }
        guard let occurredAt = Timestamp(iso8601: timeText) else {
            throw RecordError(reason: "field \"CreationTime\" is not an ISO 8601 time")
        }
        guard let operation = fields.operation.string, !operation.isEmpty else {
            throw RecordError(reason: "missing field \"Operation\"")
        }
        var parameters: [Parameter] = []
        parameters.reserveCapacity(fields.parameter_count)
        for index in 0..<fields.parameter_count {
            parameters.append(
                Parameter(
                    name: mh_scanner_parameter_name(scanner, index).string ?? "",
                    value: mh_scanner_parameter_value(scanner, index).string ?? ""))
        }
        if let text = fields.parameters_text.string {
            parameters.append(Parameter(name: "", value: text))
        }
        let folders = (0..<fields.folder_count).compactMap { mh_scanner_folder(scanner, $0).string }
        let actor = fields.user_id.string
        let appID = fields.app_id.string
        let clientAppID = fields.client_app_id.string
        let userType = fields.user_type.optional
        let logonType = fields.logon_type.optional
        let ipText = fields.client_ip.string ?? fields.client_ip_address.string
        var event = AuditEvent(
            tenant: fields.organization_id.string.flatMap { $0.isEmpty ? nil : $0 } ?? defaultTenant,
            recordID: recordID,
            occurredAt: occurredAt,
            recordType: fields.record_type.optional,
            workload: fields.workload.string,
            operation: operation,
            resultStatus: fields.result_status.string,
            actor: actor,
            actorKind: ActorKind.classify(
                actor: actor, userType: userType, logonType: logonType,
                appID: (clientAppID?.isEmpty == false ? clientAppID : nil) ?? appID),
            userType: userType,
            logonType: logonType,
            mailboxOwner: fields.mailbox_owner.string,
            mailboxGUID: fields.mailbox_guid.string,
            clientIP: ipText.flatMap(IPAddress.init(logText:)),
            clientInfo: fields.client_info.string,
            appID: appID,
            clientAppID: clientAppID,
            sourceSessionID: fields.session_id.string.flatMap { $0.isEmpty ? nil : $0 },
            accessType: fields.mail_access_type.string,
            items: Int(fields.items),
            bytes: fields.bytes,
            folders: folders,
            isThrottled: fields.is_throttled.flag,
            externalAccess: fields.external_access.flag,
            objectID: fields.object_id.string,
            parameters: parameters,
            origin: origin,
            raw: raw)
        // Aggregated binds report their count; Sync records list no items.
        if let count = fields.operation_count.optional, count > event.items { event.items = Int(count) }
        event.inferMailboxOwnerFromParameters()
        return .event(event)
    }
}

/// Why one record could not be loaded; the record goes to quarantine.
public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension mh_str {
    var string: String? {
        guard let ptr else { return nil }
        return ptr.withMemoryRebound(to: UInt8.self, capacity: len) {
            String(decoding: UnsafeBufferPointer(start: $0, count: len), as: UTF8.self)
        }
    }
}

extension Int64 {
    var optional: Int? { self < 0 ? nil : Int(self) }
}

extension Int32 {
    var flag: Bool? { self < 0 ? nil : self == 1 }
}
