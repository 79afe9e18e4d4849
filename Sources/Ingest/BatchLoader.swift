import AuditEvents
import Foundation
import PostgresClient

/// The database half of the ingest on one connection: stores a batch's rows without doubling any,
/// and writes file checkpoints. Each loader lane of a run has its own.
struct BatchLoader {
    let connection: Connection

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

    /// Stores the batch's rows in the open transaction: returns the rows that were new.
    func store(_ batch: Batch) throws -> Int {
        let loaded =
            try store(batch.events, table: "events", key: "record_id", columns: EventRows.eventColumns)
            + store(batch.webRequests, table: "web_requests", key: "request_key", columns: EventRows.webColumns)
        if batch.quarantineCount > 0 {
            _ = try stageAndInsert(batch.quarantines, into: "quarantine", columns: EventRows.quarantineColumns)
        }
        return loaded
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

    /// Stores the rows whose keys are not stored yet; returns how many that were.
    /// Rows known to be new go straight into the table by COPY, as fast as the server takes rows.
    /// Should another loader store one of them meanwhile, the COPY fails on the key and the rows
    /// take the slower path through the staging table, where the conflict clause decides row by row.
    func store(_ rows: KeyedRows, table: String, key: String, columns: String) throws -> Int {
        guard rows.count > 0 else { return 0 }
        let fresh = rows.leavingOut(try storedKeys(of: rows, table: table, key: key))
        guard fresh.rowCount > 0 else { return 0 }
        try connection.execute("savepoint direct_copy")
        do {
            try copy(fresh, into: "mailhound." + table, columns: columns)
            try connection.execute("release savepoint direct_copy")
            return fresh.rowCount
        } catch let error as PostgresError
            where error.sqlState == .uniqueViolation || error.sqlState == .deadlockDetected
        {
            try connection.execute("rollback to savepoint direct_copy")
            return try stageAndInsert(fresh, into: table, columns: columns)
        }
    }

    /// One index probe a key: a join the planner could turn into a scan of the whole table.
    /// Keys go as tenant positions into the batch's list of tenants, not a tenant name a key.
    private func storedKeys(of rows: KeyedRows, table: String, key: String) throws -> Set<TenantIndexedKey> {
        let positions = "{" + rows.rowKeys.map { String($0.tenant) }.joined(separator: ",") + "}"
        let ids = "{" + rows.rowKeys.map(\.id.description).joined(separator: ",") + "}"
        let result = try connection.execute(
            Query(
                unsafeSQL: """
                    select k.position, k.id::text
                    from unnest($2::int[], $3::uuid[]) as k (position, id)
                    cross join lateral (
                        select from mailhound.\(table) as t
                        where t.tenant = ($1::text[])[k.position + 1] and t.\(key) = k.id
                        limit 1
                    ) as stored
                    """, binds: [rows.tenants.postgresText, positions, ids], name: "stored \(table) keys"))
        var stored = Set<TenantIndexedKey>(minimumCapacity: result.rowCount)
        for row in 0..<result.rowCount {
            if let position = result.value(row: row, column: 0).flatMap({ Int32($0) }),
                let id = result.value(row: row, column: 1).flatMap({ RecordID($0) })
            {
                stored.insert(TenantIndexedKey(id: id, tenant: position))
            }
        }
        return stored
    }

    /// Stages rows by binary COPY, then inserts those not stored yet; returns how many were new.
    func stageAndInsert(_ encoder: BinaryCopyEncoder, into table: String, columns: String) throws -> Int {
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
            try encoder.withUnsafeBytes { try write($0) }
        }
    }
}
