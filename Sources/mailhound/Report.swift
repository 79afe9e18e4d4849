import ArgumentParser
import CommandSupport
import Foundation
import Rankings
import ReadModel
import Reports
import Store

/// One HTML file to hand to someone who will not read a terminal table.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a self-contained HTML incident report: ranking, timelines, accounts, chains, coverage.",
        discussion: """
            The file fetches nothing (no script, inline styles and SVG, a Content-Security-Policy \
            that forbids loading), so it shows the same offline or attached to a ticket. It holds the \
            first --top sessions and accounts with their reasons, a timeline of each of the first \
            --timelines sessions (mailbox access, operations, related admin operations, flagged web \
            requests), the chains, what could not be seen, and the detector versions of the run. Log \
            text is escaped. A reader bound to tenants gets a report of those tenants.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many sessions and accounts to list.")
    var top = 20

    @Option(help: "How many of the first sessions get a timeline.")
    var timelines = 5

    @Option(help: "The HTML file to write.")
    var out: String

    @OptionGroup var times: DisplayZone

    func validate() throws {
        guard top > 0, timelines >= 0 else { throw ValidationError("--top must be positive, --timelines at least 0") }
    }

    func run() async throws {
        let connection = try global.database().connectForReading()
        try times.showTimes(on: connection)
        let report = try IncidentReport.load(top: top, timelines: timelines, from: connection)
        try Data(HTMLReport.render(report).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        printError(
            "report: \(out): \(report.sessions.count) session(s), \(report.timelines.count) timeline(s), "
                + "\(report.chains.count) chain(s), \(report.coverage.count) coverage gap(s)")
    }
}
