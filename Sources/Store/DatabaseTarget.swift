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

    /// A URL of another database (`mysql://...`) is refused by name: libpq would take it for a
    /// database called so and fail far from the cause.
    static func checkScheme(of url: String) throws {
        guard let separator = url.range(of: "://") else { return }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme != "postgresql", scheme != "postgres" else { return }
        throw StoreError(
            "\(scheme):// is not a PostgreSQL URL",
            hint: "mailhound stores in PostgreSQL: give postgresql://user@host:5432/database or a conninfo such as "
                + "'host=db.example dbname=mailhound'")
    }

    /// Whether a URL or conninfo holds a password: on the command line, `ps` shows it to every user.
    public static func holdsPassword(_ url: String) -> Bool {
        if let separator = url.range(of: "://") {
            let authority = url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") { return true }
            return url.range(of: "[?&]password=", options: .regularExpression) != nil
        }
        return url.range(of: "(^|\\s)password\\s*=", options: .regularExpression) != nil
    }
}
