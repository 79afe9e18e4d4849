import Foundation
import Logging
import PostgresClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A private PostgreSQL cluster of the installed server: data and Unix socket in one 0700
/// directory, no TCP listener, trust authentication for the one superuser. When mailhound runs
/// as root the server runs as an unprivileged user, because initdb and postgres refuse root.
public struct EmbeddedCluster: Sendable {
    public let root: URL
    public let binDirectory: URL
    /// The account the server runs as when we are root; nil otherwise.
    public let serverUser: String?
    public static let superuser = "mailhound"

    public var dataDirectory: URL { root.appendingPathComponent("pgdata") }
    public var socketDirectory: URL { root.appendingPathComponent("run") }
    public var logFile: URL { root.appendingPathComponent("postgres.log") }

    public init(root: URL, binDirectory: URL, serverUser: String?) {
        self.root = root
        self.binDirectory = binDirectory
        self.serverUser = serverUser
    }

    /// The default cluster: `$MAILHOUND_HOME`, else `$XDG_DATA_HOME/mailhound`, else
    /// `~/.local/share/mailhound`; as root `/var/lib/mailhound`, which the server's user can reach.
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws
        -> EmbeddedCluster
    {
        let isRoot = geteuid() == 0
        let root: URL
        if let home = environment["MAILHOUND_HOME"], !home.isEmpty {
            root = URL(fileURLWithPath: home)
        } else if isRoot {
            root = URL(fileURLWithPath: "/var/lib/mailhound")
        } else if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            root = URL(fileURLWithPath: data).appendingPathComponent("mailhound")
        } else {
            root = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(
                ".local/share/mailhound")
        }
        return EmbeddedCluster(
            root: root, binDirectory: try locateServerBinaries(environment: environment),
            serverUser: isRoot ? unprivilegedUser() : nil)
    }

    /// Finds initdb/pg_ctl: `$MAILHOUND_PG_BIN`, `pg_config --bindir`'s neighbours, the newest
    /// `/usr/lib/postgresql/*/bin`, then `PATH`.
    public static func locateServerBinaries(
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws -> URL
    {
        let manager = FileManager.default
        var candidates: [URL] = []
        if let configured = environment["MAILHOUND_PG_BIN"] {
            candidates.append(URL(fileURLWithPath: configured))
        }
        if let versions = try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            let newestFirst = versions.compactMap(Int.init).sorted(by: >)
            candidates += newestFirst.map { URL(fileURLWithPath: "/usr/lib/postgresql/\($0)/bin") }
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            candidates.append(URL(fileURLWithPath: String(directory)))
        }
        for candidate in candidates
        where manager.isExecutableFile(atPath: candidate.appendingPathComponent("initdb").path)
            && manager.isExecutableFile(atPath: candidate.appendingPathComponent("pg_ctl").path)
        {
            return candidate.resolvingSymlinksInPath()
        }
        throw StoreError(
            "no PostgreSQL server found (initdb and pg_ctl)",
            hint:
                "install it (Debian: apt-get install postgresql), set MAILHOUND_PG_BIN, or pass --database-url"
        )
    }

    private static func unprivilegedUser() -> String {
        getpwnam("postgres") != nil ? "postgres" : "nobody"
    }

    /// libpq connection string for a database of this cluster (socket only).
    public func conninfo(database: String) -> String {
        "host='\(socketDirectory.path)' user=\(Self.superuser) dbname='\(database)'"
    }

    /// A `postgresql://` URL for the same, for psql and notebooks.
    public func url(database: String) -> String {
        let host =
            socketDirectory.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "postgresql://\(Self.superuser)@/\(database)?host=\(host)"
    }

    public var isRunning: Bool {
        (try? run("pg_ctl", ["-D", dataDirectory.path, "status"], allowFailure: true)) == 0
    }

    /// Creates the cluster on first use and starts it if it is not running.
    public func start(logger: Logger) throws {
        try withLock {
            let manager = FileManager.default
            if !manager.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
                logger.info("creating the embedded PostgreSQL cluster", metadata: ["path": "\(root.path)"])
                try prepareDirectories()
                try run(
                    "initdb",
                    [
                        "-D", dataDirectory.path, "-U", Self.superuser, "--auth=trust", "--encoding=UTF8",
                        "--locale=C", "--no-instructions",
                    ])
                try writeSettings()
            }
            if !isRunning {
                logger.info("starting the embedded PostgreSQL cluster", metadata: ["path": "\(root.path)"])
                rotateLog()
                try run(
                    "pg_ctl",
                    ["-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-s", "start"]
                        + serverOptions())
            }
        }
    }

    /// Settings given at each start, so that a cluster an earlier mailhound created gets them too,
    /// unless `alter system` chose them, which the server then keeps: the buffer cache sized to
    /// this machine (`ServerMemory`), so a cluster follows the machine it runs on; and full-page
    /// images in the WAL compressed with lz4 where the server was built with it. A day's load into
    /// a large tenant modifies index pages all over its keys, each first change after a checkpoint
    /// writing the whole page (1M records into 31M events: 9.7 GB of WAL and 29.6-32.8 s
    /// uncompressed, 3.9 GB and 25.9 s with lz4, 46.4 s with the slower pglz; a first load none).
    private func serverOptions() -> [String] {
        let chosen =
            (try? String(
                contentsOf: dataDirectory.appendingPathComponent("postgresql.auto.conf"), encoding: .utf8))?
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        var settings: [String] = []
        if !chosen.contains(where: { $0.hasPrefix("shared_buffers") }) {
            let megabytes = ServerMemory.sharedBuffersMegabytes(memoryBytes: ServerMemory.available())
            settings.append("-c shared_buffers=\(megabytes)MB")
        }
        if !chosen.contains(where: { $0.hasPrefix("wal_compression") }), serverBuiltWithLZ4() {
            settings.append("-c wal_compression=lz4")
        }
        return settings.isEmpty ? [] : ["-o", settings.joined(separator: " ")]
    }

    /// Whether `pg_config` beside the server says it was built with lz4; false when it cannot tell.
    private func serverBuiltWithLZ4() -> Bool {
        (try? runCapturing("pg_config", ["--configure"]))?.output.contains("--with-lz4") ?? false
    }

    /// The server appends to its log for as long as it runs; a log past 64 MB is kept as
    /// `postgres.log.1` (replacing the one before) and the server starts a new one. A duplicate met by
    /// a COPY is logged as an error with its statement, so months of loads would otherwise fill the disk.
    private func rotateLog() {
        let manager = FileManager.default
        guard let size = (try? manager.attributesOfItem(atPath: logFile.path))?[.size] as? Int, size > 64 << 20
        else { return }
        let previous = root.appendingPathComponent("postgres.log.1")
        try? manager.removeItem(at: previous)
        try? manager.moveItem(at: logFile, to: previous)
    }

    public func stop() throws {
        try withLock {
            if isRunning {
                try run("pg_ctl", ["-D", dataDirectory.path, "-w", "-s", "-m", "fast", "stop"])
            }
        }
    }

    /// Creates a database unless it exists.
    public func createDatabase(_ name: String, logger: Logger) throws {
        try start(logger: logger)
        let connection = try Connection(conninfo: conninfo(database: "postgres"))
        let exists =
            try connection.execute("select 1 from pg_database where datname = \(name)").rowCount > 0
        if !exists {
            try connection.executeScript(
                "create database \(quoteIdentifier(name))", name: "create database")
        }
    }

    private func prepareDirectories() throws {
        let manager = FileManager.default
        for directory in [root, socketDirectory] {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            chmod(directory.path, 0o700)
        }
        if let serverUser, let account = getpwnam(serverUser) {
            for path in [root.path, socketDirectory.path] {
                guard chown(path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
                    throw StoreError(
                        "cannot hand \(path) to user \(serverUser): \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    private func writeSettings() throws {
        // Private and local: no TCP, our own socket directory, WAL light enough for bulk loads
        // without giving up crash safety (fsync stays on).
        let settings = """

            # mailhound embedded cluster
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory.path)'
            unix_socket_permissions = 0700
            work_mem = 64MB
            maintenance_work_mem = 256MB
            wal_level = minimal
            max_wal_senders = 0
            max_wal_size = 4GB
            checkpoint_timeout = 15min
            log_min_messages = warning

            """
        let config = dataDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: config)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
    }

    /// Runs a server binary, as the server's user when we are root; returns its exit status.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], allowFailure: Bool = false) throws -> Int32 {
        try runCapturing(tool, arguments, allowFailure: allowFailure).status
    }

    /// `run`, with what the binary printed.
    private func runCapturing(
        _ tool: String, _ arguments: [String], allowFailure: Bool = false
    ) throws -> (status: Int32, output: String) {
        let binary = binDirectory.appendingPathComponent(tool).path
        // From `/`: the server's user may not be able to enter our working directory.
        let command =
            ["/usr/bin/env", "-C", "/"]
            + (serverUser.map { ["/usr/sbin/runuser", "-u", $0, "--", binary] } ?? [binary])
        // Output goes to a file, not a pipe: the server pg_ctl starts must not hold our pipe open.
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("mailhound-\(tool)-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }
        let status = try Subprocess.run(command + arguments, outputPath: outputPath)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        if status != 0, !allowFailure {
            let lastLines = output.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw StoreError(
                "\(tool) failed (exit \(status)): \(lastLines)",
                hint: tool == "pg_ctl" ? "see \(logFile.path)" : nil)
        }
        return (status, output)
    }

    /// Serializes cluster set-up between mailhound processes.
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let lockPath = root.appendingPathComponent(".lock").path
        let descriptor = open(lockPath, O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else {
            throw StoreError("cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}

/// Double-quotes an SQL identifier.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
