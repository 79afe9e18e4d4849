import AuditEvents
import AuditSources
import Foundation
import Logging
import PostgresClient
import Store

/// Loads audit files into PostgreSQL: a parser thread turns records into binary COPY batches while
/// loader lanes (this thread, and on large inputs a second connection) store earlier batches, so
/// parsing and the server's work overlap and the server can use more than one core.
/// Each batch commits whole and rows already stored are left out, so a rerun or a restart after a
/// crash neither loses nor doubles a record.
public final class Ingestor {
    public struct Options: Sendable {
        /// Tenant, time zone, date order and format for the readers.
        public var read = ReadOptions()
        public var batchRecords = 20_000
        public var batchBytes = 16 << 20
        /// Connections storing batches side by side when the input exceeds one batch: one fewer
        /// than the cores (the parser has one), at least 2 and at most 4. The server's work per row
        /// is most of a load's, and each connection gives it another core.
        public var loaderConnections = min(4, max(2, ProcessInfo.processInfo.activeProcessorCount - 1))
        /// Input at least this large (and four times the stored events) is loaded without the
        /// group-key index, which is built once at the end (`GroupKeyIndex`).
        public var deferIndexBytes: Int64 = 64 << 20
        /// Whether ingest computes the events' session keys (`SessionKey`); the run turns it off
        /// when the server would compute other keys (`SessionKey.serverAgrees`).
        public var sessionKeysInClient = true
        /// Reload files even when loaded before unchanged.
        public var reloadUnchanged = false
        /// Leave the unterminated last line of a file modified in the last 10 minutes for a later
        /// run: a writer may still be finishing it.
        public var holdBackUnterminatedTails = false
        /// Asked after every batch; true stops the run there (the batch is committed).
        public var shouldStop: @Sendable () -> Bool = { false }
        /// Called in the transaction that commits an input's last batch, once every batch of it is
        /// committed: what a source records of that input (`pull`: the content id) commits with its
        /// rows or not at all.
        public var onInputLoaded: (@Sendable (InputFile, Connection) throws -> Void)?

        public init() {}
    }

    /// Where the run is, for a progress display.
    public struct Progress: Sendable {
        public var file: String
        public var fileIndex: Int
        public var fileCount: Int
        public var bytesRead: Int64
        public var fileSize: Int64?
        public var recordsRead: Int
    }

    private let connection: Connection
    private let options: Options
    private let logger: Logger
    private let progress: (@Sendable (Progress) -> Void)?
    private let quarantineReport: (@Sendable (QuarantinedRecord) -> Void)?

    public init(
        connection: Connection, options: Options = Options(), logger: Logger,
        progress: (@Sendable (Progress) -> Void)? = nil,
        quarantineReport: (@Sendable (QuarantinedRecord) -> Void)? = nil
    ) {
        self.connection = connection
        self.options = options
        self.logger = logger
        self.progress = progress
        self.quarantineReport = quarantineReport
    }

    /// One file of the run: where to start and what the checkpoint knew.
    struct PlannedFile: Sendable {
        var input: InputFile
        var identity: FileIdentity?
        var start: ResumePoint?
        var recordsBefore = 0
    }

    /// Loads every input; files that cannot be read are reported in the summary and the rest go on.
    public func ingest(_ inputs: [InputFile]) throws -> IngestSummary {
        let started = Date()
        var summary = IngestSummary()
        var plan: [PlannedFile] = []
        for input in inputs {
            do {
                if let planned = try self.plan(input, summary: &summary) { plan.append(planned) }
            } catch let error as SourceError {
                summary.failures.append(error)
            } catch let error as PostgresError {
                throw error
            } catch {
                summary.failures.append(
                    SourceError(file: input.path, reason: "cannot read: \(error.localizedDescription)"))
            }
        }
        guard !plan.isEmpty else {
            summary.elapsedSeconds = Date().timeIntervalSince(started)
            return summary
        }
        // What a load that died left undone first; then, for a large load, leave the index out.
        try GroupKeyIndex.restore(on: connection)
        let incoming = incomingBytes(plan)
        var deferred = false
        if let incoming, incoming >= options.deferIndexBytes {
            deferred = try GroupKeyIndex.deferIfWorthwhile(incomingBytes: incoming, on: connection)
        }
        let hold = deferred ? GroupKeyIndex.holdOffVacuum(conninfo: connection.conninfoForAnotherSession) : nil
        let loaded = Result { try load(plan, summary: summary, lanes: lanesWorthOpening(incoming)) }
        hold?.release()
        if deferred {
            // Whether or not the load failed, what it stored stays stored; an index not built now is
            // built by the next ingest or detect, so the load does not fail for it.
            let built = Date()
            do {
                try GroupKeyIndex.restore(on: connection)
                logger.info(
                    "built the group-key index after the load",
                    metadata: ["seconds": "\(String(format: "%.2f", Date().timeIntervalSince(built)))"])
            } catch {
                logger.warning(
                    "the group-key index is not built yet; the next ingest or detect builds it",
                    metadata: ["reason": "\(error)"])
            }
        }
        summary = try loaded.get()
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Parses and stores the planned files; the summary of what was stored.
    private func load(_ plan: [PlannedFile], summary: IngestSummary, lanes: Int) throws -> IngestSummary {
        var options = options
        options.sessionKeysInClient = try options.sessionKeysInClient && SessionKey.serverAgrees(on: connection)
        let ledger = CommitLedger(summary: summary)
        let queue = BatchQueue<Batch>(capacity: 2)
        let buffers = BatchBuffers(batchBytes: options.batchBytes)
        let producer = BatchProducer(
            files: plan.map { ($0.input, $0.start, holdsBackTail($0)) }, options: options, queue: queue,
            buffers: buffers, chunkIDs: RawChunkIDs(run: try loadingRun()), quarantineReport: quarantineReport)
        let lane = LoaderLane(
            plan: plan, options: options, queue: queue, buffers: buffers, ledger: ledger, progress: progress,
            quarantineReport: quarantineReport)
        let mainLoader = BatchLoader(connection: connection)
        try mainLoader.prepare()
        producer.start()
        let others = startOtherLanes(lane, count: lanes - 1)
        lane.run(with: mainLoader)
        for other in others { other.wait() }
        queue.cancel()
        producer.waitUntilFinished()
        if let failure = ledger.failure { throw failure }
        return ledger.result
    }

    /// This run's number, which names its raw chunks apart from every other run's.
    private func loadingRun() throws -> Int64 {
        guard
            let run = try connection.execute("select nextval('mailhound.raw_chunk_runs') as run").rows.first?.int("run")
        else { throw PostgresError(sqlState: nil, message: "no number returned", statement: "raw chunk run") }
        return Int64(run)
    }

    /// The bytes left to read in the planned files; nil when one has no known size (stdin).
    private func incomingBytes(_ plan: [PlannedFile]) -> Int64? {
        var bytes: Int64 = 0
        for file in plan {
            guard let size = file.identity?.size else { return nil }
            bytes += max(0, size - (file.start?.offset ?? 0))
        }
        return bytes
    }

    /// One lane unless there is more than a batch to read (or input of unknown size): a second
    /// connection costs a backend.
    private func lanesWorthOpening(_ incoming: Int64?) -> Int {
        guard let incoming, incoming <= Int64(options.batchBytes) else { return max(1, options.loaderConnections) }
        return 1
    }

    /// Lanes on connections of their own; a lane that cannot connect leaves the work to the others.
    private func startOtherLanes(_ lane: LoaderLane, count: Int) -> [DispatchSemaphore] {
        guard count > 0 else { return [] }
        let conninfo = connection.conninfoForAnotherSession
        let logger = logger
        return (0..<count).map { _ in
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                defer { done.signal() }
                do {
                    let loader = BatchLoader(connection: try Connection(conninfo: conninfo))
                    try loader.prepare()
                    lane.run(with: loader)
                } catch {
                    logger.warning("loading on one connection only", metadata: ["reason": "\(error)"])
                }
            }
            thread.start()
            return done
        }
    }

    private func holdsBackTail(_ file: PlannedFile) -> Bool {
        guard options.holdBackUnterminatedTails, let identity = file.identity else { return false }
        let age = Date().timeIntervalSince1970 - Double(identity.modifiedMicroseconds) / 1e6
        return age < 600
    }

    /// Skips, resumes or reads a file whole, by its checkpoint; nil when there is nothing to read.
    private func plan(_ input: InputFile, summary: inout IngestSummary) throws -> PlannedFile? {
        guard let identity = try FileIdentity(input: input) else { return PlannedFile(input: input) }
        guard !options.reloadUnchanged,
            let checkpoint = try FileCheckpoint.load(path: input.path, from: connection)
        else { return PlannedFile(input: input, identity: identity) }
        switch try FileCheckpoint.plan(checkpoint, size: identity.size, fingerprint: identity.fingerprint(ofFirst:)) {
        case .skip:
            summary.filesSkipped += 1
            logger.debug("skipping unchanged file", metadata: ["file": "\(input.path)"])
            return nil
        case .resume(let point, let recordsBefore):
            summary.filesResumed += 1
            logger.info(
                "reading on from the checkpoint", metadata: ["file": "\(input.path)", "offset": "\(point.offset)"])
            return PlannedFile(input: input, identity: identity, start: point, recordsBefore: recordsBefore)
        case .readAll(let changed):
            if changed {
                summary.changedFiles.append(input.path)
                logger.warning(
                    "file changed since it was loaded; reading it again from the start (nothing is doubled)",
                    metadata: ["file": "\(input.path)"])
            }
            return PlannedFile(input: input, identity: identity)
        }
    }
}

/// Counts of one ingest run; `line` is the summary a responder reads.
public struct IngestSummary: Sendable, Equatable {
    public var filesLoaded = 0
    public var filesSkipped = 0
    /// Files that grew and were read on from their checkpoint.
    public var filesResumed = 0
    /// Files whose loaded part changed since: read again from the start.
    public var changedFiles: [String] = []
    public var failures: [SourceError] = []
    public var recordsRead = 0
    public var loaded = 0
    /// Of those, records whose id was already a different record's: kept under a derived key.
    public var keptUnderDerivedKeys = 0
    public var duplicates = 0
    public var quarantined = 0
    /// Well-formed records of workloads mailhound does not keep.
    public var otherWorkloads = 0
    public var elapsedSeconds = 0.0

    public init() {}

    public var recordsPerSecond: Int {
        elapsedSeconds > 0 ? Int(Double(recordsRead) / elapsedSeconds) : recordsRead
    }

    public var line: String {
        var text = "\(filesLoaded) files"
        if filesResumed > 0 { text += " (\(filesResumed) read on from a checkpoint)" }
        if filesSkipped > 0 { text += " (+\(filesSkipped) unchanged, skipped)" }
        if !changedFiles.isEmpty { text += " (\(changedFiles.count) changed since loaded, read again)" }
        if !failures.isEmpty { text += " (+\(failures.count) failed)" }
        text += ", \(recordsRead) records read, \(loaded) loaded"
        if keptUnderDerivedKeys > 0 {
            text += " (\(keptUnderDerivedKeys) under derived keys: their ids were other records')"
        }
        text += ", \(duplicates) duplicates, \(quarantined) quarantined"
        if otherWorkloads > 0 { text += ", \(otherWorkloads) of other workloads skipped" }
        text += ", " + String(format: "%.2f s", elapsedSeconds) + ", \(recordsPerSecond) records/s"
        return text
    }
}

extension IngestSummary {
    /// Adds another run's counts (the worker's passes, a pull's groups of blobs).
    public mutating func add(_ other: IngestSummary) {
        filesLoaded += other.filesLoaded
        filesSkipped += other.filesSkipped
        filesResumed += other.filesResumed
        changedFiles += other.changedFiles
        failures += other.failures
        recordsRead += other.recordsRead
        loaded += other.loaded
        keptUnderDerivedKeys += other.keptUnderDerivedKeys
        duplicates += other.duplicates
        quarantined += other.quarantined
        otherWorkloads += other.otherWorkloads
    }
}
