import PostgresClient
import Rankings

extension Severity {
    /// Ranked sessions (unsuppressed findings only) in this band or above: the `--fail-on` gate.
    public static func sessions(atLeast severity: Severity, from connection: Connection) throws -> Int {
        let bands = allCases.filter { $0 >= severity }.map(\.rawValue)
        return try connection.execute(
            "select count(*) as n from analyst.ranked_sessions where severity = any(\(bands))"
        ).rows.first?.int("n") ?? 0
    }
}
