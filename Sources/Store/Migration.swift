/// One file of `sql/migrations`: `NNNN_name.sql`. A baseline (`-- replaces: FILE SHA256` lines in
/// its header) stands for the migrations it squashed: a database that applied all of them, with
/// exactly those texts, has applied it.
struct Migration: Sendable {
    struct Replaced: Sendable, Equatable {
        var name: String
        var sha256: String
    }

    let version: Int
    let name: String
    let text: String
    let sha256: String
    let replaces: [Replaced]

    init(_ file: SQLFile) throws {
        guard let version = Int(file.name.prefix { $0.isNumber }) else {
            throw StoreError("\(file.name): a migration name must start with its number, e.g. 0014_roles.sql")
        }
        self.version = version
        name = file.name
        text = file.text
        sha256 = file.sha256
        replaces = file.text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("-- replaces: ") else { return nil }
            let words = line.dropFirst("-- replaces: ".count).split(separator: " ")
            guard words.count == 2 else { return nil }
            return Replaced(name: String(words[0]), sha256: String(words[1]))
        }
    }
}

/// A row of `mailhound.schema_migrations`.
struct AppliedMigration: Sendable {
    var version: Int
    var name: String
    var sha256: String
}

/// What the migrations on disk say about the migrations a database recorded.
struct MigrationPlan {
    let pending: [Migration]

    /// Refuses a database whose recorded migrations this binary does not know, or knows with
    /// another text: a migration is frozen once applied, and a newer build's schema is not ours.
    init(files: [Migration], applied: [AppliedMigration]) throws {
        var known: [String: String] = [:]
        for file in files {
            known[file.name] = file.sha256
            for replaced in file.replaces { known[replaced.name] = replaced.sha256 }
        }
        let newest = files.map(\.version).max() ?? 0
        let newestName = files.last?.name ?? "none"
        for row in applied.sorted(by: { $0.version < $1.version }) {
            guard let expected = known[row.name] else {
                if row.version > newest {
                    throw StoreError(
                        "the database was migrated by a newer mailhound: it has \(row.name), and this mailhound knows migrations up to \(newestName)",
                        hint: "run the newer mailhound on this database, or name another database")
                }
                throw StoreError(
                    "the database recorded migration \(row.name), which this mailhound does not have",
                    hint: "it was migrated by another build of mailhound: run that build, or name another database")
            }
            guard expected == row.sha256 else {
                throw StoreError(
                    "sql/migrations/\(row.name) is not the text this database applied: applied sha256 \(row.sha256), this mailhound's \(expected)",
                    hint:
                        "migrations are frozen once applied: restore the file as it was and put the change in a new migration (or the database was migrated by a development build: migrate it with that build)"
                )
            }
        }
        let appliedNames = Set(applied.map(\.name))
        var pending: [Migration] = []
        for file in files where !appliedNames.contains(file.name) {
            let replacedApplied = file.replaces.filter { appliedNames.contains($0.name) }
            if !file.replaces.isEmpty && !replacedApplied.isEmpty {
                guard replacedApplied.count == file.replaces.count else {
                    let last = replacedApplied.last?.name ?? ""
                    throw StoreError(
                        "the database stopped at migration \(last), inside the baseline \(file.name), which replaces \(file.replaces.first?.name ?? "") to \(file.replaces.last?.name ?? "")",
                        hint: "migrate it with a mailhound from before the baseline first, then with this one")
                }
                continue
            }
            pending.append(file)
        }
        self.pending = pending
    }
}
