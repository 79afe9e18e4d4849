/// One record's bytes as a splitter found them, valid only during the callback.
struct RawRecord {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// Bytes readable from `base`: at least `count + StreamBuffer.padding`.
    let readable: Int
    let line: Int
    let offset: Int64
    /// Set when the splitter already knows the bytes cannot be a record.
    let problem: String?
    /// Where the input continues after this record (past its newline).
    let nextOffset: Int64
    /// What was kept of a record too long to hold; such a record has no bytes in place.
    var excerpt: String? = nil

    var text: String {
        excerpt ?? String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }
}

extension RawRecord {
    /// A record skipped for its length, refused with what was kept of it.
    init(_ skipped: OversizedRecord, line: Int, in buffer: StreamBuffer) {
        self.init(
            base: buffer.storage, count: 0, readable: 0, line: line, offset: skipped.offset,
            problem: skipped.reason(limit: buffer.recordLimit), nextOffset: skipped.offsetAfter,
            excerpt: skipped.excerpt)
    }
}

extension UInt8 {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")

    var isJSONWhitespace: Bool {
        self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09
    }
}
