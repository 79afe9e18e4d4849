#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Builds a `copy ... from stdin (format binary)` stream: the header, one tuple a row, the trailer.
/// Binary COPY spares the server from parsing text and needs no escaping of log data.
///
/// Fields are stored straight into raw memory: every record of an ingest passes here, and an
/// array's bounds, uniqueness and capacity checks on each byte cost as much as the parse.
public struct BinaryCopyEncoder: Sendable {
    private var storage: CopyBuffer
    public private(set) var rowCount = 0
    /// Where each row begins, so a subset of rows can be sent without encoding them again.
    private var rowStarts: [Int] = []
    private var isFinished = false

    private static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    public init(reservingCapacity capacity: Int = 1 << 20) {
        self.init(reusing: nil, reservingCapacity: capacity)
    }

    /// An encoder writing into `buffer` (emptied first), such as a finished stream's: pages
    /// already touched need not be faulted in again.
    /// The buffer is consumed: were the caller to keep a reference, the first write would copy it.
    public init(reusing buffer: consuming CopyBuffer?, reservingCapacity capacity: Int) {
        storage = buffer.take() ?? CopyBuffer(capacity: capacity)
        storage.count = 0
        storage.reserve(capacity)
        writeAtEnd { header in
            Self.signature.withUnsafeBytes { header.append(raw: $0) }
            header.appendInt32(0)  // flags
            header.appendInt32(0)  // header extension length
        }
    }

    /// Hands over the stream's memory for another encoder; this one is empty afterwards.
    public mutating func takeStorage() -> CopyBuffer {
        let taken = storage
        storage = CopyBuffer(capacity: 0)
        rowStarts = []
        rowCount = 0
        return taken
    }

    /// The stream so far.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public var byteCount: Int { storage.count }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
    }

    /// Appends a row of `fieldCount` fields, which `write` puts down in order. With
    /// `textMayHoldNUL` false the caller promises that no text of the row holds a NUL byte, and
    /// texts are copied without searching them for one.
    public mutating func appendRow(
        fieldCount: Int, textMayHoldNUL: Bool = true, _ write: (inout RowWriter) -> Void
    ) {
        rowStarts.append(storage.count)
        rowCount += 1
        writeAtEnd(checkingNUL: textMayHoldNUL) { row in
            row.appendInt16(Int16(fieldCount))
            write(&row)
        }
    }

    /// A finished stream of the rows (by position) that `keep` accepts, copied as encoded.
    public func keepingRows(where keep: (Int) -> Bool) -> BinaryCopyEncoder {
        rows(at: rowStarts.indices.filter(keep))
    }

    /// A finished stream of the rows at `positions`, in that order, copied as encoded.
    public func rows(at positions: [Int]) -> BinaryCopyEncoder {
        var subset = BinaryCopyEncoder(reservingCapacity: storage.count)
        let rowsEnd = isFinished ? storage.count - 2 : storage.count
        for row in positions {
            let start = rowStarts[row]
            let end = row + 1 < rowStarts.count ? rowStarts[row + 1] : rowsEnd
            subset.rowStarts.append(subset.storage.count)
            subset.writeAtEnd {
                $0.append(raw: UnsafeRawBufferPointer(start: storage.base + start, count: end - start))
            }
            subset.rowCount += 1
        }
        subset.finish()
        return subset
    }

    /// The bytes of field `field` of row `row` as encoded; nil for a NULL or a field past the row's end.
    public func field(_ field: Int, ofRow row: Int) -> [UInt8]? {
        let bytes = UnsafeRawBufferPointer(start: storage.base, count: storage.count)
        func int32(at offset: Int) -> Int {
            Int(Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        }
        var offset = rowStarts[row]
        let count = Int(Int16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        offset += 2
        guard field < count else { return nil }
        for _ in 0..<field {
            offset += 4 + max(0, int32(at: offset))
        }
        let length = int32(at: offset)
        guard length >= 0 else { return nil }
        return Array(bytes[(offset + 4)..<(offset + 4 + length)])
    }

    /// Ends the stream; the encoder is done afterwards.
    public mutating func finish() {
        writeAtEnd { $0.appendInt16(-1) }
        isFinished = true
    }

    /// Writes at the end of the stream, copying a buffer another encoder shares first.
    @inline(__always)
    private mutating func writeAtEnd(checkingNUL: Bool = true, _ body: (inout RowWriter) -> Void) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        var writer = RowWriter(storage, checksNUL: checkingNUL)
        body(&writer)
        writer.commit()
    }
}

/// Writes one row's fields (or the stream's header and trailer) straight into the stream's memory.
/// The encoder checked once, for the row, that it holds that memory alone; being non-copyable,
/// the writer cannot outlive the row or be shared, so no field needs the check again.
public struct RowWriter: ~Copyable {
    private unowned(unsafe) let storage: CopyBuffer
    private var cursor: UnsafeMutableRawPointer
    private var limit: UnsafeMutableRawPointer
    private let checksNUL: Bool

    fileprivate init(_ storage: CopyBuffer, checksNUL: Bool) {
        self.storage = storage
        self.checksNUL = checksNUL
        cursor = storage.base + storage.count
        limit = storage.base + storage.capacity
    }

    /// Records the row's bytes in the buffer's count.
    fileprivate mutating func commit() {
        storage.count = cursor - storage.base
    }

    /// What a NUL byte in text becomes: U+FFFD as UTF-8, since PostgreSQL text cannot hold a NUL.
    public static let nulReplacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    public mutating func appendNull() { appendInt32(-1) }

    /// `text`; NUL bytes (which PostgreSQL text cannot hold) become U+FFFD.
    public mutating func append(text value: String?) {
        guard var value else { return appendNull() }
        value.withUTF8 { append(text: $0, checkingNUL: checksNUL) }
    }

    /// `text` from UTF-8 bytes read in place.
    public mutating func append(text utf8: UnsafeBufferPointer<UInt8>?) {
        guard let utf8 else { return appendNull() }
        append(text: utf8, checkingNUL: checksNUL)
    }

    private mutating func append(text utf8: UnsafeBufferPointer<UInt8>, checkingNUL: Bool) {
        guard checkingNUL, let base = utf8.baseAddress, memchr(base, 0, utf8.count) != nil else {
            appendInt32(Int32(utf8.count))
            append(raw: UnsafeRawBufferPointer(utf8))
            return
        }
        let replacement = Self.nulReplacement
        appendInt32(Int32(utf8.count + utf8.count { $0 == 0 } * (replacement.count - 1)))
        for byte in utf8 {
            if byte == 0 { replacement.withUnsafeBytes { append(raw: $0) } } else { appendByte(byte) }
        }
    }

    public mutating func append(int16 value: Int?) {
        guard let value else { return appendNull() }
        appendInt32(2)
        appendInt16(Int16(clamping: value))
    }

    public mutating func append(int32 value: Int?) {
        guard let value else { return appendNull() }
        appendInt32(4)
        appendInt32(Int32(clamping: value))
    }

    public mutating func append(int64 value: Int64?) {
        guard let value else { return appendNull() }
        appendInt32(8)
        appendInt64(value)
    }

    public mutating func append(bool value: Bool?) {
        guard let value else { return appendNull() }
        appendInt32(1)
        appendByte(value ? 1 : 0)
    }

    // 2000-01-01 minus 1970-01-01, in microseconds: PostgreSQL's timestamp epoch.
    private static let postgresEpochOffset: Int64 = 946_684_800_000_000

    /// `timestamptz` from microseconds since 1970.
    public mutating func append(timestampMicroseconds value: Int64?) {
        guard let value else { return appendNull() }
        appendInt32(8)
        appendInt64(value - Self.postgresEpochOffset)
    }

    /// `uuid` from its 128 bits, high half first.
    public mutating func append(uuidHigh high: UInt64, low: UInt64) {
        appendInt32(16)
        appendInt64(Int64(bitPattern: high))
        appendInt64(Int64(bitPattern: low))
    }

    /// `inet` of one IPv4 host (family, bits, is_cidr, length, address).
    public mutating func append(inet4 address: UInt32) {
        appendInt32(8)
        appendInt32(0x0220_0004)  // PGSQL_AF_INET, 32 bits, not CIDR, 4 bytes
        appendInt32(Int32(bitPattern: address))
    }

    /// `inet` of one IPv6 host from its 128 bits, high half first.
    public mutating func append(inet6High high: UInt64, low: UInt64) {
        appendInt32(20)
        appendInt32(0x0380_0010)  // PGSQL_AF_INET6, 128 bits, not CIDR, 16 bytes
        appendInt64(Int64(bitPattern: high))
        appendInt64(Int64(bitPattern: low))
    }

    /// `text[]`, one dimension, no nulls.
    public mutating func append(textArray values: [String]?) {
        guard let values else { return appendNull() }
        append(textArrayOf: values.count) { row in
            for value in values { row.append(text: value) }
        }
    }

    /// `text[]` of `count` elements, one dimension, no nulls: `elements` appends each with `append(text:)`.
    public mutating func append(textArrayOf count: Int, _ elements: (inout RowWriter) -> Void) {
        let lengthAt = length
        appendInt32(0)
        appendInt32(count == 0 ? 0 : 1)  // dimensions
        appendInt32(0)  // has nulls
        appendInt32(25)  // element type: text
        if count > 0 {
            appendInt32(Int32(count))
            appendInt32(1)  // lower bound
            elements(&self)
        }
        patchLength(at: lengthAt)
    }

    /// `jsonb` (format version 1) from the JSON text `write` puts down.
    public mutating func append(jsonb write: (inout JSONText) -> Void) {
        let lengthAt = length
        appendInt32(0)
        appendByte(1)
        var text = JSONText(row: self)
        write(&text)
        self = text.row
        patchLength(at: lengthAt)
    }

    /// Bytes in the buffer up to the cursor.
    private var length: Int { cursor - storage.base }

    /// Where the next field begins, for `written(since:)`.
    public var mark: Int { length }

    /// The bytes written from `mark` on: fields already put down, for a field computed from them.
    /// Valid until the next write.
    public func written(since mark: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage.base + mark, count: length - mark)
    }

    /// Writes the length of the field whose 4-byte length placeholder is at `index`.
    private func patchLength(at index: Int) {
        (storage.base + index).storeBytes(of: Int32(length - index - 4).bigEndian, as: Int32.self)
    }

    /// Room for `count` more bytes at the cursor.
    @inline(__always)
    private mutating func claim(_ count: Int) -> UnsafeMutableRawPointer {
        if limit - cursor < count { grow(count) }
        let start = cursor
        cursor += count
        return start
    }

    private mutating func grow(_ count: Int) {
        let used = length
        commit()  // the row so far moves with the memory
        storage.reserve(used + count)
        cursor = storage.base + used
        limit = storage.base + storage.capacity
    }

    @inline(__always)
    fileprivate mutating func append(raw: UnsafeRawBufferPointer) {
        guard let source = raw.baseAddress, !raw.isEmpty else { return }
        claim(raw.count).copyMemory(from: source, byteCount: raw.count)
    }

    @inline(__always)
    fileprivate mutating func appendByte(_ value: UInt8) {
        claim(1).storeBytes(of: value, as: UInt8.self)
    }

    @inline(__always)
    fileprivate mutating func appendInt16(_ value: Int16) {
        claim(2).storeBytes(of: value.bigEndian, as: Int16.self)
    }

    @inline(__always)
    fileprivate mutating func appendInt32(_ value: Int32) {
        claim(4).storeBytes(of: value.bigEndian, as: Int32.self)
    }

    @inline(__always)
    private mutating func appendInt64(_ value: Int64) {
        claim(8).storeBytes(of: value.bigEndian, as: Int64.self)
    }
}

/// The memory of a COPY stream, reusable by another encoder once its stream was sent.
/// Encoders copy it before writing when they share it, so they keep value semantics.
public final class CopyBuffer: @unchecked Sendable {
    fileprivate private(set) var base: UnsafeMutableRawPointer
    fileprivate var count = 0
    fileprivate private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    @inline(__always)
    fileprivate func reserve(_ needed: Int) {
        if needed > capacity { grow(to: needed) }
    }

    private func grow(to needed: Int) {
        let grown = UnsafeMutableRawPointer.allocate(byteCount: max(needed, capacity * 2), alignment: 16)
        grown.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = grown
        capacity = max(needed, capacity * 2)
    }

    fileprivate func copy() -> CopyBuffer {
        let copy = CopyBuffer(capacity: capacity)
        copy.base.copyMemory(from: base, byteCount: count)
        copy.count = count
        return copy
    }
}

/// JSON text being written into a COPY field.
public struct JSONText: ~Copyable {
    fileprivate var row: RowWriter

    /// JSON syntax, written as it is.
    public mutating func append(syntax: StaticString) {
        row.append(raw: UnsafeRawBufferPointer(start: syntax.utf8Start, count: syntax.utf8CodeUnitCount))
    }

    /// A JSON string of `text`, quoted and escaped; NUL becomes U+FFFD as in text columns.
    public mutating func append(string text: String) {
        var text = text
        text.withUTF8 { append(string: $0) }
    }

    /// A JSON string of UTF-8 bytes read in place.
    public mutating func append(string utf8: UnsafeBufferPointer<UInt8>) {
        row.appendByte(UInt8(ascii: "\""))
        var copiedUpTo = 0
        for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            row.append(raw: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[copiedUpTo..<index])))
            copiedUpTo = index + 1
            switch byte {
            case 0x22: append(syntax: "\\\"")
            case 0x5C: append(syntax: "\\\\")
            case 0x0A: append(syntax: "\\n")
            case 0x0D: append(syntax: "\\r")
            case 0x09: append(syntax: "\\t")
            case 0x00: append(syntax: "\\ufffd")
            default:
                let hex = Array("0123456789abcdef".utf8)
                append(syntax: "\\u00")
                row.appendByte(hex[Int(byte >> 4)])
                row.appendByte(hex[Int(byte & 0xF)])
            }
        }
        row.append(raw: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[copiedUpTo...])))
        row.appendByte(UInt8(ascii: "\""))
    }
}
