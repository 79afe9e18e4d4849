import AuditEvents
import Foundation

/// Records of other sources (Sentinel, Log Analytics, Graph, Entra) read as the UAL records they
/// hold: each row is rewritten as UAL JSON and normalized as one, and kept as written (`raw`).
extension AuditFileReader {
    /// The JSON objects of an export, as an array or one a line.
    func readJSONRecords(_ buffer: StreamBuffer, firstLine: Int, _ deliver: (RawRecord) throws -> Void) throws {
        if buffer.available > 0, buffer.storage[buffer.start] == UInt8(ascii: "[") {
            try splitJSONArray(buffer, file: input.path, firstLine: firstLine, deliver)
        } else {
            try splitLines(buffer, file: input.path, firstLine: firstLine, deliver)
        }
    }

    /// JSON objects of another source (an array or one a line), each rewritten as the UAL record
    /// it holds by `rewrite` (nil: a record of nothing mailhound keeps, counted as `skipped`), its
    /// problems quarantined under `reasonPrefix`.
    func readRewrittenJSON(
        _ buffer: StreamBuffer, firstLine: Int, reasonPrefix: String, skipped: String,
        rewrite: ([String: Any]) throws -> [UInt8]?, _ body: (SourceItem) throws -> Void
    ) throws {
        let file = input.path
        try readJSONRecords(buffer, firstLine: firstLine) { record in
            let origin = Origin(file: file, line: record.line, byteOffset: record.offset)
            let text = record.text
            if let problem = record.problem { return try body(self.quarantine(origin, problem, text)) }
            try self.deliverRewritten(
                {
                    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                        throw RecordError(reason: "not a JSON object")
                    }
                    return try rewrite(object)
                }, raw: text, origin: origin, reasonPrefix: reasonPrefix, skipped: skipped, body)
        }
    }

    /// The rows of a CSV export, each as its values by column name (without a `[UTC]` note),
    /// rewritten as `readRewrittenJSON` does.
    func readRewrittenCSV(
        _ buffer: StreamBuffer, _ table: CSVTableRead, reasonPrefix: String, skipped: String,
        rewrite: ([String: Any]) throws -> [UInt8]?, _ body: (SourceItem) throws -> Void
    ) throws {
        // Named once a header, not once a row.
        var names: [String] = []
        try readCSVTable(
            buffer, file: input.path, firstLine: table.firstLine, columns: table.columns,
            holdBackTail: table.holdBackTail, advanced: table.advanced,
            header: { columns, _ in names = columns.names.map(LogAnalyticsExport.columnName) },
            row: { row in
                try deliverRewritten(
                    {
                        var values: [String: Any] = [:]
                        for (index, name) in names.enumerated() where index < row.record.fields.count {
                            values[name] = row.reader.text(of: row.record, field: index)
                        }
                        return try rewrite(values)
                    }, raw: row.text, origin: row.origin, reasonPrefix: reasonPrefix, skipped: skipped, body)
            },
            malformed: { origin, problem, text in try body(quarantine(origin, problem, text)) })
    }

    /// One record rewritten by `rewrite`: normalized as UAL, kept as written (`raw`), its problems
    /// quarantined under `reasonPrefix`; nil from `rewrite` counts it as `skipped`.
    private func deliverRewritten(
        _ rewrite: () throws -> [UInt8]?, raw: String, origin: Origin, reasonPrefix: String, skipped: String,
        _ body: (SourceItem) throws -> Void
    ) throws {
        let rewritten: [UInt8]?
        do {
            rewritten = try rewrite()
        } catch let error as RecordError {
            return try body(quarantine(origin, reasonPrefix + error.reason, raw))
        } catch {
            return try body(quarantine(origin, reasonPrefix + "not a JSON object", raw))
        }
        guard let json = rewritten else { return try body(.skipped(workload: skipped)) }
        normalizer.withPaddedBuffer { $0.append(contentsOf: json) }
        try normalizer.normalizePadded(line: origin.line, byteOffset: origin.byteOffset) { outcome in
            switch consume outcome {
            case .success(let record):
                guard let record else { return try body(.skipped(workload: normalizer.skippedWorkload)) }
                var event = AuditEvent(record)
                event.raw = raw
                try body(.event(event))
            case .failure(let error):
                try body(quarantine(origin, reasonPrefix + error.reason, raw))
            }
        }
    }
}
