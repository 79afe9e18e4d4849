import ArgumentParser
import CommandSupport
import Foundation
import Logging
import Reports
import Store

@main
struct Mailhound: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailhound",
        abstract: "Find mailbox theft in Microsoft 365 and Exchange audit logs.",
        discussion: """
            Loads audit records into PostgreSQL, groups them into sessions, runs the SQL detectors built \
            into it (or those under MAILHOUND_SQL_DIR) and ranks the sessions. Without --database-url, \
            DATABASE_URL or PG* variables, mailhound starts its own private PostgreSQL cluster.

            Exit codes: 0 ok; 1 error; 2 finished, but records were quarantined or lines malformed; \
            3 detect --fail-on found a session in that band or above; 4 no such session or allow-list \
            entry; 5 db status: the cluster is stopped; 64 usage.
            """,
        subcommands: [
            Demo.self, IngestCommand.self, PullCommand.self, Worker.self, Detect.self, Sessions.self,
            SessionCommand.self,
            Accounts.self, Runs.self, Coverage.self, Allow.self, Networks.self, Errors.self, Report.self, Prune.self,
            Migrate.self, Grant.self, Psql.self, DatabaseCommand.self,
        ]
    )

    /// Parses (options before the command moved after it), runs, and prints any error with a hint
    /// where its cause is one the user can act on.
    static func main() async {
        let arguments = LeadingOptions.movedAfterCommand(Array(CommandLine.arguments.dropFirst()))
        var requiredRole: RequiredRole?
        do {
            var command = try parseAsRoot(arguments)
            requiredRole = (type(of: command) as? any NeedsDatabaseRole.Type)?.requiredRole
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: ErrorHints.explained(error, requiredRole: requiredRole))
        }
    }
}
