import AuditEvents
import AuditSources
import Foundation
import PostgresClient
import Store

/// The database half of the ingest on one connection: stores a batch's rows without doubling any,
/// and writes file checkpoints. Each loader lane of a run has its own.
struct BatchLoader {
    let connection: Connection
    /// Whether this lane's batches have been new records lately: then a batch goes to the table by
    /// COPY at once, and the stored-key probe runs only when the COPY meets a stored key.
    private let freshLately = FreshnessGuess()

    init(connection: Connection) { self.connection = connection }

    /// Session settings and the staging tables of the slow path. `synchronous_commit = off` risks
    /// only the last moments of work on a server crash, which the checkpoints then reload; it never
    /// corrupts or doubles anything (fsync stays on).
    func prepare() throws {
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

    /// What storing a batch did: rows that were new, and rows PostgreSQL refused for their own
    /// values, which are quarantined instead.
    struct Outcome {
        var loaded = 0
        /// Of those, records whose id was another record's, kept under a derived key.
        var keptUnderDerivedKeys = 0
        var refused: [QuarantinedRecord] = []
    }

    /// Stores the batch's rows in the open transaction.
    func store(_ batch: Batch) throws -> Outcome {
        var outcome = Outcome()
        try store(batch.events, into: .events, &outcome)
        try store(batch.webRequests, into: .webRequests, &outcome)
        if batch.quarantineCount > 0 {
            _ = try stageAndInsert(batch.quarantines, into: "quarantine", columns: EventRows.quarantineColumns)
        }
        if !outcome.refused.isEmpty {
            var refused = BinaryCopyEncoder(reservingCapacity: 4096)
            for record in outcome.refused { EventRows.append(record, to: &refused) }
            refused.finish()
            _ = try stageAndInsert(refused, into: "quarantine", columns: EventRows.quarantineColumns)
        }
        if batch.unkeyedEvents > 0 { try GroupKeyIndex.fillMissingKeys(on: connection) }
        return outcome
    }

    /// Resumable files are checkpointed after every batch, others once read to the end.
    func saveCheckpoint(after batch: BatchPosition, file: Ingestor.PlannedFile) throws {
        guard let identity = file.identity, let format = batch.format else { return }
        let records = file.recordsBefore + batch.fileRecords
        if let point = batch.resumePoint {
            let (head, tail) = try identity.fingerprint(ofFirst: point.offset)
            try FileCheckpoint(
                path: identity.path, format: format, loadedBytes: point.offset, nextLine: point.line,
                columns: point.columns, head: head, tail: tail, records: records,
                complete: batch.endOfFile && batch.failure == nil && point.offset >= identity.size, resumable: true
            ).save(identity, size: max(identity.size, point.offset), to: connection)
        } else if batch.endOfFile, batch.failure == nil, !batch.resumable {
            let (head, tail) = try identity.fingerprint(ofFirst: identity.size)
            try FileCheckpoint(
                path: identity.path, format: format, loadedBytes: identity.size, nextLine: 0, columns: nil, head: head,
                tail: tail, records: records, complete: true, resumable: false
            ).save(identity, to: connection)
        }
    }

    /// Stores the rows whose keys are not stored yet, counting them in `outcome`. A row whose key
    /// is stored, or held by an earlier row of the batch, with other content is a different record
    /// under the same id: it is stored too, under a key derived from its id and its content.
    private func store(_ rows: KeyedRows, into table: KeyedTable, _ outcome: inout Outcome) throws {
        guard rows.count > 0 else { return }
        if freshLately.value, try copyAllIfNew(rows, into: table, &outcome) {
            try copy(rows.raw.rows, into: "mailhound.raw_chunks", columns: RawChunks.columns)
            return
        }
        let stored = try storedKeys(of: rows, table: table)
        // A batch with nothing stored says the input is new again: the next one tries COPY first.
        freshLately.value = stored.sameContent.isEmpty && stored.otherContent.isEmpty
        let fresh = rows.leavingOut(stored.sameContent.union(stored.otherContent))
        let otherContent = stored.otherContent.isEmpty ? nil : rows.keeping(stored.otherContent)
        if fresh.rowCount > 0 {
            outcome.loaded += try storeIsolatingRefused(
                fresh, into: table, raw: rows.raw, derivedKeys: false, &outcome.refused)
        }
        if let otherContent { try storeUnderDerivedKeys(otherContent, into: table, raw: rows.raw, &outcome) }
        try storeUnderDerivedKeys(rows.conflicts, into: table, raw: rows.raw, &outcome)
        // Only the chunks that hold a stored row's text: records already stored keep theirs.
        var chunks = table.chunkIDs(of: fresh).union(table.chunkIDs(of: rows.conflicts))
        if let otherContent { chunks.formUnion(table.chunkIDs(of: otherContent)) }
        if !chunks.isEmpty {
            try copy(rows.raw.rows(keeping: chunks), into: "mailhound.raw_chunks", columns: RawChunks.columns)
        }
    }

    /// Records whose id is another record's: stored under keys derived from id and content.
    private func storeUnderDerivedKeys(
        _ rows: BinaryCopyEncoder, into table: KeyedTable, raw: RawChunks, _ outcome: inout Outcome
    ) throws {
        guard rows.rowCount > 0 else { return }
        let kept = try storeIsolatingRefused(rows, into: table, raw: raw, derivedKeys: true, &outcome.refused)
        outcome.loaded += kept
        outcome.keptUnderDerivedKeys += kept
    }

    /// The batch by COPY with no probe, as a first load of new records needs: true when every row
    /// went in. A stored key (or a row PostgreSQL refuses) rolls it back, and the batch takes the
    /// probe path; so does the next batch, until a batch turns out new again. COPY stops at the
    /// first stored key it meets, so a re-read file costs little more than its probes.
    private func copyAllIfNew(_ rows: KeyedRows, into table: KeyedTable, _ outcome: inout Outcome) throws -> Bool {
        try connection.execute("savepoint copy_first")
        do {
            try copy(rows.leavingOut([]), into: "mailhound." + table.name, columns: table.columns)
            try connection.execute("release savepoint copy_first")
        } catch let error as PostgresError where error.mayBeAStoredKey || error.isCausedByRowValues {
            try connection.execute("rollback to savepoint copy_first")
            try connection.execute("release savepoint copy_first")
            freshLately.value = false
            return false
        }
        outcome.loaded += rows.count
        try storeUnderDerivedKeys(rows.conflicts, into: table, raw: rows.raw, &outcome)
        return true
    }

    /// Stores the rows; when PostgreSQL refuses one for its own values (an index entry too long,
    /// a value out of range), halves them until that row stands alone and quarantines it with the
    /// SQLSTATE. The rest of the batch is stored: one hostile record never stops a file.
    private func storeIsolatingRefused(
        _ rows: BinaryCopyEncoder, into table: KeyedTable, raw: RawChunks, derivedKeys: Bool,
        _ refused: inout [QuarantinedRecord]
    ) throws -> Int {
        try connection.execute("savepoint store_rows")
        do {
            let loaded =
                derivedKeys
                ? try stageAndInsert(rows, into: table.name, columns: table.columns, selecting: table.derivedKeyColumns)
                : try storeNew(rows, into: table)
            try connection.execute("release savepoint store_rows")
            return loaded
        } catch let error as PostgresError where error.isCausedByRowValues {
            try connection.execute("rollback to savepoint store_rows")
            try connection.execute("release savepoint store_rows")
            guard rows.rowCount > 1 else {
                refused.append(table.quarantined(row: 0, of: rows, raw: raw, error: error))
                return 0
            }
            let half = rows.rowCount / 2
            return try storeIsolatingRefused(
                rows.keepingRows { $0 < half }, into: table, raw: raw, derivedKeys: derivedKeys, &refused)
                + storeIsolatingRefused(
                    rows.keepingRows { $0 >= half }, into: table, raw: raw, derivedKeys: derivedKeys, &refused)
        }
    }

    /// Rows known to be new go straight into the table by COPY, as fast as the server takes rows.
    /// Should another loader store one of them meanwhile, the COPY fails on the key and the rows
    /// take the slower path through the staging table, where the conflict clause decides row by row.
    private func storeNew(_ fresh: BinaryCopyEncoder, into table: KeyedTable) throws -> Int {
        try connection.execute("savepoint direct_copy")
        do {
            try copy(fresh, into: "mailhound." + table.name, columns: table.columns)
            try connection.execute("release savepoint direct_copy")
            return fresh.rowCount
        } catch let error as PostgresError where error.mayBeAStoredKey {
            try connection.execute("rollback to savepoint direct_copy")
            return try stageAndInsert(fresh, into: table.name, columns: table.columns, selecting: table.columns)
        }
    }

    /// The batch's keys that are stored: with the same content hash (or a row from before hashes
    /// were kept), and with another.
    private struct StoredKeys {
        var sameContent = Set<TenantIndexedKey>()
        var otherContent = Set<TenantIndexedKey>()
    }

    /// One query a tenant of the batch: each id looked up by the primary key. The plan is pinned to
    /// that: statistics taken while the table was empty (a first load, or another lane filling it)
    /// lead the planner to read every row of the tenant once a batch, ids as a filter, which made
    /// a 1M-record load quadratic. `offset 0` keeps the look-up a subquery run for each id: pulled
    /// up into a join, it let the planner read the tenant's rows once and compare each id with all
    /// of them (2,716 ids against 8,118 rows: 1.3 s of a 13.7k-record first load).
    private func storedKeys(of rows: KeyedRows, table: KeyedTable) throws -> StoredKeys {
        var idsByTenant: [Int32: [String]] = [:]
        for key in rows.rowKeys {
            idsByTenant[key.tenant, default: []].append(key.id.description)
        }
        // The rows' hashes by key, made only when a key turns out stored: a first load finds none.
        lazy var hashes = Dictionary(zip(rows.rowKeys, rows.rowHashes), uniquingKeysWith: { first, _ in first })
        var stored = StoredKeys()
        try connection.executeScript(Self.pinnedPlan, name: "pin the probe's plan")
        defer { _ = try? connection.executeScript(Self.unpinnedPlan, name: "unpin the probe's plan") }
        for (position, ids) in idsByTenant.sorted(by: { $0.key < $1.key }) {
            let result = try connection.execute(
                Query(
                    unsafeSQL: Self.storedKeysSQL(table),
                    binds: [rows.tenants[Int(position)], "{" + ids.joined(separator: ",") + "}"],
                    name: "stored \(table.name) keys"))
            for row in 0..<result.rowCount {
                guard let id = result.value(row: row, column: 0).flatMap({ RecordID($0) }) else { continue }
                let key = TenantIndexedKey(id: id, tenant: position)
                let storedHash = result.value(row: row, column: 1).flatMap { Int64($0) }
                if storedHash == nil || storedHash == hashes[key] {
                    stored.sameContent.insert(key)
                } else {
                    stored.otherContent.insert(key)
                }
            }
        }
        return stored
    }

    /// The stored content hash of each id of $2 (uuid[]) that tenant $1 has in `table`.
    static func storedKeysSQL(_ table: KeyedTable) -> String {
        """
        select k.id::text, s.content_hash::text
        from unnest($2::uuid[]) as k(id)
        cross join lateral (
            select t.content_hash from mailhound.\(table.name) as t
            where t.tenant = $1 and t.\(table.key) = k.id
            offset 0
        ) as s
        """
    }

    /// For the probe only, in the batch's transaction: one primary-key lookup an id, whatever the
    /// statistics say.
    static let pinnedPlan = """
        set local enable_seqscan = off; set local enable_bitmapscan = off;
        set local enable_hashjoin = off; set local enable_mergejoin = off
        """
    private static let unpinnedPlan =
        "reset enable_seqscan; reset enable_bitmapscan; reset enable_hashjoin; reset enable_mergejoin"

    /// Stages rows by binary COPY, then inserts those not stored yet; returns how many were new.
    /// `selecting` is the staged columns as inserted (by default as staged).
    func stageAndInsert(
        _ encoder: BinaryCopyEncoder, into table: String, columns: String, selecting: String? = nil
    ) throws -> Int {
        let stage = "stage_" + table
        try copy(encoder, into: stage, columns: columns)
        let inserted = try connection.execute(
            Query(
                unsafeSQL: """
                    insert into mailhound.\(table) (\(columns))
                    select \(selecting ?? columns) from \(stage)
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
            try encoder.withUnsafeBytes { try write($0) }
        }
    }
}

/// A table whose rows are keyed by (tenant, uuid), and where its encoded rows keep what a
/// quarantine entry needs.
struct KeyedTable {
    let name: String
    let key: String
    let columns: String
    /// Field positions of tenant, source_file, source_line, source_offset and raw_chunk (followed
    /// by raw_start and raw_length).
    let tenant: Int
    let file: Int
    let line: Int
    let offset: Int
    let rawChunk: Int

    /// The columns as inserted for a record whose key is another record's: the key derived from
    /// it and the content hash, and the key's source noted.
    var derivedKeyColumns: String {
        columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.map { column in
            switch column {
            case key: "mailhound.derived_record_id(\(key), content_hash)"
            case "key_source": "'conflict'"
            default: column
            }
        }.joined(separator: ", ")
    }

    static let events = KeyedTable(
        name: "events", key: "record_id", columns: EventRows.eventColumns, tenant: 0, file: 27, line: 28,
        offset: 29, rawChunk: 30)
    static let webRequests = KeyedTable(
        name: "web_requests", key: "request_key", columns: EventRows.webColumns, tenant: 0, file: 19, line: 20,
        offset: 21, rawChunk: 22)

    /// The chunks that hold the raw texts of the rows.
    func chunkIDs(of rows: BinaryCopyEncoder) -> Set<Int64> {
        Set((0..<rows.rowCount).map { Self.integer(rawChunk, ofRow: $0, of: rows) })
    }

    /// The quarantine entry for a row PostgreSQL refused, rebuilt from its encoded fields.
    func quarantined(row: Int, of rows: BinaryCopyEncoder, raw: RawChunks, error: PostgresError) -> QuarantinedRecord {
        func text(_ field: Int) -> String {
            rows.field(field, ofRow: row).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        func integer(_ field: Int) -> Int64 { Self.integer(field, ofRow: row, of: rows) }
        return QuarantinedRecord(
            tenant: text(tenant),
            origin: Origin(file: text(file), line: Int(integer(line)), byteOffset: integer(offset)),
            reason: "PostgreSQL refused it: \(error.message) (SQLSTATE \(error.sqlState?.rawValue ?? "none"))",
            raw: raw.text(
                chunk: integer(rawChunk), start: Int(integer(rawChunk + 1)), length: Int(integer(rawChunk + 2)))
                ?? "")
    }

    /// A big-endian integer field of any width.
    private static func integer(_ field: Int, ofRow row: Int, of rows: BinaryCopyEncoder) -> Int64 {
        (rows.field(field, ofRow: row) ?? []).reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }
}

extension PostgresError {
    /// Whether a COPY may have failed on a key another row holds: a unique violation, a deadlock
    /// with another loader, or Citus's report of a worker's unique violation, which reaches the
    /// coordinator's client as an internal error (XX000) naming it. The rows then take the path
    /// that decides row by row.
    var mayBeAStoredKey: Bool {
        sqlState == .uniqueViolation || sqlState == .deadlockDetected
            || (sqlState?.rawValue == "XX000" && message.hasPrefix("duplicate key value violates unique constraint"))
    }

    /// Whether a row's own values caused the error (data exceptions, integrity violations other
    /// than a key already stored, program limits such as an index entry too long): the row is
    /// refused, not the batch. Citus relays a worker's such error as an internal one (XX000) with
    /// PostgreSQL's message: those messages count too.
    var isCausedByRowValues: Bool {
        guard let code = sqlState?.rawValue, sqlState != .uniqueViolation else { return false }
        if code == "XX000" { return Self.rowValueMessages.contains { message.contains($0) } }
        return code.hasPrefix("22") || code.hasPrefix("23") || code.hasPrefix("54")
    }

    /// What PostgreSQL says of a row it refuses for its values, as Citus relays it from a worker.
    private static let rowValueMessages = [
        "violates check constraint", "violates not-null constraint", "value too long for type",
        "invalid byte sequence for encoding", "out of range", "index row size", "index row requires",
    ]
}

/// One lane's guess whether its next batch is new records, kept across the batches it stores.
private final class FreshnessGuess: @unchecked Sendable {
    /// Only its own lane's thread reads and writes it.
    var value = true
}
