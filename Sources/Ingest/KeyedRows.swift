import AuditEvents
import PostgresClient

/// The primary key of an event or web request row.
struct RowKey: Hashable, Sendable {
    var tenant: String
    var id: RecordID
}

/// Rows for one table keyed by (tenant, uuid), encoded for binary COPY. A record repeated within
/// the batch is encoded once; the loader asks which keys are stored already and sends the rest.
struct KeyedRows: Sendable {
    private(set) var encoder: BinaryCopyEncoder
    /// Keys in row order.
    private(set) var keys: [RowKey] = []
    private var seen: Set<RowKey> = []

    init(reservingCapacity capacity: Int, reusing storage: CopyBuffer? = nil) {
        encoder = BinaryCopyEncoder(reusing: storage, reservingCapacity: capacity)
    }

    /// Hands over the encoded rows' memory for another batch.
    mutating func takeStorage() -> CopyBuffer {
        keys = []
        return encoder.takeStorage()
    }

    var count: Int { keys.count }
    var byteCount: Int { encoder.byteCount }

    /// Encodes the row unless the batch holds its key already.
    mutating func append(key: RowKey, encode: (inout BinaryCopyEncoder) -> Void) {
        guard seen.insert(key).inserted else { return }
        keys.append(key)
        encode(&encoder)
    }

    mutating func finish() {
        encoder.finish()
        seen = []
    }

    /// The finished stream without the rows whose keys are in `stored`.
    func leavingOut(_ stored: Set<RowKey>) -> BinaryCopyEncoder {
        stored.isEmpty ? encoder : encoder.keepingRows { !stored.contains(keys[$0]) }
    }
}
