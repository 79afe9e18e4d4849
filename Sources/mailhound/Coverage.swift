import ArgumentParser
import CommandSupport
import Detection
import Rankings
import ReadModel
import Reports

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
        try output.showTimes(on: connection)
        try CoverageRefresh.refresh(connection)
        print(
            CoverageReport.render(
                try BlindWindow.list(from: connection), format: output.format, width: output.width),
            terminator: "")
    }
}
