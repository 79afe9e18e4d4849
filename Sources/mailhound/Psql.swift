import ArgumentParser
import CommandSupport
import Foundation
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// psql on the database mailhound uses, migrated first so the analyst views are there: with the
/// embedded cluster, the one command an analyst needs.
struct Psql: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open psql on mailhound's database (the embedded cluster or --database-url).",
        discussion: """
            Arguments after -- go to psql: mailhound psql -- -c 'table analyst.ranked_sessions limit 5'. \
            psql is found on PATH, else beside the PostgreSQL server the embedded cluster uses.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .postTerminator, help: "Arguments for psql.")
    var psqlArguments: [String] = []

    func run() async throws {
        let database = try global.database()
        _ = try database.connectMigrated()
        let psql = try Self.locate()
        let arguments = [psql] + (database.conninfo.isEmpty ? [] : ["--dbname", database.conninfo]) + psqlArguments
        // psql takes this process's place, terminal and all.
        var pointers = arguments.map { strdup($0) } + [nil]
        execv(psql, &pointers)
        throw ValidationError("cannot run \(psql): \(String(cString: strerror(errno)))")
    }

    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/psql") {
            return directory + "/psql"
        }
        let beside = try EmbeddedCluster.locateServerBinaries().appendingPathComponent("psql").path
        guard FileManager.default.isExecutableFile(atPath: beside) else {
            throw ValidationError("psql not found on PATH or in \(beside): install postgresql-client")
        }
        return beside
    }
}
