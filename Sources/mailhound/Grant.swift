import ArgumentParser
import CommandSupport
import PostgresClient
import Store

/// Gives a login one of mailhound's group roles: reading (of some tenants or all), loading,
/// detecting, or all of them.
struct Grant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Give a login role one of mailhound's roles: reader (of the tenants named or all), loader, detector, admin.",
        discussion: """
            mailhound grant reader alice --tenant contoso --tenant fabrikam: alice becomes a member of \
            mailhound_reader, which selects on the analyst views only, and sees through them the rows of \
            those tenants alone (ranks counted among them; file checkpoints and detection runs, which \
            belong to no tenant, show her nothing). Without --tenant she sees every tenant. Granting again \
            adds tenants.

            loader (mailhound_loader): ingest and the worker's loading; reads the quarantine and file \
            checkpoints; cannot touch detectors, findings, the allow-list or runs. detector \
            (mailhound_detector): detect, coverage, runs, allow, networks. admin (mailhound_admin): all of \
            them and prune. Loaders, detectors and admins work on every tenant. --revoke takes the role \
            (and a reader's tenant bindings) away. Run as the database's owner.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "What to grant: reader, loader, detector or admin.")
    var kind: MailhoundRole

    @Argument(help: "The login (or group) role.")
    var role: String

    @Option(name: .customLong("tenant"), help: "A tenant a reader sees; repeat for several (default: all).")
    var tenants: [String] = []

    @Flag(help: "Take the role (and a reader's tenant bindings) away instead.")
    var revoke = false

    func validate() throws {
        if !tenants.isEmpty && kind != .reader {
            throw ValidationError("--tenant binds readers only: loaders, detectors and admins work on every tenant")
        }
    }

    func run() async throws {
        let connection = try global.database().connectMigrated()
        let statement = revoke ? "revoke \(kind.groupRole) from" : "grant \(kind.groupRole) to"
        try connection.transaction {
            try connection.execute(
                Query(unsafeSQL: "\(statement) \(quoteIdentifier(role))", name: "grant \(kind.rawValue)"))
            guard kind == .reader else { return }
            if revoke {
                try connection.execute("delete from mailhound.tenant_access where role_name = \(role)")
            } else {
                for tenant in tenants.isEmpty ? ["*"] : tenants {
                    try connection.execute(
                        "insert into mailhound.tenant_access (role_name, tenant) values (\(role), \(tenant)) on conflict do nothing"
                    )
                }
            }
        }
        printError(try summary(on: connection))
    }

    private func summary(on connection: Connection) throws -> String {
        switch (kind, revoke) {
        case (.reader, true): return "grant: \(role) reads nothing any more"
        case (.reader, false):
            let bound =
                try connection.execute(
                    "select coalesce(string_agg(tenant, ', ' order by tenant), 'none') as t from mailhound.tenant_access where role_name = \(role)"
                ).rows.first?["t"] ?? "none"
            return "grant: \(role) reads the analyst views of tenants: \(bound)"
        case (_, true): return "grant: \(role) is no longer a member of \(kind.groupRole)"
        case (.loader, false):
            return "grant: \(role) is a member of mailhound_loader: ingest, and reading the quarantine and checkpoints"
        case (.detector, false):
            return "grant: \(role) is a member of mailhound_detector: detect, coverage, runs, allow, networks"
        case (.admin, false):
            return "grant: \(role) is a member of mailhound_admin: every command but migrate and grant"
        }
    }
}
