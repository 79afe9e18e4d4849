import ArgumentParser
import AuditSources
import CommandSupport
import Foundation
import Ingest
import Reports
import Simulation
import Store

#if canImport(Glibc)
    import Glibc
#endif

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure mailhound against its targets and print figure, value, target and pass/fail.",
        subcommands: [
            BenchIngest.self, BenchParse.self, BenchDetect.self, BenchQuality.self, BenchCrash.self, BenchLoad.self,
        ],
        defaultSubcommand: BenchIngest.self)
}
