/// RFC 4180 records (comma separated, `"` quoting with `""` escapes, CR LF or LF, line breaks
/// allowed inside quotes) read from a `StreamBuffer` without holding the file in memory.
struct CSVRecordReader {
    /// One record's fields; valid until the next call.
    struct Record {
        var fields: [Range<Int>] = []
        var quoted: [Bool] = []
        var line = 0
        var offset: Int64 = 0
        var length = 0
        var problem: String?
        /// Set for a record skipped for its length: it is consumed already, and has no fields.
        var skipped: OversizedRecord?
    }

    private let buffer: StreamBuffer
    private let file: String
    private(set) var line: Int

    init(buffer: StreamBuffer, file: String, firstLine: Int) {
        self.buffer = buffer
        self.file = file
        self.line = firstLine
    }

    /// The next record, or nil at end of input. Fields index into `buffer.storage`.
    mutating func next(into record: inout Record) throws -> Bool {
        while true {
            if buffer.available == 0 {
                guard try buffer.refillGotData(file: file) else { return false }
            }
            if let (length, newlines) = parse(into: &record, allowEnd: buffer.atEndOfInput) {
                record.line = line
                record.offset = buffer.offset(of: buffer.start)
                record.length = length
                line += newlines
                return true
            }
            // At the end of input the next parse completes the record, whatever it holds.
            guard try buffer.refill(file: file) == .full else { continue }
            var scanner = SkippedRecordScanner()
            let skipped = try buffer.skipOversized(file: file) { scanner.scan($0) }
            record.fields.removeAll(keepingCapacity: true)
            record.quoted.removeAll(keepingCapacity: true)
            record.line = line
            record.offset = skipped.offset
            record.length = 0
            record.problem = skipped.reason(limit: buffer.recordLimit)
            record.skipped = skipped
            line += skipped.newlines
            return true
        }
    }

    /// Parses one record at `buffer.start`; nil when the record continues past the data read so far.
    private func parse(into record: inout Record, allowEnd: Bool) -> (length: Int, newlines: Int)? {
        record.fields.removeAll(keepingCapacity: true)
        record.quoted.removeAll(keepingCapacity: true)
        record.problem = nil
        record.skipped = nil
        let storage = buffer.storage
        let end = buffer.start + buffer.available
        var index = buffer.start
        var newlines = 0
        while true {
            if index < end, storage[index] == .quote {
                let fieldStart = index + 1
                index += 1
                var closed = false
                while index < end {
                    let byte = storage[index]
                    if byte == .newline { newlines += 1 }
                    if byte == .quote {
                        if index + 1 < end, storage[index + 1] == .quote {
                            index += 2
                            continue
                        }
                        if index + 1 == end, !allowEnd { return nil }
                        closed = true
                        break
                    }
                    index += 1
                }
                guard closed else {
                    guard allowEnd else { return nil }
                    record.fields.append(fieldStart..<end)
                    record.quoted.append(true)
                    record.problem = "unterminated quoted field"
                    return (end - buffer.start, newlines)
                }
                record.fields.append(fieldStart..<index)
                record.quoted.append(true)
                index += 1  // closing quote
                // Anything between the closing quote and the separator is kept out of the field.
                while index < end, storage[index] != .comma, storage[index] != .newline { index += 1 }
            } else {
                let fieldStart = index
                while index < end, storage[index] != .comma, storage[index] != .newline { index += 1 }
                var fieldEnd = index
                if fieldEnd > fieldStart, storage[fieldEnd - 1] == .carriageReturn,
                    index == end || storage[index] == .newline
                {
                    fieldEnd -= 1
                }
                record.fields.append(fieldStart..<fieldEnd)
                record.quoted.append(false)
            }
            if index == end {
                guard allowEnd else { return nil }
                return (end - buffer.start, newlines)
            }
            if storage[index] == .newline {
                return (index + 1 - buffer.start, newlines + 1)
            }
            index += 1  // comma
        }
    }

    /// A field's text with `""` turned back into `"`.
    func text(of record: Record, field: Int) -> String {
        var bytes: [UInt8] = []
        unescape(record, field: field, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a field's unescaped bytes to `output`.
    func unescape(_ record: Record, field: Int, into output: inout [UInt8]) {
        let range = record.fields[field]
        let storage = buffer.storage
        guard record.quoted[field] else {
            output.append(
                contentsOf: UnsafeBufferPointer(start: storage + range.lowerBound, count: range.count))
            return
        }
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = storage[index]
            output.append(byte)
            index +=
                (byte == .quote && index + 1 < range.upperBound && storage[index + 1] == .quote) ? 2 : 1
        }
    }
}

/// Where a record too long to hold ends, fed its bytes chunk by chunk: at a line end outside
/// quotes, with quotes read as `parse` reads them (only at a field's start, `""` inside).
private struct SkippedRecordScanner {
    private var fieldStart = true
    private var quoted = false
    private var justClosed = false

    mutating func scan(_ chunk: UnsafeBufferPointer<UInt8>) -> Int? {
        for (index, byte) in chunk.enumerated() {
            if quoted {
                if byte == .quote {
                    quoted = false
                    justClosed = true
                }
                continue
            }
            if byte == .quote, fieldStart || justClosed {
                quoted = true
                fieldStart = false
                justClosed = false
                continue
            }
            justClosed = false
            if byte == .newline { return index + 1 }
            fieldStart = byte == .comma
        }
        return nil
    }
}
