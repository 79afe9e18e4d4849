import ArgumentParser
import CommandSupport
import Detection
import Foundation
import Ingest
import Rankings
import ReadModel
import Reports
import Store

#if canImport(Glibc)
    import Glibc
#endif

struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the top-risk acting identities, or the most exposed mailbox owners.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many accounts to show.")
    var top = 20

    @Option(help: "actor (identities that acted) or owner (mailboxes others read).")
    var role: RankedAccount.Role = .actor

    @OptionGroup var output: OutputFormat

    func run() async throws {
        let connection = try global.database().connectForReading()
        try output.showTimes(on: connection)
        let accounts = try RankedAccount.top(top, role: role, from: connection)
        print(AccountReport.render(accounts, format: output.format, width: output.width), terminator: "")
    }
}
