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
        let connection = try global.database().connectForReading()
        try output.showTimes(on: connection)
        let entries = try QuarantineEntry.list(file: file, limit: limit, from: connection)
        print(ErrorReport.render(entries, format: output.format, width: output.width), terminator: "")
    }
}
