import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One libpq connection. Not shared between tasks: each task that talks to the database opens its own.
public final class Connection {
    private let handle: OpaquePointer

    /// Connects with a conninfo string or `postgresql://` URL (`PQconnectdbParams` with
    /// expand_dbname); an empty string uses the `PG*` environment variables, service files
    /// and `sslmode` exactly as psql would. `database` replaces the database the conninfo names.
    /// A server that accepts the connection and never answers is given up after
    /// `defaultConnectTimeout` seconds, unless the conninfo or `PGCONNECT_TIMEOUT` says otherwise.
    public init(conninfo: String, database: String? = nil) throws(PostgresError) {
        // libpq keeps the last value of a repeated keyword: the timeout comes before the expanded
        // conninfo, which may override it; a later dbname is a plain name overriding the first.
        let timeout = getenv("PGCONNECT_TIMEOUT") == nil ? ["connect_timeout"] : []
        let keywords = timeout + ["dbname", "fallback_application_name"] + (database == nil ? [] : ["dbname"])
        let values =
            timeout.map { _ in String(Self.defaultConnectTimeout) } + [conninfo, "mailhound"]
            + (database.map { [$0] } ?? [])
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(sqlState: nil, message: "out of memory", statement: "connect")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw PostgresError(sqlState: nil, message: message, statement: "connect")
        }
        handle = connection
        _ = try execute("set client_min_messages = warning")
    }

    deinit { PQfinish(handle) }

    /// Seconds a connection attempt may take by default.
    public static let defaultConnectTimeout = 10

    /// The settings this connection was made with (host, port, database, user, password, sslmode
    /// and the rest) as a conninfo string: another connection made from it reaches the same
    /// database the same way.
    public func settings() -> String {
        guard let options = PQconninfo(handle) else { return "" }
        defer { PQconninfoFree(options) }
        var pairs: [String] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                var quoted = ""
                for character in String(cString: value) {
                    if character == "\\" || character == "'" { quoted.append("\\") }
                    quoted.append(character)
                }
                pairs.append("\(String(cString: keyword))='\(quoted)'")
            }
            option += 1
        }
        return pairs.joined(separator: " ")
    }

    /// Runs one parameterized statement (`PQexecParams`, text format).
    @discardableResult
    public func execute(_ query: Query) throws(PostgresError) -> QueryResult {
        let result: OpaquePointer? = withOptionalCStrings(query.binds) { parameters in
            PQexecParams(handle, query.sql, Int32(query.binds.count), nil, parameters, nil, nil, 0)
        }
        return try check(result, statement: query.name)
    }

    /// Runs a script of several statements without parameters (`PQexec`): migrations, detector files.
    @discardableResult
    public func executeScript(_ sql: String, name: String) throws(PostgresError) -> QueryResult {
        try check(PQexec(handle, sql), statement: name)
    }

    /// Streams data into a `copy ... from stdin` statement (`PQputCopyData`, `PQputCopyEnd`).
    /// `produce` is called with a `write` function until it returns; returns the rows copied.
    @discardableResult
    public func copyIn(
        _ statement: Query,
        _ produce: ((UnsafeRawBufferPointer) throws(PostgresError) -> Void) throws -> Void
    ) throws -> Int {
        try checkCopyStart(PQexec(handle, statement.sql), statement: statement.name)
        var failure: (any Error)?
        do {
            try produce { bytes throws(PostgresError) in
                guard bytes.count > 0 else { return }
                let sent = PQputCopyData(
                    handle, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
                guard sent == 1 else { throw connectionError(statement: statement.name) }
            }
        } catch {
            failure = error
        }
        let ended =
            failure == nil ? PQputCopyEnd(handle, nil) : PQputCopyEnd(handle, "aborted by mailhound")
        var rows = 0
        var serverError: PostgresError?
        while let result = PQgetResult(handle) {
            do {
                rows = try check(result, statement: statement.name).affectedRows
            } catch {
                serverError = serverError ?? error
            }
        }
        if let failure { throw failure }
        if let serverError { throw serverError }
        guard ended == 1 else { throw connectionError(statement: statement.name) }
        return rows
    }

    /// Runs `body` in a transaction: commit when it returns, roll back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("begin")
        do {
            let value = try body()
            try execute("commit")
            return value
        } catch {
            rollbackIfInTransaction()
            throw error
        }
    }

    /// Inside `transaction`: commits what the body has done so far and begins the transaction the
    /// rest of it runs in, which `transaction` then commits or rolls back.
    public func commitAndBegin() throws(PostgresError) {
        try execute("commit")
        try execute("begin")
    }

    /// Ends a transaction left open by a failure; a lost connection has nothing to roll back.
    public func rollbackIfInTransaction() {
        if PQtransactionStatus(handle) != PQTRANS_IDLE { _ = try? execute("rollback") }
    }

    /// The settings libpq connected with (host, port, user, dbname, sslmode...) as a conninfo
    /// string for another client such as psql. The password is left out: pass it as PGPASSWORD.
    public var settingsWithoutPassword: (conninfo: String, password: String?) { settings() }

    /// A conninfo string that opens another session like this one, password included: for a
    /// second connection of this process, never for display.
    public var conninfoForAnotherSession: String {
        let (conninfo, password) = settings()
        guard let password else { return conninfo }
        return conninfo + " password=" + Self.quotedSetting(password)
    }

    private func settings() -> (conninfo: String, password: String?) {
        guard let options = PQconninfo(handle) else { return ("", nil) }
        defer { PQconninfoFree(options) }
        var pairs: [String] = []
        var password: String?
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let name = String(cString: keyword)
                let text = String(cString: value)
                if name == "password" {
                    password = text
                } else if !text.isEmpty {
                    pairs.append(name + "=" + Self.quotedSetting(text))
                }
            }
            option += 1
        }
        return (pairs.joined(separator: " "), password)
    }

    private static func quotedSetting(_ text: String) -> String {
        var quoted = "'"
        for character in text {
            if character == "\\" || character == "'" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "'"
    }

    /// The server's version number, e.g. 150018 (`PQserverVersion`).
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    private func checkCopyStart(_ result: OpaquePointer?, statement: String) throws(PostgresError) {
        guard let result else { throw connectionError(statement: statement) }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COPY_IN else {
            throw Self.error(from: result, statement: statement)
        }
    }

    private func check(
        _ result: OpaquePointer?, statement: String
    ) throws(PostgresError)
        -> QueryResult
    {
        guard let result else { throw connectionError(statement: statement) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return QueryResult(owning: result)
        default:
            let error = Self.error(from: result, statement: statement)
            PQclear(result)
            throw error
        }
    }

    private func connectionError(statement: String) -> PostgresError {
        PostgresError(
            sqlState: nil, message: Self.trimmed(String(cString: PQerrorMessage(handle))),
            statement: statement)
    }

    /// Reads SQLSTATE, message, detail and hint from an error result (`PQresultErrorField`).
    private static func error(from result: OpaquePointer, statement: String) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        let fieldCode = { (character: Character) in Int32(character.asciiValue ?? 0) }
        let message = field(fieldCode("M")) ?? trimmed(String(cString: PQresultErrorMessage(result)))
        return PostgresError(
            sqlState: field(fieldCode("C")).map(SQLState.init(rawValue:)),
            message: message,
            detail: field(fieldCode("D")),
            hint: field(fieldCode("H")),
            statement: statement)
    }

    private static func trimmed(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return String(result)
    }
}

private func withCStrings<T>(
    _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T
) -> T {
    let pointers = strings.map { strdup($0) }
    defer { for pointer in pointers { free(pointer) } }
    let constants = pointers.map { UnsafePointer($0) } + [nil]
    return constants.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStrings<T>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T
) -> T {
    let pointers = strings.map { $0.map { strdup($0) } ?? nil }
    defer { for pointer in pointers { free(pointer) } }
    let constants = pointers.map { $0.map { UnsafePointer($0) } }
    return constants.withUnsafeBufferPointer { body($0.baseAddress) }
}
