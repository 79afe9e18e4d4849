/// A client address as stored in an `inet` column: IPv4 or IPv6, without port or brackets.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable { case v4, v6 }

    public let family: Family
    /// The address as one 128-bit number in two halves; an IPv4 address is the low 32 bits.
    /// Numbers, not a byte array: every event carries one, and an array is an allocation.
    public let high: UInt64
    public let low: UInt64

    init(v4 address: UInt32) {
        family = .v4
        high = 0
        low = UInt64(address)
    }

    init(v6 bytes: [UInt8]) {
        family = .v6
        high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// 4 or 16 bytes in network order.
    public var bytes: [UInt8] {
        switch family {
        case .v4: (0..<4).map { UInt8(truncatingIfNeeded: low >> (24 - 8 * $0)) }
        case .v6:
            (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        }
    }

    /// Accepts what audit logs write: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:443`,
    /// `::ffff:1.2.3.4`. Returns nil for anything that is not an address.
    public init?(logText text: String) {
        var text = text
        if let v4 = text.withUTF8(plainIPv4) {
            self.init(v4: v4)
        } else {
            self.init(generalText: text)
        }
    }

    /// The same, from UTF-8 bytes read in place.
    public init?(logText text: UnsafeBufferPointer<UInt8>) {
        if let v4 = plainIPv4(text) {
            self.init(v4: v4)
        } else {
            self.init(generalText: String(decoding: text, as: UTF8.self))
        }
    }

    private init?(generalText text: String) {
        var candidate = Substring(text.trimmingSpaces())
        if candidate.hasPrefix("[") {
            guard let close = candidate.firstIndex(of: "]") else { return nil }
            candidate = candidate[candidate.index(after: candidate.startIndex)..<close]
        } else if let colon = candidate.firstIndex(of: ":"), candidate.lastIndex(of: ":") == colon {
            candidate = candidate[..<colon]  // one colon: IPv4 with a port
        }
        if let zone = candidate.firstIndex(of: "%") { candidate = candidate[..<zone] }
        if let v4 = parseIPv4(candidate.utf8) {
            self.init(v4: v4)
        } else if let v6 = parseIPv6(candidate) {
            self.init(v6: v6)
        } else {
            return nil
        }
    }

    public var description: String {
        switch family {
        case .v4: return bytes.map(String.init).joined(separator: ".")
        case .v6:
            var groups: [Int] = []
            for index in stride(from: 0, to: 16, by: 2) {
                groups.append(Int(bytes[index]) << 8 | Int(bytes[index + 1]))
            }
            var bestStart = -1
            var bestLength = 1
            var index = 0
            while index < 8 {
                guard groups[index] == 0 else {
                    index += 1
                    continue
                }
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            }
            func hex(_ range: Range<Int>) -> String {
                groups[range].map { String($0, radix: 16) }.joined(separator: ":")
            }
            if bestStart < 0 { return hex(0..<8) }
            return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
        }
    }
}

/// `a.b.c.d`, or `a.b.c.d:port` with a numeric port: what nearly every log line holds, read from
/// the UTF-8 bytes without building substrings. Anything else is left to the general parser.
private func plainIPv4(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
    guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return parseIPv4(bytes) }
    let port = bytes[(colon + 1)...]
    guard !port.isEmpty, port.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
        return nil
    }
    return parseIPv4(bytes[..<colon])
}

/// Four dot-separated decimal parts of one to three digits, each at most 255.
private func parseIPv4<Bytes: Collection<UInt8>>(_ text: Bytes) -> UInt32? {
    var result: UInt32 = 0
    var parts = 0
    var value: UInt32 = 0
    var digits = 0
    for byte in text {
        if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 {
            value = value * 10 + UInt32(byte - UInt8(ascii: "0"))
            digits += 1
        } else if byte == UInt8(ascii: "."), digits > 0, value <= 255, parts < 3 {
            result = result << 8 | value
            parts += 1
            value = 0
            digits = 0
        } else {
            return nil
        }
    }
    guard digits > 0, value <= 255, parts == 3 else { return nil }
    return result << 8 | value
}

private func parseIPv6(_ text: Substring) -> [UInt8]? {
    guard text.contains(":") else { return nil }
    var head = text
    var tailV4: [UInt8] = []
    if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
        guard let v4 = parseIPv4(text[text.index(after: lastColon)...].utf8) else { return nil }
        tailV4 = IPAddress(v4: v4).bytes
        head = text[...lastColon]
        if head.hasSuffix(":"), !head.hasSuffix("::") { head = head.dropLast() }
    }
    func groups(_ part: Substring) -> [UInt16]? {
        if part.isEmpty { return [] }
        var result: [UInt16] = []
        for group in part.split(separator: ":", omittingEmptySubsequences: false) {
            guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else {
                return nil
            }
            result.append(value)
        }
        return result
    }
    let wanted = tailV4.isEmpty ? 8 : 6
    var values: [UInt16]
    if let range = doubleColon(in: head) {
        let rest = head[range.upperBound...]
        guard let left = groups(head[..<range.lowerBound]), let right = groups(rest),
            doubleColon(in: rest) == nil, left.count + right.count < wanted
        else { return nil }
        values = left + Array(repeating: 0, count: wanted - left.count - right.count) + right
    } else {
        guard let all = groups(head), all.count == wanted else { return nil }
        values = all
    }
    return values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] } + tailV4
}

private func doubleColon(in text: Substring) -> Range<Substring.Index>? {
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(after: index)
        if text[index] == ":", next < text.endIndex, text[next] == ":" {
            return index..<text.index(after: next)
        }
        index = next
    }
    return nil
}

extension String {
    func trimmingSpaces() -> Substring {
        var result = Substring(self)
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
