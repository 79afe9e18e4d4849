/// The fields of an encoded events row that the session key and the values digest are made of
/// (nil: NULL), read in place.
struct KeyFields {
    var tenant, operation, actor, actorKind, mailboxOwner, clientIP, clientInfo, appID, clientAppID,
        sourceSessionID, accessType: UnsafeRawBufferPointer?

    /// Nil when the row ends before the last of them.
    init?(_ fields: UnsafeRawBufferPointer) {
        var offset = 0
        for field in 0...18 {
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
            case 5: operation = value
            case 7: actor = value
            case 8: actorKind = value
            case 11: mailboxOwner = value
            case 13: clientIP = value
            case 14: clientInfo = value
            case 15: appID = value
            case 16: clientAppID = value
            case 17: sourceSessionID = value
            case 18: accessType = value
            default: break
            }
        }
    }
}

/// A key's text, written into memory the caller sized.
struct KeyText {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    mutating func append(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }

    /// One copy of the whole field: a loop of single bytes was a tenth of the values digest's cost.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, let base = buffer.baseAddress, !bytes.isEmpty else { return }
        assert(count + bytes.count <= buffer.count, "key text larger than its buffer")
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
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
                append(decimal: Int(byte))
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
            append(hex: word(index))
            index += 1
        }
    }

    /// A length or an address byte, in decimal: the digits from the last, each by a division by the
    /// constant 10, which compiles to a multiplication (a divisor held in a variable cost a hardware
    /// division a digit: 6% of the parse stage, 2026-12-06).
    mutating func append(decimal value: Int) {
        assert(value >= 0, "negative key number")
        // Most lengths and address bytes have one or two digits.
        if value < 10 { return append(UInt8(truncatingIfNeeded: 48 + value)) }
        if value < 100 {
            append(UInt8(truncatingIfNeeded: 48 + value / 10))
            return append(UInt8(truncatingIfNeeded: 48 + value % 10))
        }
        var digits = 1
        var probe = UInt(value)
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var rest = UInt(value)
        for position in stride(from: count + digits - 1, through: count, by: -1) {
            buffer[position] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
        }
        count += digits
    }

    /// An IPv6 word in lower-case hex without leading zeros.
    private mutating func append(hex word: UInt16) {
        var shift: UInt16 = 12
        while shift > 0, word >> shift == 0 { shift -= 4 }
        while true {
            let digit = UInt8(truncatingIfNeeded: (word >> shift) & 0xF)
            append(digit < 10 ? 48 + digit : 87 + digit)
            guard shift > 0 else { return }
            shift -= 4
        }
    }
}
