import AuditEvents
import AuditSources
import PostgresClient

/// Column lists shared by the staging tables and the COPY encoders; the order is the contract.
enum EventRows {
    static let eventColumns = """
        tenant, record_id, occurred_at, record_type, workload, operation, result_status, actor, actor_kind,
        user_type, logon_type, mailbox_owner, mailbox_guid, client_ip, client_info, app_id, client_app_id,
        source_session_id, access_type, items, bytes, folders, is_throttled, external_access, object_id,
        parameters, origin_server, source_file, source_line, source_offset, raw
        """
    static let eventColumnCount = 31

    static let webColumns = """
        tenant, request_key, occurred_at, log_kind, server, protocol, method, url_stem, url_query, http_status,
        authenticated_user, client_ip, user_agent, anchor_mailbox, routing_hint, backend_cookie, request_bytes,
        response_bytes, indicators, source_file, source_line, source_offset, raw
        """
    static let webColumnCount = 23

    static let quarantineColumns = "tenant, source_file, source_offset, source_line, reason, raw"
    static let quarantineColumnCount = 6

    static func append(_ event: AuditEvent, to encoder: inout BinaryCopyEncoder) {
        encoder.beginRow(fieldCount: eventColumnCount)
        encoder.append(text: event.tenant)
        encoder.append(uuid: event.recordID.bytes)
        encoder.append(timestampMicroseconds: event.occurredAt.microsecondsSinceEpoch)
        encoder.append(int32: event.recordType)
        encoder.append(text: event.workload)
        encoder.append(text: event.operation)
        encoder.append(text: event.resultStatus)
        encoder.append(text: event.actor)
        encoder.append(text: event.actorKind.rawValue)
        encoder.append(int16: event.userType)
        encoder.append(int16: event.logonType)
        encoder.append(text: event.mailboxOwner)
        encoder.append(text: event.mailboxGUID)
        encoder.append(inet: event.clientIP?.bytes)
        encoder.append(text: event.clientInfo)
        encoder.append(text: event.appID)
        encoder.append(text: event.clientAppID)
        encoder.append(text: event.sourceSessionID)
        encoder.append(text: event.accessType)
        encoder.append(int32: event.items)
        encoder.append(int64: event.bytes)
        encoder.append(textArray: event.folders)
        encoder.append(bool: event.isThrottled)
        encoder.append(bool: event.externalAccess)
        encoder.append(text: event.objectID)
        encoder.append(jsonb: event.parameters.isEmpty ? nil : parametersJSON(event.parameters))
        encoder.append(text: event.originServer)
        encoder.append(text: event.origin.file)
        encoder.append(int64: Int64(event.origin.line))
        encoder.append(int64: event.origin.byteOffset)
        encoder.append(text: event.raw)
    }

    static func append(_ request: WebRequest, to encoder: inout BinaryCopyEncoder) {
        encoder.beginRow(fieldCount: webColumnCount)
        encoder.append(text: request.tenant)
        encoder.append(uuid: request.key.bytes)
        encoder.append(timestampMicroseconds: request.occurredAt.microsecondsSinceEpoch)
        encoder.append(text: request.logKind.rawValue)
        encoder.append(text: request.server)
        encoder.append(text: request.proxyProtocol)
        encoder.append(text: request.method)
        encoder.append(text: request.urlStem)
        encoder.append(text: request.urlQuery)
        encoder.append(int32: request.httpStatus)
        encoder.append(text: request.user)
        encoder.append(inet: request.clientIP?.bytes)
        encoder.append(text: request.userAgent)
        encoder.append(text: request.anchorMailbox)
        encoder.append(text: request.routingHint)
        encoder.append(text: request.backEndCookie)
        encoder.append(int64: request.requestBytes)
        encoder.append(int64: request.responseBytes)
        encoder.append(textArray: request.indicators.map(\.rawValue))
        encoder.append(text: request.origin.file)
        encoder.append(int64: Int64(request.origin.line))
        encoder.append(int64: request.origin.byteOffset)
        encoder.append(text: request.raw)
    }

    static func append(_ record: QuarantinedRecord, to encoder: inout BinaryCopyEncoder) {
        encoder.beginRow(fieldCount: quarantineColumnCount)
        encoder.append(text: record.tenant)
        encoder.append(text: record.origin.file)
        encoder.append(int64: record.origin.byteOffset)
        encoder.append(int64: Int64(record.origin.line))
        encoder.append(text: record.reason)
        encoder.append(text: record.raw)
    }

    /// `[{"Name":"FilePath","Value":"\\\\srv\\c$\\x.pst"}]`
    static func parametersJSON(_ parameters: [Parameter]) -> String {
        "["
            + parameters.map { "{\"Name\":\(jsonString($0.name)),\"Value\":\(jsonString($0.value))}" }
            .joined(separator: ",") + "]"
    }

    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\0": result += "\\ufffd"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
