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

    /// Keys the events stored without a group key (`fill_session_keys`): the few ingest leaves to
    /// the server, and rows inserted by other means; returns how many.
    @discardableResult
    public static func fillMissingKeys(on connection: Connection) throws -> Int {
        try permitted(0) {
            try connection.execute("select mailhound.fill_session_keys() as keyed").rows.first?.int("keyed") ?? 0
        }
    }

    /// A connection holding autovacuum off `mailhound.events` (`hold_events_for_load`) until
    /// `release`, so that the build at the end of a load that deferred the index does not wait for
    /// an insert-triggered vacuum to be cancelled. Nil when it could not (a vacuum already runs, a
    /// role without the right, no connection): the load goes on without it.
    public static func holdOffVacuum(conninfo: String) -> VacuumHold? {
        guard let holder = try? Connection(conninfo: conninfo) else { return nil }
        do {
            try holder.execute("begin")
            guard try holder.execute("select mailhound.hold_events_for_load() as held").rows.first?.bool("held") == true
            else { return nil }
            return VacuumHold(holder: holder)
        } catch {
            return nil
        }
    }

    /// The open transaction that holds the lock; its connection closes with it.
    public struct VacuumHold {
        fileprivate let holder: Connection

        /// Ends the hold; the index can be built then.
        public func release() { holder.rollbackIfInTransaction() }
    }

    private static func permitted<T>(_ otherwise: T, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError where error.sqlState == .insufficientPrivilege {
            return otherwise
        }
    }
}
