import PostgresClient

/// PostgreSQL advisory locks mailhound takes, in one namespace (the first key of the two-key form).
public enum AdvisoryLock {
    /// "mh" as digits; the second key is 0 for detection runs and `hashtext(path)` for a file.
    public static let namespace = 1_835_560

    /// Tries to lock a file for this session; false when another worker holds it.
    public static func tryLockFile(_ path: String, on connection: Connection) throws -> Bool {
        try connection.execute("select pg_try_advisory_lock(\(namespace), hashtext(\(path))) as locked").rows.first?
            .bool("locked") == true
    }

    public static func unlockFile(_ path: String, on connection: Connection) throws {
        try connection.execute("select pg_advisory_unlock(\(namespace), hashtext(\(path)))")
    }
}
