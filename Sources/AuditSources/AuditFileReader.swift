import AuditEvents
import Foundation

/// What reading one record produced.
public enum SourceItem {
    case event(AuditEvent)
    /// A request from a front end's web log.
    case webRequest(WebRequest)
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

/// How a CSV-shaped format is read this time: from where, under which header, and who learns the
/// resume point.
struct CSVTableRead {
    var firstLine: Int
    var columns: [String]?
    var holdBackTail: Bool
    var advanced: (Int64, Int, [String]?) -> Void
}

/// How to read inputs: the tenant for sources without one, how to read local times, and an
/// optional format that overrides recognition.
public struct ReadOptions: Sendable {
    /// Tenant of on-premises records and of quarantined records.
    public var tenant: String
    /// Zone of culture-formatted local times (mailbox and admin audit exports); UTC when not given.
    public var timeZone: TimeZone?
    /// Order of culture-formatted dates; settled from the file's own values when not given.
    public var dateOrder: DateOrder?
    /// Read every input as this format instead of recognizing it.
    public var format: SourceFormat?
    /// A longer record is quarantined with its first and last 4 KiB, and read past without
    /// being held in memory.
    public var recordLimit = RecordSize(bytes: StreamBuffer.defaultRecordLimit)

    public init(
        tenant: String = "default", timeZone: TimeZone? = nil, dateOrder: DateOrder? = nil,
        format: SourceFormat? = nil
    ) {
        self.tenant = tenant
        self.timeZone = timeZone
        self.dateOrder = dateOrder
        self.format = format
    }
}

/// Where reading a file can continue after the records delivered so far: a checkpoint.
public struct ResumePoint: Sendable, Equatable {
    public var offset: Int64
    /// Line number of the first line at `offset`.
    public var line: Int
    public var format: SourceFormat
    /// Header columns in force at `offset`, for the formats that have them.
    public var columns: [String]?

    public init(offset: Int64, line: Int, format: SourceFormat, columns: [String]?) {
        self.offset = offset
        self.line = line
        self.format = format
        self.columns = columns
    }
}

/// Reads one input front to back, recognizing its format and yielding one item a record.
/// Memory stays bounded by the longest record, whatever the file size.
public final class AuditFileReader {
    public let input: InputFile
    public let options: ReadOptions
    public private(set) var format: SourceFormat?
    /// After each delivered record: where reading can continue; nil for inputs that cannot resume
    /// (standard input, gzip, JSON arrays).
    public private(set) var resumePoint: ResumePoint?
    let normalizer: UALNormalizer
    var defaultTenant: String { options.tenant }

    public init(input: InputFile, options: ReadOptions) {
        self.input = input
        self.options = options
        self.normalizer = UALNormalizer(defaultTenant: options.tenant, file: input.path)
    }

    public convenience init(input: InputFile, defaultTenant: String) {
        self.init(input: input, options: ReadOptions(tenant: defaultTenant))
    }

    /// Whether reading can continue from a byte offset: a plain file, in a format read record by
    /// record (JSON arrays are not).
    private func canResume(_ format: SourceFormat) -> Bool {
        !input.isStandardInput && !input.isInMemory && !input.isGzip && format != .ualJSONArray
            && format != .sentinelJSON
    }

    /// Whether this input, in the format being read, can resume from a checkpoint.
    public var isResumable: Bool { format.map(canResume) ?? false }

    /// Calls `body` for every record, from `start` when given (a checkpoint of this file), else from
    /// the beginning. With `holdBackTail` an unterminated last line is left for a later read: a
    /// writer may still be finishing it. Throws `SourceError` when the input as a whole cannot be read.
    public func read(
        from start: ResumePoint? = nil, holdBackTail: Bool = false, _ body: (SourceItem) throws -> Void
    ) throws {
        try read(from: start, holdBackTail: holdBackTail, inPlace: { try body(.event(AuditEvent($0))) }, body)
    }

    /// The same, with UAL records handed to `inPlace` as read, without an owned `AuditEvent` made
    /// of each; the record is valid only during that call. Other items go to `body`.
    public func read(
        from start: ResumePoint? = nil, holdBackTail: Bool = false, inPlace: (borrowing ScannedRecord) throws -> Void,
        _ body: (SourceItem) throws -> Void
    ) throws {
        let file = input.path
        let buffer: StreamBuffer
        let firstLine: Int
        let format: SourceFormat
        var columns: [String]?
        if let start, canResume(start.format) {
            buffer = try input.openBuffer(at: start.offset, recordLimit: options.recordLimit.bytes)
            (firstLine, format, columns) = (start.line, start.format, start.columns)
        } else {
            buffer = try input.openBuffer(recordLimit: options.recordLimit.bytes)
            let recognized = try Self.sniff(buffer, file: file, forced: options.format)
            (firstLine, format) = (recognized.line, options.format ?? recognized.format)
            if options.format == nil || options.format == recognized.format {
                columns = recognized.headerlessColumns
            }
        }
        self.format = format
        let resumable = canResume(format)
        let hold = holdBackTail && resumable
        let advanced = { (offset: Int64, line: Int, names: [String]?) in
            if resumable {
                self.resumePoint = ResumePoint(offset: offset, line: line, format: format, columns: names)
            }
        }
        switch format {
        case .ualJSONLines:
            try splitLines(buffer, file: file, firstLine: firstLine, holdBackTail: hold) { record in
                advanced(record.nextOffset, record.line + 1, nil)
                try deliver(record, inPlace, body)
            }
        case .ualJSONArray:
            try splitJSONArray(buffer, file: file, firstLine: firstLine) { try deliver($0, inPlace, body) }
        case .purviewCSV, .mailboxAuditCSV, .adminAuditCSV, .httpProxy, .ecpServer:
            let table = CSVTableRead(firstLine: firstLine, columns: columns, holdBackTail: hold, advanced: advanced)
            switch format {
            case .purviewCSV: try readPurviewCSV(buffer, table, inPlace, body)
            case .mailboxAuditCSV: try readMailboxAudit(buffer, table, body)
            case .adminAuditCSV: try readAdminAudit(buffer, table, body)
            case .ecpServer: try readECPServer(buffer, table, body)
            default: try readHttpProxy(buffer, table, body)
            }
        case .oabGenerator:
            try readOABGenerator(buffer, firstLine: firstLine, holdBackTail: hold, advanced: advanced, body)
        case .iisW3C:
            try readIIS(buffer, firstLine: firstLine, columns: columns, holdBackTail: hold, advanced: advanced, body)
        case .sentinelJSON:
            try readSentinelJSON(buffer, firstLine: firstLine, body)
        case .entraSignIns:
            try readEntraSignIns(buffer, firstLine: firstLine, body)
        case .graphActivity:
            try readGraphActivity(buffer, firstLine: firstLine, body)
        case .sentinelCSV, .graphActivityCSV, .entraSignInsCSV:
            let table = CSVTableRead(firstLine: firstLine, columns: columns, holdBackTail: hold, advanced: advanced)
            switch format {
            case .graphActivityCSV: try readGraphActivityCSV(buffer, table, body)
            case .entraSignInsCSV: try readEntraSignInsCSV(buffer, table, body)
            default: try readSentinelCSV(buffer, table, body)
            }
        }
    }

    private func deliver(
        _ record: RawRecord, _ inPlace: (borrowing ScannedRecord) throws -> Void, _ body: (SourceItem) throws -> Void
    ) throws {
        func quarantined(_ reason: String) -> SourceItem {
            quarantine(Origin(file: input.path, line: record.line, byteOffset: record.offset), reason, record.text)
        }
        if let problem = record.problem { return try body(quarantined(problem)) }
        let scanned: ScannedRecord?
        do {
            scanned = try normalizer.normalize(
                base: record.base, count: record.count, readable: record.readable, line: record.line,
                byteOffset: record.offset)
        } catch {
            return try body(quarantined(PastedExcerpt.isNoise(record.text) ? PastedExcerpt.reason : error.reason))
        }
        try deliver(scanned, inPlace, body)
    }

    private func deliver(
        _ record: consuming ScannedRecord?, _ inPlace: (borrowing ScannedRecord) throws -> Void,
        _ body: (SourceItem) throws -> Void
    ) throws {
        guard let record else { return try body(.skipped(workload: normalizer.skippedWorkload)) }
        try inPlace(record)
    }

    func quarantine(_ origin: Origin, _ reason: String, _ raw: String) -> SourceItem {
        .quarantined(QuarantinedRecord(tenant: defaultTenant, origin: origin, reason: reason, raw: raw))
    }

    private func readPurviewCSV(
        _ buffer: StreamBuffer, _ table: CSVTableRead, _ inPlace: (borrowing ScannedRecord) throws -> Void,
        _ body: (SourceItem) throws -> Void
    )
        throws
    {
        let file = input.path
        var auditData = 0
        try readCSVTable(
            buffer, file: file, firstLine: table.firstLine, columns: table.columns, holdBackTail: table.holdBackTail,
            advanced: table.advanced,
            header: { columns, line in
                guard let index = columns.index("AuditData") else {
                    throw SourceError(file: file, line: line, reason: "CSV header has no AuditData column")
                }
                auditData = index
            },
            row: { row in
                guard auditData < row.record.fields.count else {
                    let count = row.record.fields.count
                    try body(
                        quarantine(row.origin, "row has \(count) fields, AuditData is field \(auditData + 1)", row.text)
                    )
                    return
                }
                normalizer.withPaddedBuffer { row.unescape(field: auditData, into: &$0) }
                try normalizer.normalizePadded(line: row.origin.line, byteOffset: row.origin.byteOffset) { outcome in
                    switch consume outcome {
                    case .success(let outcome): try deliver(outcome, inPlace, body)
                    case .failure(let error): try body(quarantine(row.origin, "AuditData: " + error.reason, row.text))
                    }
                }
            },
            malformed: { origin, problem, text in try body(quarantine(origin, problem, text)) })
    }

    /// What `sniff` found: the format, the line number at `buffer.start`, and for a web log that
    /// starts with a request line rather than a header, the documented columns it is written in.
    struct Recognized {
        var format: SourceFormat
        var line: Int
        var headerlessColumns: [String]? = nil
    }

    /// Recognizes the format from the first bytes, consuming a BOM and a PowerShell `#TYPE` line.
    /// With `forced` (`--source`), content that names no format is read as that one rather than
    /// refused: its rows then say what is wrong with them, each quarantined.
    static func sniff(_ buffer: StreamBuffer, file: String, forced: SourceFormat? = nil) throws -> Recognized {
        while buffer.available < 512, try buffer.refillGotData(file: file) {}
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
        // The first 4 KiB of a JSON input name its keys: OfficeActivity's, sign-ins' or Graph requests'.
        let jsonHead = String(
            decoding: UnsafeBufferPointer(start: storage + index, count: min(end - index, 4096)), as: UTF8.self)
        let sentinel = {
            jsonHead.contains("\"OfficeId\"")
                && (jsonHead.contains("\"OfficeWorkload\"") || jsonHead.contains("\"TimeGenerated\""))
        }
        let signIns = { EntraSignIn.recognizes(head: jsonHead) }
        let graphActivity = { GraphActivity.recognizes(head: jsonHead) }
        if storage[index] == UInt8(ascii: "[") {
            buffer.start = index
            if signIns() { return Recognized(format: .entraSignIns, line: line) }
            if graphActivity() { return Recognized(format: .graphActivity, line: line) }
            return Recognized(format: sentinel() ? .sentinelJSON : .ualJSONArray, line: line)
        }
        let headLength = min(buffer.available, 4096)
        let head = String(
            decoding: UnsafeBufferPointer(start: storage + buffer.start, count: headLength), as: UTF8.self
        )
        var lines = head.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if lines.first?.hasPrefix("#TYPE") == true {
            lines.removeFirst()
            // The line's length in the file's bytes, not in the decoded text's: a repaired byte
            // decodes to three.
            while buffer.available > 0, storage[buffer.start] != .carriageReturn, storage[buffer.start] != .newline {
                buffer.start += 1
            }
            while buffer.available > 0,
                storage[buffer.start] == .carriageReturn || storage[buffer.start] == .newline
            {
                if storage[buffer.start] == .newline { line += 1 }
                buffer.start += 1
            }
        }
        // A pasted excerpt may open with separator lines: the format is that of the first record.
        let header = lines.first { !PastedExcerpt.isNoise($0) && !$0.trimmed.isEmpty }.map(String.init) ?? ""
        if header.trimmed.hasPrefix("{") {
            if signIns() { return Recognized(format: .entraSignIns, line: 1) }
            if graphActivity() { return Recognized(format: .graphActivity, line: 1) }
            return Recognized(format: sentinel() ? .sentinelJSON : .ualJSONLines, line: 1)
        }
        if OABGeneratorLog.namedByDirective(lines) { return Recognized(format: .oabGenerator, line: line) }
        let fieldsLine = lines.first { $0.hasPrefix("#Fields:") }.map { String($0.dropFirst("#Fields:".count)) }
        if let fieldsLine, fieldsLine.split(separator: " ").contains("cs-uri-stem") {
            return Recognized(format: .iisW3C, line: line)
        }
        let columns = Set((fieldsLine ?? header).split(separator: ",").map { $0.trimming("\" \r") })
        if columns.contains("AuditData") { return Recognized(format: .purviewCSV, line: line) }
        let exported = Set(columns.map(LogAnalyticsExport.columnName))
        if SentinelOfficeActivity.recognizes(exported) { return Recognized(format: .sentinelCSV, line: line) }
        if GraphActivity.recognizes(columns: exported) { return Recognized(format: .graphActivityCSV, line: line) }
        if EntraSignIn.recognizes(columns: exported) { return Recognized(format: .entraSignInsCSV, line: line) }
        if columns.isSuperset(of: ["TimeStamp", "ServerName", "EventId", "EventData"]) {
            return Recognized(format: .ecpServer, line: line)
        }
        if columns.isSuperset(of: ["DateTime", "UrlStem", "AnchorMailbox"]) {
            return Recognized(format: .httpProxy, line: line)
        }
        if columns.isSuperset(of: ["Operation", "LastAccessed"]) {
            return Recognized(format: .mailboxAuditCSV, line: line)
        }
        if columns.isSuperset(of: ["CmdletName", "RunDate"]) { return Recognized(format: .adminAuditCSV, line: line) }
        if let (format, columns) = HeaderlessLayouts.recognize(firstLine: header[...]) {
            return Recognized(format: format, line: line, headerlessColumns: columns)
        }
        if OABGeneratorLog.containsMessage(lines) { return Recognized(format: .oabGenerator, line: line) }
        if let forced { return Recognized(format: forced, line: line) }
        if let refusal = TestProxyLogonReport.refusal(columns: columns, lines: lines) {
            throw SourceError(file: file, line: line, reason: refusal)
        }
        if header.split(separator: ";").contains(where: { $0.trimming("\" \r") == "AuditData" }) {
            throw SourceError(
                file: file, line: line,
                reason: "CSV uses ';' separators (re-saved by a spreadsheet); export it again from Purview")
        }
        throw SourceError(
            file: file, line: line,
            reason:
                "unknown format: expected UAL JSON (lines or array), a Purview, mailbox audit or admin audit CSV, "
                + "an Exchange HttpProxy, ECP Server, OAB generator or IIS W3C log, a Sentinel OfficeActivity export, Graph activity "
                + "logs or Entra sign-ins"
        )
    }
}
