import ArgumentParser
import AuditSources
import Foundation
import Ingest
import Reports
import Store
import SyntheticData

#if canImport(Glibc)
    import Glibc
#endif

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ingest speed against psql \\copy of the same rows, side by side in one run.",
        discussion: """
            Generates N MailItemsAccessed records (deterministic for a seed) as UAL JSON lines and, for the peer, \
            the rows mailhound stores pre-flattened to CSV. In a scratch database mailhound_bench it times \
            `psql \\copy` of the CSV into a copy of mailhound.events (same columns, keys and indexes), then \
            mailhound's own ingest of the JSON, checks both tables hold the same rows, and prints each figure \
            with its target.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Records to generate.")
    var records = 300_000

    @Option(help: "Seed of the generated records.")
    var seed: UInt64 = 42

    @Option(help: "Folder for the generated files (default: a temporary folder, removed afterwards).")
    var workDirectory: String?

    func run() async throws {
        let logger = global.logger()
        let folder = URL(
            fileURLWithPath: workDirectory
                ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                    "mailhound-bench-\(getpid())"
                ).path)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if workDirectory == nil { try? FileManager.default.removeItem(at: folder) } }
        let jsonFile = folder.appendingPathComponent("ual-\(records)-\(seed).jsonl")
        let csvFile = folder.appendingPathComponent("flat-\(records)-\(seed).csv")
        guard !csvFile.path.contains("'") else {
            throw ValidationError("the work directory must not contain '")
        }

        let clock = ContinuousClock()
        var written = BenchCorpus.Written()
        // The corpus is deterministic: files a previous run left in --work-directory are reused.
        if let json = fileSize(jsonFile), let csv = fileSize(csvFile), json > 0, csv > 0, workDirectory != nil {
            written = BenchCorpus.Written(jsonBytes: json, csvBytes: csv)
            printError("reusing the generated files in \(folder.path)")
        } else {
            let generation = try clock.measure {
                written = try BenchCorpus(records: records, seed: seed).write(
                    jsonLines: jsonFile, flatCSV: csvFile, sourceFile: jsonFile.path)
            }
            printError(
                "generated \(records) records: \(megabytes(written.jsonBytes)) MB of JSON lines, "
                    + "\(megabytes(written.csvBytes)) MB of flat CSV in \(generation.seconds.formatted2) s")
        }

        let database = try Database.scratch(
            named: "mailhound_bench", target: DatabaseTarget.resolve(option: global.databaseURL),
            sql: SQLDirectory.locate(), logger: logger)
        let connection = try database.connectMigrated()
        try connection.executeScript(
            """
            create schema bench;
            create table bench.flat_events (like mailhound.events including all);
            """, name: "peer table")

        let psql = try PeerCopy(connection: connection)
        let peerTime = try clock.measure { try psql.copy(csvFile, into: "bench.flat_events") }
        // The peer's dirty pages should not be written during our turn; not every role may checkpoint.
        _ = try? connection.executeScript("checkpoint", name: "checkpoint")

        let input = [InputFile(path: jsonFile.path)]
        let parse = ParseStage.measure(input)

        var summary = IngestSummary()
        let ingestTime = try clock.measure {
            summary = try Ingestor(connection: database.connect(), logger: logger).ingest(input)
        }
        var again = IngestSummary()
        let reingestTime = try clock.measure {
            again = try Ingestor(connection: database.connect(), logger: logger).ingest(input)
        }
        let differing =
            try connection.execute(
                Query(
                    unsafeSQL: """
                        select count(*) from (
                            (select \(BenchCorpus.columns) from mailhound.events except all
                             select \(BenchCorpus.columns) from bench.flat_events)
                            union all
                            (select \(BenchCorpus.columns) from bench.flat_events except all
                             select \(BenchCorpus.columns) from mailhound.events)) differing
                        """, name: "compare with peer")
            ).value(row: 0, column: 0).flatMap { Int($0) } ?? -1

        let peerRate = Double(records) / peerTime.seconds
        let ingestRate = Double(records) / ingestTime.seconds
        let parseMBps = Double(written.jsonBytes) / 1_000_000 / parse.seconds
        let figures: [Figure] = [
            Figure(
                "parse + encode, 1 core",
                "\(Int(parseMBps)) MB/s (\(rate(Double(parse.records) / parse.seconds)))",
                target: "≥ 1000 MB/s", passed: parseMBps >= 1000),
            Figure("psql \\copy of flat CSV (peer)", rate(peerRate), target: "", passed: nil),
            Figure("mailhound ingest of UAL JSONL", rate(ingestRate), target: "", passed: nil),
            Figure(
                "ingest ÷ psql \\copy", String(format: "%.2f×", ingestRate / peerRate), target: "≥ 1.0×",
                passed: ingestRate >= peerRate),
            Figure(
                "re-ingest unchanged file",
                "\(reingestTime.seconds.formatted2) s "
                    + String(format: "(%.0f× faster)", ingestTime.seconds / reingestTime.seconds),
                target: "≥ 10×",
                passed: ingestTime.seconds >= 10 * reingestTime.seconds && again.filesSkipped == 1),
            Figure(
                "rows equal to the peer's",
                differing == 0 ? "yes (\(summary.loaded) rows)" : "\(differing) differ",
                target: "all", passed: differing == 0 && summary.loaded == records),
            Figure(
                "peak RSS", "\(peakResidentMegabytes()) MB", target: "< 300 MB",
                passed: peakResidentMegabytes() < 300),
        ]
        print(
            "mailhound bench: \(records) records, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(Figure.table(figures))
        if summary.loaded != records { throw ExitCode.failure }
    }

    private func rate(_ perSecond: Double) -> String { "\(Int(perSecond)) records/s" }

    private func fileSize(_ url: URL) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
    }

    private func megabytes(_ bytes: Int64) -> String { String(bytes / 1_000_000) }

    private func peakResidentMegabytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024  // kilobytes on Linux
    }
}

/// One line of the benchmark table.
struct Figure {
    var name: String
    var value: String
    var target: String
    var passed: Bool?

    init(_ name: String, _ value: String, target: String, passed: Bool?) {
        self.name = name
        self.value = value
        self.target = target
        self.passed = passed
    }

    static func table(_ figures: [Figure]) -> String {
        let header = Figure("figure", "value", target: "target", passed: nil)
        let rows = [header] + figures
        let widths = [
            rows.map(\.name.count).max() ?? 0, rows.map(\.value.count).max() ?? 0,
            rows.map(\.target.count).max() ?? 0,
        ]
        func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: width - text.count)
        }
        return rows.enumerated().map { index, figure in
            let verdict = index == 0 ? "result" : figure.passed.map { $0 ? "pass" : "FAIL" } ?? ""
            return [
                pad(figure.name, widths[0]), pad(figure.value, widths[1]), pad(figure.target, widths[2]),
                verdict,
            ]
            .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// `psql \copy`, the way a user loads already-flat rows: one connection, CSV, client-side file.
struct PeerCopy {
    let psql: String
    let conninfo: String
    let password: String?

    init(connection: Connection) throws {
        let searchPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(
            String.init)
        let serverBin = (try? EmbeddedCluster.locateServerBinaries().path).map { [$0] } ?? []
        guard
            let found = (searchPath + serverBin).map({ $0 + "/psql" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw ValidationError(
                "psql not found: install postgresql-client (apt-get install postgresql-client)")
        }
        psql = found
        (conninfo, password) = connection.settingsWithoutPassword
    }

    func copy(_ csv: URL, into table: String) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mailhound-psql-\(getpid()).log"
        ).path
        defer { unlink(log) }
        var environment = ["PGOPTIONS": "-c synchronous_commit=off"]
        environment["PGPASSWORD"] = password
        let status = try Subprocess.run(
            [
                psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c",
                "\\copy \(table) from '\(csv.path)' with (format csv)",
            ],
            outputPath: log, environment: environment)
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw ValidationError("psql \\copy failed (exit \(status)): " + SafeText.terminal(output))
        }
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

extension Double {
    var formatted2: String { String(format: "%.2f", self) }
}
