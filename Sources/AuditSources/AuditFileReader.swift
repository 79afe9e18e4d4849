import AuditEvents

/// What reading one record produced.
public enum SourceItem {
    case event(AuditEvent)
    case quarantined(QuarantinedRecord)
    /// A well-formed record of a workload mailhound does not keep (SharePoint, Teams, ...).
    case skipped(workload: String)
}

/// A record that could not be loaded, kept with where it was and why.
public struct QuarantinedRecord: Sendable, Equatable, CustomStringConvertible {
    public var tenant: String
    public var origin: Origin
    public var reason: String
    public var raw: String

    public init(tenant: String, origin: Origin, reason: String, raw: String) {
        self.tenant = tenant
        self.origin = origin
        self.reason = reason
        self.raw = raw
    }

    /// `ual.jsonl:1432: missing field "Id" (quarantined)`
    public var description: String { "\(origin): \(reason) (quarantined)" }
}

/// Reads one input front to back, recognizing its format and yielding one item a record.
/// Memory stays bounded by the longest record, whatever the file size.
public final class AuditFileReader {
    public let input: InputFile
    public private(set) var format: SourceFormat?
    private let normalizer: UALNormalizer
    private let defaultTenant: String

    public init(input: InputFile, defaultTenant: String) {
        self.input = input
        self.defaultTenant = defaultTenant
        self.normalizer = UALNormalizer(defaultTenant: defaultTenant)
    }

    /// Calls `body` for every record. Throws `SourceError` when the input as a whole cannot be read.
    public func read(_ body: (SourceItem) throws -> Void) throws {
        let file = input.path
        var stream: any ByteStream =
            input.isStandardInput ? DescriptorStream(standardInput: ()) : try DescriptorStream(path: file)
        if input.isGzip { stream = try GzipStream(wrapping: stream, name: file) }
        let buffer = StreamBuffer(stream: stream)
        let (format, firstLine) = try Self.sniff(buffer, file: file)
        self.format = format
        switch format {
        case .ualJSONLines:
            try splitJSONLines(buffer, file: file, firstLine: firstLine) { try body(item(for: $0)) }
        case .ualJSONArray:
            try splitJSONArray(buffer, file: file, firstLine: firstLine) { try body(item(for: $0)) }
        case .purviewCSV:
            try readPurviewCSV(buffer, firstLine: firstLine, body)
        }
    }

    private func item(for record: RawRecord) -> SourceItem {
        let origin = Origin(file: input.path, line: record.line, byteOffset: record.offset)
        if let problem = record.problem { return quarantine(origin, problem, record.text) }
        do {
            switch try normalizer.normalize(
                base: record.base, count: record.count, readable: record.readable, origin: origin)
            {
            case .event(let event): return .event(event)
            case .skipped(let workload): return .skipped(workload: workload)
            }
        } catch {
            return quarantine(origin, error.reason, record.text)
        }
    }

    private func quarantine(_ origin: Origin, _ reason: String, _ raw: String) -> SourceItem {
        .quarantined(QuarantinedRecord(tenant: defaultTenant, origin: origin, reason: reason, raw: raw))
    }

    private func readPurviewCSV(
        _ buffer: StreamBuffer, firstLine: Int, _ body: (SourceItem) throws -> Void
    ) throws {
        let file = input.path
        var reader = CSVRecordReader(buffer: buffer, file: file, firstLine: firstLine)
        var record = CSVRecordReader.Record()
        guard try reader.next(into: &record) else {
            throw SourceError(file: file, reason: "empty CSV file")
        }
        let header = record.fields.indices.map { reader.text(of: record, field: $0) }
        buffer.start += record.length
        guard let auditData = header.firstIndex(of: "AuditData") else {
            throw SourceError(file: file, line: record.line, reason: "CSV header has no AuditData column")
        }
        while try reader.next(into: &record) {
            defer { buffer.start += record.length }
            let origin = Origin(file: file, line: record.line, byteOffset: record.offset)
            let rowText = {
                String(
                    decoding: UnsafeBufferPointer(start: buffer.storage + buffer.start, count: record.length),
                    as: UTF8.self)
            }
            if record.fields.count == 1, record.fields[0].isEmpty { continue }  // blank line
            if let problem = record.problem {
                try body(quarantine(origin, problem, rowText()))
                continue
            }
            guard auditData < record.fields.count else {
                try body(
                    quarantine(
                        origin, "row has \(record.fields.count) fields, AuditData is field \(auditData + 1)",
                        rowText()))
                continue
            }
            normalizer.withPaddedBuffer { reader.unescape(record, field: auditData, into: &$0) }
            do {
                switch try normalizer.normalizePadded(origin: origin) {
                case .event(let event): try body(.event(event))
                case .skipped(let workload): try body(.skipped(workload: workload))
                }
            } catch let error as RecordError {
                try body(quarantine(origin, "AuditData: " + error.reason, rowText()))
            }
        }
    }

    /// Recognizes the format from the first bytes, consuming a BOM and a PowerShell `#TYPE` line.
    /// Returns the format and the line number at `buffer.start`.
    static func sniff(_ buffer: StreamBuffer, file: String) throws -> (SourceFormat, Int) {
        while buffer.available < 512, try buffer.refill(file: file).gotData {}
        var line = 1
        let storage = buffer.storage
        if buffer.available >= 3, storage[buffer.start] == 0xEF, storage[buffer.start + 1] == 0xBB,
            storage[buffer.start + 2] == 0xBF
        {
            buffer.start += 3
        }
        var index = buffer.start
        let end = buffer.start + buffer.available
        while index < end, storage[index].isJSONWhitespace {
            if storage[index] == .newline { line += 1 }
            index += 1
        }
        guard index < end else { throw SourceError(file: file, reason: "empty input") }
        switch storage[index] {
        case UInt8(ascii: "{"):
            return (.ualJSONLines, 1)
        case UInt8(ascii: "["):
            buffer.start = index
            return (.ualJSONArray, line)
        default:
            break
        }
        let headLength = min(buffer.available, 4096)
        let head = String(
            decoding: UnsafeBufferPointer(start: storage + buffer.start, count: headLength), as: UTF8.self
        )
        var lines = head.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if lines.first?.hasPrefix("#TYPE") == true {
            let typeLine = lines.removeFirst()
            buffer.start += typeLine.utf8.count
            while buffer.available > 0,
                storage[buffer.start] == .carriageReturn || storage[buffer.start] == .newline
            {
                if storage[buffer.start] == .newline { line += 1 }
                buffer.start += 1
            }
        }
        let header = lines.first.map(String.init) ?? ""
        let columns = header.split(separator: ",").map { $0.trimmingCharacters(in: "\" \r") }
        if columns.contains("AuditData") { return (.purviewCSV, line) }
        if header.split(separator: ";").contains(where: {
            $0.trimmingCharacters(in: "\" \r") == "AuditData"
        }) {
            throw SourceError(
                file: file, line: line,
                reason: "CSV uses ';' separators (re-saved by a spreadsheet); export it again from Purview")
        }
        throw SourceError(
            file: file, line: line,
            reason:
                "unknown format: expected UAL JSON lines, a JSON array of UAL records or a Purview audit CSV"
        )
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var result = self
        while let first = result.first, set.contains(first) { result.removeFirst() }
        while let last = result.last, set.contains(last) { result.removeLast() }
        return String(result)
    }
}
