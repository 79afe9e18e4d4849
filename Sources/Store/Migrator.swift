import PostgresClient

/// Applies `sql/migrations/NNNN_name.sql` in order, each in its own transaction and recorded in
/// `mailhound.schema_migrations`, then recreates the `analyst` views. Safe to run any number of times,
/// also from two processes at once (an advisory lock serializes them).
public struct Migrator {
    public let directory: SQLDirectory

    public init(directory: SQLDirectory) { self.directory = directory }

    /// Returns the names of the migrations applied by this call.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [String] {
        let lockKey = 0x6D61_696C_686E_6401  // "mailhnd" + 1
        try connection.execute("select pg_advisory_lock(\(lockKey))")
        defer { _ = try? connection.execute("select pg_advisory_unlock(\(lockKey))") }

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
        let applied = Set(
            try connection.execute("select version from mailhound.schema_migrations").rows.compactMap {
                $0.int("version")
            })
        var appliedNow: [String] = []
        for file in try directory.files(in: directory.migrations) {
            guard let version = Int(file.name.prefix { $0.isNumber }) else {
                throw StoreError(
                    "\(file.name): a migration name must start with its number, e.g. 0001_core.sql")
            }
            guard !applied.contains(version) else { continue }
            try connection.transaction {
                // The views depend on the tables a migration may change; they are recreated below,
                // and come back with the rollback if the migration fails.
                try connection.executeScript("drop schema if exists analyst cascade", name: "drop analyst views")
                try connection.executeScript(file.text, name: file.name)
                try connection.execute(
                    """
                    insert into mailhound.schema_migrations (version, name, sha256)
                    values (\(version), \(file.name), encode(sha256(convert_to(\(file.text), 'UTF8')), 'hex'))
                    """)
            }
            appliedNow.append(file.name)
        }
        try recreateViews(connection)
        return appliedNow
    }

    /// Drops and recreates the `analyst` schema from `sql/views/` in one transaction, so a changed
    /// view never leaves a stale dependency behind.
    func recreateViews(_ connection: Connection) throws {
        let views = try directory.files(in: directory.views)
        try connection.transaction {
            try connection.executeScript(
                "drop schema if exists analyst cascade; create schema analyst;", name: "analyst schema")
            try connection.executeScript(
                "comment on schema analyst is 'Stable, documented views for analysts; recreated by mailhound migrate.'",
                name: "analyst schema")
            for view in views { try connection.executeScript(view.text, name: view.name) }
        }
    }
}
