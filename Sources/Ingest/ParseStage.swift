import AuditSources
import Foundation

/// The parse-and-encode half of the ingest on its own: files become binary COPY batches exactly as
/// in `Ingestor`, and the batches are dropped (their buffers reused as a loader would). Its rate is
/// the ceiling the database side cannot raise.
public enum ParseStage {
    public struct Measurement: Sendable {
        public var records: Int
        public var events: Int
        public var seconds: Double
    }

    public static func measure(
        _ inputs: [InputFile], options: Ingestor.Options = Ingestor.Options()
    )
        -> Measurement
    {
        let started = Date()
        let queue = BatchQueue<Batch>(capacity: 2)
        let buffers = BatchBuffers(batchBytes: options.batchBytes)
        let producer = BatchProducer(
            files: inputs.map { ($0, nil, false) }, options: options, queue: queue, buffers: buffers,
            chunkIDs: RawChunkIDs(run: 0), quarantineReport: nil)
        producer.start()
        var measurement = Measurement(records: 0, events: 0, seconds: 0)
        while var batch = queue.pop() {
            measurement.records += batch.recordsRead
            measurement.events += batch.eventCount
            buffers.giveBack(&batch)
        }
        producer.waitUntilFinished()
        measurement.seconds = Date().timeIntervalSince(started)
        return measurement
    }
}
