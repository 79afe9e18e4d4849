import AuditEvents
import AuditSources
import PostgresClient

/// Loads an IP-to-ASN table into `mailhound.network_owners`, replacing the one before in a single
/// transaction: detectors never see half a table.
public enum NetworkOwnerTable {
    public struct Malformed: Sendable, Equatable {
        public var line: Int
        public var reason: String
        public var text: String
    }

    public struct Summary: Sendable, Equatable {
        public var ranges = 0
        public var malformed: [Malformed] = []
    }

    static let columns = "range_start, range_end, asn, country, name, source_file"

    public static func load(_ input: InputFile, into connection: Connection) throws -> Summary {
        var summary = Summary()
        var encoder = BinaryCopyEncoder()
        try NetworkOwner.read(input) { owner in
            encoder.appendRow(fieldCount: 6) { row in
                row.append(inet: owner.first)
                row.append(inet: owner.last)
                row.append(int32: owner.asn)
                row.append(text: owner.country)
                row.append(text: owner.name)
                row.append(text: input.path)
            }
            summary.ranges += 1
        } malformed: { line, reason, text in
            summary.malformed.append(Malformed(line: line, reason: reason, text: text))
        }
        encoder.finish()
        try connection.transaction {
            try connection.execute("truncate mailhound.network_owners")
            try connection.copyIn(
                Query(
                    unsafeSQL: "copy mailhound.network_owners (\(columns)) from stdin (format binary)",
                    name: "copy network owners")
            ) { write in
                try encoder.withUnsafeBytes { try write($0) }
            }
            try connection.execute("select mailhound.refresh_statistics('mailhound.network_owners')")
        }
        return summary
    }
}
