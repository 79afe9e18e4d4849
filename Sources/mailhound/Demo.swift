import ArgumentParser
import DemoData
import Detection
import Foundation
import Reports
import Store

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the bundled demo tenant into a fresh demo database, detect, and print the ranking.",
        discussion: "Uses the embedded cluster's mailhound_demo database, recreated on every run.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many sessions to show.")
    var top = 10

    @Option(help: "table, json or csv.")
    var format: SessionReport.Format = .table

    func run() async throws {
        let logger = global.logger()
        let database: Database
        if global.databaseURL == nil {
            let cluster = try EmbeddedCluster.standard()
            try cluster.start(logger: logger)
            let admin = try Connection(conninfo: cluster.conninfo(database: "postgres"))
            try admin.executeScript("drop database if exists mailhound_demo with (force)", name: "reset demo database")
            try cluster.createDatabase("mailhound_demo", logger: logger)
            database = Database(conninfo: cluster.conninfo(database: "mailhound_demo"), sql: try SQLDirectory.locate())
        } else {
            database = try global.database()
        }
        let connection = try database.connectMigrated()

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-demo-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("northwind-ual.jsonl")
        try (DemoTenant().jsonLines().joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)

        _ = try IngestRun.run(
            paths: [file.path], tenant: "northwind", reload: true, connection: connection, logger: logger)
        try connection.execute(
            """
            insert into mailhound.allowlist (tenant, app_id, reason)
            select \(DemoTenant.organizationID), \(DemoTenant.backupAppID), 'Nightly backup (change CHG-1042)'
            where not exists (select 1 from mailhound.allowlist where app_id = \(DemoTenant.backupAppID))
            """)
        let summary = try DetectionRunner(sql: database.sql, logger: logger).run(connection)
        printError(
            "detect: \(summary.sessions) sessions, \(summary.findings) findings "
                + "(\(summary.suppressed) suppressed by the allow-list)\n")
        let sessions = try RankedSession.top(top, minimumScore: 0, from: connection)
        print(SessionReport.render(sessions, format: format, width: terminalWidth()), terminator: "")
        if format == .table, global.databaseURL == nil {
            print("\nExplore it: psql \"\(try EmbeddedCluster.standard().url(database: "mailhound_demo"))\"")
        }
    }
}
