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
    var webRequests = KeyedRows(reservingCapacity: 4096)
    var webRequestCount = 0
    var quarantines = BinaryCopyEncoder(reservingCapacity: 4096)
    var quarantineCount = 0
    var recordsRead = 0
    var otherWorkloads = 0
    var bytesRead: Int64 = 0

    init(sequence: Int, fileIndex: Int, file: String, buffers: BatchBuffers) {
        position = BatchPosition(sequence: sequence, fileIndex: fileIndex)
        self.file = file
        events = KeyedRows(reservingCapacity: buffers.capacity, reusing: buffers.take())
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
    private let quarantineReport: (@Sendable (QuarantinedRecord) -> Void)?
    private let finished = DispatchSemaphore(value: 0)

    init(
        files: [(input: InputFile, start: ResumePoint?, holdBackTail: Bool)], options: Ingestor.Options,
        queue: BatchQueue<Batch>, buffers: BatchBuffers,
        quarantineReport: (@Sendable (QuarantinedRecord) -> Void)?
    ) {
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
            var batch = Batch(sequence: sequence, fileIndex: index, file: file.path, buffers: buffers)
            var fileRecords = 0
            // Counts the record just read and hands the batch on when it is full.
            func counted() throws {
                batch.recordsRead += 1
                fileRecords += 1
                if batch.eventCount + batch.webRequestCount + batch.quarantineCount >= options.batchRecords
                    || batch.events.byteCount + batch.webRequests.byteCount >= options.batchBytes
                {
                    batch.seal(at: reader, fileRecords: fileRecords)
                    sequence += 1
                    // Moved, not copied, into the queue: a loader hands the buffers back only
                    // when no one else holds them.
                    var sealed = Batch(sequence: sequence, fileIndex: index, file: file.path, buffers: buffers)
                    swap(&sealed, &batch)
                    guard queue.push(consume sealed) else { throw Cancelled() }
                }
            }
            do {
                try reader.read(
                    from: start, holdBackTail: holdBackTail,
                    inPlace: { record in
                        Self.append(record, to: &batch)
                        try counted()
                    }
                ) { item in
                    switch item {
                    case .event(let event): Self.append(event, to: &batch)
                    case .webRequest(let request):
                        batch.webRequests.append(key: RowKey(tenant: request.tenant, id: request.key)) {
                            EventRows.append(request, to: &$0)
                        }
                        batch.webRequestCount += 1
                        batch.bytesRead = request.origin.byteOffset
                    case .quarantined(let record):
                        EventRows.append(record, to: &batch.quarantines)
                        batch.quarantineCount += 1
                        batch.bytesRead = record.origin.byteOffset
                        quarantineReport?(record)
                    case .skipped:
                        batch.otherWorkloads += 1
                    }
                    try counted()
                }
            } catch let error as SourceError {
                batch.position.failure = error
            } catch is Cancelled {
                return
            } catch {
                batch.position.failure = SourceError(file: file.path, reason: "\(error)")
            }
            batch.position.endOfFile = true
            batch.seal(at: reader, fileRecords: fileRecords)
            guard queue.push(batch) else { return }
            sequence += 1
        }
    }

    private static func append<Row: EventRow>(_ event: Row, to batch: inout Batch) {
        batch.events.append(key: RowKey(tenant: event.tenant, id: event.recordID)) { EventRows.append(event, to: &$0) }
        batch.eventCount += 1
        batch.bytesRead = event.origin.byteOffset
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
