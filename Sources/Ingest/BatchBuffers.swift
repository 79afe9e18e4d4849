import PostgresClient
import Synchronization

/// Event and raw-chunk buffers of batches that were stored, handed back for the batches still to
/// come. A fresh 16 MB buffer costs the page faults of touching it (a third of encoding's time), and
/// growing one by doubling copies it over and over.
final class BatchBuffers: Sendable {
    /// Bytes a batch's event rows take: the batch limit, plus the record that crosses it.
    let capacity: Int
    private let spare = Mutex<[CopyBuffer]>([])
    private let spareRaw = Mutex<[CopyBuffer]>([])
    /// Buffers kept at most: one for each batch the queue and the loader lanes can hold.
    private let kept = 4

    init(batchBytes: Int) {
        capacity = batchBytes + batchBytes / 8
    }

    func take() -> CopyBuffer? {
        spare.withLock { $0.popLast() }
    }

    /// A buffer for a batch's raw chunks.
    func takeForRaw() -> CopyBuffer? {
        spareRaw.withLock { $0.popLast() }
    }

    func giveBack(_ batch: inout Batch) {
        keep(batch.events.takeStorage(), in: spare)
        keep(batch.events.takeRawStorage(), in: spareRaw)
    }

    private func keep(_ buffer: consuming CopyBuffer, in spare: borrowing Mutex<[CopyBuffer]>) {
        var storage = buffer
        // An encoder still sharing the buffer would see it emptied under it: keep only sole owners.
        guard isKnownUniquelyReferenced(&storage) else { return }
        spare.withLock { spare in
            if spare.count < kept { spare.append(storage) }
        }
    }
}
