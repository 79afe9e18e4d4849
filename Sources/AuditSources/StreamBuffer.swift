#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A window over a byte stream that keeps unconsumed bytes contiguous, grows for long
/// records up to the record limit and always leaves `padding` readable bytes after the data
/// (simdjson's rule).
final class StreamBuffer {
    static let padding = 64
    /// Default longest record: a real audit record is a few KB, the longest seen some hundreds.
    static let defaultRecordLimit = 16 << 20
    /// The least limit the buffer takes (the options ask for 64 KiB at least; the fuzzer uses
    /// less, to reach the skipping of oversized records with small inputs).
    static let minimumRecordLimit = 1 << 10

    private let stream: any ByteStream
    /// A record that fills this many bytes is skipped, not buffered: see `skipOversized`.
    let recordLimit: Int
    private(set) var storage: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Unconsumed data is `storage[start..<end]`.
    var start = 0
    private(set) var end = 0
    private(set) var atEndOfInput = false
    /// Stream offset of `storage[0]`.
    private(set) var baseOffset: Int64 = 0

    init(stream: any ByteStream, startingAt offset: Int64 = 0, recordLimit: Int = defaultRecordLimit) {
        self.stream = stream
        self.recordLimit = max(recordLimit, Self.minimumRecordLimit)
        baseOffset = offset
        capacity = min(1 << 20, self.recordLimit)
        storage = .allocate(capacity: capacity + Self.padding)
        storage.initialize(repeating: 0x20, count: capacity + Self.padding)
    }

    deinit { storage.deallocate() }

    var available: Int { end - start }

    func offset(of index: Int) -> Int64 { baseOffset + Int64(index) }

    /// What `refill` did.
    enum Refill: Equatable {
        /// Read more; indices into the buffer shifted down by `moved`.
        case data(moved: Int)
        case endOfInput
        /// The unconsumed record fills the record limit: the splitter skips it with `skipOversized`.
        case full
    }

    /// Reads more input, first moving unconsumed bytes to the front and growing when full.
    func refill(file: String) throws(SourceError) -> Refill {
        guard !atEndOfInput else { return .endOfInput }
        let moved = start
        if start > 0 {
            memmove(storage, storage + start, end - start)
            baseOffset += Int64(start)
            end -= start
            start = 0
        }
        if end == capacity {
            guard capacity < recordLimit else { return .full }
            let grownCapacity = min(capacity * 2, recordLimit)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: grownCapacity + Self.padding)
            grown.update(from: storage, count: end)
            (grown + end).initialize(repeating: 0x20, count: grownCapacity + Self.padding - end)
            storage.deallocate()
            storage = grown
            capacity = grownCapacity
        }
        let got = try stream.read(into: storage + end, count: capacity - end)
        if got == 0 {
            atEndOfInput = true
            return .endOfInput
        }
        end += got
        return .data(moved: moved)
    }

    /// Whether `refill` read more.
    func refillGotData(file: String) throws(SourceError) -> Bool {
        if case .data = try refill(file: file) { return true }
        return false
    }

    /// Consumes the record at `start`, which fills the record limit, without holding it: memory
    /// stays at the limit whatever the record's length. `findEnd` is handed the record's bytes
    /// chunk by chunk, in order, keeping its own state between calls, and returns how many bytes
    /// of the chunk belong to the record once it sees where the record ends. The end of input
    /// ends the record too.
    func skipOversized(
        file: String, findEnd: (UnsafeBufferPointer<UInt8>) -> Int?
    ) throws(SourceError) -> OversizedRecord {
        var skipped = OversizedRecord(offset: offset(of: start))
        skipped.head = Array(UnsafeBufferPointer(start: storage + start, count: min(available, OversizedRecord.kept)))
        while true {
            let chunk = UnsafeBufferPointer(start: UnsafePointer(storage + start), count: available)
            let ends = findEnd(chunk)
            let taken = ends ?? chunk.count
            skipped.append(UnsafeBufferPointer(rebasing: chunk[..<taken]))
            start += taken
            if ends != nil { return skipped }
            guard try refillGotData(file: file) else { return skipped }
        }
    }
}

/// What is kept of a record longer than the limit: where it was, its length, the line ends in it,
/// and its first and last 4 KiB.
struct OversizedRecord {
    static let kept = 4096
    let offset: Int64
    private(set) var length: Int64 = 0
    private(set) var newlines = 0
    var head: [UInt8] = []
    private(set) var tail: [UInt8] = []

    init(offset: Int64) { self.offset = offset }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        length += Int64(bytes.count)
        guard let base = bytes.baseAddress else { return }
        var from = base
        let end = base + bytes.count
        while from < end, let found = memchr(from, Int32(UInt8.newline), end - from) {
            newlines += 1
            from = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        if bytes.count >= Self.kept {
            tail = Array(bytes.suffix(Self.kept))
        } else {
            tail.append(contentsOf: bytes)
            if tail.count > Self.kept { tail.removeFirst(tail.count - Self.kept) }
        }
    }

    var offsetAfter: Int64 { offset + length }

    /// `a record of 209715200 bytes is longer than the limit of 16 MiB (--max-record-size)...`
    func reason(limit: Int) -> String {
        "a record of \(length) bytes is longer than the limit of \(RecordSize(bytes: limit)) (--max-record-size); "
            + "its first and last \(Self.kept / 1024) KiB are kept"
    }

    /// The first and last 4 KiB, with what was left out between them.
    var excerpt: String {
        let left = length - Int64(head.count) - Int64(tail.count)
        guard left > 0 else { return String(decoding: head, as: UTF8.self) }
        return String(decoding: head, as: UTF8.self) + "\n…[\(left) bytes left out]…\n"
            + String(decoding: tail, as: UTF8.self)
    }
}

/// A size in bytes as the options write it: `16MiB`, `512KiB`, `1GiB` or plain bytes.
public struct RecordSize: Sendable, Equatable, CustomStringConvertible {
    public let bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    public init?(_ written: String) {
        let text = written.filter { $0 != " " }
        let units: [(String, Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1), ("", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Int(text.dropLast(suffix.count)), value > 0, value <= Int.max / scale else { return nil }
            bytes = value * scale
            return
        }
        return nil
    }

    public var description: String {
        for (suffix, scale) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes % scale == 0 {
            return "\(bytes / scale) \(suffix)"
        }
        return "\(bytes) bytes"
    }
}
