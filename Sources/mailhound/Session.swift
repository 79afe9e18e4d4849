import ArgumentParser
import CommandSupport
import Detection
import Foundation
import Rankings
import ReadModel
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

    func validate() throws {
        guard !id.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("give a session id, or a unique prefix of one, as `mailhound sessions` prints it")
        }
    }

    func run() async throws {
        let connection = try global.database().connectForReading()
        try output.showTimes(on: connection)
        guard let timeline = try SessionTimeline.load(id, limit: limit, from: connection) else {
            printError(
                "session: no session \(id) (run `mailhound detect` after ingesting; ids are in `mailhound sessions`)")
            throw ExitStatus.notFound
        }
        print(TimelineReport.render(timeline, format: output.format, width: output.width), terminator: "")
    }
}
