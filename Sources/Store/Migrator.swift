import Foundation
import PostgresClient

/// Brings a database's schema to this binary's: applies pending `sql/migrations` files, each in its
/// own transaction and recorded with its SHA-256 in `mailhound.schema_migrations`, then installs
/// `sql/functions` and `sql/views` where their text differs from what is installed. A database
/// whose schema is current is only read: no lock is taken on the analyst views, so a command never
/// waits behind an analyst's open transaction, and nothing an analyst built on them is dropped.
/// Safe to run from two processes at once (an advisory lock serializes them).
public struct Migrator {
    public let directory: SQLDirectory
    /// How long a statement waits for a lock before the migration gives up with a hint.
    public let lockTimeout: String

    public init(
        directory: SQLDirectory, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.directory = directory
        lockTimeout = environment["MAILHOUND_LOCK_TIMEOUT"].flatMap { $0.isEmpty ? nil : $0 } ?? "10s"
    }

    /// Returns the names of the migrations applied by this call.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [String] {
        try connection.execute("select set_config('lock_timeout', \(lockTimeout), false)")
        defer { _ = try? connection.execute("reset lock_timeout") }
        do {
            return try migrateLocked(connection)
        } catch let error as PostgresError where error.sqlState == .lockNotAvailable {
            throw StoreError(
                "migrate waited \(lockTimeout) for a lock held by another session (\(error.statement))",
                hint:
                    "an open transaction holds the mailhound schema or an analyst view: commit or close it (an idle psql inside begin ... ), then run again; MAILHOUND_LOCK_TIMEOUT sets the wait"
            )
        }
    }

    private func migrateLocked(_ connection: Connection) throws -> [String] {
        let lockKey = 0x6D61_696C_686E_6401  // "mailhnd" + 1
        try connection.execute("select pg_advisory_lock(\(lockKey))")
        defer { _ = try? connection.execute("select pg_advisory_unlock(\(lockKey))") }

        if try !schemaMigrationsExists(connection) {
            try connection.executeScript(
                """
                create schema if not exists mailhound;
                create table if not exists mailhound.schema_migrations (
                    version integer primary key,
                    name text not null,
                    sha256 text not null,
                    applied_at timestamptz not null default now()
                );
                comment on table mailhound.schema_migrations is
                    'Migrations applied to this database, one row per sql/migrations file.';
                """, name: "schema_migrations")
        }
        let applied = try connection.execute("select version, name, sha256 from mailhound.schema_migrations").rows
            .compactMap { row -> AppliedMigration? in
                guard let version = row.int("version"), let name = row["name"], let sha = row["sha256"] else {
                    return nil
                }
                return AppliedMigration(version: version, name: name, sha256: sha)
            }
        let plan = try MigrationPlan(
            files: try directory.files(in: .migrations).map(Migration.init), applied: applied)
        for migration in plan.pending {
            try connection.transaction {
                try connection.executeScript(migration.text, name: migration.name)
                try connection.execute(
                    """
                    insert into mailhound.schema_migrations (version, name, sha256)
                    values (\(migration.version), \(migration.name), \(migration.sha256))
                    """)
            }
        }
        // A migration may have dropped what functions or views stood on: install them again.
        let installer = DefinitionInstaller(directory: directory, force: !plan.pending.isEmpty)
        try installer.install(.functions, on: connection)
        try installer.install(.views, on: connection)
        return plan.pending.map(\.name)
    }

    private func schemaMigrationsExists(_ connection: Connection) throws -> Bool {
        try connection.execute("select to_regclass('mailhound.schema_migrations') is not null as present").rows.first?
            .bool("present") == true
    }
}
