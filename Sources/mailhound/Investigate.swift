import ArgumentParser
import Detection
import Reports

struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Show one session: its score, findings with evidence and baselines, and its timeline.",
        discussion: """
            The timeline holds the session's records, admin operations by or naming its actor within 24 hours \
            (the grant before the read, the revoke after) and flagged web requests from its addresses. \
            The id may be shortened to a unique prefix. Exit code 4 when no session has that id.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Session id, as `mailhound sessions` prints it.")
    var id: String

    @Option(help: "Show at most this many timeline entries (0: all).")
    var limit = 500

    @OptionGroup var output: OutputFormat

    func run() async throws {
        let connection = try global.database().connectMigrated()
        guard let timeline = try SessionTimeline.load(id, limit: limit, from: connection) else {
            printError(
                "session: no session \(id) (run `mailhound detect` after ingesting; ids are in `mailhound sessions`)")
            throw ExitCode(4)
        }
        print(TimelineReport.render(timeline, format: output.format, width: terminalWidth()), terminator: "")
    }
}

struct Coverage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Report what mailhound could not see: throttled mailboxes, search caps, source gaps, unaudited mailboxes.",
        discussion: """
            Rebuilds analyst.blind_windows from the loaded data (detect does too) and lists it: mailboxes that hit \
            the MailItemsAccessed throttle and the 24 h after, files cut at a 5,000 or 50,000-row search cap, days \
            a log format is missing, on-premises servers missing a log format other servers have, mailboxes with \
            no MailItemsAccessed record at all, and auditing switched off. \
            Sessions in or near a window name it among their reasons.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var output: OutputFormat

    func run() async throws {
        let connection = try global.database().connectMigrated()
        try BlindWindow.refresh(connection)
        print(
            CoverageReport.render(
                try BlindWindow.list(from: connection), format: output.format, width: terminalWidth()),
            terminator: "")
    }
}

struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the recorded detection runs, newest first.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many runs to show.")
    var limit = 20

    @OptionGroup var output: OutputFormat

    func run() async throws {
        let connection = try global.database().connectMigrated()
        print(
            RunReport.render(
                try DetectionRun.list(limit: limit, from: connection), format: output.format, width: terminalWidth()),
            terminator: "")
    }
}
