import AuditEvents
import AuditSources
import Foundation
import Logging
import PostgresClient

/// Loads audit files into PostgreSQL: a parser thread turns records into binary COPY batches
/// while this thread loads the previous batch, so parsing and the server's work overlap.
/// Each batch commits whole: staged by COPY, then inserted with `on conflict do nothing`,
/// so a rerun or a restart after a crash neither loses nor doubles a record.
public final class Ingestor {
    public struct Options: Sendable {
        /// Tenant, time zone, date order and format for the readers.
        public var read = ReadOptions()
        public var batchRecords = 20_000
        public var batchBytes = 32 << 20
        /// Reload files even when loaded before unchanged.
        public var reloadUnchanged = false
        /// Leave the unterminated last line of a file modified in the last 10 minutes for a later
        /// run: a writer may still be finishing it.
        public var holdBackUnterminatedTails = false
        /// Asked after every batch; true stops the run there (the batch is committed).
        public var shouldStop: @Sendable () -> Bool = { false }

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
    private let progress: ((Progress) -> Void)?
    private let quarantineReport: (@Sendable (QuarantinedRecord) -> Void)?

    public init(
        connection: Connection, options: Options = Options(), logger: Logger,
        progress: ((Progress) -> Void)? = nil,
        quarantineReport: (@Sendable (QuarantinedRecord) -> Void)? = nil
    ) {
        self.connection = connection
        self.options = options
        self.logger = logger
        self.progress = progress
        self.quarantineReport = quarantineReport
    }

    /// One file of the run: where to start and what the checkpoint knew.
    struct PlannedFile {
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
        try prepareStaging()
        let queue = BatchQueue<Batch>(capacity: 2)
        let producer = BatchProducer(
            files: plan.map { ($0.input, $0.start, holdsBackTail($0)) }, options: options, queue: queue,
            quarantineReport: quarantineReport)
        producer.start()
        do {
            while let batch = queue.pop() {
                let file = plan[batch.fileIndex]
                try load(batch, file: file, into: &summary)
                progress?(
                    Progress(
                        file: batch.file, fileIndex: batch.fileIndex, fileCount: plan.count,
                        bytesRead: batch.bytesRead, fileSize: file.identity?.size, recordsRead: summary.recordsRead))
                if options.shouldStop() { break }
            }
        } catch {
            queue.cancel()
            producer.waitUntilFinished()
            throw error
        }
        queue.cancel()
        producer.waitUntilFinished()
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
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

    private func prepareStaging() throws {
        try connection.executeScript(
            """
            set synchronous_commit = off;
            create temp table if not exists stage_events as
                select \(EventRows.eventColumns) from mailhound.events with no data;
            create temp table if not exists stage_web_requests as
                select \(EventRows.webColumns) from mailhound.web_requests with no data;
            create temp table if not exists stage_quarantine as
                select \(EventRows.quarantineColumns) from mailhound.quarantine with no data;
            """, name: "ingest staging")
    }

    private func load(_ batch: Batch, file: PlannedFile, into summary: inout IngestSummary) throws {
        summary.recordsRead += batch.recordsRead
        summary.otherWorkloads += batch.otherWorkloads
        if let failure = batch.failure { summary.failures.append(failure) }
        let completesFile = batch.endOfFile && batch.failure == nil
        guard batch.eventCount + batch.webRequestCount + batch.quarantineCount > 0 || completesFile else { return }
        try connection.transaction {
            let loaded =
                try load(batch.events, count: batch.eventCount, into: "events", columns: EventRows.eventColumns)
                + load(
                    batch.webRequests, count: batch.webRequestCount, into: "web_requests", columns: EventRows.webColumns
                )
            summary.loaded += loaded
            summary.duplicates += batch.eventCount + batch.webRequestCount - loaded
            _ = try load(
                batch.quarantines, count: batch.quarantineCount, into: "quarantine",
                columns: EventRows.quarantineColumns)
            summary.quarantined += batch.quarantineCount
            if completesFile { summary.filesLoaded += 1 }
            try saveCheckpoint(after: batch, file: file)
        }
    }

    /// Resumable files are checkpointed after every batch, others once read to the end.
    private func saveCheckpoint(after batch: Batch, file: PlannedFile) throws {
        guard let identity = file.identity, let format = batch.format else { return }
        let records = file.recordsBefore + batch.fileRecords
        if let point = batch.resumePoint {
            let (head, tail) = try identity.fingerprint(ofFirst: point.offset)
            try FileCheckpoint(
                path: identity.path, format: format, loadedBytes: point.offset, nextLine: point.line,
                columns: point.columns, head: head, tail: tail, records: records,
                complete: batch.endOfFile && batch.failure == nil && point.offset >= identity.size, resumable: true
            ).save(
                size: max(identity.size, point.offset), modifiedMicroseconds: identity.modifiedMicroseconds,
                to: connection)
        } else if batch.endOfFile, batch.failure == nil, !batch.resumable {
            let (head, tail) = try identity.fingerprint(ofFirst: identity.size)
            try FileCheckpoint(
                path: identity.path, format: format, loadedBytes: identity.size, nextLine: 0, columns: nil, head: head,
                tail: tail, records: records, complete: true, resumable: false
            ).save(size: identity.size, modifiedMicroseconds: identity.modifiedMicroseconds, to: connection)
        }
    }

    /// Stages rows by binary COPY, then inserts those not stored yet; returns how many were new.
    private func load(_ encoder: BinaryCopyEncoder, count: Int, into table: String, columns: String) throws -> Int {
        guard count > 0 else { return 0 }
        let stage = "stage_" + table
        try copy(encoder, into: stage, columns: columns)
        let inserted = try connection.execute(
            Query(
                unsafeSQL: """
                    insert into mailhound.\(table) (\(columns))
                    select \(columns) from \(stage)
                    on conflict do nothing
                    """, name: "load \(table)")
        ).affectedRows
        try connection.execute(Query(unsafeSQL: "truncate \(stage)", name: "truncate \(stage)"))
        return inserted
    }

    private func copy(_ encoder: BinaryCopyEncoder, into table: String, columns: String) throws {
        try connection.copyIn(
            Query(
                unsafeSQL: "copy \(table) (\(columns)) from stdin (format binary)", name: "copy \(table)")
        ) { write in
            try encoder.bytes.withUnsafeBytes { try write($0) }
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
        text +=
            ", \(recordsRead) records read, \(loaded) loaded, \(duplicates) duplicates, \(quarantined) quarantined"
        if otherWorkloads > 0 { text += ", \(otherWorkloads) of other workloads skipped" }
        text += ", " + String(format: "%.2f s", elapsedSeconds) + ", \(recordsPerSecond) records/s"
        return text
    }
}
