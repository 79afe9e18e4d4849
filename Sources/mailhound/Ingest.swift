import ArgumentParser
import AuditSources
import CommandSupport
import Foundation
import Ingest
import Logging
import Reports
import Store

#if canImport(Glibc)
    import Glibc
#endif

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load audit and web log files (.gz, directories, - for stdin); the format is read from content.",
        discussion: """
            Formats: UAL JSON lines and arrays, Purview CSV, Search-MailboxAuditLog and Search-AdminAuditLog CSV, \
            Exchange HttpProxy and ECP Server logs, IIS W3C logs (with or without their header), Sentinel \
            OfficeActivity exports, Entra sign-ins (Graph or SigninLogs), Graph activity logs.
            Exit codes: 0 all loaded; 2 loaded but some records quarantined; 1 a file failed.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var reading: ReadingOptions

    @Flag(help: "Read files again even when they were loaded before unchanged.")
    var reload = false

    @Argument(help: "Files or directories to load; - reads standard input.")
    var paths: [String]

    func run() async throws {
        let database = try global.database()
        let connection = try database.connectMigrated()
        var options = try reading.ingestorOptions()
        options.reloadUnchanged = reload
        let summary = try IngestRun.run(paths: paths, options: options, connection: connection, logger: global.logger())
        throw summary.exitStatus
    }
}
