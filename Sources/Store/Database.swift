import Foundation
import Logging
@_exported import PostgresClient

/// Opens migrated connections to the chosen database, starting the embedded cluster when needed.
public struct Database: Sendable {
    public let target: DatabaseTarget
    public let sql: SQLDirectory
    /// The conninfo connections use.
    public let conninfo: String

    /// Resolves the target; starts (and on first use creates) the embedded cluster and database.
    public init(target: DatabaseTarget, sql: SQLDirectory, logger: Logger) throws {
        self.target = target
        self.sql = sql
        switch target {
        case .url(let url): conninfo = url
        case .libpqEnvironment: conninfo = ""
        case .embedded(let database):
            let cluster = try EmbeddedCluster.standard()
            try cluster.createDatabase(database, logger: logger)
            conninfo = cluster.conninfo(database: database)
        }
    }

    /// For tests and tools that already know the conninfo.
    public init(conninfo: String, sql: SQLDirectory) {
        self.target = .url(conninfo)
        self.sql = sql
        self.conninfo = conninfo
    }

    public func connect() throws -> Connection {
        try Connection(conninfo: conninfo)
    }

    /// Connects and applies pending migrations: every command that reads or writes data does this.
    public func connectMigrated() throws -> Connection {
        let connection = try connect()
        try Migrator(directory: sql).migrate(connection)
        return connection
    }
}
