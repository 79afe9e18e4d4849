import Foundation
import Logging
import PostgresClient

/// Opens migrated connections to the chosen database, starting the embedded cluster when needed.
public struct Database: Sendable {
    public let sql: SQLDirectory
    /// The conninfo connections use.
    public let conninfo: String
    /// A database name that replaces the one the conninfo names (scratch databases beside a URL's).
    public let databaseName: String?

    /// Resolves the target; starts (and on first use creates) the embedded cluster and database.
    public init(target: DatabaseTarget, sql: SQLDirectory, logger: Logger) throws {
        self.sql = sql
        databaseName = nil
        switch target {
        case .url(let url):
            try DatabaseTarget.checkScheme(of: url)
            conninfo = url
        case .libpqEnvironment: conninfo = ""
        case .embedded(let database):
            let cluster = try EmbeddedCluster.standard()
            try cluster.createDatabase(database, logger: logger)
            conninfo = cluster.conninfo(database: database)
        }
    }

    /// For tests and tools that already know the conninfo.
    public init(conninfo: String, databaseName: String? = nil, sql: SQLDirectory) {
        self.sql = sql
        self.conninfo = conninfo
        self.databaseName = databaseName
    }

    /// A new, empty database called `name` on the target's server, dropped first if it exists:
    /// the demo and the benchmark never touch the database a user named.
    public static func scratch(
        named name: String, target: DatabaseTarget, sql: SQLDirectory, logger: Logger
    )
        throws -> Database
    {
        let base: String
        let admin: Connection
        switch target {
        case .embedded:
            let cluster = try EmbeddedCluster.standard()
            try cluster.start(logger: logger)
            base = cluster.conninfo(database: "postgres")
        case .url(let url): base = url
        case .libpqEnvironment: base = ""
        }
        admin = try Connection(conninfo: base)
        // Two statements: neither may run inside the implicit transaction of a multi-statement string.
        try admin.executeScript(
            "drop database if exists \(quoteIdentifier(name)) with (force)", name: "drop \(name)")
        try admin.executeScript("create database \(quoteIdentifier(name))", name: "create \(name)")
        return Database(conninfo: base, databaseName: name, sql: sql)
    }

    /// Times without a zone, from users (`--since 2024-05-01`) or logs, mean UTC whatever the
    /// server's default.
    public func connect() throws -> Connection {
        let connection = try Connection(conninfo: conninfo, database: databaseName)
        try connection.execute("set time zone 'UTC'")
        return connection
    }

    /// Connects and applies pending migrations: every command that reads or writes data does this.
    public func connectMigrated() throws -> Connection {
        let connection = try connect()
        try Migrator(directory: sql).migrate(connection)
        return connection
    }

    /// For commands that only read: a query or a lock wait past its limit ends the command with
    /// an error rather than hanging a scheduled job. `MAILHOUND_STATEMENT_TIMEOUT` (else a limit
    /// the role or PGOPTIONS set, else 5min) and `MAILHOUND_LOCK_TIMEOUT` (else 10s).
    public func connectForReading(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Connection {
        let connection = try connectMigrated()
        try connection.execute(
            """
            select set_config('statement_timeout', case
                    when \(environment["MAILHOUND_STATEMENT_TIMEOUT"] ?? "") <> '' then \(environment["MAILHOUND_STATEMENT_TIMEOUT"] ?? "")
                    when current_setting('statement_timeout') = '0' then '5min'
                    else current_setting('statement_timeout')
                end, false),
                set_config('lock_timeout', coalesce(nullif(\(environment["MAILHOUND_LOCK_TIMEOUT"] ?? ""), ''), '10s'), false)
            """)
        return connection
    }
}
