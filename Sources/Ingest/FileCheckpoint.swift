import AuditSources
import PostgresClient

/// How far a file is loaded (`mailhound.file_checkpoints`), and what to do with the file now.
struct FileCheckpoint: Sendable, Equatable {
    var path: String
    var format: SourceFormat
    var loadedBytes: Int64
    var nextLine: Int
    var columns: [String]?
    var head: String
    var tail: String
    var records: Int
    var complete: Bool
    var resumable: Bool

    /// What the ingest does with one file.
    enum Plan: Equatable {
        /// Loaded before up to its end and unchanged.
        case skip
        /// It grew: read on from the checkpoint.
        case resume(ResumePoint, recordsBefore: Int)
        /// New, grown without a way to resume, or changed (`changed`: its loaded part differs).
        case readAll(changed: Bool)
    }

    /// Decides from the checkpoint and the file as it is now; `fingerprint` hashes the file's first
    /// `loadedBytes` bytes the way the checkpoint did.
    static func plan(
        _ checkpoint: FileCheckpoint?, size: Int64, fingerprint: (Int64) throws -> (head: String, tail: String)
    ) rethrows -> Plan {
        guard let checkpoint else { return .readAll(changed: false) }
        guard size >= checkpoint.loadedBytes,
            try fingerprint(checkpoint.loadedBytes) == (checkpoint.head, checkpoint.tail)
        else { return .readAll(changed: true) }
        if size == checkpoint.loadedBytes { return .skip }
        guard checkpoint.resumable else { return .readAll(changed: false) }
        return .resume(
            ResumePoint(
                offset: checkpoint.loadedBytes, line: checkpoint.nextLine, format: checkpoint.format,
                columns: checkpoint.columns),
            recordsBefore: checkpoint.records)
    }

    static func load(path: String, from connection: Connection) throws -> FileCheckpoint? {
        let result = try connection.execute(
            """
            select path, format, loaded_bytes, next_line, columns, head_sha256, tail_sha256, records, complete,
                resumable, columns is null as no_columns
            from mailhound.file_checkpoints where path = \(path)
            """)
        guard let row = result.rows.first, let format = row["format"].flatMap(SourceFormat.init(rawValue:)) else {
            return nil
        }
        return FileCheckpoint(
            path: path, format: format, loadedBytes: Int64(row.int("loaded_bytes") ?? 0),
            nextLine: row.int("next_line") ?? 1,
            columns: row.bool("no_columns") == true ? nil : row.textArray("columns"),
            head: row["head_sha256"] ?? "", tail: row["tail_sha256"] ?? "", records: row.int("records") ?? 0,
            complete: row.bool("complete") ?? false, resumable: row.bool("resumable") ?? false)
    }

    /// Written in the batch's own transaction: the checkpoint never runs ahead of the rows.
    /// `size` is the file size to record when the file was read past the size first seen.
    func save(_ identity: FileIdentity, size: Int64? = nil, to connection: Connection) throws {
        try connection.execute(
            """
            insert into mailhound.file_checkpoints (path, format, loaded_bytes, next_line, columns, head_sha256,
                tail_sha256, file_size, modified_at, records, complete, resumable, device, inode)
            values (\(path), \(format.rawValue), \(loadedBytes), \(nextLine), \(columns)::text[], \(head), \(tail),
                \(size ?? identity.size), 'epoch'::timestamptz + \(identity.modifiedMicroseconds) * interval '1 microsecond',
                \(records), \(complete), \(resumable), \(String(identity.fileID.device))::numeric,
                \(String(identity.fileID.inode))::numeric)
            on conflict (path) do update set
                format = excluded.format, loaded_bytes = excluded.loaded_bytes, next_line = excluded.next_line,
                columns = excluded.columns, head_sha256 = excluded.head_sha256, tail_sha256 = excluded.tail_sha256,
                file_size = excluded.file_size, modified_at = excluded.modified_at, records = excluded.records,
                complete = excluded.complete, resumable = excluded.resumable, device = excluded.device,
                inode = excluded.inode, updated_at = now()
            """)
    }
}
