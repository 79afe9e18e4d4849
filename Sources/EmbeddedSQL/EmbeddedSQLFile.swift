/// One file of `sql/` as it was when the binary was built (see the EmbedSQLPlugin build plugin).
public struct EmbeddedSQLFile: Sendable {
    /// The folder under `sql/`, e.g. `detectors`.
    public let folder: String
    /// The file name, e.g. `off-hours.sql`.
    public let name: String
    /// The file's text, byte for byte.
    public let text: String

    public init(folder: String, name: String, text: String) {
        self.folder = folder
        self.name = name
        self.text = text
    }
}
