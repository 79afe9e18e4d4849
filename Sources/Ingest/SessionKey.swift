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
    /// The key of the row whose fields `fields` holds from its first on, or nil (see above).
    /// Every record passes here: the text is put together on the stack.
    static func of(encodedFields fields: UnsafeRawBufferPointer) -> Int64? {
        guard let row = KeyFields(fields), let tenant = row.tenant else { return nil }
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

/// The fields of an encoded events row the key is made of (nil: NULL).
private struct KeyFields {
    var tenant, actor, clientIP, clientInfo, appID, clientAppID, sourceSessionID: UnsafeRawBufferPointer?

    /// Nil when the row ends before the last of them.
    init?(_ fields: UnsafeRawBufferPointer) {
        var offset = 0
        for field in 0...17 {
            guard offset + 4 <= fields.count else { return nil }
            let length = Int(Int32(bigEndian: fields.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
            offset += 4
            var value: UnsafeRawBufferPointer?
            if length >= 0 {
                guard offset + length <= fields.count else { return nil }
                value = UnsafeRawBufferPointer(rebasing: fields[offset..<(offset + length)])
                offset += length
            }
            switch field {
            case 0: tenant = value
            case 7: actor = value
            case 13: clientIP = value
            case 14: clientInfo = value
            case 15: appID = value
            case 16: clientAppID = value
            case 17: sourceSessionID = value
            default: break
            }
        }
    }
}

/// The key's text, written into memory the caller sized.
private struct KeyText {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    mutating func append(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes { append(byte) }
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { for byte in $0 { append(byte) } }
    }

    /// `host(inet)` as PostgreSQL writes it, from the binary `inet` field (family, bits, is_cidr,
    /// length, address). False for what is left to the server: an IPv6 address whose first word is
    /// zero (written with an embedded IPv4 address in some forms) or not a host address.
    mutating func appendHost(inet field: UnsafeRawBufferPointer) -> Bool {
        guard field.count >= 4 else { return false }
        let address = UnsafeRawBufferPointer(rebasing: field[4...])
        switch (field[0], Int(field[3])) {
        case (2, 4) where address.count == 4:
            for (index, byte) in address.enumerated() {
                if index > 0 { append(UInt8(ascii: ".")) }
                appendNumber(Int(byte), radix: 10)
            }
            return true
        case (3, 16) where address.count == 16:
            guard address[0] != 0 || address[1] != 0 else { return false }
            appendIPv6 { UInt16(address[2 * $0]) << 8 | UInt16(address[2 * $0 + 1]) }
            return true
        default:
            return false
        }
    }

    /// Hex words without leading zeros; the longest run of two or more zero words (the first of
    /// equal runs) as `::` (inet_net_ntop_ipv6 in src/port/inet_net_ntop.c).
    private mutating func appendIPv6(_ word: (Int) -> UInt16) {
        var best = (start: -1, count: 0)
        var run = (start: -1, count: 0)
        for index in 0..<8 {
            if word(index) == 0 {
                run = run.start < 0 ? (index, 1) : (run.start, run.count + 1)
                if run.count > best.count { best = run }
            } else {
                run = (-1, 0)
            }
        }
        if best.count < 2 { best = (-1, 0) }
        var index = 0
        while index < 8 {
            if index == best.start {
                append("::")
                index += best.count
                continue
            }
            if index > 0, index != best.start + best.count { append(UInt8(ascii: ":")) }
            appendNumber(Int(word(index)), radix: 16)
            index += 1
        }
    }

    private mutating func appendNumber(_ value: Int, radix: Int) {
        var divisor = 1
        while value / divisor >= radix { divisor *= radix }
        var rest = value
        while divisor > 0 {
            let digit = rest / divisor
            append(UInt8(digit < 10 ? 48 + digit : 87 + digit))
            rest %= divisor
            divisor /= radix
        }
    }
}
