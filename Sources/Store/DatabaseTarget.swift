import Foundation

/// Which database mailhound talks to, decided once per command.
public enum DatabaseTarget: Sendable, Equatable {
    /// A conninfo string or URL given with --database-url or DATABASE_URL.
    case url(String)
    /// libpq's own defaults: the PG* variables (PGHOST, PGSERVICE, ...) are set.
    case libpqEnvironment
    /// The private cluster, with a database name.
    case embedded(database: String)

    static let libpqVariables = [
        "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE",
    ]

    /// Explicit option, then DATABASE_URL, then PG* variables, then the embedded cluster.
    public static func resolve(
        option: String?, embeddedDatabase: String = "mailhound",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DatabaseTarget {
        if let option, !option.isEmpty { return .url(option) }
        if let url = environment["DATABASE_URL"], !url.isEmpty { return .url(url) }
        if libpqVariables.contains(where: { environment[$0]?.isEmpty == false }) {
            return .libpqEnvironment
        }
        return .embedded(database: embeddedDatabase)
    }
}
