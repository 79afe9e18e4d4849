import ArgumentParser
import CommandSupport
import Detection
import Rankings
import ReadModel
import Reports

struct Allow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the allow-list of known-good actors, apps and networks.",
        discussion: """
            Matching findings are kept but suppressed: they stop scoring at once, and \
            `mailhound sessions --include-suppressed` still shows them with the entry that suppressed them.
            """,
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an entry; every field given must match (at least one of actor, app, network, detector).")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Actor (UPN or identity, case-insensitive).")
        var actor: String?

        @Option(name: .customLong("app-id"), help: "App id (AppId or ClientAppId of the session's records).")
        var appID: String?

        @Option(help: "Client network the session's address is in, e.g. 198.51.100.0/24.")
        var network: String?

        @Option(help: "Only this detector's findings (sql/detectors/<id>.sql).")
        var detector: String?

        @Option(help: "Why this is benign: ticket number, owner.")
        var reason: String

        @Option(help: "Stop applying after this date or time (UTC when no zone is given).")
        var expires: String?

        @Option(help: "Tenant the entry is for (needed when the data holds several).")
        var tenant: String?

        func run() async throws {
            let database = try global.database()
            let connection = try database.connectMigrated()
            if let detector {
                let known = try DetectionRunner(sql: database.sql, logger: global.logger()).loadDetectors()
                    .map(\.id)
                guard known.contains(detector) else {
                    throw ValidationError("unknown detector \(detector); detectors: \(known.joined(separator: ", "))")
                }
            }
            let entryID: Int
            do {
                entryID = try AllowList.add(
                    .init(actor: actor, appID: appID, clientNetwork: network, detector: detector), reason: reason,
                    expires: expires, tenant: tenant, to: connection)
            } catch let refusal as AllowList.Refusal {
                throw ValidationError(refusal.description)
            }
            let suppresses = try AllowListEntry.list(from: connection, id: entryID).first?.suppresses ?? 0
            printError("allow: added entry \(entryID); it suppresses \(suppresses) current finding(s)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the entries and what each suppresses.")

        @OptionGroup var global: GlobalOptions

        @OptionGroup var output: OutputFormat

        func run() async throws {
            let connection = try global.database().connectMigrated()
            try output.showTimes(on: connection)
            print(
                AllowListReport.render(
                    try AllowListEntry.list(from: connection), format: output.format, width: output.width),
                terminator: "")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an entry; the findings it suppressed score again at once.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Entry id, as `mailhound allow list` prints it.")
        var id: Int

        func run() async throws {
            let connection = try global.database().connectMigrated()
            guard try AllowList.remove(id, from: connection) else {
                printError("allow: no allow-list entry \(id) (`mailhound allow list` shows them)")
                throw ExitStatus.notFound
            }
            printError("allow: removed entry \(id)")
        }
    }
}
