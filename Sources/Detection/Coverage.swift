import PostgresClient

/// The blind windows of the loaded data (`mailhound.blind_windows`), rebuilt by detect and coverage.
public enum CoverageRefresh {
    /// Rebuilds the blind windows from the loaded data and returns how many there are.
    @discardableResult
    public static func refresh(_ connection: Connection) throws -> Int {
        try connection.execute("select mailhound.refresh_coverage() as found").rows.first?.int("found") ?? 0
    }
}
