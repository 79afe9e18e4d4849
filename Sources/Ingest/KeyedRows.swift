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
    private var seen = KeyPositions()

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
        guard seen.insert(key, in: keys) else { return }
        keys.append(key)
        encode(&encoder)
    }

    mutating func finish() {
        encoder.finish()
        seen = KeyPositions()
    }

    /// The finished stream without the rows whose keys are in `stored`.
    func leavingOut(_ stored: Set<RowKey>) -> BinaryCopyEncoder {
        stored.isEmpty ? encoder : encoder.keepingRows { !stored.contains(keys[$0]) }
    }
}

/// Which keys a batch holds: positions in its key list, by open addressing on the record id.
/// An id is a GUID or a SHA-256 digest, so multiplying its bits mixes them well enough; `Set`'s
/// seeded hash of the tenant text and the id cost a twentieth of the parse.
struct KeyPositions: Sendable {
    private var slots: [Int32] = []
    private var shift = 64

    /// Adds the key unless `keys` (the list the positions point into) holds it; true when added,
    /// as position `keys.count`.
    mutating func insert(_ key: RowKey, in keys: [RowKey]) -> Bool {
        if keys.count * 2 >= slots.count { grow(keys) }
        var slot = home(key.id)
        while slots[slot] >= 0 {
            if keys[Int(slots[slot])] == key { return false }
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[slot] = Int32(keys.count)
        return true
    }

    private func home(_ id: RecordID) -> Int {
        Int(truncatingIfNeeded: ((id.high ^ id.low) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    private mutating func grow(_ keys: [RowKey]) {
        let bits = max(10, (keys.count * 4).bitWidth - (keys.count * 4).leadingZeroBitCount)
        slots = Array(repeating: -1, count: 1 << bits)
        shift = 64 - bits
        for (position, key) in keys.enumerated() {
            var slot = home(key.id)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(position)
        }
    }
}
