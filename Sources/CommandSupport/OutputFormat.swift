import ArgumentParser
import Foundation
import Rankings
import Reports

#if canImport(Glibc)
    import Glibc
#endif

/// `--format` of every command that prints a report.
public struct OutputFormat: ParsableArguments {
    @Option(help: "table, json or csv.")
    public var format: SessionReport.Format = .table

    public init() {}
}

/// The terminal's width, `COLUMNS`, or 120 when output is not a terminal.
public func terminalWidth() -> Int {
    var size = winsize()
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0,
        size.ws_col > 20
    {
        return Int(size.ws_col)
    }
    return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 120
}

public func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

extension Severity: ExpressibleByArgument {}

extension RankedAccount.Role: ExpressibleByArgument {}

extension SessionReport.Format: ExpressibleByArgument {}
