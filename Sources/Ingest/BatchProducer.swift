import AuditEvents
import AuditSources
import Foundation
import PostgresClient

/// One unit of work for the loader: encoded rows of one file, at most one batch's worth.
struct Batch: Sendable {
    var position: BatchPosition
    var file: String
    var events: KeyedRows
    /// Event records read, repeats within the batch included.
    var eventCount = 0
    var webRequests: KeyedRows
    var webRequestCount = 0
    var quarantines = BinaryCopyEncoder(reservingCapacity: 4096)
    var quarantineCount = 0
    /// Events encoded without their session key, which the server sets after storing them.
    var unkeyedEvents = 0
    var recordsRead = 0
    var otherWorkloads = 0
    var bytesRead: Int64 = 0

    init(sequence: Int, fileIndex: Int, file: String, buffers: BatchBuffers, chunkIDs: RawChunkIDs) {
        position = BatchPosition(sequence: sequence, fileIndex: fileIndex)
        self.file = file
        events = KeyedRows(
            reservingCapacity: buffers.capacity, reusing: buffers.take(), reusingForRaw: buffers.takeForRaw(),
            chunkIDs: chunkIDs)
        webRequests = KeyedRows(reservingCapacity: 4096, chunkIDs: chunkIDs)
    }

    /// Ends the batch where `reader` stands: `fileRecords` read from the file so far.
    mutating func seal(at reader: AuditFileReader, fileRecords: Int) {
        position.format = reader.format
        position.fileRecords = fileRecords
        position.resumePoint = reader.resumePoint
        position.resumable = reader.isResumable
        events.finish()
        webRequests.finish()
        quarantines.finish()
    }
}

/// Where a batch leaves its file: what the file's checkpoint records once the batch is committed.
struct BatchPosition: Sendable {
    /// Position in the run, over all files: checkpoints follow this order.
    var sequence: Int
    var fileIndex: Int
    var format: SourceFormat?
    /// Records read from the file in this run up to the batch's end.
    var fileRecords = 0
    /// Where the file can be read on; nil when it cannot resume.
    var resumePoint: ResumePoint?
    var resumable = false
    var endOfFile = false
    var failure: SourceError?
}

/// Runs on its own thread: reads and parses the files, pushing finished batches to the queue.
final class BatchProducer: @unchecked Sendable {
    private let files: [(input: InputFile, start: ResumePoint?, holdBackTail: Bool)]
    private let options: Ingestor.Options
    private let queue: BatchQueue<Batch>
    private let buffers: BatchBuffers
    private let chunkIDs: RawChunkIDs
    private let quarantineReport: (@Sendable (QuarantinedRecord) -> Void)?
    private let finished = DispatchSemaphore(value: 0)

    init(
        files: [(input: InputFile, start: ResumePoint?, holdBackTail: Bool)], options: Ingestor.Options,
        queue: BatchQueue<Batch>, buffers: BatchBuffers, chunkIDs: RawChunkIDs,
        quarantineReport: (@Sendable (QuarantinedRecord) -> Void)?
    ) {
        self.chunkIDs = chunkIDs
        self.files = files
        self.options = options
        self.queue = queue
        self.buffers = buffers
        self.quarantineReport = quarantineReport
    }

    struct Cancelled: Error {}

    func run() {
        defer {
            queue.close()
            finished.signal()
        }
        var sequence = 0
        for (index, (file, start, holdBackTail)) in files.enumerated() {
            let reader = AuditFileReader(input: file, options: options.read)
            var filling = FileBatches(
                producer: self, reader: reader, fileIndex: index, file: file.path, sequence: sequence,
                batch: Batch(
                    sequence: sequence, fileIndex: index, file: file.path, buffers: buffers, chunkIDs: chunkIDs))
            do {
                try reader.read(
                    from: start, holdBackTail: holdBackTail, inPlace: { try filling.add($0) }, { try filling.add($0) })
            } catch let error as SourceError {
                filling.batch.position.failure = error
            } catch is Cancelled {
                return
            } catch {
                filling.batch.position.failure = SourceError(file: file.path, reason: "\(error)")
            }
            filling.batch.position.endOfFile = true
            filling.batch.seal(at: reader, fileRecords: filling.fileRecords)
            guard queue.push(filling.batch) else { return }
            sequence = filling.sequence + 1
        }
    }

    /// The batches of one file: records go into the current one, which is handed to the queue
    /// whenever it is full. One value the reader's closures share, rather than several captured
    /// variables, which cost an exclusivity check at run time on every record.
    private struct FileBatches {
        let producer: BatchProducer
        let reader: AuditFileReader
        let fileIndex: Int
        let file: String
        var sequence: Int
        var batch: Batch
        /// Records read from the file in this run.
        var fileRecords = 0

        mutating func add<Row: EventRow & ~Copyable>(_ event: borrowing Row) throws {
            let hash = ContentHash.of(event)
            let sessionKeys = producer.options.sessionKeysInClient
            var keyed = true
            batch.events.append(
                tenant: event.tenant, id: event.recordID, contentHash: hash, occurredAt: event.occurredAt,
                raw: event.raw, mayHoldNUL: event.textMayHoldNUL
            ) { keyed = EventRows.append(event, contentHash: hash, raw: $1, sessionKeys: sessionKeys, to: &$0) }
            if !keyed { batch.unkeyedEvents += 1 }
            batch.eventCount += 1
            batch.bytesRead = event.sourceOffset
            try counted()
        }

        mutating func add(_ item: SourceItem) throws {
            switch item {
            case .event(let event): return try add(event)
            case .webRequest(let request):
                let hash = ContentHash.of(request)
                batch.webRequests.append(
                    tenant: request.tenant, id: request.key, contentHash: hash, occurredAt: request.occurredAt,
                    raw: request.raw, mayHoldNUL: true
                ) { EventRows.append(request, contentHash: hash, raw: $1, to: &$0) }
                batch.webRequestCount += 1
                batch.bytesRead = request.origin.byteOffset
            case .quarantined(let record):
                EventRows.append(record, to: &batch.quarantines)
                batch.quarantineCount += 1
                batch.bytesRead = record.origin.byteOffset
                producer.quarantineReport?(record)
            case .skipped:
                batch.otherWorkloads += 1
            }
            try counted()
        }

        /// Counts the record just read and hands the batch on when it is full.
        private mutating func counted() throws {
            batch.recordsRead += 1
            fileRecords += 1
            let options = producer.options
            guard
                batch.eventCount + batch.webRequestCount + batch.quarantineCount >= options.batchRecords
                    || batch.events.byteCount + batch.webRequests.byteCount >= options.batchBytes
            else { return }
            batch.seal(at: reader, fileRecords: fileRecords)
            sequence += 1
            // Moved, not copied, into the queue: a loader hands the buffers back only when no one
            // else holds them.
            var sealed = Batch(
                sequence: sequence, fileIndex: fileIndex, file: file, buffers: producer.buffers,
                chunkIDs: producer.chunkIDs)
            swap(&sealed, &batch)
            guard producer.queue.push(consume sealed) else { throw Cancelled() }
        }
    }

    /// Runs `run()` on a thread of its own, with room for deeply nested JSON.
    func start() {
        let thread = Thread { self.run() }
        thread.stackSize = 8 << 20
        thread.start()
    }

    func waitUntilFinished() {
        finished.wait()
        finished.signal()
    }
}
