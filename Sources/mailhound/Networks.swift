import ArgumentParser
import AuditSources
import CommandSupport
import Ingest
import Reports

struct Networks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load an IP-to-ASN table so detectors judge new networks by who routes them.",
        discussion: """
            Without a table, a new network is a new /24 (IPv4) or /64 (IPv6). With one, it is a new \
            autonomous system, so a phone moving between its carrier's blocks is not news and a hosting \
            provider is. Takes iptoasn.com's ip2asn-v4.tsv, -v6 or -combined (plain or .gz): tab-separated \
            range_start, range_end, AS number, country, description. Exit codes: 0 loaded; 2 loaded but \
            some lines were malformed (each is printed with its line number).
            """,
        subcommands: [Load.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the table of network owners with the ranges in FILE.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The ip2asn TSV file (.gz allowed).")
        var file: String

        func run() async throws {
            let connection = try global.database().connectMigrated()
            let summary = try NetworkOwnerTable.load(InputFile(path: file), into: connection)
            for bad in summary.malformed.prefix(10) {
                printError("\(SafeText.terminal(file)):\(bad.line): \(SafeText.terminal(bad.reason))")
            }
            if summary.malformed.count > 10 {
                printError("… and \(summary.malformed.count - 10) more malformed lines")
            }
            printError(
                "networks: loaded \(summary.ranges) ranges from \(SafeText.terminal(file)), \(summary.malformed.count) malformed lines"
            )
            if !summary.malformed.isEmpty { throw ExitStatus.partial }
        }
    }
}
