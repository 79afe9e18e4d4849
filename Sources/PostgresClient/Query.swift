/// SQL text whose interpolated values become `$n` parameters, never part of the text.
///
///     let query: Query = "select * from events where actor = \(actor)"
///
/// Raw text needs `Query(unsafeSQL:)`, which takes no data.
public struct Query: Sendable, ExpressibleByStringInterpolation {
    public private(set) var sql: String
    public private(set) var binds: [String?]
    /// A label for errors and logs.
    public var name: String

    public init(unsafeSQL sql: String, name: String? = nil) {
        self.sql = sql
        self.binds = []
        self.name = name ?? Self.label(for: sql)
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: Interpolation) {
        sql = stringInterpolation.sql
        binds = stringInterpolation.binds
        name = Self.label(for: sql)
    }

    /// Binds `values` after the parameters already present ($n continues).
    public init(unsafeSQL sql: String, binds: [String?], name: String? = nil) {
        self.sql = sql
        self.binds = binds
        self.name = name ?? Self.label(for: sql)
    }

    public struct Interpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + 4 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { sql += literal }

        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            binds.append(value?.postgresText)
            sql += "$\(binds.count)"
        }
    }

    /// The first words of the statement, e.g. `select from sessions`, for error messages.
    static func label(for sql: String) -> String {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(4)
        return words.joined(separator: " ")
    }
}

/// A value that can be sent as a text-format parameter.
public protocol PostgresEncodable {
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    public var postgresText: String { self }
}

extension Int: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Double: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Bool: PostgresEncodable {
    public var postgresText: String { self ? "true" : "false" }
}

extension Array: PostgresEncodable where Element == String {
    /// A `text[]` literal with every element quoted and escaped.
    public var postgresText: String {
        let quoted = map { element -> String in
            var escaped = "\""
            for character in element {
                if character == "\"" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}
