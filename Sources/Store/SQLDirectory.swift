import EmbeddedSQL
import Foundation

/// The folders of `sql/`, in the order `migrate` applies the first three.
public enum SQLFolder: String, CaseIterable, Sendable {
    /// Tables, columns, indexes and data moves: applied once each, frozen once landed.
    case migrations
    /// One current definition of each function, installed whenever the folder's text changes.
    case functions
    /// The `analyst` views, installed whenever the folder's text changes.
    case views
    /// One detector a file, run by `detect`.
    case detectors
    /// One chain a file, run by `detect` after the detectors.
    case chains
}

/// The `sql/` tree mailhound runs: the copy built into the binary, or a folder named by
/// `MAILHOUND_SQL_DIR` for analysts who edit detectors. Either way an analyst reads and runs
/// exactly the text mailhound runs (`analyst.detectors` keeps it).
public struct SQLDirectory: Sendable {
    /// Where the files come from.
    public enum Origin: Sendable, Equatable {
        case builtIn
        case folder(URL)
    }

    public let origin: Origin

    /// The files built into this binary from the package's `sql/`.
    public static let builtIn = SQLDirectory(origin: .builtIn)

    public init(root: URL) { origin = .folder(root) }

    private init(origin: Origin) { self.origin = origin }

    /// `$MAILHOUND_SQL_DIR` when set, else the built-in files.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> SQLDirectory {
        if let configured = environment["MAILHOUND_SQL_DIR"], !configured.isEmpty {
            return SQLDirectory(root: URL(fileURLWithPath: configured))
        }
        return .builtIn
    }

    /// Where the files are, as users would name it.
    public var description: String {
        switch origin {
        case .builtIn: "the sql/ built into mailhound"
        case .folder(let root): root.path
        }
    }

    /// The `.sql` files of a folder, sorted by name; none when a configured tree lacks the folder.
    public func files(in folder: SQLFolder) throws -> [SQLFile] {
        switch origin {
        case .builtIn:
            return embeddedSQLFiles.filter { $0.folder == folder.rawValue }
                .map { SQLFile(name: $0.name, text: $0.text) }
                .sorted { $0.name < $1.name }
        case .folder(let root):
            let directory = root.appendingPathComponent(folder.rawValue)
            guard FileManager.default.fileExists(atPath: directory.path) else {
                if folder == .migrations {
                    throw StoreError(
                        "\(root.path) has no migrations folder",
                        hint: "MAILHOUND_SQL_DIR must name a copy of mailhound's sql/ folder, or be unset")
                }
                return []
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".sql") }
                .sorted()
            return try names.map { name in
                SQLFile(
                    name: name,
                    text: try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
            }
        }
    }
}

/// One SQL file's name and text.
public struct SQLFile: Sendable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// SHA-256 of the text as UTF-8, in hex: what `mailhound.schema_migrations` records.
    public var sha256: String { SHA256Digest.hex(of: Array(text.utf8)) }
}

/// A store-level failure with an optional hint of what to do.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String {
        hint.map { "\(message)\nhint: \($0)" } ?? message
    }
}
