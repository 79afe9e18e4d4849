import CCrypto

/// A record's unique id: the UAL `Id` GUID, 16 bytes; for sources without one, a name-based id
/// derived from the record's natural key.
public struct RecordID: Sendable, Hashable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses `8-4-4-4-12` hex digits, with or without braces; nil for anything else.
    public init?(utf8 text: UnsafeBufferPointer<UInt8>) {
        let braced = text.count == 38
        guard braced || text.count == 36 else { return nil }
        if braced, text[0] != UInt8(ascii: "{") || text[37] != UInt8(ascii: "}") { return nil }
        let start = braced ? 1 : 0
        guard text[start + 8] == UInt8(ascii: "-"), text[start + 13] == UInt8(ascii: "-"),
            text[start + 18] == UInt8(ascii: "-"), text[start + 23] == UInt8(ascii: "-")
        else { return nil }
        // Every digit is looked up and checked; the dashes are skipped by position.
        var high: UInt64 = 0
        var low: UInt64 = 0
        var seen: UInt8 = 0
        hexDigitValues.withUnsafeBufferPointer { values in
            func digits(_ range: Range<Int>, into value: inout UInt64) {
                for index in range {
                    let digit = values[Int(text[start + index])]
                    seen |= digit
                    value = value << 4 | UInt64(digit & 0x0F)
                }
            }
            digits(0..<8, into: &high)
            digits(9..<13, into: &high)
            digits(14..<18, into: &high)
            digits(19..<23, into: &low)
            digits(24..<36, into: &low)
        }
        guard seen & 0x80 == 0 else { return nil }
        self.init(high: high, low: low)
    }

    public init?(_ text: String) {
        var text = text
        guard let id = text.withUTF8(RecordID.init(utf8:)) else { return nil }
        self = id
    }

    /// The first 16 bytes of SHA-256 over `kind` and `key` (for example the mailbox audit
    /// `Identity`, or a web server's name plus the log line), marked as a version-8 UUID. A
    /// collision-resistant hash, because log lines are partly written by the attacker.
    public init(naturalKey key: String, kind: String) {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let message = Array((kind + "\u{1F}" + key).utf8)
        _ = message.withUnsafeBufferPointer { SHA256($0.baseAddress, $0.count, &digest) }
        digest[6] = digest[6] & 0x0F | 0x80
        digest[8] = digest[8] & 0x3F | 0x80
        var high: UInt64 = 0
        var low: UInt64 = 0
        for byte in digest[0..<8] { high = high << 8 | UInt64(byte) }
        for byte in digest[8..<16] { low = low << 8 | UInt64(byte) }
        self.init(high: high, low: low)
    }

    /// The 16 bytes in network order, as PostgreSQL's binary `uuid` wants them.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    public var description: String {
        let hex = bytes.map { byte -> String in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(
            separator: "-")
    }
}

/// Each byte's value as a hex digit, or 0xFF for a byte that is not one: a table, because every
/// record's GUID passes here.
private let hexDigitValues: [UInt8] = (0...255).map { byte in
    switch UInt8(byte) {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
    default: 0xFF
    }
}
