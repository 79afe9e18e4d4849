import PostgresClient

/// `mailhound.events.session_key`, computed as a row is encoded, from the row's own encoded fields,
/// exactly as `mailhound.session_key_of` computes it in the server: PostgreSQL's
/// `hashtextextended` (Bob Jenkins's lookup3, seed 0) of
/// `tenant|lower(actor)|sid|SessionId` or `tenant|lower(actor)|net|host(client_ip)|app`.
/// A stored generated column made the server copy every row twice, about a fifth of COPY's work
/// for a row. What only the server can compute the same way is left to it (nil): `lower()` of an
/// actor with bytes beyond ASCII depends on the database's locale, and PostgreSQL writes an IPv6
/// address that begins with zeros with an embedded IPv4 address.
enum SessionKey {
    /// The key of the row whose fields `row` holds, or nil (see above). Every record passes here:
    /// the text is put together on the stack.
    static func of(_ row: KeyFields) -> Int64? {
        guard let tenant = row.tenant else { return nil }
        if let actor = row.actor, actor.contains(where: { $0 >= 0x80 }) { return nil }
        let app: UnsafeRawBufferPointer?
        if let id = row.clientAppID, !id.isEmpty {
            app = id
        } else if let id = row.appID, !id.isEmpty {
            app = id
        } else {
            app = row.clientInfo
        }
        let capacity =
            tenant.count + (row.actor?.count ?? 0) + (row.sourceSessionID?.count ?? 0) + (app?.count ?? 0) + 64
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer -> Int64? in
            var text = KeyText(buffer)
            text.append(tenant)
            text.append(UInt8(ascii: "|"))
            if let actor = row.actor {
                for byte in actor {
                    text.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
                }
            }
            text.append(UInt8(ascii: "|"))
            if let sessionID = row.sourceSessionID {
                text.append("sid|")
                text.append(sessionID)
            } else {
                text.append("net|")
                if let address = row.clientIP, !text.appendHost(inet: address) { return nil }
                text.append(UInt8(ascii: "|"))
                if let app { text.append(app) }
            }
            return Int64(
                bitPattern: hashExtended(
                    UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<text.count]))))
        }
    }

    /// Whether the server computes the keys as `of(encodedFields:)` does: its `hashtextextended`
    /// the same (a big-endian server's differs) and `lower()` of ASCII letters plain (not so in a
    /// Turkish locale). When not, every key is left to the server.
    static func serverAgrees(on connection: Connection) throws -> Bool {
        let probe = "t-1|Mallory@Contoso.example|net|10.1.2.3|Outlook"
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        let row = try connection.execute(
            "select hashtextextended(\(probe), 0)::text as hash, lower(\(letters)) as lower"
        ).rows.first
        let expected = Array(probe.utf8).withUnsafeBytes { Int64(bitPattern: hashExtended($0)) }
        return row?["hash"] == String(expected) && row?["lower"] == letters.lowercased()
    }

    /// PostgreSQL's `hash_bytes_extended` with seed 0 (src/common/hashfn.c) as a little-endian
    /// server computes it; `Ingestor` checks the server agrees before relying on it.
    static func hashExtended(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var a = 0x9e37_79b9 &+ UInt32(truncatingIfNeeded: key.count) &+ 3_923_095
        var b = a
        var c = a
        func word(_ offset: Int) -> UInt32 {
            UInt32(littleEndian: key.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        }
        func byte(_ offset: Int) -> UInt32 { UInt32(key[offset]) }
        var offset = 0
        var left = key.count
        while left >= 12 {
            a &+= word(offset)
            b &+= word(offset + 4)
            c &+= word(offset + 8)
            mix(&a, &b, &c)
            offset += 12
            left -= 12
        }
        // The last 11 bytes; the lowest byte of c is reserved for the length.
        if left >= 11 { c &+= byte(offset + 10) << 24 }
        if left >= 10 { c &+= byte(offset + 9) << 16 }
        if left >= 9 { c &+= byte(offset + 8) << 8 }
        if left >= 8 {
            b &+= word(offset + 4)
            a &+= word(offset)
        } else {
            if left >= 7 { b &+= byte(offset + 6) << 16 }
            if left >= 6 { b &+= byte(offset + 5) << 8 }
            if left >= 5 { b &+= byte(offset + 4) }
            if left >= 4 {
                a &+= word(offset)
            } else {
                if left >= 3 { a &+= byte(offset + 2) << 16 }
                if left >= 2 { a &+= byte(offset + 1) << 8 }
                if left >= 1 { a &+= byte(offset) }
            }
        }
        final(&a, &b, &c)
        return UInt64(b) << 32 | UInt64(c)
    }

    private static func rotate(_ value: UInt32, _ bits: UInt32) -> UInt32 {
        value << bits | value >> (32 - bits)
    }

    /// lookup3's mix: three rounds each way of subtract, xor with a rotation, add.
    private static func mix(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32) {
        func round(_ x: inout UInt32, _ y: inout UInt32, _ z: UInt32, _ bits: UInt32) {
            x &-= y
            x ^= rotate(y, bits)
            y &+= z
        }
        round(&a, &c, b, 4)
        round(&b, &a, c, 6)
        round(&c, &b, a, 8)
        round(&a, &c, b, 16)
        round(&b, &a, c, 19)
        round(&c, &b, a, 4)
    }

    /// lookup3's final: seven rounds of xor and subtract a rotation.
    private static func final(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32) {
        func round(_ x: inout UInt32, _ y: UInt32, _ bits: UInt32) {
            x ^= y
            x &-= rotate(y, bits)
        }
        round(&c, b, 14)
        round(&a, c, 11)
        round(&b, a, 25)
        round(&c, b, 16)
        round(&a, c, 4)
        round(&b, a, 14)
        round(&c, b, 24)
    }
}
