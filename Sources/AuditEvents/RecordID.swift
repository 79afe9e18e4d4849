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
        var seen: UInt8 = 0
        var high = Self.hexDigits(text, start, 0..<8, onto: 0, seen: &seen)
        high = Self.hexDigits(text, start, 9..<13, onto: high, seen: &seen)
        high = Self.hexDigits(text, start, 14..<18, onto: high, seen: &seen)
        var low = Self.hexDigits(text, start, 19..<23, onto: 0, seen: &seen)
        low = Self.hexDigits(text, start, 24..<36, onto: low, seen: &seen)
        guard seen & 0x80 == 0 else { return nil }
        self.init(high: high, low: low)
    }

    /// `value` with the hex digits at `range` (from `start`) shifted in; `seen` collects the
    /// table's bits, so a byte that is not a digit shows as 0x80. A static function: a nested one
    /// capturing these as `var`s paid an exclusivity check a digit.
    @inline(__always)
    private static func hexDigits(
        _ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ range: Range<Int>, onto value: UInt64,
        seen: inout UInt8
    ) -> UInt64 {
        var value = value
        for index in range {
            let digit = hexDigitValues[Int(text[start + index])]
            seen |= digit
            value = value << 4 | UInt64(digit & 0x0F)
        }
        return value
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

    /// `8-4-4-4-12` lower-case hex digits. Written digit by digit into one buffer: the loader
    /// sends every key of a batch in this form.
    public var description: String {
        String(unsafeUninitializedCapacity: 36) { text in
            let digits: StaticString = "0123456789abcdef"
            var written = 0
            for position in 0..<32 {
                if position == 8 || position == 12 || position == 16 || position == 20 {
                    text[written] = UInt8(ascii: "-")
                    written += 1
                }
                let half = position < 16 ? high : low
                text[written] = digits.utf8Start[Int(half >> UInt64(60 - 4 * (position % 16)) & 0xF)]
                written += 1
            }
            return written
        }
    }
}

/// Each byte's value as a hex digit, or 0xFF for a byte that is not one: a table, because every
/// record's GUID passes here. Raw memory, made once and kept for the process, so a lookup has no
/// bounds or uniqueness check; never written after it is made, so shared safely.
nonisolated(unsafe) private let hexDigitValues: UnsafePointer<UInt8> = {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for byte in 0...255 {
        table[byte] =
            switch UInt8(byte) {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
            default: 0xFF
            }
    }
    return UnsafePointer(table)
}()
