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

struct Detect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build sessions, judge them with the detectors and chains, and record the run.",
        discussion: """
            Incremental by default: only the sessions that records stored since the previous run can change \
            are rebuilt, and only the sessions from the first one those records reach are judged again; \
            earlier sessions keep their findings. Detectors that look days ahead of a session, and the \
            chains, judge every session. A run judges everything when the detectors, --baseline-days or \
            the window changed. --full rebuilds and judges every session. All times come from the data.

            --since/--until keep findings to the sessions active in that window; baselines still read all \
            earlier data, so an old incident can be replayed. Times without a zone are UTC.

            Exit codes: 0 ok; 1 error; 3 with --fail-on when a ranked session is in that band or above.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Rebuild every session, not only those new events can change.")
    var full = false

    @Option(help: "Only sessions active at or after this time get findings (e.g. 2021-03-01).")
    var since: String?

    @Option(help: "Only sessions that began before this time get findings.")
    var until: String?

    @Option(name: .customLong("baseline-days"), help: "Days of each actor's and app's history that baselines read.")
    var baselineDays = 30

    @Option(
        name: .customLong("fail-on"),
        help: "Exit with 3 when a ranked session is at or above this severity (low, medium, high, critical).")
    var failOn: Severity?

    func validate() throws {
        guard (1...3650).contains(baselineDays) else { throw ValidationError("--baseline-days must be 1 to 3650") }
    }

    func run() async throws {
        let database = try global.database()
        let connection = try database.connectMigrated()
        let summary = try DetectionRunner(sql: database.sql, logger: global.logger()).run(
            connection, mode: full ? .full : .incremental,
            window: .init(since: since, until: until, baselineDays: baselineDays))
        let judged =
            switch summary.judgedFrom {
            case "-infinity": "all judged"
            case "infinity": "none new to judge"
            default: "judged from \(summary.judgedFrom)"
            }
        printError(
            "detect: run \(summary.runID) (\(summary.mode.rawValue)), \(summary.events) events, "
                + "\(summary.sessions) sessions (\(summary.sessionsRebuilt) rebuilt, \(judged)), "
                + "\(summary.findings) findings (\(summary.suppressed) suppressed by the allow-list)")
        if let failOn {
            let hits = try Severity.sessions(atLeast: failOn, from: connection)
            if hits > 0 {
                printError("detect: \(hits) session(s) at or above \(failOn.rawValue): exit 3")
                throw ExitStatus.alert
            }
        }
    }
}
