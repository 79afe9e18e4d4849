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

    /// Loads every input; files that cannot be read are reported in the summary and the rest go on.
    public func ingest(_ inputs: [InputFile]) throws -> IngestSummary {
        let started = Date()
        var summary = IngestSummary()
        var plan: [(input: InputFile, identity: FileIdentity?)] = []
        for input in inputs {
            do {
                let identity = try FileIdentity(input: input)
                if let identity, !options.reloadUnchanged, try isLoaded(identity) {
                    summary.filesSkipped += 1
                    logger.debug("skipping unchanged file", metadata: ["file": "\(input.path)"])
                    continue
                }
                plan.append((input, identity))
            } catch let error as SourceError {
                summary.failures.append(error)
            } catch {
                summary.failures.append(SourceError(file: input.path, reason: "cannot read: \(error.localizedDescription)"))
            }
        }
        try prepareStaging()
        let queue = BatchQueue<Batch>(capacity: 2)
        let producer = BatchProducer(
            files: plan.map(\.input), options: options, queue: queue, quarantineReport: quarantineReport)
        let thread = Thread { producer.run() }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while let batch = queue.pop() {
                let identity = plan[batch.fileIndex].identity
                try load(batch, identity: identity, into: &summary)
                progress?(
                    Progress(
                        file: batch.file, fileIndex: batch.fileIndex, fileCount: plan.count,
                        bytesRead: batch.bytesRead, fileSize: identity?.size, recordsRead: summary.recordsRead))
            }
        } catch {
            queue.cancel()
            producer.waitUntilFinished()
            throw error
        }
        producer.waitUntilFinished()
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
    }

    private func isLoaded(_ identity: FileIdentity) throws -> Bool {
        try connection.execute(
            """
            select 1 from mailhound.loaded_files
            where path = \(identity.path) and size = \(identity.size)
                and modified_at = 'epoch'::timestamptz + \(identity.modifiedMicroseconds) * interval '1 microsecond'
                and fingerprint = \(identity.fingerprint)
            """
        ).rowCount > 0
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

    private func load(
        _ batch: Batch, identity: FileIdentity?, into summary: inout IngestSummary
    )
        throws
    {
        summary.recordsRead += batch.recordsRead
        summary.otherWorkloads += batch.otherWorkloads
        if let failure = batch.failure { summary.failures.append(failure) }
        let completesFile = batch.endOfFile && batch.failure == nil
        guard batch.eventCount + batch.webRequestCount + batch.quarantineCount > 0 || completesFile else { return }
        try connection.transaction {
            let loaded =
                try load(batch.events, count: batch.eventCount, into: "events", columns: EventRows.eventColumns)
                + load(batch.webRequests, count: batch.webRequestCount, into: "web_requests", columns: EventRows.webColumns)
            summary.loaded += loaded
            summary.duplicates += batch.eventCount + batch.webRequestCount - loaded
            _ = try load(batch.quarantines, count: batch.quarantineCount, into: "quarantine",
                columns: EventRows.quarantineColumns)
            summary.quarantined += batch.quarantineCount
            if completesFile {
                summary.filesLoaded += 1
                if let identity, let format = batch.format {
                    try connection.execute(
                        """
                        insert into mailhound.loaded_files (path, size, modified_at, fingerprint, format, records)
                        values (\(identity.path), \(identity.size),
                            'epoch'::timestamptz + \(identity.modifiedMicroseconds) * interval '1 microsecond',
                            \(identity.fingerprint), \(format.rawValue), \(batch.fileRecords))
                        on conflict do nothing
                        """)
                }
            }
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
        if filesSkipped > 0 { text += " (+\(filesSkipped) unchanged, skipped)" }
        if !failures.isEmpty { text += " (+\(failures.count) failed)" }
        text +=
            ", \(recordsRead) records read, \(loaded) loaded, \(duplicates) duplicates, \(quarantined) quarantined"
        if otherWorkloads > 0 { text += ", \(otherWorkloads) of other workloads skipped" }
        text += ", " + String(format: "%.2f s", elapsedSeconds) + ", \(recordsPerSecond) records/s"
        return text
    }
}
