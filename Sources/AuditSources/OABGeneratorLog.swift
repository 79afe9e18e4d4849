import AuditEvents

/// Exchange's OAB generator log (`Logging\OABGeneratorLog\*.log`), where CVE-2021-26858 shows.
/// The generator downloads files only to `ClientAccess\OAB\Temp`; the exploit's arbitrary file
/// write leaves `Download failed and temporary file '<path>' needs to be removed` naming another
/// path. Microsoft's checks (Test-ProxyLogon, the Sentinel rule) match that message anywhere in a
/// line, and the log's columns around it are not documented publicly, so a line is read for the
/// message and its first ISO 8601 time, whatever else it holds, and keyed by those two: the same
/// line found by `findstr` (with `file:line:` before it) is the same record. Lines without the
/// message are counted, not stored.
enum OABGeneratorLog {
    static let message = "Download failed and temporary file "
    static let messageEnd = " needs to be removed"
    static let skippedWorkload = "OAB generator lines without a download failure"

    /// An Exchange log directive naming the OAB generator (`#Log-type: OABGenerator Log`).
    static func namedByDirective(_ lines: [Substring]) -> Bool {
        lines.contains { line in
            guard line.hasPrefix("#Log-type:") else { return false }
            let kind = line.lowercased().filter { $0 != " " }
            return kind.contains("oabgenerator")
        }
    }

    /// The message itself, on any of the first lines.
    static func containsMessage(_ lines: [Substring]) -> Bool {
        lines.contains { $0.contains(message) }
    }

    /// The path the message names, its quotes removed; nil on lines without the message.
    static func writtenPath(in line: String) -> String? {
        guard let start = line.range(of: message) else { return nil }
        let rest = line[start.upperBound...]
        let path = rest.range(of: messageEnd).map { rest[..<$0.lowerBound] } ?? rest
        let trimmed = path.trimming("'\" \r")
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The line's first ISO 8601 time (`2021-03-03T04:05:06.789Z`, with or without fraction and zone).
    static func firstTime(in line: String) -> Timestamp? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 19 else { return nil }
        for start in 0...(bytes.count - 19) where bytes[start].isDigit && bytes[start + 4] == UInt8(ascii: "-") {
            var end = start + 19
            while end < bytes.count,
                bytes[end].isDigit || bytes[end] == UInt8(ascii: ".")
                    || bytes[end] == UInt8(ascii: "Z")
            {
                end += 1
            }
            if let time = bytes[start..<end].withUnsafeBufferPointer({ Timestamp(iso8601: $0) }) { return time }
        }
        return nil
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}

extension AuditFileReader {
    func readOABGenerator(
        _ buffer: StreamBuffer, firstLine: Int, holdBackTail: Bool,
        advanced: (Int64, Int, [String]?) -> Void, _ body: (SourceItem) throws -> Void
    ) throws {
        let file = input.path
        try splitLines(buffer, file: file, firstLine: firstLine, holdBackTail: holdBackTail) { record in
            advanced(record.nextOffset, record.line + 1, nil)
            let origin = Origin(file: file, line: record.line, byteOffset: record.offset)
            let text = record.text
            if let problem = record.problem { return try body(quarantine(origin, problem, text)) }
            if text.hasPrefix("#") { return }
            guard let path = OABGeneratorLog.writtenPath(in: text) else {
                return try body(.skipped(workload: OABGeneratorLog.skippedWorkload))
            }
            guard let time = OABGeneratorLog.firstTime(in: text) else {
                return try body(quarantine(origin, "a download failure without an ISO 8601 time on its line", text))
            }
            try body(
                .event(
                    AuditEvent(
                        tenant: defaultTenant,
                        recordID: RecordID(naturalKey: time.description + "\u{1F}" + path, kind: "oab-generator"),
                        occurredAt: time, workload: "OABGenerator", operation: "OABDownloadFailed",
                        actorKind: .system, objectID: path, parameters: [Parameter(name: "TemporaryFile", value: path)],
                        origin: origin, raw: text)))
        }
    }
}
