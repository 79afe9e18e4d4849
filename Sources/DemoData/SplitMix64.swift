/// SplitMix64: small, fast and the same everywhere.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

extension SplitMix64 {
    public mutating func uuid() -> String {
        let text = hex(32)
        let characters = Array(text)
        return String(characters[0..<8]) + "-" + String(characters[8..<12]) + "-4"
            + String(characters[13..<16])
            + "-a" + String(characters[17..<20]) + "-" + String(characters[20..<32])
    }

    public mutating func hex(_ count: Int) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        var bits = next()
        for position in 0..<count {
            if position % 16 == 0, position > 0 { bits = next() }
            bytes.append(digits[Int(bits & 0xf)])
            bits >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
