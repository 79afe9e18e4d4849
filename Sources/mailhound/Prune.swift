import ArgumentParser
import CommandSupport
import Detection
import Foundation
import Ingest
import Rankings
import ReadModel
import Reports
import Store

#if canImport(Glibc)
    import Glibc
#endif

struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete events, web requests and sessions older than a date (retention).",
        discussion: """
            File checkpoints stay, so pruned files are not loaded again. Run `mailhound detect --full` afterwards: \
            baselines then start at the new oldest event.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Delete what happened before this date or time (e.g. 2024-01-01, UTC).")
    var before: String

    @Flag(help: "Only count what would be deleted.")
    var dryRun = false

    func run() async throws {
        let connection = try global.database().connectMigrated()
        let cutoff = try connection.execute("select \(before)::timestamptz::text as cutoff").rows.first?["cutoff"] ?? ""
        let summary = try Retention.prune(before: cutoff, dryRun: dryRun, from: connection)
        printError(
            "prune: \(dryRun ? "would delete" : "deleted") \(summary.events) events, \(summary.webRequests) web requests, "
                + "\(summary.sessions) sessions before \(cutoff)")
    }
}
