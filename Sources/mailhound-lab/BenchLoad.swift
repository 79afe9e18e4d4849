import ArgumentParser
import CommandSupport
import Foundation
import PostgresClient
import Simulation
import Store
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Workers, scheduled detection and analysts on one database at once, over folders that share
/// files which keep growing: nothing may fail, double or go missing.
struct BenchLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract:
            "Several workers over overlapping, growing folders while detect runs every minute and analysts query.",
        discussion: """
            Writes a simulated tenant and copies each of its files into three of --folders folders, a fifth of \
            each line-based log at first; the rest is appended, whole lines at a time, to every copy over the \
            first 80% of the run. --workers workers each watch their share of the folders and the next one's, \
            `mailhound detect` runs every --detect-every, and two analysts query the analyst views in \
            repeatable-read transactions; lock waits are sampled every second. At the end the workers are \
            stopped, one last pass loads what is left, and the database must hold exactly the records of a \
            clean load of the tenant: no error, no record twice, none missing. Runs on the embedded cluster.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var tenant: SimulatedTenantOptions

    @Option(help: "Workers.")
    var workers = 4

    @Option(help: "Folders the files are copied into, each file into three.")
    var folders = 20

    @Option(help: "Length of the run in minutes.")
    var minutes = 10.0

    @Option(help: "Seconds between scheduled detection runs.")
    var detectEvery = 60.0

    func validate() throws {
        try global.requireEmbeddedCluster(for: "bench load", because: "it makes and drops its databases there")
        guard workers > 0, folders >= 3, minutes > 0 else {
            throw ValidationError("--workers must be positive, --folders at least 3, --minutes positive")
        }
    }

    func run() async throws {
        let logger = global.logger()
        let cluster = try EmbeddedCluster.standard()
        try cluster.start(logger: logger)
        let work = try BenchFolder(nil, label: "load")
        defer { work.removeIfTemporary() }
        let simulated = work.url.appendingPathComponent("tenant")
        let truth = try tenant.simulated.write(to: simulated)
        let logs = simulated.appendingPathComponent("logs")
        let feed = try LoadFeed(logs: logs, into: work.url.appendingPathComponent("folders"), folders: folders)
        let database = "mailhound_load"
        try LoadRun.freshDatabase(database, on: cluster)
        let url = cluster.conninfo(database: database)
        let tenantArguments = ["--tenant", truth.tenant]
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("mailhound").path
        let run = LoadRun(binary: binary, url: url, logs: work.url)
        let duration = minutes * 60

        var workerProcesses: [Process] = []
        for worker in 0..<workers {
            let watched = feed.folders.indices.filter { $0 % workers == worker || ($0 + 1) % workers == worker }
            let arguments =
                ["worker", "--interval", "2s", "--detect-every", "1h", "--database-url", url] + tenantArguments
                + watched.flatMap { ["--watch", feed.folders[$0].path] }
            workerProcesses.append(try run.start(arguments, log: "worker-\(worker)"))
        }
        let stop = LoadStop()
        let tally = LoadTally()
        let group = DispatchGroup()
        let every = detectEvery
        DispatchQueue.global().async(group: group) {
            feed.append(over: duration * 0.8, until: stop)
        }
        DispatchQueue.global().async(group: group) {
            var runs = 0
            while !stop.wait(seconds: every) {
                runs += 1
                let status = (try? run.complete(["detect", "--database-url", url], log: "detect-\(runs)")) ?? -1
                tally.record(detect: status)
            }
        }
        for analyst in 0..<2 {
            DispatchQueue.global().async(group: group) {
                LoadRun.analyst(url: url, until: stop, tally: tally, label: "analyst \(analyst)")
            }
        }
        DispatchQueue.global().async(group: group) {
            LoadRun.sampleLockWaits(url: url, database: database, until: stop, tally: tally)
        }
        _ = stop.wait(seconds: duration)
        stop.request()
        group.wait()
        for process in workerProcesses { kill(process.processIdentifier, SIGTERM) }
        let workerStatuses = workerProcesses.map { process in
            process.waitUntilExit()
            return process.terminationStatus
        }
        let drained = try run.complete(
            ["worker", "--once", "--database-url", url] + tenantArguments
                + feed.folders.flatMap { ["--watch", $0.path] },
            log: "drain")
        let detected = try run.complete(["detect", "--database-url", url], log: "detect-last")

        let clean = "mailhound_load_clean"
        try LoadRun.freshDatabase(clean, on: cluster)
        _ = try run.complete(
            ["ingest", logs.path, "--database-url", cluster.conninfo(database: clean)] + tenantArguments, log: "clean")
        let loaded = try LoadDigest(try Connection(conninfo: url))
        let expected = try LoadDigest(try Connection(conninfo: cluster.conninfo(database: clean)))
        let errorLines = try run.errorLines(in: (0..<workers).map { "worker-\($0)" } + ["drain"])

        let figures = [
            Figure(
                "workers", workerStatuses.map(String.init).joined(separator: " "),
                target: "0 each (stopped by SIGTERM)",
                passed: workerStatuses.allSatisfy { $0 == 0 }),
            Figure("worker error lines", "\(errorLines)", target: "0", passed: errorLines == 0),
            Figure(
                "last pass, detect", "\(drained), \(detected)", target: "0, 0", passed: drained == 0 && detected == 0),
            Figure(
                "scheduled detect runs", tally.detectSummary, target: "all exit 0",
                passed: tally.detectFailures == 0 && tally.detectRuns > 0),
            Figure(
                "analyst queries", "\(tally.queries) ok, \(tally.queryErrors) failed", target: "none failed",
                passed: tally.queryErrors == 0 && tally.queries > 0),
            Figure("lock waits", tally.lockSummary, target: "reported", passed: nil),
            Figure(
                "events", "\(loaded.events) of \(expected.events)", target: "same records as a clean load",
                passed: loaded == expected),
            Figure(
                "web requests", "\(loaded.webRequests) of \(expected.webRequests)", target: "same as a clean load",
                passed: loaded.webDigest == expected.webDigest),
        ]
        print(Figure.table(figures))
        print(
            "\nmailhound-lab bench load: \(workers) workers, \(folders) folders (\(feed.files) files, 3 copies each), "
                + "\(minutes.formatted2) min, detect every \(Int(detectEvery)) s, 2 analysts; " + tenant.description
        )
        if figures.contains(where: { $0.passed == false }) { throw ExitCode.failure }
    }
}

/// The simulated files, copied into overlapping folders and grown over the run.
struct LoadFeed: Sendable {
    struct Copy: Sendable {
        /// Whole lines still to append, in order.
        var rest: [String]
        var paths: [URL]
    }

    let folders: [URL]
    let copies: [Copy]
    var files: Int { copies.count }

    init(logs: URL, into root: URL, folders count: Int) throws {
        folders = (0..<count).map { root.appendingPathComponent(String(format: "folder-%02d", $0)) }
        for folder in folders { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let names =
            FileManager.default.enumerator(at: logs, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }
            .sorted { $0.path < $1.path } ?? []
        var copies: [Copy] = []
        for (index, file) in names.enumerated() {
            let text = try String(contentsOf: file, encoding: .utf8)
            let flat = file.path.dropFirst(logs.path.count + 1).replacingOccurrences(of: "/", with: "_")
            let paths = (0..<3).map { [folders] in folders[(index + $0) % count].appendingPathComponent(flat) }
            // CSV exports may quote line breaks: they are copied whole, the line logs grow.
            let lineBased = !file.pathExtension.lowercased().hasSuffix("csv")
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
            if lines.last == "\n" { lines.removeLast() }
            let start = lineBased ? max(1, lines.count / 5) : lines.count
            for path in paths {
                try lines.prefix(start).joined().write(to: path, atomically: false, encoding: .utf8)
            }
            copies.append(Copy(rest: Array(lines.dropFirst(start)), paths: paths))
        }
        self.copies = copies
    }

    /// Appends the rest of every file to each of its copies in 40 steps over `seconds`.
    func append(over seconds: Double, until stop: LoadStop) {
        let steps = 40
        for step in 0..<steps {
            if stop.wait(seconds: seconds / Double(steps)) { return }
            for copy in copies where !copy.rest.isEmpty {
                let size = (copy.rest.count + steps - 1) / steps
                let chunk = copy.rest.dropFirst(step * size).prefix(size).joined()
                guard !chunk.isEmpty else { continue }
                for path in copy.paths {
                    guard let handle = try? FileHandle(forWritingTo: path) else { continue }
                    _ = try? handle.seekToEnd()
                    // One write of whole lines: a reader never sees half a line it would load.
                    try? handle.write(contentsOf: Data(chunk.utf8))
                    try? handle.close()
                }
            }
        }
    }
}

/// Asked once, seen by every loop of the run.
final class LoadStop: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let requested = Atomic<Bool>(false)

    func request() {
        requested.store(true, ordering: .sequentiallyConsistent)
        for _ in 0..<16 { semaphore.signal() }
    }

    /// Waits up to `seconds`; true once the stop was asked.
    func wait(seconds: Double) -> Bool {
        if requested.load(ordering: .sequentiallyConsistent) { return true }
        _ = semaphore.wait(timeout: .now() + seconds)
        if requested.load(ordering: .sequentiallyConsistent) {
            semaphore.signal()
            return true
        }
        return false
    }
}

/// What the loops counted.
final class LoadTally: Sendable {
    private struct Counts {
        var detectStatuses: [Int32] = []
        var queries = 0
        var queryErrors = 0
        var lockSamples = 0
        var samplesWithWaits = 0
        var mostWaiting = 0
    }

    private let counts = Mutex(Counts())

    func record(detect status: Int32) { counts.withLock { $0.detectStatuses.append(status) } }
    func record(queryFailed: Bool) {
        counts.withLock {
            $0.queries += queryFailed ? 0 : 1
            $0.queryErrors += queryFailed ? 1 : 0
        }
    }
    func record(waiting: Int) {
        counts.withLock {
            $0.lockSamples += 1
            $0.samplesWithWaits += waiting > 0 ? 1 : 0
            $0.mostWaiting = max($0.mostWaiting, waiting)
        }
    }

    var detectRuns: Int { counts.withLock { $0.detectStatuses.count } }
    var detectFailures: Int { counts.withLock { $0.detectStatuses.filter { $0 != 0 }.count } }
    var detectSummary: String {
        counts.withLock { "\($0.detectStatuses.count) runs, exits \(Set($0.detectStatuses).sorted())" }
    }
    var queries: Int { counts.withLock { $0.queries } }
    var queryErrors: Int { counts.withLock { $0.queryErrors } }
    var lockSummary: String {
        counts.withLock {
            "\($0.samplesWithWaits) of \($0.lockSamples) one-second samples saw a wait, at most \($0.mostWaiting) at once"
        }
    }
}

/// The records a database holds, for comparing with a clean load.
struct LoadDigest: Equatable {
    var events = 0
    var eventDigest = ""
    var webRequests = 0
    var webDigest = ""

    /// The digests are the crash matrix's: the same records, compared the same way.
    init(_ connection: Connection) throws {
        let row = try connection.execute(
            "select (select count(*) from mailhound.events) as events, (select count(*) from mailhound.web_requests) as web"
        ).rows.first
        events = row?.int("events") ?? 0
        eventDigest = try CrashFingerprint.digest("events", on: connection)
        webRequests = row?.int("web") ?? 0
        webDigest = try CrashFingerprint.digest("web requests", on: connection)
    }
}

/// Starting mailhound processes with their output in the work folder.
struct LoadRun: Sendable {
    let binary: String
    let url: String
    let logs: URL

    func start(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let file = logs.appendingPathComponent("\(log).log")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let output = try FileHandle(forWritingTo: file)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    /// Runs to the end: the exit status, with 2 (records quarantined) counted as success.
    func complete(_ arguments: [String], log: String) throws -> Int32 {
        let process = try start(arguments, log: log)
        process.waitUntilExit()
        return process.terminationStatus == 2 ? 0 : process.terminationStatus
    }

    /// Lines the processes logged at error level.
    func errorLines(in names: [String]) throws -> Int {
        try names.map { name in
            try String(contentsOf: logs.appendingPathComponent("\(name).log"), encoding: .utf8)
                .split(separator: "\n").filter { $0.contains(" error ") || $0.hasPrefix("Error:") }.count
        }.reduce(0, +)
    }

    static func freshDatabase(_ name: String, on cluster: EmbeddedCluster) throws {
        let admin = try Connection(conninfo: cluster.conninfo(database: "postgres"))
        try admin.executeScript("drop database if exists \(quoteIdentifier(name)) with (force)", name: "drop")
        try admin.executeScript("create database \(quoteIdentifier(name))", name: "create")
    }

    /// An analyst in psql: a repeatable-read look at the rankings and the sessions, again and again.
    static func analyst(url: String, until stop: LoadStop, tally: LoadTally, label: String) {
        while !stop.wait(seconds: 0.5) {
            do {
                let connection = try Connection(conninfo: url)
                try connection.execute("begin isolation level repeatable read")
                // Before the first migration the views do not exist yet: nothing to read.
                let ready = try connection.execute("select to_regclass('analyst.ranked_sessions') is not null as ready")
                if ready.rows.first?["ready"] == "t" {
                    _ = try connection.execute("select count(*) from analyst.ranked_sessions")
                    _ = try connection.execute(
                        "select session_id, actor, score from analyst.ranked_sessions order by rank limit 20")
                    _ = try connection.execute("select count(*), max(occurred_at) from mailhound.events")
                }
                try connection.execute("commit")
                tally.record(queryFailed: false)
            } catch {
                printError("\(label): \(error)")
                tally.record(queryFailed: true)
            }
        }
    }

    static func sampleLockWaits(url: String, database: String, until stop: LoadStop, tally: LoadTally) {
        guard let connection = try? Connection(conninfo: url) else { return }
        while !stop.wait(seconds: 1) {
            let waiting = try? connection.execute(
                """
                select count(*) as n from pg_stat_activity
                where datname = \(database) and wait_event_type = 'Lock'
                """
            ).rows.first?.int("n")
            tally.record(waiting: waiting ?? 0)
        }
    }
}
