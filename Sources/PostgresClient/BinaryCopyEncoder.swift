#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Builds a `copy ... from stdin (format binary)` stream: the header, one tuple a row, the trailer.
/// Binary COPY spares the server from parsing text and needs no escaping of log data.
public struct BinaryCopyEncoder: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var rowCount = 0
    /// Where each row begins in `bytes`, so a subset of rows can be sent without encoding them again.
    private var rowStarts: [Int] = []
    private var isFinished = false

    private static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
    // 2000-01-01 minus 1970-01-01, in microseconds: PostgreSQL's timestamp epoch.
    private static let postgresEpochOffset: Int64 = 946_684_800_000_000

    public init(reservingCapacity capacity: Int = 1 << 20) {
        bytes.reserveCapacity(capacity)
        bytes.append(contentsOf: Self.signature)
        appendInt32(0)  // flags
        appendInt32(0)  // header extension length
    }

    /// Starts a row of `fieldCount` fields.
    public mutating func beginRow(fieldCount: Int) {
        rowStarts.append(bytes.count)
        appendInt16(Int16(fieldCount))
        rowCount += 1
    }

    /// A finished stream of the rows (by position) that `keep` accepts, copied as encoded.
    public func keepingRows(where keep: (Int) -> Bool) -> BinaryCopyEncoder {
        var subset = BinaryCopyEncoder(reservingCapacity: bytes.count)
        let rowsEnd = isFinished ? bytes.count - 2 : bytes.count
        for (row, start) in rowStarts.enumerated() where keep(row) {
            let end = row + 1 < rowStarts.count ? rowStarts[row + 1] : rowsEnd
            subset.rowStarts.append(subset.bytes.count)
            subset.bytes.append(contentsOf: bytes[start..<end])
            subset.rowCount += 1
        }
        subset.finish()
        return subset
    }

    public mutating func appendNull() { appendInt32(-1) }

    /// `text`; NUL bytes (which PostgreSQL text cannot hold) become U+FFFD.
    public mutating func append(text value: String?) {
        guard let value else { return appendNull() }
        // Native strings are contiguous UTF-8: check for NUL with memchr and copy in one go.
        let copied: Bool? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            if let base = utf8.baseAddress, memchr(base, 0, utf8.count) != nil { return false }
            appendInt32(Int32(utf8.count))
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true { return }
        let cleaned = String(value.map { $0 == "\0" ? "\u{FFFD}" : $0 })
        appendInt32(Int32(cleaned.utf8.count))
        bytes.append(contentsOf: cleaned.utf8)
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
        bytes.append(value ? 1 : 0)
    }

    /// `timestamptz` from microseconds since 1970.
    public mutating func append(timestampMicroseconds value: Int64?) {
        guard let value else { return appendNull() }
        appendInt32(8)
        appendInt64(value - Self.postgresEpochOffset)
    }

    /// `uuid` from 16 bytes.
    public mutating func append(uuid value: [UInt8]?) {
        guard let value, value.count == 16 else { return appendNull() }
        appendInt32(16)
        bytes.append(contentsOf: value)
    }

    /// `inet` from 4 or 16 address bytes (family, bits, is_cidr, length, address).
    public mutating func append(inet address: [UInt8]?) {
        guard let address, address.count == 4 || address.count == 16 else { return appendNull() }
        let isV4 = address.count == 4
        appendInt32(Int32(4 + address.count))
        bytes.append(isV4 ? 2 : 3)  // PGSQL_AF_INET, PGSQL_AF_INET6
        bytes.append(isV4 ? 32 : 128)
        bytes.append(0)
        bytes.append(UInt8(address.count))
        bytes.append(contentsOf: address)
    }

    /// `text[]`, one dimension, no nulls.
    public mutating func append(textArray values: [String]?) {
        guard let values else { return appendNull() }
        let lengthIndex = bytes.count
        appendInt32(0)
        appendInt32(values.isEmpty ? 0 : 1)  // dimensions
        appendInt32(0)  // has nulls
        appendInt32(25)  // element type: text
        if !values.isEmpty {
            appendInt32(Int32(values.count))
            appendInt32(1)  // lower bound
            for value in values { append(text: value) }
        }
        patchInt32(at: lengthIndex, Int32(bytes.count - lengthIndex - 4))
    }

    /// `jsonb` from JSON text (format version 1).
    public mutating func append(jsonb text: String?) {
        guard let text else { return appendNull() }
        appendInt32(Int32(text.utf8.count + 1))
        bytes.append(1)
        bytes.append(contentsOf: text.utf8)
    }

    /// Ends the stream; the encoder is done afterwards.
    public mutating func finish() {
        appendInt16(-1)
        isFinished = true
    }

    private mutating func appendInt16(_ value: Int16) {
        let bits = UInt16(bitPattern: value)
        bytes.append(UInt8(bits >> 8))
        bytes.append(UInt8(bits & 0xFF))
    }

    private mutating func appendInt32(_ value: Int32) {
        let bits = UInt32(bitPattern: value)
        bytes.append(UInt8(bits >> 24))
        bytes.append(UInt8((bits >> 16) & 0xFF))
        bytes.append(UInt8((bits >> 8) & 0xFF))
        bytes.append(UInt8(bits & 0xFF))
    }

    private mutating func appendInt64(_ value: Int64) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8((bits >> UInt64(shift)) & 0xFF))
        }
    }

    private mutating func patchInt32(at index: Int, _ value: Int32) {
        let bits = UInt32(bitPattern: value)
        bytes[index] = UInt8(bits >> 24)
        bytes[index + 1] = UInt8((bits >> 16) & 0xFF)
        bytes[index + 2] = UInt8((bits >> 8) & 0xFF)
        bytes[index + 3] = UInt8(bits & 0xFF)
    }
}
