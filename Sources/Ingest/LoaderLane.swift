import AuditSources
import Foundation
import PostgresClient

/// One loader: takes batches off the queue and stores each in a transaction of its own, until the
/// queue is drained, a lane failed, or the run is asked to stop.
struct LoaderLane: Sendable {
    let plan: [Ingestor.PlannedFile]
    let options: Ingestor.Options
    let queue: BatchQueue<Batch>
    let buffers: BatchBuffers
    let ledger: CommitLedger
    let progress: (@Sendable (Ingestor.Progress) -> Void)?
    let quarantineReport: (@Sendable (QuarantinedRecord) -> Void)?

    /// A deadlock between lanes storing the same record can only abort a batch; it is retried.
    private static let attempts = 3

    func run(with loader: BatchLoader) {
        while ledger.failure == nil, var batch = queue.pop() {
            do {
                try load(batch, with: loader)
            } catch {
                ledger.fail(error)
                queue.cancel()
                return
            }
            buffers.giveBack(&batch)
            if options.shouldStop() {
                queue.cancel()
                return
            }
        }
    }

    private func load(_ batch: Batch, with loader: BatchLoader) throws {
        let connection = loader.connection
        for attempt in 1...Self.attempts {
            do {
                try connection.execute("begin")
                let outcome = try loader.store(batch)
                try ledger.commit(
                    batch.position, counts: { count(batch, outcome, into: &$0) },
                    commit: { positions in
                        for position in positions {
                            try loader.saveCheckpoint(after: position, file: plan[position.fileIndex])
                            if position.endOfFile, position.failure == nil, let loaded = options.onInputLoaded {
                                try loaded(plan[position.fileIndex].input, connection)
                            }
                        }
                        try connection.execute("commit")
                    })
                for refused in outcome.refused { quarantineReport?(refused) }
                return
            } catch let error as PostgresError where error.sqlState == .deadlockDetected && attempt < Self.attempts {
                connection.rollbackIfInTransaction()
            } catch {
                connection.rollbackIfInTransaction()
                throw error
            }
        }
    }

    private func count(_ batch: Batch, _ outcome: BatchLoader.Outcome, into summary: inout IngestSummary) {
        summary.recordsRead += batch.recordsRead
        summary.otherWorkloads += batch.otherWorkloads
        if let failure = batch.position.failure { summary.failures.append(failure) }
        summary.loaded += outcome.loaded
        summary.keptUnderDerivedKeys += outcome.keptUnderDerivedKeys
        summary.duplicates += batch.eventCount + batch.webRequestCount - outcome.loaded - outcome.refused.count
        summary.quarantined += batch.quarantineCount + outcome.refused.count
        if batch.position.endOfFile && batch.position.failure == nil { summary.filesLoaded += 1 }
        progress?(
            Ingestor.Progress(
                file: batch.file, fileIndex: batch.position.fileIndex, fileCount: plan.count,
                bytesRead: batch.bytesRead,
                fileSize: plan[batch.position.fileIndex].identity?.size, recordsRead: summary.recordsRead))
    }
}
