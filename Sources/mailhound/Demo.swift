import ArgumentParser
import AuditSources
import CommandSupport
import DemoData
import Detection
import Foundation
import Ingest
import Rankings
import ReadModel
import Reports
import Store

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Load the bundled demo tenant into a fresh demo database, detect, and print the ranking.",
        discussion: """
            Uses a database named mailhound_demo, dropped and created again on every run: in the embedded \
            cluster, or on the server --database-url names (which then needs the CREATEDB privilege).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many sessions to show.")
    var top = 10

    @OptionGroup var output: OutputFormat

    func run() async throws {
        let logger = global.logger()
        let target = DatabaseTarget.resolve(option: global.databaseURL)
        let database = try Database.scratch(
            named: "mailhound_demo", target: target, sql: .locate(), logger: logger)
        let connection = try database.connectMigrated()
        try output.showTimes(on: connection)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mailhound-demo-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("northwind-ual.jsonl")
        try (DemoTenant().jsonLines().joined(separator: "\n") + "\n").write(
            to: file, atomically: true, encoding: .utf8)
        let signIns = folder.appendingPathComponent("northwind-signins.jsonl")
        try (DemoTenant().signInLines().joined(separator: "\n") + "\n").write(
            to: signIns, atomically: true, encoding: .utf8)

        var options = Ingestor.Options()
        options.read = ReadOptions(tenant: "northwind")
        options.reloadUnchanged = true
        _ = try IngestRun.run(
            paths: [file.path, signIns.path], options: options, connection: connection, logger: logger)
        _ = try AllowList.add(
            .init(appID: DemoTenant.backupAppID), reason: "Nightly backup (change CHG-1042)",
            tenant: DemoTenant.organizationID, to: connection)
        let summary = try DetectionRunner(sql: database.sql, logger: logger).run(connection)
        printError(
            "detect: \(summary.sessions) sessions, \(summary.findings) findings "
                + "(\(summary.suppressed) suppressed by the allow-list)\n")
        let sessions = try RankedSession.top(top, minimumScore: 0, from: connection)
        print(SessionReport.render(sessions, format: output.format, width: output.width), terminator: "")
        if output.format == .table, case .embedded = target {
            let url = try EmbeddedCluster.standard().url(database: "mailhound_demo")
            print("\nExplore it: psql \"\(url)\"")
            if let first = sessions.first {
                print("Timeline of #1: mailhound session \(first.id) --database-url \"\(url)\"")
            }
        }
    }
}
