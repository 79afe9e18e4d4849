import AuditEvents

/// Who routes an address range: one row of an IP-to-ASN table such as iptoasn.com's
/// `ip2asn-v4.tsv`, `-v6` or `-combined` (tab-separated `range_start range_end AS_number
/// country_code AS_description`). Detectors judge novelty by the network's owner where they have
/// one: a phone moving between a carrier's /24s is not a new place; a hosting provider is.
public struct NetworkOwner: Sendable, Equatable {
    public var first: IPAddress
    public var last: IPAddress
    public var asn: Int
    /// ISO 3166 alpha-2 code; nil for `None` or `Unknown`.
    public var country: String?
    public var name: String?

    public init(first: IPAddress, last: IPAddress, asn: Int, country: String?, name: String?) {
        self.first = first
        self.last = last
        self.asn = asn
        self.country = country
        self.name = name
    }

    /// One line of the table; nil for a range nobody routes (AS 0, "Not routed"): it names no owner.
    public static func parse(_ line: String) throws(RecordError) -> NetworkOwner? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count >= 3 else {
            throw RecordError(reason: "expected 5 tab-separated fields, found \(fields.count)")
        }
        guard let first = IPAddress(logText: String(fields[0])), let last = IPAddress(logText: String(fields[1])) else {
            throw RecordError(reason: "\"\(fields[0])\" to \"\(fields[1])\" is not an address range")
        }
        guard first.family == last.family, (first.high, first.low) <= (last.high, last.low) else {
            throw RecordError(reason: "range \(first) to \(last) is empty or mixes IPv4 and IPv6")
        }
        guard let asn = Int(fields[2]), asn >= 0 else {
            throw RecordError(reason: "AS number \"\(fields[2])\" is not a number")
        }
        guard asn > 0 else { return nil }
        let country = fields.count > 3 && fields[3].count == 2 ? String(fields[3]) : nil
        let name = fields.count > 4 && !fields[4].isEmpty ? String(fields[4]) : nil
        return NetworkOwner(first: first, last: last, asn: asn, country: country, name: name)
    }

    /// Reads every line of a table (plain or `.gz`). A malformed line goes to `malformed` with its
    /// line number and reason, and the lines after it are read on.
    public static func read(
        _ input: InputFile, _ body: (NetworkOwner) throws -> Void,
        malformed: (_ line: Int, _ reason: String, _ text: String) throws -> Void
    ) throws {
        let buffer = try input.openBuffer()
        try splitLines(buffer, file: input.path, firstLine: 1) { record in
            let text = record.text
            if let problem = record.problem { return try malformed(record.line, problem, text) }
            guard !text.hasPrefix("#") else { return }
            do {
                if let owner = try parse(text) { try body(owner) }
            } catch let error as RecordError {
                try malformed(record.line, error.reason, text)
            }
        }
    }
}
