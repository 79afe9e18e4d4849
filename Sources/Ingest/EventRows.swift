import AuditEvents
import AuditSources
import PostgresClient

/// Column lists shared by the staging tables and the COPY encoders; the order is the contract.
enum EventRows {
    static let eventColumns = """
        tenant, record_id, occurred_at, record_type, workload, operation, result_status, actor, actor_kind,
        user_type, logon_type, mailbox_owner, mailbox_guid, client_ip, client_info, app_id, client_app_id,
        source_session_id, access_type, items, bytes, folders, is_throttled, external_access, object_id,
        parameters, origin_server, source_file, source_line, source_offset, raw_chunk, raw_start, raw_length,
        content_hash, key_source, session_key, values_digest
        """
    static let eventColumnCount = 37

    static let webColumns = """
        tenant, request_key, occurred_at, log_kind, server, protocol, method, url_stem, url_query, http_status,
        authenticated_user, client_ip, user_agent, anchor_mailbox, routing_hint, backend_cookie, request_bytes,
        response_bytes, indicators, source_file, source_line, source_offset, raw_chunk, raw_start, raw_length,
        content_hash, key_source, missing_fields
        """
    static let webColumnCount = 28

    static let quarantineColumns = "tenant, source_file, source_offset, source_line, reason, raw"
    static let quarantineColumnCount = 6

    /// One row of mailhound.events, from an owned event or a UAL record read in place, with its
    /// `ContentHash` and where its raw text was placed. Its session key and values digest are
    /// computed here unless `sessionKeys` is false or only the server can compute them
    /// (`SessionKey`, `ValuesDigest`): false when the row went without, for
    /// `mailhound.fill_session_keys()` to set.
    @discardableResult
    static func append<Row: EventRow & ~Copyable>(
        _ event: borrowing Row, contentHash: Int64, raw: RawChunks.Placement, sessionKeys: Bool = true,
        to encoder: inout BinaryCopyEncoder
    ) -> Bool {
        var keyed = false
        encoder.appendRow(fieldCount: eventColumnCount, textMayHoldNUL: event.textMayHoldNUL) { row in
            let fields = row.mark
            append(event, to: &row)
            // Both or neither: the server sets the digest with the key it sets.
            var key: Int64?
            var digest: (high: UInt64, low: UInt64)?
            if sessionKeys, let written = KeyFields(row.written(since: fields)),
                let rowKey = SessionKey.of(written), let rowDigest = ValuesDigest.of(written)
            {
                key = rowKey
                digest = rowDigest
            }
            row.append(raw)
            row.append(int64: contentHash)
            row.appendNull()  // key_source: the record's own id
            row.append(int64: key)
            if let digest { row.append(uuidHigh: digest.high, low: digest.low) } else { row.appendNull() }
            keyed = key != nil
        }
        return keyed
    }

    private static func append<Row: EventRow & ~Copyable>(_ event: borrowing Row, to encoder: inout RowWriter) {
        encoder.append(text: event.tenant, limit: BoundedText.keyBytes)
        encoder.append(uuid: event.recordID)
        encoder.append(timestampMicroseconds: event.occurredAt.microsecondsSinceEpoch)
        encoder.append(int32: event.recordType)
        encoder.append(text: event.workload, limit: BoundedText.keyBytes)
        encoder.append(text: event.operation, limit: BoundedText.keyBytes)
        encoder.append(text: event.resultStatus, limit: BoundedText.keyBytes)
        encoder.append(text: event.actor, limit: BoundedText.keyBytes)
        encoder.append(text: event.actorKind.rawValue)
        encoder.append(int16: event.userType)
        encoder.append(int16: event.logonType)
        encoder.append(text: event.mailboxOwner, limit: BoundedText.keyBytes)
        encoder.append(text: event.mailboxGUID, limit: BoundedText.keyBytes)
        encoder.append(inet: event.clientIP)
        encoder.append(text: event.clientInfo, limit: BoundedText.keyBytes)
        encoder.append(text: event.appID, limit: BoundedText.keyBytes)
        encoder.append(text: event.clientAppID, limit: BoundedText.keyBytes)
        encoder.append(text: event.sourceSessionID, limit: BoundedText.keyBytes)
        encoder.append(text: event.accessType, limit: BoundedText.keyBytes)
        encoder.append(int32: event.items)
        encoder.append(int64: event.bytes)
        encoder.append(textArrayOf: event.folders.count) { row in
            for folder in event.folders { row.append(text: folder, limit: BoundedText.keyBytes) }
        }
        encoder.append(bool: event.isThrottled)
        encoder.append(bool: event.externalAccess)
        encoder.append(text: event.objectID, limit: BoundedText.keyBytes)
        if event.hasParameters {
            // `[{"Name":"FilePath","Value":"\\\\srv\\c$\\x.pst"}]`
            encoder.append(jsonb: { json in
                json.append(syntax: "[")
                var first = true
                event.forEachParameter { name, value in
                    json.append(syntax: first ? "{\"Name\":" : ",{\"Name\":")
                    name.append(to: &json)
                    json.append(syntax: ",\"Value\":")
                    value.append(to: &json)
                    json.append(syntax: "}")
                    first = false
                }
                json.append(syntax: "]")
            })
        } else {
            encoder.appendNull()
        }
        encoder.append(text: event.originServer, limit: BoundedText.keyBytes)
        encoder.append(text: event.sourceFile)
        encoder.append(int64: Int64(event.sourceLine))
        encoder.append(int64: event.sourceOffset)
    }

    static func append(
        _ request: WebRequest, contentHash: Int64, raw: RawChunks.Placement, to encoder: inout BinaryCopyEncoder
    ) {
        encoder.appendRow(fieldCount: webColumnCount) { row in
            append(request, to: &row)
            row.append(raw)
            row.append(int64: contentHash)
            row.appendNull()  // key_source: the request's own key
            row.append(textArray: request.missingFields.isEmpty ? nil : request.missingFields)
        }
    }

    private static func append(_ request: WebRequest, to encoder: inout RowWriter) {
        encoder.append(text: request.tenant, limit: BoundedText.keyBytes)
        encoder.append(uuid: request.key)
        encoder.append(timestampMicroseconds: request.occurredAt.microsecondsSinceEpoch)
        encoder.append(text: request.logKind.rawValue)
        encoder.append(text: request.server, limit: BoundedText.keyBytes)
        encoder.append(text: request.proxyProtocol, limit: BoundedText.keyBytes)
        encoder.append(text: request.method, limit: BoundedText.keyBytes)
        encoder.append(text: request.urlStem, limit: BoundedText.displayBytes)
        encoder.append(text: request.urlQuery, limit: BoundedText.displayBytes)
        encoder.append(int32: request.httpStatus)
        encoder.append(text: request.user, limit: BoundedText.keyBytes)
        encoder.append(inet: request.clientIP)
        encoder.append(text: request.userAgent, limit: BoundedText.displayBytes)
        encoder.append(text: request.anchorMailbox, limit: BoundedText.keyBytes)
        encoder.append(text: request.routingHint, limit: BoundedText.keyBytes)
        encoder.append(text: request.backEndCookie, limit: BoundedText.displayBytes)
        encoder.append(int64: request.requestBytes)
        encoder.append(int64: request.responseBytes)
        encoder.append(textArray: request.indicators.map(\.rawValue))
        encoder.append(text: request.origin.file)
        encoder.append(int64: Int64(request.origin.line))
        encoder.append(int64: request.origin.byteOffset)
    }

    static func append(_ record: QuarantinedRecord, to encoder: inout BinaryCopyEncoder) {
        encoder.appendRow(fieldCount: quarantineColumnCount) { append(record, to: &$0) }
    }

    private static func append(_ record: QuarantinedRecord, to encoder: inout RowWriter) {
        encoder.append(text: record.tenant)
        encoder.append(text: record.origin.file)
        encoder.append(int64: record.origin.byteOffset)
        encoder.append(int64: Int64(record.origin.line))
        encoder.append(text: record.reason)
        encoder.append(text: record.raw)
    }
}

/// What a row of mailhound.events is made of: an owned `AuditEvent` (on-premises sources) or a
/// `ScannedRecord` (UAL records, encoded as read). One row layout serves both.
protocol EventRow: ~Copyable {
    associatedtype Text: RowText
    associatedtype Folders: Collection where Folders.Element == Text
    var tenant: Text { get }
    var recordID: RecordID { get }
    var occurredAt: Timestamp { get }
    var recordType: Int? { get }
    var workload: Text? { get }
    var operation: Text { get }
    var resultStatus: Text? { get }
    var actor: Text? { get }
    var actorKind: ActorKind { get }
    var userType: Int? { get }
    var logonType: Int? { get }
    var mailboxOwner: Text? { get }
    var mailboxGUID: Text? { get }
    var clientIP: IPAddress? { get }
    var clientInfo: Text? { get }
    var appID: Text? { get }
    var clientAppID: Text? { get }
    var sourceSessionID: Text? { get }
    var accessType: Text? { get }
    var items: Int { get }
    var bytes: Int64 { get }
    var folders: Folders { get }
    var isThrottled: Bool? { get }
    var externalAccess: Bool? { get }
    var objectID: Text? { get }
    var hasParameters: Bool { get }
    func forEachParameter(_ body: (Text, Text) -> Void)
    var originServer: String? { get }
    var sourceFile: Text { get }
    var sourceLine: Int { get }
    var sourceOffset: Int64 { get }
    var raw: Text { get }
    /// False when no text of the row can hold a NUL byte, so texts are copied without a search.
    var textMayHoldNUL: Bool { get }
}

extension ScannedRecord: EventRow {}

extension AuditEvent: EventRow {
    var textMayHoldNUL: Bool { true }
    var sourceFile: String { origin.file }
    var sourceLine: Int { origin.line }
    var sourceOffset: Int64 { origin.byteOffset }
    var hasParameters: Bool { !parameters.isEmpty }

    func forEachParameter(_ body: (String, String) -> Void) {
        for parameter in parameters { body(parameter.name, parameter.value) }
    }
}

/// Text of a row: a `String`, or UTF-8 bytes read in place. Rows are encoded by generic code of
/// this module, specialized for both, while the encoder's own methods stay concrete.
protocol RowText {
    func append(to row: inout RowWriter)
    func append(to json: inout JSONText)
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result
}

extension String: RowText {
    func append(to row: inout RowWriter) { row.append(text: self) }
    func append(to json: inout JSONText) { json.append(string: self) }
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}

extension UnsafeBufferPointer<UInt8>: RowText {
    func append(to row: inout RowWriter) { row.append(text: self) }
    func append(to json: inout JSONText) { json.append(string: self) }
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result { body(self) }
}

extension RowWriter {
    mutating func append<Text: RowText>(text: Text?) {
        guard let text else { return appendNull() }
        text.append(to: &self)
    }

    /// raw_chunk, raw_start, raw_length.
    mutating func append(_ raw: RawChunks.Placement) {
        append(int64: raw.chunkID)
        append(int32: Int(raw.start))
        append(int32: Int(raw.length))
    }

    mutating func append(uuid id: RecordID) {
        append(uuidHigh: id.high, low: id.low)
    }

    mutating func append(inet address: IPAddress?) {
        guard let address else { return appendNull() }
        switch address.family {
        case .v4: append(inet4: UInt32(truncatingIfNeeded: address.low))
        case .v6: append(inet6High: address.high, low: address.low)
        }
    }
}
