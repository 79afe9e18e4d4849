import ArgumentParser
import CommandSupport
import Foundation
import Ingest
import M365
import Pull
import Reports
import Store

struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull audit records from the Office 365 Management Activity API into PostgreSQL.",
        discussion: """
            Starts each content type's subscription if it is missing, lists the content in windows of at most 24 \
            hours within the API's 7 days, fetches the new blobs (--concurrency at a time) and loads them through \
            the same parser and COPY path as files. A checkpoint per tenant and content type is written with the \
            records, so a stopped or killed pull resumes without gaps or doubles, and content listed twice is \
            fetched once. Throttling (429) is waited out as Retry-After says; server errors and broken transfers \
            are retried with backoff. Secrets come from a file or \(ClientCredential.secretVariable), never argv.
            Exit codes: 0 all pulled; 2 pulled, but records or blobs were quarantined; 1 a request failed.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var source: PullOptions

    func validate() throws { _ = try source.validated() }

    func run() async throws {
        let logger = global.logger()
        let database = try global.database()
        let connection = try database.connectMigrated()
        let puller = try source.puller(logger: logger)
        let lock = puller.lockName
        guard try AdvisoryLock.tryLockFile(lock, on: connection) else {
            printError("pull: another mailhound is pulling this tenant now; nothing done")
            throw ExitStatus.ok
        }
        defer { try? AdvisoryLock.unlockFile(lock, on: connection) }
        let summary = try puller.pull(
            source.plan(tenantID: puller.tenantID, contentTypes: puller.contentTypes), connection: connection,
            logger: logger)
        summary.report()
        throw summary.exitStatus
    }
}

extension PullSummary {
    /// Errors, reach warnings and the summary line on stderr, escaped: service text is outside input.
    func report() {
        for type in subscriptionsStarted {
            printError("pull: started the \(type) subscription; its first content can take up to 12 hours")
        }
        for start in unreachable {
            printError(
                "warning: \(start.source) before \(start.from.formatted(.iso8601)) is past the API's "
                    + "\(start.reachDays)-day reach (asked from \(start.askedFrom.formatted(.iso8601))): \(start.elsewhere)"
            )
        }
        for failure in failures {
            printError("error: " + SafeText.terminal(failure.headline))
            if let hint = failure.hint { printError("hint: " + SafeText.terminal(hint)) }
        }
        printError("pull: " + line)
    }

    var exitStatus: ExitCode {
        if !failures.isEmpty || !ingest.failures.isEmpty { return ExitStatus.error }
        return ingest.quarantined > 0 || blobsExpired > 0 || blobsRefused > 0 ? ExitStatus.partial : ExitStatus.ok
    }
}
