import CCrypto
import PostgresClient

/// Every text that reaches an index or a key is bounded. Log fields are written by whoever made
/// the request: a 3 KB user agent in a generated key overflows its btree entry (about 2.7 KB) and
/// would refuse the whole batch. A longer value keeps its first bytes and a marker naming its
/// length and SHA-256, so two long values that share their start stay two values; the record's
/// `raw` keeps the whole.
enum BoundedText {
    /// Identities, mailbox names, client strings: parts of keys and of the session grouping.
    static let keyBytes = 512
    /// Web request texts shown as evidence (URLs, user agents): not indexed, bounded for display.
    static let displayBytes = 4096

    /// `prefix…[3120 bytes, sha256 1f0c…]`, at most `limit` bytes; nil when `bytes` fits.
    static func shortened(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> String? {
        guard bytes.count > limit else { return nil }
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        _ = SHA256(bytes.baseAddress, bytes.count, &digest)
        let hex = digest.prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let marker = "…[\(bytes.count) bytes, sha256 \(hex)]"
        var cut = limit - marker.utf8.count
        // Cut on a character boundary: never inside a UTF-8 sequence.
        while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<cut]), as: UTF8.self) + marker
    }
}

extension RowWriter {
    /// The text, shortened by `BoundedText` when longer than `limit` bytes.
    mutating func append<Text: RowText>(text: Text?, limit: Int) {
        guard let text else { return appendNull() }
        if let shortened = text.withUTF8Bytes({ BoundedText.shortened($0, limit: limit) }) {
            append(text: shortened)
        } else {
            text.append(to: &self)
        }
    }
}
