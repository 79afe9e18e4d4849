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
        let connection = try global.database().connectForReading()
        try output.showTimes(on: connection)
        let sessions = try RankedSession.top(
            top, minimumScore: minScore, includeSuppressed: includeSuppressed, from: connection)
        print(
            SessionReport.render(sessions, format: output.format, width: output.width, minimumScore: minScore),
            terminator: "")
    }
}
