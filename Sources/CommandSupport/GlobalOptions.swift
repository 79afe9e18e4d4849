import ArgumentParser
import Foundation
import Logging
import Reports
import Store

/// Options every data command takes.
public struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help:
            "PostgreSQL URL or conninfo (default: DATABASE_URL, then PG* variables, then the embedded cluster)."
    )
    public var databaseURL: String?

    @Flag(name: .shortAndLong, help: "Log progress to stderr.")
    public var verbose = false

    public init() {}

    public func logger() -> Logger {
        LoggingSystem.bootstrapOnce()
        var logger = Logger(label: "mailhound")
        logger.logLevel = verbose ? .info : .warning
        if let level = ProcessInfo.processInfo.environment["MAILHOUND_LOG_LEVEL"].flatMap(
            Logger.Level.init(rawValue:))
        {
            logger.logLevel = level
        }
        return logger
    }

    public func database(embeddedDatabase: String = "mailhound") throws -> Database {
        let logger = logger()
        if let databaseURL, DatabaseTarget.holdsPassword(databaseURL) {
            printError(
                "warning: the password in --database-url shows in ps to every user of this machine; "
                    + "prefer DATABASE_URL, PGPASSWORD or a ~/.pgpass file (PGPASSFILE)")
        }
        return try Database(
            target: DatabaseTarget.resolve(option: databaseURL, embeddedDatabase: embeddedDatabase),
            sql: .locate(), logger: logger)
    }
}

extension LoggingSystem {
    private static let once: Void = {
        LoggingSystem.bootstrap { EscapingLogHandler(label: $0) }
    }()

    static func bootstrapOnce() { _ = once }
}
