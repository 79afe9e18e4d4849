import Foundation

/// Shared by the loader lanes of one run. Batches commit in whatever order the lanes finish them,
/// but a file's checkpoint only ever claims batches that are all committed: the commit that closes
/// the gap writes the checkpoints of every batch up to the next one still open. A crash can make a
/// rerun read some stored rows again (and skip them as stored), never skip a row that is not stored.
final class CommitLedger: @unchecked Sendable {
    private let lock = NSLock()
    /// Every batch up to this sequence number is committed and checkpointed.
    private var checkpointedThrough = -1
    /// Committed batches after a gap, waiting for an earlier batch to commit.
    private var committedAhead: [Int: BatchPosition] = [:]
    private var summary: IngestSummary
    private var firstFailure: (any Error)?

    init(summary: IngestSummary) { self.summary = summary }

    /// Commits a batch under the ledger's lock: `commit` receives the positions whose checkpoints
    /// must be written in this transaction (the last one of each file), writes them and commits;
    /// `counts` then adds the batch to the run's summary.
    func commit(
        _ position: BatchPosition, counts: (inout IngestSummary) -> Void,
        commit: ([BatchPosition]) throws -> Void
    ) throws {
        lock.lock()
        defer { lock.unlock() }
        var closing: [BatchPosition] = []
        if position.sequence == checkpointedThrough + 1 {
            closing.append(position)
            var next = position.sequence + 1
            while let ahead = committedAhead[next] {
                closing.append(ahead)
                next += 1
            }
        }
        let lastOfEachFile = Dictionary(grouping: closing, by: \.fileIndex).compactMap { $0.value.last }
        try commit(lastOfEachFile.sorted { $0.sequence < $1.sequence })
        if let last = closing.last {
            for done in closing { committedAhead[done.sequence] = nil }
            checkpointedThrough = last.sequence
        } else {
            committedAhead[position.sequence] = position
        }
        counts(&summary)
    }

    /// Records the first failure; lanes stop taking batches once there is one.
    func fail(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        if firstFailure == nil { firstFailure = error }
    }

    var failure: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return firstFailure
    }

    var result: IngestSummary {
        lock.lock()
        defer { lock.unlock() }
        return summary
    }
}
