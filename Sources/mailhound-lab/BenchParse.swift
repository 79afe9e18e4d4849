import ArgumentParser
import AuditSources
import CommandSupport
import Foundation
import Ingest
import Simulation

struct BenchParse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Measure the parse + encode stage alone, without a database.",
        discussion: """
            Generates N MailItemsAccessed records (deterministic for a seed) and runs the ingest's producer \
            over them --runs times: read, split, parse, normalize and encode every column for binary COPY, \
            with the rows thrown away. Prints the best and the median rate on one core.
            """)

    @Option(help: "Records to generate.")
    var records = 300_000

    @Option(help: "Seed of the generated records.")
    var seed: UInt64 = 42

    @Option(help: "Input format: ual-jsonl or purview-csv.")
    var format = BenchCorpus.Layout.jsonLines.rawValue

    @Option(help: "Times to run the stage.")
    var runs = 3

    @Option(help: "Folder for the generated files (default: a temporary folder, removed afterwards).")
    var workDirectory: String?

    func run() async throws {
        let layout = try BenchCorpus.Layout(option: format)
        guard runs > 0 else { throw ValidationError("--runs must be at least 1") }
        let folder = try BenchFolder(workDirectory, label: "parse")
        defer { folder.removeIfTemporary() }
        let files = try folder.corpus(BenchCorpus(records: records, seed: seed), layout: layout)
        let input = [InputFile(path: files.data.path)]
        let rates = (0..<runs).map { _ in
            Double(files.dataBytes) / 1_000_000 / ParseStage.measure(input).seconds
        }.sorted()
        let best = rates[rates.count - 1]
        let median = rates[rates.count / 2]
        // The target is set for JSON lines; a Purview CSV's AuditData is unescaped out of CSV
        // quoting before it is parsed.
        let hasTarget = layout == .jsonLines
        print("mailhound-lab bench parse: \(records) records of \(layout.rawValue), \(runs) runs")
        print(
            Figure.table([
                Figure(
                    "parse + encode, 1 core, best", "\(Int(best)) MB/s", target: hasTarget ? "≥ 1000 MB/s" : "",
                    passed: hasTarget ? best >= 1000 : nil),
                Figure("parse + encode, 1 core, median", "\(Int(median)) MB/s", target: "", passed: nil),
            ]))
    }
}
