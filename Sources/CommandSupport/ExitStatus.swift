import ArgumentParser

/// The exit codes of mailhound and mailhound-lab, one meaning each; the README's "Exit codes"
/// table lists them. ArgumentParser exits 64 on a usage error by itself.
public enum ExitStatus {
    /// Done, nothing to report.
    public static let ok = ExitCode(0)
    /// An error: a file could not be read, the database failed.
    public static let error = ExitCode(1)
    /// Finished, but some input was set aside: quarantined records, malformed lines.
    public static let partial = ExitCode(2)
    /// `detect --fail-on` found a ranked session in that severity band or above.
    public static let alert = ExitCode(3)
    /// The session or allow-list entry named does not exist.
    public static let notFound = ExitCode(4)
    /// `db status`: the embedded cluster is not running.
    public static let stopped = ExitCode(5)
}
