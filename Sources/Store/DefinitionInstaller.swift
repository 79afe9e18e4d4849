import PostgresClient

/// Installs `sql/functions` and `sql/views` when their text differs from what
/// `mailhound.installed_sql` records, or when an object they define is missing. Functions are
/// `create or replace`d; views too, so an analyst's own views on `analyst.*` stay. A view change
/// PostgreSQL cannot make in place (a column dropped, renamed or retyped) drops and recreates
/// mailhound's views only when nothing else depends on them; otherwise it stops and names the
/// dependents.
struct DefinitionInstaller {
    let directory: SQLDirectory
    /// Install even when the recorded hash matches (after a migration).
    let force: Bool

    func install(_ folder: SQLFolder, on connection: Connection) throws {
        let files = try directory.files(in: folder)
        let sha = SHA256Digest.hex(of: Array(files.map { "\($0.name)\u{0}\($0.text)\u{0}" }.joined().utf8))
        let definitions = DefinedObjects(files: files)
        guard try force || needsInstall(folder, sha: sha, definitions: definitions, on: connection) else { return }
        try connection.transaction {
            switch folder {
            case .functions:
                // Functions may call functions defined in later files.
                try connection.execute("set local check_function_bodies = off")
                try run(files, folder: folder, on: connection)
            case .views:
                try installViews(files, definitions: definitions, on: connection)
            case .migrations, .detectors, .chains:
                return
            }
            try connection.execute(
                """
                insert into mailhound.installed_sql (kind, sha256, files) values (\(folder.rawValue), \(sha), \(files.map(\.name)))
                on conflict (kind) do update set sha256 = excluded.sha256, files = excluded.files, installed_at = now()
                """)
        }
    }

    private func needsInstall(
        _ folder: SQLFolder, sha: String, definitions: DefinedObjects, on connection: Connection
    ) throws -> Bool {
        let installed = try connection.execute(
            "select sha256 from mailhound.installed_sql where kind = \(folder.rawValue)"
        ).rows.first?["sha256"]
        guard installed == sha else { return true }
        let present: Int
        switch folder {
        case .functions:
            present =
                try connection.execute(
                    """
                    select count(distinct proname) as present from pg_proc
                    where pronamespace = 'mailhound'::regnamespace and proname = any(\(definitions.functions))
                    """
                ).rows.first?.int("present") ?? 0
            return present < Set(definitions.functions).count
        case .views:
            present =
                try connection.execute(
                    """
                    select count(*) as present from pg_views where schemaname = 'analyst' and viewname = any(\(definitions.views))
                    """
                ).rows.first?.int("present") ?? 0
            return present < Set(definitions.views).count
        case .migrations, .detectors, .chains:
            return false
        }
    }

    private func run(_ files: [SQLFile], folder: SQLFolder, on connection: Connection) throws {
        for file in files { try connection.executeScript(file.text, name: "sql/\(folder.rawValue)/\(file.name)") }
    }

    private func installViews(_ files: [SQLFile], definitions: DefinedObjects, on connection: Connection) throws {
        try connection.executeScript(
            """
            create schema if not exists analyst;
            comment on schema analyst is 'Stable, documented views for analysts; installed by mailhound migrate, never dropped under what is built on them.';
            """, name: "analyst schema")
        try connection.execute("savepoint replace_views")
        do {
            try run(files, folder: .views, on: connection)
            try connection.execute("release savepoint replace_views")
            return
        } catch let error as PostgresError where error.sqlState.map(Self.incompatibleChange.contains) == true {
            try connection.execute("rollback to savepoint replace_views")
            let dependents = try externalDependents(of: definitions.views, on: connection)
            guard dependents.isEmpty else {
                throw StoreError(
                    "this mailhound changes analyst views in a way PostgreSQL cannot make in place (\(error.message)), and these depend on them: "
                        + dependents.joined(separator: ", "),
                    hint:
                        "drop those objects (keep their definitions: \\d+ in psql), run mailhound migrate, then create them again against the new views"
                )
            }
            let names = definitions.views.map { "analyst.\(quoteIdentifier($0))" }.joined(separator: ", ")
            try connection.executeScript("drop view if exists \(names) cascade", name: "drop analyst views")
            try run(files, folder: .views, on: connection)
        }
    }

    /// `cannot drop columns from view`, `cannot change name of view column` (42P16) and `cannot
    /// change data type of view column` (42804).
    private static let incompatibleChange: Set<SQLState> = [
        SQLState(rawValue: "42P16"), SQLState(rawValue: "42804"),
    ]

    /// Views, materialized views and rules outside mailhound's own views that depend on them,
    /// directly or through one another, as `schema.name (on analyst.view)`.
    private func externalDependents(of views: [String], on connection: Connection) throws -> [String] {
        try connection.execute(
            """
            with recursive ours as (
                select c.oid from pg_class as c
                where c.relnamespace = 'analyst'::regnamespace and c.relname = any(\(views))
            ),
            dependents (oid, root) as (
                select r.ev_class, d.refobjid
                from pg_depend as d
                join pg_rewrite as r on r.oid = d.objid
                where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
                    and d.refobjid in (select oid from ours) and r.ev_class <> d.refobjid
                union
                select r.ev_class, dependents.root
                from dependents
                join pg_depend as d on d.refobjid = dependents.oid
                join pg_rewrite as r on r.oid = d.objid
                where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
                    and r.ev_class <> d.refobjid
            )
            select distinct d.oid::regclass::text || ' (on ' || d.root::regclass::text || ')' as dependent
            from dependents as d
            where d.oid not in (select oid from ours)
            order by 1
            """
        ).rows.compactMap { $0["dependent"] }
    }
}

/// The functions and views a folder's files define, read from their `create or replace` lines.
struct DefinedObjects {
    var functions: [String] = []
    var views: [String] = []

    init(files: [SQLFile]) {
        for file in files {
            for line in file.text.split(separator: "\n") {
                let words = line.lowercased().split(separator: " ")
                guard words.count >= 4, words[0] == "create", words[1] == "or", words[2] == "replace" else { continue }
                let name = words.count > 4 ? words[4] : ""
                switch words[3] {
                case "function", "aggregate":
                    if name.hasPrefix("mailhound.") {
                        functions.append(String(name.dropFirst("mailhound.".count).prefix { $0 != "(" }))
                    }
                case "view":
                    if name.hasPrefix("analyst.") { views.append(String(name.dropFirst("analyst.".count))) }
                default: continue
                }
            }
        }
    }
}
