/// A record's unique id: the UAL `Id` GUID, 16 bytes.
public struct RecordID: Sendable, Hashable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses `8-4-4-4-12` hex digits, with or without braces; nil for anything else.
    public init?<Bytes: Collection<UInt8>>(utf8 text: Bytes) {
        var digits: [UInt8] = []
        digits.reserveCapacity(32)
        var bytes = Array(text)
        if bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") {
            bytes = Array(bytes.dropFirst().dropLast())
        }
        guard bytes.count == 36 else { return nil }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let value = hexValue(byte) else { return nil }
            digits.append(value)
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for digit in digits[0..<16] { high = high << 4 | UInt64(digit) }
        for digit in digits[16..<32] { low = low << 4 | UInt64(digit) }
        self.init(high: high, low: low)
    }

    public init?(_ text: String) {
        self.init(utf8: text.utf8)
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

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
