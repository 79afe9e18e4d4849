import CCrypto

/// `mailhound.events.values_digest`, computed as a row is encoded, from the row's own encoded
/// fields, exactly as `mailhound.values_digest_of` computes it in the server: the first 16 bytes
/// of the SHA-256 of each value the session gathers as its length in bytes, a colon and the value
/// (a null as `-`). The count of a full detect groups records by it rather than by the values, so
/// it must never be shared by two sets of values: a 64-bit hash with a public seed could be, where
/// a log's author chooses the client text. An address only the server writes the same way is left
/// to it (nil), as for `SessionKey`.
enum ValuesDigest {
    /// The digest of the row whose fields `row` holds, as the uuid's high and low halves, or nil.
    /// Every record passes here: the text is put together on the stack.
    static func of(_ row: KeyFields) -> (high: UInt64, low: UInt64)? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { hostBuffer in
            var host = KeyText(hostBuffer)
            if let inet = row.clientIP, !host.appendHost(inet: inet) { return nil }
            let address =
                row.clientIP == nil
                ? nil : UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: hostBuffer[..<host.count]))
            let capacity =
                (row.tenant?.count ?? 0) + (row.actor?.count ?? 0) + (row.sourceSessionID?.count ?? 0)
                + (row.actorKind?.count ?? 0) + host.count + (row.clientInfo?.count ?? 0)
                + (row.clientAppID?.count ?? 0) + (row.appID?.count ?? 0) + (row.mailboxOwner?.count ?? 0)
                + (row.accessType?.count ?? 0) + (row.operation?.count ?? 0) + 11 * 12
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                var text = KeyText(buffer)
                func add(_ value: UnsafeRawBufferPointer?) {
                    guard let value else { return text.append(UInt8(ascii: "-")) }
                    text.append(decimal: value.count)
                    text.append(UInt8(ascii: ":"))
                    text.append(value)
                }
                add(row.tenant)
                add(row.actor)
                add(row.sourceSessionID)
                add(row.actorKind)
                add(address)
                add(row.clientInfo)
                add(row.clientAppID)
                add(row.appID)
                add(row.mailboxOwner)
                add(row.accessType)
                add(row.operation)
                var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
                // A digest that failed would be all zeros for every such record, which the count
                // would take for one set of values: it is left to the server instead.
                let digested = withUnsafeMutableBytes(of: &digest) { out -> Bool in
                    let bytes = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    if let algorithm = sha256.algorithm {
                        return EVP_Digest(buffer.baseAddress, text.count, bytes, nil, algorithm, nil) == 1
                    }
                    return SHA256(buffer.baseAddress, text.count, bytes) != nil
                }
                return digested ? (UInt64(bigEndian: digest.0), UInt64(bigEndian: digest.1)) : nil
            }
        }
    }
}

/// SHA-256 as OpenSSL 3 provides it, looked up once: its one-shot `SHA256()` looks the algorithm up
/// on every call, which took half of the 0.57 µs a record's digest cost (0.30 µs fetched once).
/// The fetched algorithm is immutable and may be used from any thread; nil when the lookup fails,
/// and the one-shot call serves.
private struct FetchedAlgorithm: @unchecked Sendable {
    let algorithm: OpaquePointer?
}

private let sha256 = FetchedAlgorithm(algorithm: EVP_MD_fetch(nil, "SHA256", nil))
