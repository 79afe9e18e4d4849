import AuditEvents

/// What a record says, hashed (FNV-1a, 64 bits, over full values, before any bounding): two
/// records under one id whose hashes differ are two records. Only what every export of a record
/// carries alike is hashed (UAL JSON, its Purview CSV, its envelopes, a Sentinel export): the
/// second, the operation, the actor and the mailbox. One record read from two of them hashes the
/// same; two records sharing an id differ in one of these nearly always.
/// Stored in `content_hash`: changing what is hashed needs a migration that hashes stored rows again.
struct ContentHash {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    private mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ number: Int64) {
        var remaining = UInt64(bitPattern: number)
        for _ in 0..<8 {
            add(byte: UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    /// A text and its end, so `ab`+`c` and `a`+`bc` differ; nil differs from empty.
    mutating func add<Text: RowText>(_ text: Text?) {
        guard let text else { return add(byte: 0) }
        add(byte: 1)
        text.withUTF8Bytes { bytes in
            for byte in bytes { add(byte: byte) }
        }
        add(byte: 0xFF)
    }

    mutating func add(_ address: IPAddress?) {
        guard let address else { return add(byte: 0) }
        add(byte: address.family == .v4 ? 4 : 6)
        add(Int64(bitPattern: address.high))
        add(Int64(bitPattern: address.low))
    }

    var signed: Int64 { Int64(bitPattern: value) }

    static func of<Row: EventRow & ~Copyable>(_ event: borrowing Row) -> Int64 {
        var hash = ContentHash()
        hash.add(event.occurredAt.microsecondsSinceEpoch / 1_000_000)
        hash.add(event.operation)
        hash.add(event.actor)
        hash.add(event.mailboxOwner)
        return hash.signed
    }

    static func of(_ request: WebRequest) -> Int64 {
        var hash = ContentHash()
        hash.add(request.occurredAt.microsecondsSinceEpoch)
        hash.add(request.method)
        hash.add(request.urlStem)
        hash.add(request.urlQuery)
        hash.add(Int64(request.httpStatus ?? -1))
        hash.add(request.user)
        hash.add(request.clientIP)
        hash.add(request.userAgent)
        hash.add(request.anchorMailbox)
        hash.add(request.backEndCookie)
        return hash.signed
    }
}
