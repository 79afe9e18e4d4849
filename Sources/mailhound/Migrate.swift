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

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations, then install changed functions and analyst views.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let database = try global.database()
        let connection = try database.connect()
        let applied = try Migrator(directory: database.sql).migrate(connection)
        printError(
            applied.isEmpty
                ? "migrate: up to date" : "migrate: applied " + applied.joined(separator: ", "))
    }
}
