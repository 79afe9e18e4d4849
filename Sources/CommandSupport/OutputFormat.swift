import ArgumentParser
import Foundation
import PostgresClient
import Rankings
import Reports

#if canImport(Glibc)
    import Glibc
#endif

/// `--format` of every command that prints a report.
public struct OutputFormat: ParsableArguments {
    @Option(help: "table, json, jsonl (one object a line) or csv.")
    public var format: SessionReport.Format = .table

    @Flag(help: "Tables print whole cells, however wide (as they do when output is not a terminal).")
    public var wide = false

    @OptionGroup public var times: DisplayZone

    public init() {}

    /// Times this command prints appear in the --tz zone (mailhound.display_text).
    public func showTimes(on connection: Connection) throws {
        try times.showTimes(on: connection)
    }

    /// The width tables fit: unlimited with --wide.
    public var width: Int { wide ? .max : terminalWidth() }
}

/// `--tz`: the zone times are shown in; storage stays UTC.
public struct DisplayZone: ParsableArguments {
    @Option(
        name: .customLong("tz"),
        help: ArgumentHelp(
            "Show times in this IANA zone, e.g. Europe/Berlin (stored times stay UTC).", valueName: "zone"))
    public var zone: String?

    public init() {}

    public func validate() throws {
        if let zone, TimeZone(identifier: zone) == nil {
            throw ValidationError("unknown --tz \(zone): use an IANA name such as Europe/Berlin or UTC")
        }
    }

    /// Sets mailhound.display_zone for this connection, which mailhound.display_text reads.
    public func showTimes(on connection: Connection) throws {
        guard let zone else { return }
        try connection.execute("select set_config('mailhound.display_zone', \(zone), false)")
    }
}

/// The terminal's width; else `COLUMNS`; else, when output goes to a file or a pipe, no limit:
/// a table written there keeps every cell whole.
public func terminalWidth() -> Int {
    var size = winsize()
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0,
        size.ws_col > 20
    {
        return Int(size.ws_col)
    }
    return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? .max
}

public func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

extension Severity: ExpressibleByArgument {}

extension RankedAccount.Role: ExpressibleByArgument {}

extension SessionReport.Format: ExpressibleByArgument {}
