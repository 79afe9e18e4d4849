/// A PostgreSQL error code, such as `23505` (unique violation).
public struct SQLState: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    public static let undefinedTable = SQLState(rawValue: "42P01")
    public static let insufficientPrivilege = SQLState(rawValue: "42501")
    public static let duplicateDatabase = SQLState(rawValue: "42P04")
    public static let lockNotAvailable = SQLState(rawValue: "55P03")
}

/// An error from the server or libpq. Safe to print: it names the statement, never its parameters.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// nil when libpq failed before the server answered (connection refused, bad conninfo).
    public var sqlState: SQLState?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// What was running, e.g. `0001_core.sql` or `connect`, not the SQL text.
    public var statement: String

    public init(
        sqlState: SQLState?, message: String, detail: String? = nil, hint: String? = nil,
        statement: String
    ) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.statement = statement
    }

    public var description: String {
        var text = "\(statement): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState.rawValue))" }
        if let hint { text += "\nhint: \(hint)" }
        return text
    }
}
