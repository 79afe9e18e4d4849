import Foundation

/// The `sql/` tree (migrations, views, detectors) that the binary reads at run time, so an
/// analyst reads and runs exactly the files mailhound runs.
public struct SQLDirectory: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public var migrations: URL { root.appendingPathComponent("migrations") }
    public var views: URL { root.appendingPathComponent("views") }
    public var detectors: URL { root.appendingPathComponent("detectors") }
    public var chains: URL { root.appendingPathComponent("chains") }
    public var tests: URL { root.appendingPathComponent("tests") }

    /// Finds `sql/`: `$MAILHOUND_SQL_DIR`, then `share/mailhound/sql` beside the binary's prefix,
    /// then the nearest `sql/migrations` above the binary or the working directory.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws
        -> SQLDirectory
    {
        if let configured = environment["MAILHOUND_SQL_DIR"], !configured.isEmpty {
            return SQLDirectory(root: URL(fileURLWithPath: configured))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
            .resolvingSymlinksInPath()
        var candidates = [
            executable.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("share/mailhound/sql")
        ]
        for start in [
            executable.deletingLastPathComponent(),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        ] {
            var directory = start.standardizedFileURL
            while directory.path != "/" {
                candidates.append(directory.appendingPathComponent("sql"))
                directory = directory.deletingLastPathComponent()
            }
        }
        for candidate in candidates
        where FileManager.default.fileExists(
            atPath: candidate.appendingPathComponent("migrations").path)
        {
            return SQLDirectory(root: candidate)
        }
        throw StoreError(
            "cannot find the sql/ directory", hint: "set MAILHOUND_SQL_DIR to the sql folder of mailhound"
        )
    }

    /// The `.sql` files of a folder, sorted by name.
    public func files(in folder: URL) throws -> [SQLFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        return try names.map { name in
            let url = folder.appendingPathComponent(name)
            return SQLFile(name: name, text: try String(contentsOf: url, encoding: .utf8))
        }
    }
}

/// One SQL file's name and text.
public struct SQLFile: Sendable {
    public var name: String
    public var text: String
}

/// A store-level failure with an optional hint of what to do.
public struct StoreError: Error, Sendable, CustomStringConvertible {
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
