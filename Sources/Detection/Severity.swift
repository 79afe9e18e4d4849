import Store

/// The severity bands of `mailhound.severity_band`, lowest first.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case low, medium, high, critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.order < rhs.order }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// Ranked sessions (unsuppressed findings only) in this band or above: the `--fail-on` gate.
    public static func sessions(atLeast severity: Severity, from connection: Connection) throws -> Int {
        let bands = allCases.filter { $0 >= severity }.map(\.rawValue)
        return try connection.execute(
            "select count(*) as n from analyst.ranked_sessions where severity = any(\(bands))"
        ).rows.first?.int("n") ?? 0
    }
}
