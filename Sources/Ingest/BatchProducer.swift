import AuditEvents
import AuditSources
import Foundation
import PostgresClient

/// One unit of work for the loader: encoded rows of one file, at most one batch's worth.
struct Batch: Sendable {
    var fileIndex: Int
    var file: String
    var format: SourceFormat?
    var events = BinaryCopyEncoder()
    var eventCount = 0
    var webRequests = BinaryCopyEncoder(reservingCapacity: 4096)
    var webRequestCount = 0
    var quarantines = BinaryCopyEncoder(reservingCapacity: 4096)
    var quarantineCount = 0
    var recordsRead = 0
    var otherWorkloads = 0
    var bytesRead: Int64 = 0
    /// Records read from the file in this run so far (for its checkpoint).
    var fileRecords = 0
    /// Where the file can be read on after this batch; nil when it cannot resume.
    var resumePoint: ResumePoint?
    var resumable = false
    var endOfFile = false
    var failure: SourceError?

    init(fileIndex: Int, file: String) {
        self.fileIndex = fileIndex
        self.file = file
    }

    mutating func finish() {
        events.finish()
        webRequests.finish()
        quarantines.finish()
    }
}

/// Runs on its own thread: reads and parses the files, pushing finished batches to the queue.
final class BatchProducer: @unchecked Sendable {
    private let files: [(input: InputFile, start: ResumePoint?, holdBackTail: Bool)]
    private let options: Ingestor.Options
    private let queue: BatchQueue<Batch>
    private let quarantineReport: (@Sendable (QuarantinedRecord) -> Void)?
    private let finished = DispatchSemaphore(value: 0)

    init(
        files: [(input: InputFile, start: ResumePoint?, holdBackTail: Bool)], options: Ingestor.Options,
        queue: BatchQueue<Batch>,
        quarantineReport: (@Sendable (QuarantinedRecord) -> Void)?
    ) {
        self.files = files
        self.options = options
        self.queue = queue
        self.quarantineReport = quarantineReport
    }

    struct Cancelled: Error {}

    func run() {
        defer {
            queue.close()
            finished.signal()
        }
        for (index, (file, start, holdBackTail)) in files.enumerated() {
            let reader = AuditFileReader(input: file, options: options.read)
            var batch = Batch(fileIndex: index, file: file.path)
            var fileRecords = 0
            do {
                try reader.read(from: start, holdBackTail: holdBackTail) { item in
                    batch.recordsRead += 1
                    fileRecords += 1
                    switch item {
                    case .event(let event):
                        EventRows.append(event, to: &batch.events)
                        batch.eventCount += 1
                        batch.bytesRead = event.origin.byteOffset
                    case .webRequest(let request):
                        EventRows.append(request, to: &batch.webRequests)
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
                    if batch.eventCount + batch.webRequestCount + batch.quarantineCount >= options.batchRecords
                        || batch.events.bytes.count + batch.webRequests.bytes.count >= options.batchBytes
                    {
                        batch.format = reader.format
                        batch.fileRecords = fileRecords
                        batch.resumePoint = reader.resumePoint
                        batch.resumable = reader.isResumable
                        batch.finish()
                        guard queue.push(batch) else { throw Cancelled() }
                        batch = Batch(fileIndex: index, file: file.path)
                    }
                }
            } catch let error as SourceError {
                batch.failure = error
            } catch is Cancelled {
                return
            } catch {
                batch.failure = SourceError(file: file.path, reason: "\(error)")
            }
            batch.format = reader.format
            batch.fileRecords = fileRecords
            batch.resumePoint = reader.resumePoint
            batch.resumable = reader.isResumable
            batch.endOfFile = true
            batch.finish()
            guard queue.push(batch) else { return }
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
