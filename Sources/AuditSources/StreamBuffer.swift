#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A window over a byte stream that keeps unconsumed bytes contiguous, grows for long
/// records and always leaves `padding` readable bytes after the data (simdjson's rule).
final class StreamBuffer {
    static let padding = 64
    static let maximumRecordBytes = 256 << 20

    private let stream: any ByteStream
    private(set) var storage: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Unconsumed data is `storage[start..<end]`.
    var start = 0
    private(set) var end = 0
    private(set) var atEndOfInput = false
    /// Stream offset of `storage[0]`.
    private(set) var baseOffset: Int64 = 0

    init(stream: any ByteStream, startingAt offset: Int64 = 0, initialCapacity: Int = 1 << 20) {
        self.stream = stream
        baseOffset = offset
        capacity = initialCapacity
        storage = .allocate(capacity: initialCapacity + Self.padding)
        storage.initialize(repeating: 0x20, count: initialCapacity + Self.padding)
    }

    deinit { storage.deallocate() }

    var available: Int { end - start }

    func offset(of index: Int) -> Int64 { baseOffset + Int64(index) }

    /// Reads more input, first moving unconsumed bytes to the front and growing when full.
    /// Returns false at end of input. Indices into the buffer shift by the returned `moved` amount.
    func refill(file: String) throws(SourceError) -> (gotData: Bool, moved: Int) {
        guard !atEndOfInput else { return (false, 0) }
        let moved = start
        if start > 0 {
            memmove(storage, storage + start, end - start)
            baseOffset += Int64(start)
            end -= start
            start = 0
        }
        if end == capacity {
            guard capacity < Self.maximumRecordBytes else {
                throw SourceError(
                    file: file, reason: "a record is longer than \(Self.maximumRecordBytes >> 20) MiB")
            }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + Self.padding)
            grown.update(from: storage, count: end)
            (grown + end).initialize(repeating: 0x20, count: capacity * 2 + Self.padding - end)
            storage.deallocate()
            storage = grown
            capacity *= 2
        }
        let got = try stream.read(into: storage + end, count: capacity - end)
        if got == 0 {
            atEndOfInput = true
            return (false, moved)
        }
        end += got
        return (true, moved)
    }
}
