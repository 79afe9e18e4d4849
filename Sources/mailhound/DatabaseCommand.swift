import ArgumentParser
import CommandSupport
import Foundation
import Store

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the embedded PostgreSQL cluster.",
        subcommands: [Start.self, Stop.self, Status.self, URL.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (first time) and start the embedded cluster.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let cluster = try EmbeddedCluster.standard()
            try cluster.createDatabase("mailhound", logger: global.logger())
            print("running: \(cluster.root.path)")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.")

        func run() async throws {
            try EmbeddedCluster.standard().stop()
            print("stopped")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether the embedded cluster runs (exit 3 if not).")

        func run() async throws {
            let cluster = try EmbeddedCluster.standard()
            let running = cluster.isRunning
            print(
                "\(running ? "running" : "stopped"): \(cluster.root.path) (server \(cluster.binDirectory.path))"
            )
            if !running { throw ExitStatus.stopped }
        }
    }

    struct URL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a psql-ready URL of an embedded database.")
        @Option(help: "Database name (the demo uses mailhound_demo).")
        var database = "mailhound"

        func run() async throws {
            print(try EmbeddedCluster.standard().url(database: database))
        }
    }
}
