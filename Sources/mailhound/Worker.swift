import ArgumentParser
import AuditSources
import CommandSupport
import Detection
import Dispatch
import Foundation
import Ingest
import Logging
import M365
import PostgresClient
import Pull
import Rankings
import ReadModel
import Store

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch folders: load new and grown files, detect on a schedule, stop cleanly on SIGTERM or SIGINT.",
        discussion: """
            Every --interval the worker loads files under the watched folders that are new or grew (from their \
            checkpoints), and when data arrived runs detection at most every --detect-every. Each file is locked \
            with a PostgreSQL advisory lock while loaded, so several workers on one database never load the same \
            file at once; checkpoints keep them from loading it twice. With --pull it also pulls from the Office 365 \
            Management Activity API every pass (the options of mailhound pull; --watch is then optional). On SIGTERM or SIGINT the batch in progress \
            commits or rolls back whole and the worker exits 0. With --once it makes one pass and exits (for cron): \
            0 when all loaded, 2 when records were quarantined, 1 when a file failed. Logs go to stderr.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var reading: ReadingOptions

    @Option(name: .customLong("watch"), help: "A folder (or file) to watch; repeat for several.")
    var watch: [String] = []

    @Option(help: "Pause between passes, e.g. 30s, 1m, 5m.")
    var interval: Interval = Interval(seconds: 60)

    @Option(name: .customLong("detect-every"), help: "Least time between detection runs, e.g. 15m, 1h.")
    var detectEvery: Interval = Interval(seconds: 900)

    @Flag(help: "Make one pass, detect if data arrived, and exit.")
    var once = false

    @Flag(help: "Also pull from Microsoft 365 every pass (see mailhound pull --help for its options).")
    var pull = false

    @OptionGroup var m365: PullOptions

    func validate() throws {
        guard !watch.isEmpty || pull else { throw ValidationError("name at least one --watch folder, or --pull") }
        if pull { _ = try m365.validated() }
    }

    func run() async throws {
        var logger = global.logger()
        if !global.verbose, ProcessInfo.processInfo.environment["MAILHOUND_LOG_LEVEL"] == nil {
            logger.logLevel = .info
        }
        let stop = StopSignal(signals: [SIGTERM, SIGINT])
        let database = try global.database()
        let connection = try database.connectMigrated()
        var options = try reading.ingestorOptions()
        options.holdBackUnterminatedTails = true
        options.shouldStop = { stop.isRequested }
        logger.info(
            "worker started",
            metadata: ["watch": "\(watch)", "interval": "\(interval)", "detect_every": "\(detectEvery)"])

        let puller = try pull ? m365.puller(logger: logger) : nil
        var lastDetection: Date?
        var detectionDue = try DetectionRunner.hasUnjudgedRecords(connection)
        var exitStatus = ExitStatus.ok
        while !stop.isRequested {
            var pass = try loadPass(options: options, connection: connection, stop: stop, logger: logger)
            if let puller, !stop.isRequested {
                pass.add(try pullPass(puller, options: options, connection: connection, logger: logger))
            }
            detectionDue = detectionDue || pass.loaded > 0
            exitStatus =
                max(exitStatus.rawValue, pass.exitStatus.rawValue) == exitStatus.rawValue ? exitStatus : pass.exitStatus
            if detectionDue, !stop.isRequested,
                lastDetection.map({ Date().timeIntervalSince($0) >= detectEvery.seconds }) ?? true
            {
                // The runner logs the run itself ("detection finished").
                _ = try DetectionRunner(sql: database.sql, logger: logger).run(connection)
                lastDetection = Date()
                detectionDue = false
            }
            if once { break }
            stop.wait(seconds: interval.seconds)
        }
        logger.info("worker stopped", metadata: ["signal": "\(stop.isRequested)"])
        throw once ? exitStatus : ExitStatus.ok
    }

    /// One pull of every content type, as `mailhound pull` makes it; its failures are logged and
    /// counted, and the worker goes on.
    private func pullPass(
        _ puller: Puller, options: Ingestor.Options,
        connection: Connection, logger: Logger
    ) throws -> IngestSummary {
        let lock = puller.lockName
        guard try AdvisoryLock.tryLockFile(lock, on: connection) else {
            logger.info("another worker is pulling this tenant", metadata: ["tenant": "\(puller.tenantID)"])
            return IngestSummary()
        }
        defer { try? AdvisoryLock.unlockFile(lock, on: connection) }
        var plan = m365.plan(tenantID: puller.tenantID, contentTypes: puller.contentTypes)
        plan.ingest = options
        plan.ingest.holdBackUnterminatedTails = false
        let summary = try puller.pull(plan, connection: connection, logger: logger)
        for failure in summary.failures {
            logger.error("pull failed", metadata: ["error": "\(failure.headline)", "hint": "\(failure.hint ?? "")"])
        }
        logger.info("pulled", metadata: ["summary": "\(summary.line)"])
        var counted = summary.ingest
        counted.quarantined += summary.blobsExpired + summary.blobsRefused
        if !summary.failures.isEmpty {
            counted.failures.append(SourceError(file: puller.lockName, reason: "pull failed"))
        }
        return counted
    }

    /// One pass over the watched folders, a file at a time under its advisory lock.
    private func loadPass(
        options: Ingestor.Options, connection: Connection, stop: StopSignal, logger: Logger
    ) throws
        -> IngestSummary
    {
        var total = IngestSummary()
        let files: [InputFile]
        do {
            files = try InputFile.expand(watch)
        } catch {
            logger.error("cannot list the watched folders", metadata: ["error": "\(error)"])
            total.failures.append(error)
            return total
        }
        let ingestor = Ingestor(connection: connection, options: options, logger: logger)
        for file in files where !stop.isRequested {
            guard try AdvisoryLock.tryLockFile(file.path, on: connection) else {
                logger.info("file is being loaded by another worker", metadata: ["file": "\(file.path)"])
                continue
            }
            defer { try? AdvisoryLock.unlockFile(file.path, on: connection) }
            let summary = try ingestor.ingest([file])
            for failure in summary.failures {
                logger.error("file failed", metadata: ["file": "\(failure.file)", "error": "\(failure.reason)"])
            }
            if summary.recordsRead > 0 || !summary.changedFiles.isEmpty {
                logger.info(
                    "loaded",
                    metadata: [
                        "file": "\(file.path)", "read": "\(summary.recordsRead)", "loaded": "\(summary.loaded)",
                        "duplicates": "\(summary.duplicates)", "quarantined": "\(summary.quarantined)",
                        "resumed": "\(summary.filesResumed > 0)", "changed": "\(!summary.changedFiles.isEmpty)",
                    ])
            }
            total.add(summary)
        }
        return total
    }
}

/// `30s`, `1m`, `15m`, `2h` or a number of seconds.
struct Interval: ExpressibleByArgument, CustomStringConvertible {
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let unit = argument.last.flatMap({ units[$0] }), let value = Double(argument.dropLast()), value > 0 {
            seconds = value * unit
        } else if let value = Double(argument), value > 0 {
            seconds = value
        } else {
            return nil
        }
    }

    var description: String {
        seconds.truncatingRemainder(dividingBy: 60) == 0 ? "\(Int(seconds) / 60)m" : "\(seconds)s"
    }
}

/// Turns SIGTERM and SIGINT into a flag the loops poll, so work in progress ends at a batch boundary.
final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var requested = false
    private var sources: [any DispatchSourceSignal] = []

    init(signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.request() }
            source.resume()
            sources.append(source)
        }
    }

    var isRequested: Bool {
        condition.lock()
        defer { condition.unlock() }
        return requested
    }

    func request() {
        condition.lock()
        requested = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps up to `seconds`, waking at once when a stop is requested.
    func wait(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        while !requested, condition.wait(until: deadline) {}
        condition.unlock()
    }
}
