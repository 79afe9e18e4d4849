import ArgumentParser
import Detection
import Foundation
import Ingest
import Reports
import Store

#if canImport(Glibc)
    import Glibc
#endif

struct Detect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Build sessions and run every detector under sql/detectors (all times relative to the data).",
        discussion: """
            Incremental by default: only the sessions of actors and clients with events stored since the \
            previous run are rebuilt, then every detector runs over all sessions. --full rebuilds every session.

            --since/--until keep findings to the sessions active in that window; baselines still read all \
            earlier data, so an old incident can be replayed. Times without a zone are UTC.

            Exit codes: 0 ok; 3 with --fail-on when a ranked session is in that severity band or above; 1 error.
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
                throw ExitCode(3)
            }
        }
    }
}

extension Severity: ExpressibleByArgument {}

struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the top-risk acting identities, or the most exposed mailbox owners.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many accounts to show.")
    var top = 20

    @Option(help: "actor (identities that acted) or owner (mailboxes others read).")
    var role: RankedAccount.Role = .actor

    @OptionGroup var output: OutputFormat

    func run() async throws {
        let connection = try global.database().connectMigrated()
        let accounts = try RankedAccount.top(top, role: role, from: connection)
        print(AccountReport.render(accounts, format: output.format, width: terminalWidth()), terminator: "")
    }
}

extension RankedAccount.Role: ExpressibleByArgument {}

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

struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the ranked suspicious sessions.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many sessions to show.")
    var top = 20

    @Option(name: .customLong("min-score"), help: "Only sessions scoring at least this (0-100).")
    var minScore = 0

    @Flag(help: "Also list allow-listed findings, and sessions whose every finding is allow-listed.")
    var includeSuppressed = false

    @OptionGroup var output: OutputFormat

    func run() async throws {
        let connection = try global.database().connectMigrated()
        let sessions = try RankedSession.top(
            top, minimumScore: minScore, includeSuppressed: includeSuppressed, from: connection)
        print(SessionReport.render(sessions, format: output.format, width: terminalWidth()), terminator: "")
    }
}

extension SessionReport.Format: ExpressibleByArgument {}

struct Errors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List quarantined records: file, line, reason and the raw text.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only records from files whose path contains this text.")
    var file: String?

    @Option(help: "How many records to show.")
    var limit = 100

    @OptionGroup var output: OutputFormat

    func run() async throws {
        let connection = try global.database().connectMigrated()
        let entries = try QuarantineEntry.list(file: file, limit: limit, from: connection)
        print(ErrorReport.render(entries, format: output.format, width: terminalWidth()), terminator: "")
    }
}

/// The terminal's width, `COLUMNS`, or 120 when output is not a terminal.
func terminalWidth() -> Int {
    var size = winsize()
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0,
        size.ws_col > 20
    {
        return Int(size.ws_col)
    }
    return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 120
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending schema migrations and recreate the analyst views.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let database = try global.database()
        let connection = try database.connect()
        let applied = try Migrator(directory: database.sql).migrate(connection)
        printError(
            applied.isEmpty
                ? "migrate: up to date" : "migrate: applied " + applied.joined(separator: ", "))
    }
}
