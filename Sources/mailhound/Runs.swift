import ArgumentParser
import CommandSupport
import Detection
import Rankings
import ReadModel
import Reports

struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the recorded detection runs, newest first.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many runs to show.")
    var limit = 20

    @OptionGroup var output: OutputFormat

    func run() async throws {
        let connection = try global.database().connectForReading()
        try output.showTimes(on: connection)
        print(
            RunReport.render(
                try DetectionRun.list(limit: limit, from: connection), format: output.format, width: output.width),
            terminator: "")
    }
}
