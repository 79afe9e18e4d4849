import AuditEvents
import PostgresClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rows for one table keyed by (tenant, uuid), encoded for binary COPY. A record repeated within
/// the batch is encoded once; the loader asks which keys are stored already and sends the rest.
/// A record whose key an earlier row of the batch holds but which says something else (another
/// content hash) goes to `conflicts`, stored under a derived key. Each encoded row's raw text goes
/// into `raw`, the row naming where.
struct KeyedRows: Sendable {
    private(set) var encoder: BinaryCopyEncoder
    private(set) var conflicts = BinaryCopyEncoder(reservingCapacity: 0)
    private(set) var raw: RawChunks
    /// The batch's tenants, each once (the raw chunks keep the list, naming their rows' tenants
    /// too). Rows name theirs by position and are matched to it by bytes, so a row costs no
    /// reference counting: its atomic operations took a twentieth of the parse.
    var tenants: [String] { raw.tenants }
    /// The tenant of the last row, as UTF-8, and its position.
    private var lastTenant: [UInt8] = []
    private var lastTenantPosition: Int32 = -1
    /// Keys in row order, and the content hash of each row.
    private(set) var rowKeys: [TenantIndexedKey] = []
    private(set) var rowHashes: [Int64] = []
    private var seen = KeyPositions()

    init(
        reservingCapacity capacity: Int, reusing storage: consuming CopyBuffer? = nil,
        reusingForRaw rawStorage: consuming CopyBuffer? = nil, chunkIDs: RawChunkIDs
    ) {
        encoder = BinaryCopyEncoder(reusing: storage.take(), reservingCapacity: capacity)
        raw = RawChunks(ids: chunkIDs, reusing: rawStorage.take(), reservingCapacity: capacity)
    }

    /// Hands over the encoded rows' memory for another batch.
    mutating func takeStorage() -> CopyBuffer {
        rowKeys = []
        rowHashes = []
        conflicts = BinaryCopyEncoder(reservingCapacity: 0)
        lastTenant = []
        lastTenantPosition = -1
        return encoder.takeStorage()
    }

    /// Hands over the raw chunks' memory for another batch.
    mutating func takeRawStorage() -> CopyBuffer { raw.takeStorage() }

    var count: Int { rowKeys.count }
    /// Bytes of the rows and of their raw texts.
    var byteCount: Int { encoder.byteCount + raw.byteCount }

    /// Encodes the row, and places its raw text, unless the batch holds its key already with the
    /// same content.
    mutating func append<Text: RowText>(
        tenant: Text, id: RecordID, contentHash: Int64, occurredAt: Timestamp, raw text: Text, mayHoldNUL: Bool,
        encode: (inout BinaryCopyEncoder, RawChunks.Placement) -> Void
    ) {
        let key = TenantIndexedKey(id: id, tenant: tenant.withUTF8Bytes { position(of: $0) })
        func placed() -> RawChunks.Placement {
            text.withUTF8Bytes { raw.place($0, mayHoldNUL: mayHoldNUL, tenant: key.tenant, occurredAt: occurredAt) }
        }
        if let earlier = seen.insert(key, in: rowKeys) {
            if rowHashes[earlier] != contentHash { encode(&conflicts, placed()) }
            return
        }
        rowKeys.append(key)
        rowHashes.append(contentHash)
        encode(&encoder, placed())
    }

    /// The tenant's position in `tenants`, added when new. Rows of one file nearly always share
    /// their tenant, so the last row's is compared first.
    private mutating func position(of tenant: UnsafeBufferPointer<UInt8>) -> Int32 {
        let sameAsLast = lastTenant.withUnsafeBufferPointer { last in
            guard last.count == tenant.count else { return false }
            guard let lastBytes = last.baseAddress, let bytes = tenant.baseAddress else { return true }
            return memcmp(lastBytes, bytes, last.count) == 0
        }
        if sameAsLast, lastTenantPosition >= 0 { return lastTenantPosition }
        // As the row stores it, so the probe for stored keys finds it.
        let name = BoundedText.shortened(tenant, limit: BoundedText.keyBytes) ?? String(decoding: tenant, as: UTF8.self)
        let index = tenants.firstIndex(of: name) ?? tenants.count
        if index == tenants.count { raw.addTenant(name) }
        lastTenant = Array(tenant)
        lastTenantPosition = Int32(index)
        return lastTenantPosition
    }

    mutating func finish() {
        encoder.finish()
        conflicts.finish()
        raw.finish()
        seen = KeyPositions()
        putInKeyOrder()
    }

    /// Sends the rows in the order of the primary key (record id, then tenant): a batch then
    /// fills the key's pages from one end to the other, where random ids made every insert a
    /// cache miss in a different page. It cut a first load's COPY by a sixth on a server with
    /// a 128 MB buffer cache.
    private mutating func putInKeyOrder() {
        let keys = rowKeys
        let hashes = rowHashes
        let order = keys.indices.sorted { keys[$0].sortsBefore(keys[$1]) }
        guard order.indices.contains(where: { order[$0] != $0 }) else { return }
        encoder = encoder.rows(at: order)
        rowKeys = order.map { keys[$0] }
        rowHashes = order.map { hashes[$0] }
    }

    /// The finished stream without the rows whose keys are in `stored`.
    func leavingOut(_ stored: Set<TenantIndexedKey>) -> BinaryCopyEncoder {
        stored.isEmpty ? encoder : encoder.keepingRows { !stored.contains(rowKeys[$0]) }
    }

    /// The finished stream of the rows whose keys are in `keys`.
    func keeping(_ keys: Set<TenantIndexedKey>) -> BinaryCopyEncoder {
        encoder.keepingRows { keys.contains(rowKeys[$0]) }
    }
}

/// A row's key within its batch: the id and the position of its tenant in the batch's list.
struct TenantIndexedKey: Hashable, Sendable {
    var id: RecordID
    var tenant: Int32

    /// In PostgreSQL's order of the uuid (its bytes in turn), then by the tenant's position.
    func sortsBefore(_ other: TenantIndexedKey) -> Bool {
        (id.high, id.low, tenant) < (other.id.high, other.id.low, other.tenant)
    }
}

/// Which keys a batch holds: positions in its key list, by open addressing on the record id.
/// An id is a GUID or a SHA-256 digest, so multiplying its bits mixes them well enough; `Set`'s
/// seeded hash of the tenant text and the id cost a twentieth of the parse. A slot keeps 32 bits
/// of the id beside the position, so a probe seldom reads the key list: on a batch larger than
/// the cache, each read of it is a miss.
struct KeyPositions: Sendable {
    /// Position + 1 in the high half (0: empty), the id's tag in the low half.
    private var slots: [UInt64] = []
    private var shift = 64

    /// Adds the key unless `keys` (the list the positions point into) holds it: nil when added,
    /// as position `keys.count`, else the position that holds it.
    mutating func insert(_ key: TenantIndexedKey, in keys: [TenantIndexedKey]) -> Int? {
        if keys.count * 2 >= slots.count { grow(keys) }
        let tag = Self.tag(key.id)
        var slot = home(key.id)
        while slots[slot] != 0 {
            let entry = slots[slot]
            let position = Int(entry >> 32) - 1
            if UInt32(truncatingIfNeeded: entry) == tag, keys[position] == key { return position }
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[slot] = UInt64(keys.count + 1) << 32 | UInt64(tag)
        return nil
    }

    private func home(_ id: RecordID) -> Int {
        Int(truncatingIfNeeded: ((id.high ^ id.low) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    private static func tag(_ id: RecordID) -> UInt32 { UInt32(truncatingIfNeeded: id.low) }

    private mutating func grow(_ keys: [TenantIndexedKey]) {
        let bits = max(10, (keys.count * 4).bitWidth - (keys.count * 4).leadingZeroBitCount)
        slots = Array(repeating: 0, count: 1 << bits)
        shift = 64 - bits
        for (position, key) in keys.enumerated() {
            var slot = home(key.id)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = UInt64(position + 1) << 32 | UInt64(Self.tag(key.id))
        }
    }
}
