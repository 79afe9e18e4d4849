import AuditEvents
import PostgresClient
import Testing

@testable import Ingest

@Suite("A batch's rows in key order")
struct KeyOrderTests {
    /// Rows of (record id, source line), appended in the given order.
    static func batch(_ rows: [(id: String, line: Int64)], conflictAt repeated: String? = nil) -> KeyedRows {
        var batch = KeyedRows(reservingCapacity: 4096, chunkIDs: RawChunkIDs(run: 1))
        var all = rows
        if let repeated { all.append((repeated, 99)) }
        for (line, row) in zip(0..., all) {
            guard let id = Array(row.id.utf8).withUnsafeBufferPointer({ RecordID(utf8: $0) })
            else { continue }
            batch.append(
                tenant: "t-1", id: id, contentHash: Int64(line), occurredAt: Timestamp(microsecondsSinceEpoch: 0),
                raw: "{}", mayHoldNUL: false
            ) { encoder, _ in
                encoder.appendRow(fieldCount: 2) {
                    $0.append(uuidHigh: id.high, low: id.low)
                    $0.append(int64: row.line)
                }
            }
        }
        batch.finish()
        return batch
    }

    @Test("rows, keys and content hashes are sorted together by the uuid's bytes; a repeated id stays apart")
    func sortedByKey() {
        let rows: [(id: String, line: Int64)] = [
            ("f0000000-0000-4000-8000-000000000001", 1),
            ("00000000-0000-4000-8000-000000000003", 2),
            ("80000000-0000-4000-8000-000000000002", 3),
            ("00000000-0000-4000-8000-000000000002", 4),
        ]
        let batch = Self.batch(rows, conflictAt: "80000000-0000-4000-8000-000000000002")
        #expect(
            batch.rowKeys.map(\.id.description) == [
                "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003",
                "80000000-0000-4000-8000-000000000002", "f0000000-0000-4000-8000-000000000001",
            ])
        #expect(batch.rowHashes == [3, 1, 2, 0])
        let lines = (0..<4).map { batch.leavingOut([]).field(1, ofRow: $0) }
        #expect(lines == [4, 2, 3, 1].map { Self.int64Bytes($0) })
        #expect(batch.conflicts.rowCount == 1)
    }

    @Test("a batch already in order is sent as it was built")
    func alreadySorted() {
        let batch = Self.batch([
            ("00000000-0000-4000-8000-000000000001", 1), ("00000000-0000-4000-8000-000000000002", 2),
        ])
        #expect(batch.rowHashes == [0, 1])
        #expect(batch.leavingOut([]).field(1, ofRow: 1) == Self.int64Bytes(2))
    }

    static func int64Bytes(_ value: Int64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
