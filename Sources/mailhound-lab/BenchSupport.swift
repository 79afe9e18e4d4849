import ArgumentParser
import AuditSources
import CommandSupport
import Foundation
import Ingest
import PostgresClient
import Reports
import Simulation
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// Where a benchmark keeps its generated files; a given --work-directory keeps them for reuse.
struct BenchFolder {
    let url: URL
    let isTemporary: Bool

    init(_ workDirectory: String?, label: String) throws {
        isTemporary = workDirectory == nil
        url = URL(
            fileURLWithPath: workDirectory
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-bench-\(label)-\(getpid())")
                .path)
        guard !url.path.contains("'") else { throw ValidationError("the work directory must not contain '") }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func removeIfTemporary() {
        if isTemporary { try? FileManager.default.removeItem(at: url) }
    }

    struct CorpusFiles {
        var data: URL
        var flat: URL
        var dataBytes: Int64
    }

    /// The corpus in `layout` with its flat rows; deterministic, so files a previous run left are reused.
    func corpus(_ corpus: BenchCorpus, layout: BenchCorpus.Layout) throws -> CorpusFiles {
        let suffix = layout == .jsonLines ? "jsonl" : "csv"
        let data = url.appendingPathComponent("\(layout.rawValue)-\(corpus.records)-\(corpus.seed).\(suffix)")
        let flat = url.appendingPathComponent("flat-\(layout.rawValue)-\(corpus.records)-\(corpus.seed).csv")
        if !isTemporary, let bytes = fileSize(data), bytes > 0, (fileSize(flat) ?? 0) > 0 {
            printError("reusing \(data.path)")
            return CorpusFiles(data: data, flat: flat, dataBytes: bytes)
        }
        let clock = ContinuousClock()
        var written = BenchCorpus.Written()
        let time = try clock.measure {
            written = try corpus.write(layout, to: data, flatCSV: flat, sourceFile: data.path)
        }
        printError(
            "generated \(corpus.records) records: \(written.dataBytes / 1_000_000) MB of \(layout.rawValue), "
                + "\(written.csvBytes / 1_000_000) MB of flat CSV in \(time.seconds.formatted2) s")
        return CorpusFiles(data: data, flat: flat, dataBytes: written.dataBytes)
    }

    private func fileSize(_ url: URL) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
    }
}

/// Writes out the pages the step before a timed one left dirty (a checkpoint), so that the timed
/// step does not write them itself as its reads evict them; how long it took, or the error of a
/// role that may not checkpoint.
func checkpoint(_ connection: Connection) -> Result<Duration, any Error> {
    Result { try ContinuousClock().measure { try connection.execute("checkpoint") } }
}

func peakResidentMegabytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024  // kilobytes on Linux
}

/// One line of the benchmark table.
/// The items of a comma-separated option value, each trimmed and parsed; a bad one is a usage error
/// that starts with `invalid`.
func commaSeparated<Item>(_ text: String, invalid: String, _ parse: (String) -> Item?) throws -> [Item] {
    try text.split(separator: ",").map { piece in
        guard let item = parse(piece.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("\(invalid): \(piece)")
        }
        return item
    }
}

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

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

extension Double {
    var formatted2: String { String(format: "%.2f", self) }
}

/// The simulated tenant a robustness bench runs on.
struct SimulatedTenantOptions: ParsableArguments {
    @Option(help: "Seed of the simulated tenant.")
    var seed: UInt64 = 1

    @Option(help: "Staff of the simulated tenant.")
    var users = 150

    @Option(help: "Days of the simulated tenant.")
    var days = 21

    var simulated: SimulatedTenant { SimulatedTenant(seed: seed, users: users, days: days) }

    /// `seed 1, 150 staff, 21 days`
    var description: String { "seed \(seed), \(users) staff, \(days) days" }
}

extension GlobalOptions {
    /// Benches that stop the server or make databases of their own refuse a named database.
    func requireEmbeddedCluster(for bench: String, because reason: String) throws {
        guard databaseURL == nil, ProcessInfo.processInfo.environment["DATABASE_URL"] == nil else {
            throw ValidationError("\(bench) runs on the embedded cluster only: \(reason)")
        }
    }
}
