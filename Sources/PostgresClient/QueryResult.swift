import CLibPQ

/// Rows returned by a query, text format. Owns the `PGresult` and clears it on deinit.
public final class QueryResult {
    private let result: OpaquePointer
    public let rowCount: Int
    public let columnNames: [String]
    private let columnIndex: [String: Int]

    init(owning result: OpaquePointer) {
        self.result = result
        rowCount = Int(PQntuples(result))
        columnNames = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
        columnIndex = Dictionary(
            columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    deinit { PQclear(result) }

    /// Rows affected by INSERT/UPDATE/DELETE/COPY (`PQcmdTuples`).
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    /// The text of a cell, nil for SQL NULL (`PQgetvalue`, `PQgetisnull`).
    public func value(row: Int, column: Int) -> String? {
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    public func value(row: Int, _ name: String) -> String? {
        guard let column = columnIndex[name] else { return nil }
        return value(row: row, column: column)
    }

    public var rows: [Row] { (0..<rowCount).map { Row(result: self, index: $0) } }

    /// One row, read by column name.
    public struct Row {
        let result: QueryResult
        let index: Int

        public subscript(_ name: String) -> String? { result.value(row: index, name) }

        public func int(_ name: String) -> Int? { self[name].flatMap { Int($0) } }
        public func double(_ name: String) -> Double? { self[name].flatMap { Double($0) } }
        public func bool(_ name: String) -> Bool? { self[name].map { $0 == "t" } }

        /// A `text[]` column, decoded from its text form.
        public func textArray(_ name: String) -> [String] {
            guard let literal = self[name] else { return [] }
            return parseTextArray(literal)
        }
    }
}

/// Decodes PostgreSQL's text form of a one-dimensional array: `{a,"b c",NULL}`.
func parseTextArray(_ literal: String) -> [String] {
    var characters = literal.makeIterator()
    guard characters.next() == "{" else { return [] }
    var elements: [String] = []
    var current = ""
    var quoted = false
    var wasQuoted = false
    while let character = characters.next() {
        if quoted {
            if character == "\\" {
                if let escaped = characters.next() { current.append(escaped) }
            } else if character == "\"" {
                quoted = false
            } else {
                current.append(character)
            }
            continue
        }
        switch character {
        case "\"":
            quoted = true
            wasQuoted = true
        case ",", "}":
            if !(current == "NULL" && !wasQuoted)
                && !(current.isEmpty && !wasQuoted && character == "}" && elements.isEmpty)
            {
                elements.append(current)
            }
            current = ""
            wasQuoted = false
        default:
            current.append(character)
        }
    }
    return elements
}
