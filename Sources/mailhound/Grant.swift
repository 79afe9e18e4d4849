import ArgumentParser
import CommandSupport
import PostgresClient
import Store

/// Lets a login read the analyst views, of some tenants or all.
struct Grant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Let a login role read the analyst views, of the tenants named or of all.",
        discussion: """
            mailhound grant reader alice --tenant contoso --tenant fabrikam: alice becomes a member of \
            mailhound_reader, which selects on the analyst views only, and sees through them the rows of \
            those tenants alone (ranks counted among them; file checkpoints and detection runs, which \
            belong to no tenant, show her nothing). Without --tenant she sees every tenant. Granting again \
            adds tenants; --revoke takes the role and every binding away. Run as the database's owner.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case reader
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "What to grant: reader.")
    var kind: Kind

    @Argument(help: "The login (or group) role.")
    var role: String

    @Option(name: .customLong("tenant"), help: "A tenant the role sees; repeat for several (default: all).")
    var tenants: [String] = []

    @Flag(help: "Take the role and its tenant bindings away instead.")
    var revoke = false

    func run() async throws {
        let connection = try global.database().connectMigrated()
        try connection.transaction {
            if revoke {
                try connection.execute("delete from mailhound.tenant_access where role_name = \(role)")
                try connection.execute(
                    Query(unsafeSQL: "revoke mailhound_reader from \(quoteIdentifier(role))", name: "revoke reader"))
            } else {
                try connection.execute(
                    Query(unsafeSQL: "grant mailhound_reader to \(quoteIdentifier(role))", name: "grant reader"))
                for tenant in tenants.isEmpty ? ["*"] : tenants {
                    try connection.execute(
                        "insert into mailhound.tenant_access (role_name, tenant) values (\(role), \(tenant)) on conflict do nothing"
                    )
                }
            }
        }
        let bound =
            try connection.execute(
                "select coalesce(string_agg(tenant, ', ' order by tenant), 'none') as t from mailhound.tenant_access where role_name = \(role)"
            ).rows.first?["t"] ?? "none"
        printError(
            revoke
                ? "grant: \(role) reads nothing any more"
                : "grant: \(role) reads the analyst views of tenants: \(bound)")
    }
}
