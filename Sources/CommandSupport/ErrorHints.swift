import PostgresClient

/// Hints for errors whose cause the user can act on, added where every command's error is printed.
public enum ErrorHints {
    /// `requiredRole`: what the command that failed needs, for a refused privilege.
    public static func explained(_ error: any Error, requiredRole: RequiredRole? = nil) -> any Error {
        guard var failure = error as? PostgresError, failure.hint == nil else { return error }
        switch failure.sqlState?.rawValue {
        case "57014" where failure.message.contains("statement timeout"):
            failure.hint =
                "a query ran past MAILHOUND_STATEMENT_TIMEOUT (5min unless set): raise it for a large tenant, "
                + "e.g. MAILHOUND_STATEMENT_TIMEOUT=30min, or look for a blocking session in pg_stat_activity"
        case "42501":
            failure.hint =
                requiredRole?.hint
                ?? "this role lacks a privilege: readers (mailhound grant reader LOGIN) read the analyst views; "
                + "loaders, detectors and admins (grant loader, detector, admin) run the commands that write"
        case "55P03":
            failure.hint =
                "another session holds a lock mailhound needs (an open transaction in psql?): end it and run again; "
                + "MAILHOUND_LOCK_TIMEOUT sets the wait (10s unless set)"
        default:
            return error
        }
        return failure
    }
}
