import ArgumentParser
import CommandSupport
import Foundation
import Logging
import PostgresClient
import Simulation
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// The crash matrix: kills a mailhound process, its PostgreSQL backend or the postmaster at many
/// points of a run, runs again, and compares with a clean run.
struct BenchCrash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash",
        abstract:
            "Kill ingest, the worker and detect (or their backend, or the postmaster) mid-run; the re-run must equal a clean run.",
        discussion: """
            Writes a simulated tenant, loads it cleanly (ingest, then detect) into a scratch database of the \
            embedded cluster and takes its fingerprint: the events' md5, the findings and the top of the ranking. \
            Then, for each process and victim, --kills times: a fresh database, the process started, killed \
            (SIGKILL to the process, pg_terminate_backend to its backend, or SIGKILL to the postmaster, which is \
            started again) at a point spread evenly over the clean run's time, then the same command run again to \
            the end (ingest and detect, the worker's one pass, detect) and the fingerprint compared. Each kill is \
            labelled with what the backend was doing then (COPY, a detector, client-side parsing...). Runs only on \
            the embedded cluster: it kills and restarts its postmaster.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var tenant: SimulatedTenantOptions

    @Option(help: "Kill points per process and victim.")
    var kills = 20

    @Option(help: "Processes to kill, comma-separated: ingest, worker, detect.")
    var processes = "ingest,worker,detect"

    @Option(help: "What is killed, comma-separated: client (the mailhound process), backend, postmaster.")
    var victims = "client,backend,postmaster"

    func validate() throws {
        try global.requireEmbeddedCluster(for: "bench crash", because: "it kills and restarts the postmaster")
        guard kills > 0 else { throw ValidationError("--kills must be positive") }
    }

    func run() async throws {
        let processList = try commaSeparated(processes, invalid: "processes: ingest, worker, detect") {
            CrashProcess(rawValue: $0)
        }
        let victimList = try commaSeparated(victims, invalid: "victims: client, backend, postmaster") {
            CrashVictim(rawValue: $0)
        }
        let logger = global.logger()
        let cluster = try EmbeddedCluster.standard()
        try cluster.start(logger: logger)
        let folder = try BenchFolder(nil, label: "crash")
        defer { folder.removeIfTemporary() }
        let truth = try tenant.simulated.write(to: folder.url)
        let lab = CrashLab(
            cluster: cluster, logs: folder.url.appendingPathComponent("logs").path, tenant: truth.tenant,
            logger: logger)

        let (reference, timings) = try lab.cleanRun()
        guard try lab.cleanRun().fingerprint == reference else {
            throw ValidationError("two clean runs differ: the fingerprint is not deterministic, nothing to compare")
        }
        printError(
            "clean run: \(reference.events) events, \(reference.findings) findings; "
                + timings.map { "\($0.key.rawValue) \($0.value.formatted2) s" }.sorted().joined(separator: ", "))

        var rows: [CrashRow] = []
        for process in processList {
            for victim in victimList {
                var row = CrashRow(process: process, victim: victim)
                for point in 1...kills {
                    let delay = (Double(point) - 0.5) / Double(kills) * (timings[process] ?? 1)
                    let outcome = try lab.killAndRerun(process, victim: victim, after: delay, reference: reference)
                    row.add(outcome)
                    if !outcome.equal {
                        printError(
                            "  \(process.rawValue)/\(victim.rawValue) at \(delay.formatted2) s (\(outcome.phase)): \(outcome.difference)"
                        )
                    }
                }
                print(row.line)
                rows.append(row)
            }
        }
        let equal = rows.map(\.equal).reduce(0, +)
        let total = rows.map(\.kills).reduce(0, +)
        print(
            "\nmailhound-lab bench crash: \(total) kills, \(equal) re-runs equal to the clean run; "
                + tenant.description)
        if equal < total { throw ExitCode.failure }
    }
}

enum CrashProcess: String {
    case ingest, worker, detect
}

enum CrashVictim: String {
    case client, backend, postmaster
}

/// One line of the matrix: a process and a victim, its kills, how many re-runs equalled the clean run,
/// and the phases the kills landed in.
struct CrashRow {
    let process: CrashProcess
    let victim: CrashVictim
    var kills = 0
    var equal = 0
    var phases: [String: Int] = [:]

    mutating func add(_ outcome: CrashOutcome) {
        kills += 1
        equal += outcome.equal ? 1 : 0
        phases[outcome.phase, default: 0] += 1
    }

    var line: String {
        let spread = phases.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        return "\(process.rawValue) / \(victim.rawValue): \(equal)/\(kills) equal; killed during \(spread)"
    }
}

struct CrashOutcome {
    var phase: String
    var equal: Bool
    var difference: String
}

/// What a run leaves in the database that must not depend on crashes.
struct CrashFingerprint: Equatable {
    var events = 0
    var findings = 0
    var digests: [String: String] = [:]

    static let queries: [(String, String)] = [
        (
            "events",
            "select md5(string_agg(tenant || ' ' || record_id || ' ' || md5(raw), ',' order by tenant, record_id)) from analyst.mailbox_events"
        ),
        (
            "web requests",
            "select md5(string_agg(tenant || ' ' || request_key || ' ' || md5(raw), ',' order by tenant, request_key)) from analyst.web_requests"
        ),
        (
            "quarantine",
            "select md5(string_agg(source_file || ':' || source_line || ' ' || reason, ',' order by source_file, source_offset, reason)) from mailhound.quarantine"
        ),
        (
            "sessions",
            "select md5(string_agg(session_id || ' ' || first_seen || ' ' || last_seen, ',' order by tenant, session_id)) from mailhound.sessions"
        ),
        (
            "findings",
            "select md5(string_agg(session_id || ' ' || detector_id || ' ' || points || ' ' || reason, ',' order by tenant, session_id, detector_id)) from mailhound.findings"
        ),
        (
            "ranking",
            "select md5(string_agg(session_id || ' ' || score, ',' order by rank)) from (select * from analyst.ranked_sessions order by rank limit 50) as top"
        ),
    ]

    init(_ connection: Connection) throws {
        for (name, _) in Self.queries {
            digests[name] = try Self.digest(name, on: connection)
        }
        let counts = try connection.execute(
            "select (select count(*) from mailhound.events) as events, (select count(*) from mailhound.findings) as findings"
        ).rows.first
        events = counts?.int("events") ?? 0
        findings = counts?.int("findings") ?? 0
    }

    /// One of the digests above (`events`, `web requests`...), as the database holds it now.
    static func digest(_ name: String, on connection: Connection) throws -> String {
        let sql = queries.first { $0.0 == name }?.1 ?? "select null"
        return try connection.execute(Query(unsafeSQL: sql, name: name)).value(row: 0, column: 0) ?? "none"
    }

    /// `findings differ (41 where the clean run has 43)`
    func difference(from reference: CrashFingerprint) -> String {
        let names = Self.queries.map(\.0).filter { digests[$0] != reference.digests[$0] }
        return names.isEmpty
            ? "equal"
            : names.joined(separator: ", ")
                + " differ (events \(events)/\(reference.events), findings \(findings)/\(reference.findings))"
    }
}

/// Runs mailhound against scratch databases of the embedded cluster, kills it, and compares.
struct CrashLab {
    let cluster: EmbeddedCluster
    let logs: String
    let tenant: String
    let logger: Logger
    let database = "mailhound_crash"
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("mailhound").path

    /// The arguments of each process's run, and of what completes it after a kill.
    func arguments(_ process: CrashProcess) -> [[String]] {
        let url = ["--database-url", cluster.conninfo(database: database)]
        let ingest = ["ingest", "--tenant", tenant, logs] + url
        switch process {
        case .ingest: return [ingest, ["detect"] + url]
        case .worker: return [["worker", "--once", "--tenant", tenant, "--watch", logs] + url]
        case .detect: return [["detect"] + url]
        }
    }

    /// A clean load and detection: the fingerprint, and how long each process's run took.
    func cleanRun() throws -> (fingerprint: CrashFingerprint, timings: [CrashProcess: Double]) {
        var timings: [CrashProcess: Double] = [:]
        try freshDatabase()
        timings[.ingest] = try timed(arguments(.ingest)[0])
        timings[.detect] = try timed(arguments(.detect)[0])
        let fingerprint = try CrashFingerprint(try connect())
        try freshDatabase()
        timings[.worker] = try timed(arguments(.worker)[0])
        return (fingerprint, timings)
    }

    func killAndRerun(
        _ process: CrashProcess, victim: CrashVictim, after delay: Double, reference: CrashFingerprint
    ) throws -> CrashOutcome {
        try freshDatabase()
        if process == .detect { try run(arguments(.ingest)[0]) }
        let child = try start(arguments(process)[0])
        usleep(useconds_t(delay * 1_000_000))
        let phase = (try? self.phase()) ?? "unknown"
        switch victim {
        case .client:
            kill(child.processIdentifier, SIGKILL)
        case .backend:
            let admin = try connect(database: "postgres")
            try admin.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = \(database) and pid <> pg_backend_pid()"
            )
        case .postmaster:
            try killPostmaster()
        }
        waitOrKill(child, seconds: 60)
        if victim == .postmaster { try restartCluster() }
        for step in arguments(process) { try run(step) }
        let after = try CrashFingerprint(try connect())
        return CrashOutcome(
            phase: victim == .client && child.terminationReason == .exit ? "finished before the kill" : phase,
            equal: after == reference, difference: after.difference(from: reference))
    }

    /// What the run's backend is doing: the statement's first words, or the client's own work.
    private func phase() throws -> String {
        let activity = try connect(database: "postgres").execute(
            """
            select state, regexp_replace(regexp_replace(query, '--[^\\n]*\\n', ' ', 'g'), '\\s+', ' ', 'g') as query
            from pg_stat_activity
            where datname = \(database) and backend_type = 'client backend'
            order by backend_start desc
            limit 1
            """
        ).rows.first
        guard let activity else { return "connecting or exiting" }
        switch activity["state"] {
        case "active":
            let query = (activity["query"] ?? "").trimmingCharacters(in: .whitespaces)
            // A statement shown cut short within its comments: the baseline migration's header.
            if query.hasPrefix("--") { return "migration" }
            let words = query.split(separator: " ")
            let label = words.prefix(words.first?.lowercased() == "copy" ? 2 : 3).joined(separator: " ")
            return label.count > 40 ? String(label.prefix(39)) + "…" : label
        case "idle in transaction": return "client work in a transaction (parse, encode)"
        default: return "client work (parse, plan)"
        }
    }

    private func killPostmaster() throws {
        let pidFile = cluster.dataDirectory.appendingPathComponent("postmaster.pid")
        let text = try String(contentsOf: pidFile, encoding: .utf8)
        guard let pid = text.split(separator: "\n").first.flatMap({ Int32($0) }) else {
            throw ValidationError("no postmaster pid in \(pidFile.path)")
        }
        kill(pid, SIGKILL)
    }

    /// Starts the cluster again once the killed postmaster's backends are gone.
    private func restartCluster() throws {
        let deadline = Date().addingTimeInterval(60)
        while true {
            do {
                try cluster.start(logger: logger)
                _ = try connect(database: "postgres")
                return
            } catch  where Date() < deadline {
                usleep(200_000)
            }
        }
    }

    private func freshDatabase() throws {
        let admin = try connect(database: "postgres")
        try admin.executeScript("drop database if exists \(database) with (force)", name: "drop")
        try admin.executeScript("create database \(database)", name: "create")
    }

    private func connect(database name: String? = nil) throws -> Connection {
        try Connection(conninfo: cluster.conninfo(database: name ?? database))
    }

    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func waitOrKill(_ process: Process, seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs to the end; exit 0 or 2 (records quarantined) are fine, anything else stops the bench.
    private func run(_ arguments: [String]) throws {
        let process = try start(arguments)
        waitOrKill(process, seconds: 600)
        guard process.terminationReason == .exit, [0, 2].contains(process.terminationStatus) else {
            throw ValidationError(
                "mailhound \(arguments.first ?? "") failed after a kill: exit \(process.terminationStatus)")
        }
    }

    private func timed(_ arguments: [String]) throws -> Double {
        let started = Date()
        try run(arguments)
        return Date().timeIntervalSince(started)
    }
}
