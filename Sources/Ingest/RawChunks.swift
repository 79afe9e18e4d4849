import AuditEvents
import PostgresClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The raw texts of a batch's records, packed into `mailhound.raw_chunks` rows: one tenant's
/// consecutive records, about 16 KB a chunk, which lz4 compresses three and a half times where one
/// record alone (1.5 KB) was stored as it came. Reading one record decompresses its chunk, so
/// chunks stay small (migration 0023 has the figures). A row keeps its chunk and where its text
/// lies, in characters, as `substr(body, raw_start, raw_length)` reads it back.
struct RawChunks: Sendable {
    /// Where one record's text lies.
    struct Placement {
        var chunkID: Int64
        /// In characters, from 1.
        var start: Int32
        var length: Int32
    }

    /// A chunk is closed once its body reaches this many bytes.
    static let chunkBytes = 16 << 10
    /// Fields of a chunk row: tenant, chunk_id, first_at, last_at, body.
    static let columns = "tenant, chunk_id, first_at, last_at, body"

    private let ids: RawChunkIDs
    /// The batch's tenants as its rows name them, by position.
    private(set) var tenants: [String] = []
    /// The chunk being filled for each tenant, by the tenant's position.
    private var open: [OpenChunk?] = []
    private var openBytes = 0
    /// A closed chunk's body, emptied, for the next chunk to fill.
    private var spareBody: [UInt8] = []
    /// Closed chunks, encoded as they close; row `i` is chunk `chunkIDs[i]`.
    private(set) var rows: BinaryCopyEncoder
    private(set) var chunkIDs: [Int64] = []

    private struct OpenChunk: Sendable {
        var id: Int64
        var tenant: Int32
        var body: [UInt8]
        var characters = 0
        var firstAt = Int64.max
        var lastAt = Int64.min
    }

    init(ids: RawChunkIDs, reusing storage: consuming CopyBuffer? = nil, reservingCapacity capacity: Int = 1 << 16) {
        self.ids = ids
        rows = BinaryCopyEncoder(reusing: storage.take(), reservingCapacity: capacity)
    }

    /// Hands over the encoded chunks' memory for another batch.
    mutating func takeStorage() -> CopyBuffer {
        chunkIDs = []
        return rows.takeStorage()
    }

    /// Bytes the batch's raw texts take so far.
    var byteCount: Int { rows.byteCount + openBytes }

    /// Names the tenant at the next position, as the batch's rows store it.
    mutating func addTenant(_ name: String) { tenants.append(name) }

    /// Appends a record's text to its tenant's chunk; NUL bytes (which text cannot hold) become
    /// U+FFFD, as in every other text field.
    mutating func place(
        _ raw: UnsafeBufferPointer<UInt8>, mayHoldNUL: Bool, tenant: Int32, occurredAt: Timestamp
    ) -> Placement {
        let slot = Int(tenant)
        if open.count <= slot { open.append(contentsOf: repeatElement(nil, count: slot + 1 - open.count)) }
        var chunk = open[slot].take() ?? newChunk(tenant: tenant)
        let startByte = chunk.body.count
        if mayHoldNUL, let base = raw.baseAddress, memchr(base, 0, raw.count) != nil {
            for byte in raw {
                if byte == 0 {
                    chunk.body.append(contentsOf: RowWriter.nulReplacement)
                } else {
                    chunk.body.append(byte)
                }
            }
        } else {
            chunk.body.append(contentsOf: raw)
        }
        var characters = chunk.body.withUnsafeBufferPointer {
            Self.characterCount(UnsafeBufferPointer(rebasing: $0[startByte...]))
        }
        if characters != chunk.body.count - startByte,
            String(validating: chunk.body[startByte...], as: UTF8.self) == nil
        {
            // PostgreSQL would refuse the whole chunk for one record's broken UTF-8: that record
            // keeps its text with each broken sequence as U+FFFD, as a String would hold it.
            let repaired = String(decoding: chunk.body[startByte...], as: UTF8.self)
            chunk.body.removeSubrange(startByte...)
            chunk.body.append(contentsOf: repaired.utf8)
            characters = repaired.unicodeScalars.count
        }
        openBytes += chunk.body.count - startByte
        let placement = Placement(
            chunkID: chunk.id, start: Int32(chunk.characters + 1), length: Int32(characters))
        chunk.characters += characters
        chunk.firstAt = min(chunk.firstAt, occurredAt.microsecondsSinceEpoch)
        chunk.lastAt = max(chunk.lastAt, occurredAt.microsecondsSinceEpoch)
        if chunk.body.count >= Self.chunkBytes {
            close(chunk)
        } else {
            open[slot] = chunk
        }
        return placement
    }

    /// Closes every chunk still open and ends the stream.
    mutating func finish() {
        for slot in open.indices {
            if let chunk = open[slot].take() { close(chunk) }
        }
        rows.finish()
    }

    private mutating func newChunk(tenant: Int32) -> OpenChunk {
        var body: [UInt8] = []
        swap(&body, &spareBody)
        body.reserveCapacity(Self.chunkBytes + Self.chunkBytes / 4)
        return OpenChunk(id: ids.next(), tenant: tenant, body: body)
    }

    private mutating func close(_ chunk: consuming OpenChunk) {
        rows.appendRow(fieldCount: 5, textMayHoldNUL: false) { row in
            row.append(text: tenants[Int(chunk.tenant)])
            row.append(int64: chunk.id)
            row.append(timestampMicroseconds: chunk.firstAt)
            row.append(timestampMicroseconds: chunk.lastAt)
            chunk.body.withUnsafeBufferPointer { row.append(text: $0) }
        }
        chunkIDs.append(chunk.id)
        openBytes -= chunk.body.count
        chunk.body.removeAll(keepingCapacity: true)
        spareBody = chunk.body
    }

    /// The finished chunks named by `ids`.
    func rows(keeping ids: Set<Int64>) -> BinaryCopyEncoder {
        rows.keepingRows { ids.contains(chunkIDs[$0]) }
    }

    /// One record's text back from a finished chunk (for a quarantine entry); nil when the chunk
    /// is not this batch's.
    func text(chunk id: Int64, start: Int, length: Int) -> String? {
        guard let row = chunkIDs.firstIndex(of: id), let body = rows.field(4, ofRow: row) else { return nil }
        var characters = 0
        var from = body.endIndex
        var to = body.endIndex
        for (index, byte) in body.enumerated() where byte & 0xC0 != 0x80 {
            characters += 1
            if characters == start { from = index }
            if characters == start + length {
                to = index
                break
            }
        }
        return String(decoding: body[min(from, to)..<to], as: UTF8.self)
    }

    /// Characters in UTF-8 text: bytes that do not continue a sequence. ASCII, nearly every raw
    /// record, is told 32 bytes at a time, in four words that do not wait on one another.
    static func characterCount(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = text.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var high: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        while index + 32 <= text.count {
            high.0 |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            high.1 |= raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
            high.2 |= raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
            high.3 |= raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            index += 32
        }
        var all = high.0 | high.1 | high.2 | high.3
        for byte in text[index...] { all |= UInt64(byte) }
        guard all & 0x8080_8080_8080_8080 != 0 else { return text.count }
        return text.count { $0 & 0xC0 != 0x80 }
    }
}

/// Chunk numbers for one loading run: (the run's number from `mailhound.raw_chunk_runs`) << 32,
/// plus one a chunk. Only the parser thread draws from it.
final class RawChunkIDs: @unchecked Sendable {
    private let run: Int64
    private var drawn: Int64 = 0

    init(run: Int64) { self.run = run }

    func next() -> Int64 {
        defer { drawn += 1 }
        // 2^32 chunks of 16 KB (64 TB) in one run would reach the next run's numbers.
        return run << 32 | drawn
    }
}
