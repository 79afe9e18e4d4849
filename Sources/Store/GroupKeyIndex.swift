import PostgresClient

/// The index of `mailhound.events` by session group, which a large load leaves out while it runs and
/// builds once at its end: each row goes to a random place in it, so adding rows one by one costs
/// far more than one build (sql/functions/defer_session_index.sql has the figures and the rules).
/// A role that may not run these functions (neither the owner nor one of mailhound's roles) loads
/// and detects with the index as it is.
public enum GroupKeyIndex {
    /// Drops the index when `incomingBytes` of input is at least four times the stored events; true
    /// when it did, and the caller must then call `restore`.
    public static func deferIfWorthwhile(incomingBytes: Int64, on connection: Connection) throws -> Bool {
        try permitted(false) {
            try connection.execute("select mailhound.defer_session_index(\(incomingBytes)) as deferred").rows.first?
                .bool("deferred") == true
        }
    }

    /// Builds whatever a load dropped, unless another load that dropped it is still running; returns
    /// how many indexes it built.
    @discardableResult
    public static func restore(on connection: Connection) throws -> Int {
        try permitted(0) {
            try connection.execute("select mailhound.restore_deferred_indexes() as built").rows.first?.int("built") ?? 0
        }
    }

    private static func permitted<T>(_ otherwise: T, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError where error.sqlState == .insufficientPrivilege {
            return otherwise
        }
    }
}
