import ArgumentParser
import AuditSources
import Foundation
import Ingest
import Logging
import PostgresClient
import Reports
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// How to read the inputs: shared by `ingest` and `worker`.
public struct ReadingOptions: ParsableArguments {
    @Option(help: "Tenant name for on-premises sources, records without an OrganizationId and quarantined records.")
    public var tenant = "default"

    @Option(help: "Format of every input: auto (recognize from content), \(formatNames).")
    public var source = "auto"

    @Option(
        help: "IANA time zone of the local times in mailbox and admin audit exports, e.g. Europe/Berlin (default UTC).")
    public var timezone: String?

    @Option(
        help: "Order of culture-formatted dates such as 3/2/2021: mdy or dmy (default: proven by the file's own dates)."
    )
    public var dateOrder: String?

    @Option(help: "Records per batch: each batch commits in one transaction with its checkpoint.")
    public var batchRecords = 20_000

    @Option(
        help: ArgumentHelp(
            "Longest record read, e.g. 64MiB: a longer one is quarantined with its first and last 4 KiB.",
            valueName: "size"))
    public var maxRecordSize = RecordSize(bytes: 16 << 20)

    public init() {}

    public static var formatNames: String { SourceFormat.allCases.map(\.rawValue).joined(separator: ", ") }

    public func validate() throws {
        guard batchRecords > 0 else { throw ValidationError("--batch-records must be positive") }
        guard maxRecordSize.bytes >= 64 << 10 else { throw ValidationError("--max-record-size must be at least 64KiB") }
    }

    /// The ingest settings these options name; the caller adds its own (reload, stop...).
    public func ingestorOptions() throws -> Ingestor.Options {
        var options = Ingestor.Options()
        options.read = try readOptions()
        options.batchRecords = batchRecords
        return options
    }

    private func readOptions() throws -> ReadOptions {
        var options = ReadOptions(tenant: tenant)
        options.recordLimit = maxRecordSize
        if source != "auto" {
            guard let format = SourceFormat(rawValue: source) else {
                throw ValidationError("unknown --source \(source): use auto, \(Self.formatNames)")
            }
            options.format = format
        }
        if let timezone {
            guard let zone = TimeZone(identifier: timezone) else {
                throw ValidationError("unknown --timezone \(timezone): use an IANA name such as Europe/Berlin or UTC")
            }
            options.timeZone = zone
        }
        if let dateOrder {
            guard let order = DateOrder(rawValue: dateOrder) else {
                throw ValidationError("--date-order must be mdy or dmy")
            }
            options.dateOrder = order
        }
        return options
    }
}

/// The ingest step shared by `ingest` and `demo`: progress on a terminal, quarantine notes and the
/// summary line on stderr.
public enum IngestRun {
    public static func run(
        paths: [String], options: Ingestor.Options, connection: Connection, logger: Logger
    ) throws -> IngestSummary {
        let inputs = try InputFile.expand(paths)
        let showProgress = isatty(STDERR_FILENO) == 1
        let notes = QuarantineNotes()
        let progress: (@Sendable (Ingestor.Progress) -> Void)? = showProgress ? ProgressBar.draw : nil
        let ingestor = Ingestor(
            connection: connection, options: options, logger: logger, progress: progress,
            quarantineReport: { notes.report($0) })
        let summary = try ingestor.ingest(inputs)
        if showProgress { ProgressBar.clear() }
        notes.finish()
        for failure in summary.failures {
            printError("error: " + SafeText.terminal(failure.description))
        }
        printError("ingest: " + summary.line)
        return summary
    }
}

extension IngestSummary {
    /// `error` when a file failed, `partial` when records were quarantined.
    public var exitStatus: ExitCode {
        if !failures.isEmpty { return ExitStatus.error }
        return quarantined > 0 ? ExitStatus.partial : ExitStatus.ok
    }
}

/// Prints the first quarantined records as they are found, then how many more there were.
final class QuarantineNotes: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let shown = 20

    func report(_ record: QuarantinedRecord) {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        if count <= shown { printError(SafeText.terminal(record.description)) }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if count > shown {
            printError(
                "… and \(count - shown) more quarantined records (select * from analyst.quarantine)")
        }
    }
}

enum ProgressBar {
    static func draw(_ progress: Ingestor.Progress) {
        var text = "\r[\(progress.fileIndex + 1)/\(progress.fileCount)] "
        if let size = progress.fileSize, size > 0 {
            let fraction = min(1, Double(progress.bytesRead) / Double(size))
            let filled = Int(fraction * 30)
            text +=
                "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled)
                + "] "
            text += String(format: "%3.0f%% ", fraction * 100)
        }
        text +=
            "\(progress.recordsRead) records  "
            + SafeText.truncated(SafeText.terminal(progress.file), to: 40)
        FileHandle.standardError.write(Data((text + "\u{1B}[K").utf8))
    }

    static func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

extension RecordSize: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }

    public var defaultValueDescription: String { description.replacingOccurrences(of: " ", with: "") }
}
