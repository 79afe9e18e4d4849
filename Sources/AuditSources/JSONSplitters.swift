#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One record a line (JSON Lines, IIS logs). A bad line is one bad record; its neighbours are unaffected.
/// With `holdBackTail` a last line without its newline is left unread: a writer may be finishing it.
func splitLines(
    _ buffer: StreamBuffer, file: String, firstLine: Int, holdBackTail: Bool = false,
    _ body: (RawRecord) throws -> Void
) throws {
    var line = firstLine - 1
    var scanFrom = buffer.start
    while true {
        let storage = buffer.storage
        if let found = memchr(
            storage + scanFrom, Int32(UInt8.newline), buffer.available - (scanFrom - buffer.start))
        {
            let newline = UnsafeMutablePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - storage
            line += 1
            try emitLine(buffer, upTo: newline, next: buffer.offset(of: newline + 1), line: line, body)
            buffer.start = newline + 1
            scanFrom = buffer.start
            continue
        }
        let scanned = buffer.available
        switch try buffer.refill(file: file) {
        case .data:
            scanFrom = buffer.start + scanned
            continue
        case .full:
            let skipped = try buffer.skipOversized(file: file) { chunk in
                guard let base = chunk.baseAddress, let found = memchr(base, Int32(UInt8.newline), chunk.count)
                else { return nil }
                return UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base + 1
            }
            line += max(1, skipped.newlines)
            try body(RawRecord(skipped, line: line, in: buffer))
            scanFrom = buffer.start
            continue
        case .endOfInput:
            break
        }
        if buffer.available > 0, !holdBackTail {
            let end = buffer.start + buffer.available
            try emitLine(buffer, upTo: end, next: buffer.offset(of: end), line: line + 1, body)
            buffer.start += buffer.available
        }
        return
    }
}

private func emitLine(
    _ buffer: StreamBuffer, upTo end: Int, next: Int64, line: Int, _ body: (RawRecord) throws -> Void
) throws {
    var first = buffer.start
    var last = end
    let storage = buffer.storage
    while first < last, storage[first].isJSONWhitespace { first += 1 }
    while last > first, storage[last - 1].isJSONWhitespace { last -= 1 }
    guard last > first else { return }
    try body(
        RawRecord(
            base: storage + first, count: last - first,
            readable: buffer.capacity + StreamBuffer.padding - first,
            line: line, offset: buffer.offset(of: first), problem: nil, nextOffset: next))
}

/// JSON arrays (Management Activity API blobs, ConvertTo-Json output), pretty-printed or not,
/// and concatenated objects: each top-level object is one record, found by brace matching.
func splitJSONArray(
    _ buffer: StreamBuffer, file: String, firstLine: Int, _ body: (RawRecord) throws -> Void
) throws {
    var line = firstLine
    // 1 inside the array; an array in it, or a bracket outside it, is content out of place.
    var arrayDepth = 0
    // Content out of place may hold the closing bracket: then an array left open proves nothing.
    var outOfPlace = false
    while true {
        // Between records: whitespace, commas and the array's own brackets.
        var index = buffer.start
        let end = buffer.start + buffer.available
        scanning: while index < end {
            switch buffer.storage[index] {
            case .newline: line += 1
            case let byte where byte.isJSONWhitespace || byte == .comma: break
            case UInt8(ascii: "[") where arrayDepth == 0: arrayDepth = 1
            case UInt8(ascii: "]") where arrayDepth == 1: arrayDepth = 0
            default: break scanning
            }
            index += 1
        }
        buffer.start = index
        if index == end {
            guard try buffer.refillGotData(file: file) else {
                if arrayDepth == 1, !outOfPlace {
                    try body(
                        record(
                            buffer, count: 0, line: line,
                            problem: "the JSON array is not closed: the file ends inside it (cut short?)"))
                }
                return
            }
            continue
        }
        let isObject = buffer.storage[index] == UInt8(ascii: "{")
        outOfPlace = outOfPlace || !isObject
        switch isObject ? try scanObject(buffer, file: file) : try scanJunk(buffer, file: file) {
        case .complete(let length, let newlines):
            try body(
                record(
                    buffer, count: length, line: line,
                    problem: isObject ? nil : "unexpected content between JSON records"))
            buffer.start += length
            line += newlines
        case .truncated:
            try body(record(buffer, count: buffer.available, line: line, problem: "truncated record at end of file"))
            buffer.start += buffer.available
            return
        case .oversized(let skipped):
            try body(RawRecord(skipped, line: line, in: buffer))
            line += skipped.newlines
        }
    }
}

private func record(_ buffer: StreamBuffer, count: Int, line: Int, problem: String?) -> RawRecord {
    RawRecord(
        base: buffer.storage + buffer.start, count: count,
        readable: buffer.capacity + StreamBuffer.padding - buffer.start, line: line,
        offset: buffer.offset(of: buffer.start), problem: problem,
        nextOffset: buffer.offset(of: buffer.start + count))
}

/// Where a record at `buffer.start` ends.
private enum ScannedSpan {
    /// Its length and the newlines inside it.
    case complete(length: Int, newlines: Int)
    /// Input ended first.
    case truncated
    /// It filled the record limit and was skipped.
    case oversized(OversizedRecord)
}

/// Brace matching over a JSON object, fed its bytes in order, chunk by chunk.
private struct ObjectScanner {
    var depth = 0
    var inString = false
    var escaped = false
    var newlines = 0

    /// Bytes of `chunk` up to the object's closing brace, nil when it continues past the chunk.
    mutating func scan(_ chunk: UnsafeBufferPointer<UInt8>) -> Int? {
        for (index, byte) in chunk.enumerated() {
            if byte == .newline { newlines += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == .quote {
                    inString = false
                }
                continue
            }
            switch byte {
            case .quote: inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return index + 1 }
            default: break
            }
        }
        return nil
    }
}

/// The object starting at `buffer.start`.
private func scanObject(_ buffer: StreamBuffer, file: String) throws -> ScannedSpan {
    while true {
        var scanner = ObjectScanner()
        let chunk = UnsafeBufferPointer(start: UnsafePointer(buffer.storage + buffer.start), count: buffer.available)
        if let length = scanner.scan(chunk) { return .complete(length: length, newlines: scanner.newlines) }
        switch try buffer.refill(file: file) {
        case .data: continue
        case .endOfInput: return .truncated
        case .full:
            var skipping = ObjectScanner()
            return .oversized(try buffer.skipOversized(file: file) { skipping.scan($0) })
        }
    }
}

/// Stray bytes up to the next line end or record start.
private func scanJunk(_ buffer: StreamBuffer, file: String) throws -> ScannedSpan {
    while true {
        let end = buffer.start + buffer.available
        var index = buffer.start
        while index < end {
            let byte = buffer.storage[index]
            if byte == .newline || (byte == UInt8(ascii: "{") && index > buffer.start) {
                return .complete(length: index - buffer.start, newlines: 0)
            }
            index += 1
        }
        switch try buffer.refill(file: file) {
        case .data: continue
        case .endOfInput: return .complete(length: buffer.available, newlines: 0)
        case .full:
            return .oversized(
                try buffer.skipOversized(file: file) { chunk in
                    chunk.firstIndex { $0 == .newline || $0 == UInt8(ascii: "{") }
                })
        }
    }
}
