import ArgumentParser
import Foundation
import Logging
import Reports
import Store

@main
struct Mailhound: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailhound",
        abstract: "Find mailbox theft in Microsoft 365 and Exchange audit logs.",
        discussion: """
            Loads audit records into PostgreSQL, groups them into sessions, runs the SQL detectors under
            sql/detectors and ranks the sessions. Without --database-url, DATABASE_URL or PG* variables,
            mailhound starts its own private PostgreSQL cluster.

            Exit codes: 0 ok; 1 error; 2 ingest finished but quarantined records; 3 detect --fail-on found a \
            session at or above that severity; 4 no such session; 64 usage.
            """,
        subcommands: [
            Demo.self, Ingest.self, Worker.self, Detect.self, Sessions.self, SessionCommand.self, Accounts.self,
            Runs.self, Coverage.self, Allow.self, Networks.self, Errors.self, Prune.self, Migrate.self,
            DatabaseCommand.self,
            Simulate.self, Bench.self,
        ]
    )
}

/// Options every data command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help:
            "PostgreSQL URL or conninfo (default: DATABASE_URL, then PG* variables, then the embedded cluster)."
    )
    var databaseURL: String?

    @Flag(name: .shortAndLong, help: "Log progress to stderr.")
    var verbose = false

    func logger() -> Logger {
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

    func database(embeddedDatabase: String = "mailhound") throws -> Database {
        let logger = logger()
        return try Database(
            target: DatabaseTarget.resolve(option: databaseURL, embeddedDatabase: embeddedDatabase),
            sql: .locate(), logger: logger)
    }
}

extension LoggingSystem {
    private static let once: Void = {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    }()

    static func bootstrapOnce() { _ = once }
}

/// `--format` of every command that prints a report.
struct OutputFormat: ParsableArguments {
    @Option(help: "table, json or csv.")
    var format: SessionReport.Format = .table
}
