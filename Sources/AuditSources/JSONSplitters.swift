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
        let (gotData, _) = try buffer.refill(file: file)
        if gotData {
            scanFrom = buffer.start + scanned
            continue
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
    while true {
        // Between records: whitespace, commas and the array's own brackets.
        var index = buffer.start
        let end = buffer.start + buffer.available
        while index < end {
            let byte = buffer.storage[index]
            if byte == .newline { line += 1 }
            guard
                byte.isJSONWhitespace || byte == .comma || byte == UInt8(ascii: "[")
                    || byte == UInt8(ascii: "]")
            else { break }
            index += 1
        }
        buffer.start = index
        if index == end {
            guard try buffer.refill(file: file).gotData else { return }
            continue
        }
        if buffer.storage[index] == UInt8(ascii: "{") {
            guard let (length, newlines) = try scanObject(buffer, file: file) else {
                try body(
                    record(
                        buffer, count: buffer.available, line: line, problem: "truncated record at end of file")
                )
                buffer.start += buffer.available
                return
            }
            try body(record(buffer, count: length, line: line, problem: nil))
            buffer.start += length
            line += newlines
        } else {
            let length = try scanJunk(buffer, file: file)
            try body(
                record(
                    buffer, count: length, line: line, problem: "unexpected content between JSON records"))
            buffer.start += length
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

/// Length of the object starting at `buffer.start` and the newlines inside it; nil when input ends first.
private func scanObject(_ buffer: StreamBuffer, file: String) throws -> (Int, Int)? {
    while true {
        var depth = 0
        var inString = false
        var escaped = false
        var newlines = 0
        let storage = buffer.storage
        let end = buffer.start + buffer.available
        var index = buffer.start
        while index < end {
            let byte = storage[index]
            index += 1
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
                if depth == 0 { return (index - buffer.start, newlines) }
            default: break
            }
        }
        guard try buffer.refill(file: file).gotData else { return nil }
    }
}

/// Length of stray bytes up to the next line end or record start.
private func scanJunk(_ buffer: StreamBuffer, file: String) throws -> Int {
    while true {
        let end = buffer.start + buffer.available
        var index = buffer.start
        while index < end {
            let byte = buffer.storage[index]
            if byte == .newline || (byte == UInt8(ascii: "{") && index > buffer.start) {
                return index - buffer.start
            }
            index += 1
        }
        guard try buffer.refill(file: file).gotData else { return buffer.available }
    }
}
