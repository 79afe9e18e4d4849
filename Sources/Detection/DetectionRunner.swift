import Foundation
import Logging
import PostgresClient
import Store
import Synchronization

/// Runs every detector: rebuilds the sessions new events can change (all of them in a full run),
/// judges again the sessions new records can change, keeps the other sessions' findings and records
/// the run. A failed run leaves the previous findings in place: it runs in one transaction, except
/// that a full run on one server commits the sessions it built (with the previous findings of those
/// still there) and what is kept of them before it judges them in a last one.
public struct DetectionRunner {
    public let sql: SQLDirectory
    public let logger: Logger
    /// Whether each detector runs once a tenant, its analyst views held to that tenant, rather than
    /// once for all: nil decides by the database, once a tenant on Citus (which runs a query whole
    /// only within one tenant's shards). Findings are the same either way.
    public let eachTenantAlone: Bool?
    /// Blocks of the events one part of a full run counts at most (`defaultBlocksPerPart`).
    public let blocksPerPart: Int

    public init(
        sql: SQLDirectory, logger: Logger, eachTenantAlone: Bool? = nil,
        blocksPerPart: Int = Self.defaultBlocksPerPart
    ) {
        self.sql = sql
        self.logger = logger
        self.eachTenantAlone = eachTenantAlone
        self.blocksPerPart = max(1, blocksPerPart)
    }

    public enum Mode: String, Sendable {
        /// Every session rebuilt from every event, and judged.
        case full
        /// Only the sessions of groups with events stored since the previous successful run are
        /// rebuilt, and only those new records can change are judged; a full run when there is none.
        case incremental
    }

    /// Which sessions get findings: those active at or after `since` and begun before `until`
    /// (timestamptz text; nil leaves that side open). Baselines still read all earlier data, so an
    /// old incident can be replayed against the history before it.
    public struct Window: Sendable, Equatable {
        public var since: String?
        public var until: String?
        /// Days of history before a session or day that baselines compare it with.
        public var baselineDays: Int

        public init(since: String? = nil, until: String? = nil, baselineDays: Int = 30) {
            self.since = since
            self.until = until
            self.baselineDays = baselineDays
        }
    }

    public struct Summary: Sendable, Equatable {
        public var runID: Int
        public var mode: Mode
        public var sessionsRebuilt: Int
        /// Sessions beginning at or after this time were judged (`-infinity`: all; `infinity`: none).
        public var judgedFrom: String
        public var events: Int
        public var sessions: Int
        public var findings: Int
        public var suppressed: Int
    }

    /// The detector files, then the chain files (which read the detectors' findings).
    public func loadDetectors() throws -> [DetectorFile] {
        let files =
            try sql.files(in: .detectors).map { try DetectorFile(fileName: $0.name, text: $0.text) }
            + sql.files(in: .chains).map { try DetectorFile(fileName: $0.name, text: $0.text, isChain: true) }
        var seen = Set<String>()
        for file in files where !seen.insert(file.id).inserted {
            throw DetectorFileError(file: file.fileName, reason: "duplicate detector id \(file.id)")
        }
        return files
    }

    public func run(
        _ connection: Connection, mode requested: Mode = .incremental, window: Window = Window()
    ) throws
        -> Summary
    {
        let detectors = try loadDetectors()
        // Sessions are cut through the group-key index: build it if a load that left it out died.
        try GroupKeyIndex.restore(on: connection)
        try GroupKeyIndex.fillMissingKeys(on: connection)
        // Rows of transactions the previous run could not see are new to it.
        let since =
            requested == .full
            ? nil
            : try connection.execute(
                """
                select snapshot::text from mailhound.detection_runs
                where status = 'succeeded' and snapshot is not null
                order by run_id desc limit 1
                """
            ).rows.first?["snapshot"]
        let mode: Mode = since == nil ? .full : .incremental
        let citus =
            try connection.execute("select exists (select 1 from pg_extension where extname = 'citus') as citus")
            .rows.first?["citus"] == "t"
        // Taken before the run reads anything, so it can only under-state what the run saw.
        let runID =
            try connection.execute(
                """
                insert into mailhound.detection_runs (mode, snapshot, window_from, window_until, baseline_days)
                values (\(mode.rawValue), pg_current_snapshot(), \(window.since)::timestamptz,
                    \(window.until)::timestamptz, \(window.baselineDays))
                returning run_id
                """
            ).rows.first?.int("run_id") ?? 0
        // A run on one server publishes the sessions it built before judging them, so that a
        // second connection can write beside it and run half the detectors (`judgeSideBySide`).
        // Citus, and a run held to one tenant at a time, judge in the one transaction.
        let publishes = !citus && eachTenantAlone != true
        do {
            // One run at a time per database: workers and a manual `detect` wait for each other. Held
            // by the session, as a run may commit more than once.
            try connection.execute("select pg_advisory_lock(\(AdvisoryLock.namespace), 0)")
            defer { _ = try? connection.execute("select pg_advisory_unlock(\(AdvisoryLock.namespace), 0)") }
            let summary = try connection.transaction {
                let prepared = try prepare(
                    connection, runID: runID, mode: mode, since: since, citus: citus, detectors: detectors,
                    publishing: publishes)
                // Readers see the new sessions with the findings of those that were there before
                // (sessions_from_parts; an incremental cut updates a session cut again in place)
                // until the last transaction commits; should it fail, the next run judges them. A
                // full run built in one transaction is small; an incremental one judges its day
                // side by side (30M events: its detectors 2.4-2.8 s in turn).
                let sideBySide = publishes && (prepared.inParts || mode == .incremental)
                if sideBySide {
                    try Self.commitAndBegin(connection, runID: runID, citus: citus, judgedFrom: prepared.judgedFrom)
                }
                return try judgeSessions(
                    connection, prepared, runID: runID, mode: mode, citus: citus, window: window,
                    detectors: detectors, sideBySide: sideBySide)
            }
            logger.info(
                "detection finished",
                metadata: [
                    "run": "\(runID)", "mode": "\(mode.rawValue)", "sessions": "\(summary.sessions)",
                    "rebuilt": "\(summary.sessionsRebuilt)", "findings": "\(summary.findings)",
                ])
            return summary
        } catch {
            let failedAt = try? connection.execute("select clock_timestamp()::text as at").rows.first?["at"]
            _ = try? connection.execute(
                "update mailhound.detection_runs set status = 'failed', finished_at = \(failedAt)::timestamptz where run_id = \(runID)"
            )
            throw error
        }
    }

    /// The earliest time of the records new to a run; nil when there are none.
    private struct EarliestNewRecord: Sendable {
        var at: String?
    }

    /// A snapshot the run's transaction exported, under which the parts of a full run count the
    /// events: together they count exactly the events it saw, which the coverage can then be
    /// counted from (`count_coverage_from_session_counts`).
    private struct SharedSnapshot: Sendable {
        /// What `set transaction snapshot` takes: hex digits and dashes.
        var id: String
        /// The snapshot itself (`pg_snapshot` text).
        var counted: String

        /// Exports the snapshot this transaction's next statement reads under; nil when the server
        /// names it in a form `set transaction snapshot` could not take as written.
        static func export(from connection: Connection) throws -> SharedSnapshot? {
            let row = try connection.execute(
                "select pg_export_snapshot() as id, pg_current_snapshot()::text as counted"
            ).rows.first
            guard let id = row?["id"], let counted = row?["counted"], !id.isEmpty,
                id.allSatisfy({ $0.isHexDigit || $0 == "-" })
            else { return nil }
            return SharedSnapshot(id: id, counted: counted)
        }

        /// Makes the transaction just begun on `connection` read under this snapshot.
        func `import`(on connection: Connection) throws {
            try connection.execute("set transaction isolation level repeatable read")
            // A literal, checked when exported: the statement takes no parameter.
            try connection.execute(Query(unsafeSQL: "set transaction snapshot '\(id)'", name: "import snapshot"))
        }
    }

    /// What the first part of a run built and decided, for the part that judges.
    private struct Prepared {
        /// Whether the sessions were built in parts on connections of their own.
        var inParts: Bool
        /// Whether the session counts were left for the housekeeping, for the run to empty.
        var countsLeft: Bool
        var rebuilt: Int, sessions: Int
        var judgedFrom: String, detectorJSON: String
        /// How another connection reaches the database as this one does.
        var settings: String
        var housekeeping: DispatchGroup
    }

    /// The settings each of a run's transactions works with (`set local`: gone at its end).
    private static func applyRunSettings(
        _ connection: Connection, runID: Int, citus: Bool, judgedFrom: String? = nil
    ) throws {
        // Sessions are cut by sorting events; a sort that fits in memory is several times faster.
        // The detectors' plans are costed high enough for JIT compilation, which spends half a
        // second to a second on each and wins less than that back (10M events: 66 s a full run
        // without, 79 s with).
        try connection.execute("set local work_mem = '256MB'")
        try connection.execute("set local jit = off")
        // Detectors look sessions up by index a few thousand times; costing each look-up as a read
        // from disk, the planner hashes every session instead. A run reads what it has just
        // written, from memory (10M events: the detectors 15.1 and 13.6 s against 17.0 and 17.3 s,
        // the incremental run 5.3 and 5.5 s against 7.2 and 6.6 s).
        try connection.execute("set local random_page_cost = 1.1")
        // On Citus, a run reads the reference table detection_runs and then empties and fills the
        // distributed findings that point to it, which Citus allows in one transaction only when
        // its multi-shard commands run one connection a node.
        if citus { try connection.execute("set local citus.multi_shard_modify_mode = 'sequential'") }
        try connection.execute(
            "select set_config('mailhound.baseline_days', baseline_days::text, true) from mailhound.detection_runs where run_id = \(runID)"
        )
        // What the run judges, once `judge` has decided it.
        if let judgedFrom {
            try connection.execute("select set_config('mailhound.judged_from', \(judgedFrom), true)")
        }
    }

    /// Commits what the run has done so far and begins the transaction the rest of it runs in,
    /// with the run's settings again.
    private static func commitAndBegin(_ connection: Connection, runID: Int, citus: Bool, judgedFrom: String) throws {
        try connection.commitAndBegin()
        try applyRunSettings(connection, runID: runID, citus: citus, judgedFrom: judgedFrom)
    }

    /// Rebuilds the sessions and what is kept of them for the detectors (the tenants' spans, the
    /// mailbox touches, the actors' days, the shared mailboxes), and decides what the run judges.
    private func prepare(
        _ connection: Connection, runID: Int, mode: Mode, since: String?, citus: Bool, detectors: [DetectorFile],
        publishing: Bool
    ) throws -> Prepared {
        try Self.applyRunSettings(connection, runID: runID, citus: citus)
        // The side connections (session parts, housekeeping, detectors) are made the way this one was.
        let settings = connection.settings()
        // On Citus an exported snapshot holds for the coordinator alone, not for the workers'
        // shards: its parts read as they come.
        let shared = mode == .full && !citus ? try SharedSnapshot.export(from: connection) : nil
        let inParts =
            try mode == .full
            && timed("session parts") { try buildSessionParts(settings: settings, citus: citus, shared: shared) }
        // The parts leave their counts under the shared snapshot for the housekeeping.
        let countedUnder = inParts ? shared : nil
        // The move or the incremental cut below runs on this connection alone: the housekeeping
        // takes the other core meanwhile.
        let (housekeeping, earliestNewRecord) = startHousekeeping(
            settings: settings, analyzeEvents: mode == .full, since: since, coverageCountedUnder: countedUnder)
        let rebuilt = try timed(inParts ? "sessions moved in" : "sessions cut") {
            try
                (inParts
                ? connection.execute("select mailhound.sessions_from_parts() as rebuilt")
                : connection.execute("select mailhound.rebuild_sessions(\(since)::pg_snapshot) as rebuilt"))
                .rows.first?.int("rebuilt") ?? 0
        }
        // A run that publishes its parts writes its totals and samples the sessions once it has
        // committed them (below), beside the actors' days, which take longest.
        let publishesParts = publishing && inParts
        let countedBeforePublishing = publishesParts ? nil : try writeRunTotals(connection, runID: runID, mode: mode)
        if let sessions = countedBeforePublishing {
            try refreshSessionStatistics(connection, rebuilt: rebuilt, sessions: sessions)
        }
        let hashes = try detectors.map { try store($0, on: connection) }
        let detectorList = zip(detectors, hashes).map { ["id": $0.id, "sha256": $1] }
        let detectorJSON = String(
            decoding: try JSONSerialization.data(withJSONObject: detectorList, options: [.sortedKeys]),
            as: UTF8.self)
        let judgedFrom = try timed("judged from") {
            try judge(
                connection, runID: runID, since: since, detectorJSON: detectorJSON,
                earliestNewRecord: since == nil ? nil : earliestNewRecord())
        }
        // A run that publishes its sessions commits them here; a second connection then writes the
        // actors' days while this one writes the tenants' spans and counts, the touches, the shared
        // mailboxes and the sessions' statistics, which fill the time the actors' days take. The
        // detectors read them all once the run commits again, after `prepare`.
        let actorDaysBeside: (() throws -> Bool)?
        if publishesParts {
            try timed("sessions published") {
                try Self.commitAndBegin(connection, runID: runID, citus: citus, judgedFrom: judgedFrom)
            }
            actorDaysBeside = writeActorDaysBeside(settings: settings, runID: runID, judgedFrom: judgedFrom)
        } else {
            actorDaysBeside = nil
        }
        // Should this connection fail first, the run still ends only once the other has.
        defer { _ = try? actorDaysBeside?() }
        let sessions = try countedBeforePublishing ?? writeRunTotals(connection, runID: runID, mode: mode)
        // The touches and the actors' days of the sessions judged, the others kept; the shared
        // mailboxes from the touches.
        try timed("mailbox touches") { try connection.execute("select mailhound.refresh_mailbox_touches()") }
        try timed("shared mailboxes") { try connection.execute("select mailhound.refresh_shared_mailboxes()") }
        if publishesParts { try refreshSessionStatistics(connection, rebuilt: rebuilt, sessions: sessions) }
        let writtenBeside = try actorDaysBeside.map { wait in try timed("actor days beside") { try wait() } } ?? false
        if !writtenBeside {
            try timed("actor days") { try connection.execute("select mailhound.refresh_actor_days()") }
        }
        return Prepared(
            inParts: inParts, countsLeft: countedUnder != nil, rebuilt: rebuilt, sessions: sessions,
            judgedFrom: judgedFrom, detectorJSON: detectorJSON,
            settings: settings, housekeeping: housekeeping)
    }

    /// Writes the run's span and size, the sums of the tenants' (an incremental cut kept the
    /// tenants' counts by difference: only their working hours are written again); returns the
    /// sessions. They are committed with the sessions they count: the next incremental run adds
    /// to them by difference.
    private func writeRunTotals(_ connection: Connection, runID: Int, mode: Mode) throws -> Int {
        try timed("run totals") {
            try connection.execute(
                mode == .full
                    ? "select mailhound.refresh_tenant_spans()" : "select mailhound.refresh_working_hours()")
            return try connection.execute(
                """
                update mailhound.detection_runs as r set (data_from, data_until, events, sessions) = (
                    select min(data_from), max(data_until), coalesce(sum(events), 0), coalesce(sum(sessions), 0)
                    from mailhound.tenant_spans
                )
                where r.run_id = \(runID)
                returning r.sessions
                """
            ).rows.first?.int("sessions") ?? 0
        }
    }

    /// Samples the sessions for the detectors' plans when the run rebuilt many of them: a few new
    /// sessions among many do not move the statistics.
    private func refreshSessionStatistics(_ connection: Connection, rebuilt: Int, sessions: Int) throws {
        guard rebuilt * 20 > sessions else { return }
        try timed("session statistics") {
            try connection.execute("select mailhound.refresh_statistics('mailhound.sessions')")
        }
    }

    /// Runs the detectors and the chains over what `prepare` built, scores the sessions and the
    /// accounts, and records the run.
    private func judgeSessions(
        _ connection: Connection, _ prepared: Prepared, runID: Int, mode: Mode, citus: Bool, window: Window,
        detectors: [DetectorFile], sideBySide: Bool
    ) throws -> Summary {
        try timed("stale findings") {
            // Every session judged: every finding goes, without looking its session up.
            if prepared.judgedFrom == "-infinity" {
                try connection.execute("delete from mailhound.findings")
            } else {
                try connection.execute(
                    Query(
                        unsafeSQL: """
                            delete from mailhound.findings where detector_id <> all(string_to_array($1, ','))
                            """, binds: [detectors.filter(\.judgesIncrementally).map(\.id).joined(separator: ",")],
                        name: "delete findings judged whole"))
                // Sessions the rebuild dropped took their findings with them (foreign key, on delete
                // cascade). The time is a subquery, computed once: Citus takes no stable function in
                // distributed DML.
                try connection.execute(
                    """
                    delete from mailhound.findings as f
                    using mailhound.sessions as s
                    where s.tenant = f.tenant and s.session_id = f.session_id and s.first_seen >= (select mailhound.judged_from())
                    """)
            }
            // The scores compare only the sessions whose findings this run can have changed: those it
            // judges, and those of the detectors it judges whole (refresh_session_scores).
            try connection.execute(
                Query(
                    unsafeSQL: "select set_config('mailhound.judged_whole', string_to_array($1, ',')::text, true)",
                    binds: [detectors.filter { !$0.judgesIncrementally }.map(\.id).joined(separator: ",")],
                    name: "name the detectors judged whole"))
        }
        try connection.execute("delete from mailhound.chains")
        let tenants = try tenantsRunAlone(connection, citus: citus)
        let hold = tenants == [nil] ? nil : try tenantHold(connection)
        let findingDetectors = detectors.filter { !$0.isChain }
        var stored = try timed("detectors") {
            sideBySide
                ? try judgeSideBySide(
                    findingDetectors, on: connection, runID: runID, settings: prepared.settings,
                    judgedFrom: prepared.judgedFrom)
                : try findingDetectors.reduce(0) {
                    try $0 + runInTurn($1, on: connection, runID: runID, tenants: tenants, hold: hold)
                }
        }
        for chain in detectors where chain.isChain {
            stored += try runInTurn(chain, on: connection, runID: runID, tenants: tenants, hold: hold)
        }
        if window.since != nil || window.until != nil {
            try connection.execute(
                """
                delete from mailhound.findings as f
                using mailhound.detection_runs as r, mailhound.sessions as s
                where r.run_id = \(runID) and s.tenant = f.tenant and s.session_id = f.session_id
                    and (s.last_seen < r.window_from or s.first_seen >= r.window_until)
                """)
            // A chain stays when any of its sessions is in the window.
            try connection.execute(
                """
                delete from mailhound.chains as c
                using mailhound.detection_runs as r
                where r.run_id = \(runID) and (c.last_seen < r.window_from or c.first_seen >= r.window_until)
                """)
        }
        let suppressed = try timed("allow-list and scores") { try AllowList.apply(connection) }
        // The rankings read these right after the run, before autovacuum would have sampled them;
        // a run that stored few findings against those sampled last does not move them (as for the
        // sessions above).
        try timed("finding statistics") {
            try connection.execute(
                """
                select mailhound.refresh_statistics(
                    'mailhound.findings', 'mailhound.chains', 'mailhound.session_scores', 'mailhound.account_scores')
                where \(mode == .full)::boolean
                    or \(stored)::bigint * 20 > (select reltuples from pg_class where oid = 'mailhound.findings'::regclass)
                """
            )
        }
        timed("housekeeping wait") { prepared.housekeeping.wait() }
        if prepared.countsLeft { try connection.execute("truncate mailhound.session_counts") }
        try timed("coverage") { try CoverageRefresh.refresh(connection) }
        // The values are read first: Citus updates its reference tables with constants only.
        let finished = try connection.execute(
            "select clock_timestamp()::text as at, (select count(*) from mailhound.findings) as findings"
        ).rows.first
        let totals = try connection.execute(
            """
            update mailhound.detection_runs set
                status = 'succeeded', finished_at = \(finished?["at"])::timestamptz, detectors = \(prepared.detectorJSON)::jsonb,
                sessions = \(prepared.sessions), sessions_rebuilt = \(prepared.rebuilt), findings = \(finished?.int("findings") ?? 0)
            where run_id = \(runID)
            returning events, findings
            """
        ).rows.first
        return Summary(
            runID: runID, mode: mode, sessionsRebuilt: prepared.rebuilt, judgedFrom: prepared.judgedFrom,
            events: totals?.int("events") ?? 0, sessions: prepared.sessions,
            findings: totals?.int("findings") ?? 0, suppressed: suppressed)
    }

    /// Runs one detector or chain on this connection, once for all or once a tenant; returns the
    /// findings it stored.
    private func runInTurn(
        _ detector: DetectorFile, on connection: Connection, runID: Int, tenants: [String?], hold: TenantHold?
    ) throws -> Int {
        let started = ContinuousClock.now
        var found = 0
        for tenant in tenants {
            let insert =
                detector.isChain
                ? chainInsert(detector, runID: runID, tenant: tenant, hold: hold)
                : findingInsert(detector, runID: runID, tenant: tenant, hold: hold)
            found += try connection.execute(insert).affectedRows
        }
        logDetector(detector, findings: found, milliseconds: Self.milliseconds(since: started))
        return found
    }

    private func logDetector(_ detector: DetectorFile, findings: Int, milliseconds: Int64) {
        logger.debug(
            "detector ran",
            metadata: ["detector": "\(detector.id)", "findings": "\(findings)", "ms": "\(milliseconds)"])
    }

    /// Runs one step of a run, logging its time at debug level: where a slow run spends it.
    @discardableResult
    private func timed<T>(_ step: String, _ body: () throws -> T) rethrows -> T {
        let started = ContinuousClock.now
        defer {
            logger.debug("step done", metadata: ["step": "\(step)", "ms": "\(Self.milliseconds(since: started))"])
        }
        return try body()
    }

    private static func milliseconds(since started: ContinuousClock.Instant) -> Int64 {
        let elapsed = (ContinuousClock.now - started).components
        return elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
    }

    /// Runs `work` beside the run, on a second connection like the run's, in a transaction with the
    /// run's settings; the group returned ends when it has. When no such connection can be made
    /// (logged as `otherwise`) `work` does not run: the run's connection then does that work itself.
    private func beside(
        settings: String, runID: Int, judgedFrom: String, otherwise: Logger.Message,
        _ work: @escaping @Sendable (Connection) -> Void
    ) -> DispatchGroup {
        let group = DispatchGroup()
        let logger = self.logger
        DispatchQueue.global().async(group: group) {
            let second: Connection
            do {
                second = try Connection(conninfo: settings)
                try second.execute("begin")
                try Self.applyRunSettings(second, runID: runID, citus: false, judgedFrom: judgedFrom)
                // This connection is the second core's: workers of its own would take the first's.
                try second.execute("set local max_parallel_workers_per_gather = 0")
            } catch {
                logger.info(otherwise, metadata: ["reason": "\(error)"])
                return
            }
            work(second)
        }
        return group
    }

    /// Writes the actors' days on a connection of its own, in a transaction of its own, from the
    /// sessions the run has published. The function returned waits for it: false when no connection
    /// could be made (the run then writes them itself), and it throws what the writing threw.
    private func writeActorDaysBeside(settings: String, runID: Int, judgedFrom: String) -> () throws -> Bool {
        let outcome = Mutex<Result<Bool, any Error>>(.success(false))
        let written = beside(
            settings: settings, runID: runID, judgedFrom: judgedFrom,
            otherwise: "actors' days written on the run's connection"
        ) { second in
            do {
                try second.execute("select mailhound.refresh_actor_days()")
                try second.execute("commit")
                outcome.withLock { $0 = .success(true) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
        }
        return {
            written.wait()
            return try outcome.withLock { $0 }.get()
        }
    }

    /// Runs the detectors on this connection and on a second one side by side, each taking the
    /// next detector neither has taken: the second reads the sessions the run published and hands
    /// its findings back, each a JSON object PostgreSQL wrote, which this connection stores. When
    /// no second connection can be made this one runs them all. Returns the findings stored.
    private func judgeSideBySide(
        _ files: [DetectorFile], on connection: Connection, runID: Int, settings: String, judgedFrom: String
    ) throws -> Int {
        // The longest queries first, as the likeliest to take longest, so that neither connection
        // ends with a long detector while the other waits (10M events, three alternated full runs:
        // the detectors 6.93-7.02 s against 7.15-8.24 s in file order, which left volume-outlier last).
        let detectors = files.sorted {
            ($0.query.utf8.count, $1.id) > ($1.query.utf8.count, $0.id)
        }
        let next = Mutex(0)
        let take: @Sendable () -> Int? = {
            next.withLock { index in
                guard index < detectors.count else { return nil }
                defer { index += 1 }
                return index
            }
        }
        let handedBack = Mutex<[(detector: Int, rows: [String], milliseconds: Int64)]>([])
        let failure = Mutex<(any Error)?>(nil)
        let side = beside(
            settings: settings, runID: runID, judgedFrom: judgedFrom, otherwise: "detectors run on one connection"
        ) { second in
            while failure.withLock({ $0 == nil }), let index = take() {
                let started = ContinuousClock.now
                do {
                    let rows = try second.execute(Self.findingRows(detectors[index])).rows.compactMap { $0["finding"] }
                    handedBack.withLock { $0.append((index, rows, Self.milliseconds(since: started))) }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }
        }
        // The second connection's findings are stored as they come, between this one's detectors.
        let storeHandedBack = { () throws -> Int in
            var found = 0
            let arrived = handedBack.withLock { list in
                defer { list = [] }
                return list
            }
            for (index, rows, milliseconds) in arrived {
                let stored = try Self.store(rows, of: detectors[index], runID: runID, on: connection)
                found += stored
                self.logDetector(detectors[index], findings: stored, milliseconds: milliseconds)
            }
            return found
        }
        var stored = 0
        while failure.withLock({ $0 == nil }), let index = take() {
            do {
                stored += try runInTurn(detectors[index], on: connection, runID: runID, tenants: [nil], hold: nil)
                stored += try storeHandedBack()
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        side.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        return try stored + storeHandedBack()
    }

    /// Stores findings handed back as JSON objects, in slices, so that no one value grows with them;
    /// returns how many were new.
    private static func store(
        _ rows: [String], of detector: DetectorFile, runID: Int, on connection: Connection
    )
        throws -> Int
    {
        var found = 0
        for start in stride(from: 0, to: rows.count, by: 5000) {
            let slice = "[" + rows[start..<min(start + 5000, rows.count)].joined(separator: ",") + "]"
            found +=
                try connection.execute(
                    Query(
                        unsafeSQL: """
                            insert into mailhound.findings (tenant, session_id, detector_id, run_id, points, reason, evidence)
                            select f.tenant, f.session_id, f.detector_id, $1, f.points, f.reason, f.evidence
                            from jsonb_to_recordset($2::jsonb)
                                as f(tenant text, session_id text, detector_id text, points integer, reason text, evidence jsonb)
                            on conflict (tenant, session_id, detector_id) do nothing
                            """, binds: [String(runID), slice], name: detector.fileName)
                ).affectedRows
        }
        return found
    }

    /// The detector's findings, one JSON object a row, with the types `findingInsert` stores them as.
    private static func findingRows(_ detector: DetectorFile) -> Query {
        Query(
            unsafeSQL: """
                select jsonb_build_object(
                    'tenant', d.tenant::text, 'session_id', d.session_id::text, 'detector_id', d.detector_id::text,
                    'points', d.points::integer, 'reason', d.reason::text, 'evidence', d.evidence::jsonb
                )::text as finding
                from (
                \(detector.query)
                ) as d
                where d.points > 0
                """, binds: [], name: detector.fileName)
    }

    /// Blocks of the events one part of a full run counts at most. A part's hash of the values it
    /// counts must fit in `work_mem` × `hash_mem_multiplier` (512 MB) or it spills to disk and reads
    /// its rows again: at 10M events a part of 320k blocks hashed 450 MB, and at 30M two parts would
    /// each need three times that.
    public static let defaultBlocksPerPart = 340_000

    /// Builds every session in parts, two or more side by side (one a core), each on a connection
    /// of its own that commits: first each part counts the events of a range of the table's blocks
    /// into `mailhound.session_counts`, then each cuts the sessions of a part of the groups from
    /// the counts into `mailhound.session_parts`; the run's transaction then moves them in. A large
    /// table is cut in more parts than cores, so that each part's count fits in memory; each
    /// connection takes the next part when it is done. With a `shared` snapshot every part counts
    /// under it, and the counts are left for the housekeeping to count the coverage from (the run
    /// empties them at its end). False when no second connection can be made: the run then builds
    /// them on its own.
    private func buildSessionParts(settings: String, citus: Bool, shared: SharedSnapshot?) throws -> Bool {
        let cores = max(2, ProcessInfo.processInfo.activeProcessorCount)
        let blocks: Int
        do {
            let connection = try Connection(conninfo: settings)
            try connection.execute("truncate mailhound.session_parts, mailhound.session_counts")
            blocks =
                try connection.execute(
                    "select pg_relation_size('mailhound.events') / current_setting('block_size')::bigint as blocks"
                ).rows.first?.int("blocks") ?? 0
        } catch {
            logger.info("sessions built on one connection", metadata: ["reason": "\(error)"])
            return false
        }
        let parts = cores * max(1, (blocks + cores * blocksPerPart - 1) / (cores * blocksPerPart))
        // On Citus the events lie in the workers' shards, which count side by side already, and the
        // coordinator's table has no blocks to divide: one call counts them all.
        let ranges = citus ? [BlockRange(first: nil, last: nil)] : BlockRange.dividing(blocks, into: parts)
        try timed("session counts") {
            try onSideConnections(cores, parts: ranges.count, settings: settings) { connection, part in
                let range = ranges[part]
                try connection.transaction {
                    try shared?.import(on: connection)
                    try connection.execute(
                        "select mailhound.count_session_events(null, \(range.first)::bigint, \(range.last)::bigint)")
                }
            }
        }
        try timed("session cut") {
            try onSideConnections(cores, parts: parts, settings: settings) { connection, part in
                try connection.execute("select mailhound.build_session_part(\(part), \(parts))")
            }
        }
        if shared == nil { try Connection(conninfo: settings).execute("truncate mailhound.session_counts") }
        return true
    }

    /// Runs `body` for each of `parts` on `connections` connections side by side, each taking the
    /// next part when done; the first error any part met is thrown once all have ended, and a
    /// connection that failed takes no more.
    private func onSideConnections(
        _ connections: Int, parts: Int, settings: String, _ body: @Sendable (Connection, Int) throws -> Void
    ) throws {
        let failure = Mutex<(any Error)?>(nil)
        let next = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: min(connections, parts)) { _ in
            do {
                let connection = try Connection(conninfo: settings)
                try connection.execute("set work_mem = '256MB'")
                try connection.execute("set jit = off")
                // The parts are the parallelism, one a core: workers of their own would only contend
                // for the same cores, and merging their partial counts costs more (10M events: 30 s
                // side by side with workers, 19 s without).
                try connection.execute("set max_parallel_workers_per_gather = 0")
                while true {
                    let part = next.withLock { taken in
                        defer { taken += 1 }
                        return taken
                    }
                    guard part < parts, failure.withLock({ $0 == nil }) else { return }
                    try body(connection, part)
                }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Work that needs neither the run's transaction nor its result, done on a connection of its
    /// own from the session parts on, while this one moves or cuts the sessions: the summaries of
    /// the records' new block ranges, so that the reads below, the run's own and the next run's
    /// reads of new records read only those (`summarize_new_records`); in an incremental run the
    /// earliest time of a record stored since `since` (`changed_from`), which would otherwise read
    /// the new records again after the cut (30M events and a day more: 0.20-0.27 s), and which the
    /// second function returned waits for (nil when it could not be found here: `judge` then finds
    /// it); the events' statistics after a full run; the coverage counts, from the session counts
    /// when they were `coverageCountedUnder` one snapshot and the coverage was never counted (a
    /// fresh database's first run, which would otherwise read every event again). One after
    /// another, so that they take one core. Should the coverage count fail, the run's own refresh
    /// counts what is left.
    private func startHousekeeping(
        settings: String, analyzeEvents: Bool, since: String?, coverageCountedUnder shared: SharedSnapshot?
    ) -> (
        DispatchGroup, () -> EarliestNewRecord?
    ) {
        let group = DispatchGroup()
        let earliest = DispatchGroup()
        let found = Mutex<EarliestNewRecord?>(nil)
        let logger = self.logger
        earliest.enter()
        DispatchQueue.global().async(group: group) {
            let connection: Connection
            do {
                connection = try Connection(conninfo: settings)
            } catch {
                earliest.leave()
                logger.info("housekeeping beside the detectors failed", metadata: ["error": "\(error)"])
                return
            }
            Self.summarizeNewRecords(on: connection, logger: logger)
            if let since {
                do {
                    let at = try connection.execute("select mailhound.changed_from(\(since)::pg_snapshot)::text as at")
                        .rows.first?["at"]
                    found.withLock { $0 = EarliestNewRecord(at: at) }
                } catch {
                    logger.info(
                        "where the new records begin is found on the run's connection", metadata: ["reason": "\(error)"]
                    )
                }
            }
            earliest.leave()
            // Should it fail, count_coverage below counts every record instead.
            if let shared {
                do {
                    let counted = try connection.execute(
                        "select mailhound.count_coverage_from_session_counts(\(shared.counted)::pg_snapshot) as counted"
                    ).rows.first?.bool("counted")
                    if counted == true { logger.debug("coverage counted from the session counts") }
                } catch {
                    logger.info("the coverage is counted from the records", metadata: ["reason": "\(error)"])
                }
            }
            do {
                if analyzeEvents { try Self.analyzeEvents(on: connection, logger: logger) }
                try connection.execute("select mailhound.count_coverage()")
            } catch {
                logger.info("housekeeping beside the detectors failed", metadata: ["error": "\(error)"])
            }
        }
        return (
            group,
            {
                earliest.wait()
                return found.withLock { $0 }
            }
        )
    }

    /// Summarizes the block ranges the records filled since they were last summarized
    /// (`summarize_new_records`). Left unsummarized, they are only read more than they need be,
    /// so a failure is logged and the housekeeping goes on.
    private static func summarizeNewRecords(on connection: Connection, logger: Logger) {
        do {
            let done = try connection.execute("select mailhound.summarize_new_records() as done").rows.first?.bool(
                "done")
            if done != true {
                logger.debug(
                    "the records' new block ranges are left to the next run: a load or vacuum holds them, or Citus keeps them"
                )
            }
        } catch {
            logger.info("the records' new block ranges are left unsummarized", metadata: ["error": "\(error)"])
        }
    }

    /// Samples the events for the planner, unless a large load holds the table (it keeps
    /// autovacuum off it until it ends, `hold_events_for_load`): the run does not wait for the
    /// load, and autovacuum samples the table after it.
    private static func analyzeEvents(on connection: Connection, logger: Logger) throws {
        try connection.execute("set lock_timeout = '2s'")
        defer { _ = try? connection.execute("reset lock_timeout") }
        do {
            try connection.execute("select mailhound.refresh_statistics('mailhound.events')")
        } catch  where error.sqlState == .lockNotAvailable {
            logger.info("the events' statistics are left to autovacuum: a load holds the table")
        }
    }

    /// Records the detector's text; returns its sha256.
    private func store(_ detector: DetectorFile, on connection: Connection) throws -> String {
        try connection.execute(
            """
            insert into mailhound.detectors (detector_id, title, severity, file_name, sha256, sql_text)
            values (\(detector.id), \(detector.title), \(detector.severity), \(detector.fileName),
                    encode(sha256(convert_to(\(detector.text), 'UTF8')), 'hex'), \(detector.text))
            on conflict (detector_id) do update set
                title = excluded.title, severity = excluded.severity, file_name = excluded.file_name,
                sha256 = excluded.sha256, sql_text = excluded.sql_text, loaded_at = now()
            returning sha256
            """
        ).rows.first?["sha256"] ?? ""
    }

    /// Whether records are stored that no succeeded run has judged: a worker stopped between
    /// loading and detecting leaves such records, and its next pass detects though nothing new
    /// arrives.
    public static func hasUnjudgedRecords(_ connection: Connection) throws -> Bool {
        try connection.execute(
            """
            select case
                    when last.snapshot is null
                        then exists (select from mailhound.events) or exists (select from mailhound.web_requests)
                    else mailhound.changed_from(last.snapshot) is not null
                end as pending
            from (
                select (
                    select snapshot from mailhound.detection_runs
                    where status = 'succeeded' and snapshot is not null
                    order by run_id desc limit 1
                ) as snapshot
            ) as last
            """
        ).rows.first?["pending"] == "t"
    }

    /// Chooses which sessions this run judges, sets `mailhound.judged_from` for the detectors and
    /// records it: every session in a full run, and whenever the detectors, the baseline, the
    /// window or the network table changed since the previous run, whose findings could then not
    /// be kept. Otherwise the sessions from the first one that reaches the earliest new record,
    /// from the start of its UTC day: detectors that judge a day's sessions together
    /// (`daily-breadth`) then judge whole days, as a full run does. The earliest new record is the
    /// one the housekeeping found (`earliestNewRecord`), or, when it could not, found here.
    private func judge(
        _ connection: Connection, runID: Int, since: String?, detectorJSON: String,
        earliestNewRecord: EarliestNewRecord?
    ) throws -> String {
        let judgedFrom =
            try connection.execute(
                """
                with current_run as (
                    select window_from, window_until, baseline_days from mailhound.detection_runs where run_id = \(runID)
                ),
                previous as (
                    select window_from, window_until, baseline_days, detectors, started_at
                    from mailhound.detection_runs
                    where status = 'succeeded' and snapshot is not null and run_id < \(runID)
                    order by run_id desc limit 1
                ),
                comparable as (
                    select 1 from previous as p, current_run as c
                    where p.window_from is not distinct from c.window_from
                        and p.window_until is not distinct from c.window_until
                        and p.baseline_days = c.baseline_days and p.detectors = \(detectorJSON)::jsonb
                        and not exists (select 1 from mailhound.network_owners as o where o.loaded_at >= p.started_at)
                ),
                changed as (
                    select case when \(earliestNewRecord != nil)::boolean then \(earliestNewRecord?.at)::timestamptz
                            else mailhound.changed_from(\(since)::pg_snapshot) end as at,
                        (select baseline_days from current_run) * interval '1 day' as baseline
                ),
                -- Judgments in the data's first baseline window look ahead (cold start): records
                -- new within a window after such a session can change it.
                looking_ahead as (
                    select greatest(d.data_start, c.at - c.baseline) as judged_from
                    from changed as c
                    cross join (select min(first_seen) as data_start from mailhound.sessions) as d
                    where c.at - c.baseline < d.data_start + c.baseline
                )
                select case
                    when \(since)::pg_snapshot is null or not exists (select 1 from comparable) then '-infinity'
                    -- A session reaching the change began at most a day before it or lasts longer
                    -- than a day: a range of the first_seen index, and the few long sessions of
                    -- the partial index sessions_long_group_time (an aggregate filter, not a where
                    -- clause, keeps the planner from walking the first_seen index instead).
                    else date_trunc('day', least(
                        coalesce((
                            select min(first_seen) from mailhound.sessions
                            where first_seen >= (select at from changed) - interval '1 day'
                                and last_seen >= (select at from changed)
                        ), 'infinity'),
                        coalesce((
                            select min(first_seen) filter (where last_seen >= (select at from changed))
                            from mailhound.sessions
                            where last_seen - first_seen > interval '1 day'
                        ), 'infinity'),
                        (select judged_from from looking_ahead)
                    ), 'UTC')
                end::text as judged_from
                """
            ).rows.first?["judged_from"] ?? "-infinity"
        try connection.execute(
            """
            select set_config('mailhound.judged_from', \(judgedFrom), true)
            """)
        try connection.execute(
            "update mailhound.detection_runs set judged_from = \(judgedFrom)::timestamptz where run_id = \(runID)")
        return judgedFrom
    }

    /// The tenants each detector runs for alone, in turn: `[nil]` when it runs once for all.
    private func tenantsRunAlone(_ connection: Connection, citus: Bool) throws -> [String?] {
        guard eachTenantAlone ?? citus else { return [nil] }
        return try connection.execute("select distinct tenant from mailhound.sessions order by tenant").rows
            .map { $0["tenant"] }
    }

    /// What holds a query to one tenant: the analyst views with a tenant, and the table functions
    /// detectors call that read tables: `mailhound.routine()` and `mailhound.network_owner()`.
    private func tenantHold(_ connection: Connection) throws -> TenantHold {
        let views = try connection.execute(
            "select table_name from information_schema.columns where table_schema = 'analyst' and column_name = 'tenant'"
        ).rows.compactMap { $0["table_name"] }
        let functions = try sql.files(in: .functions).filter { ["routine.sql", "network_owner.sql"].contains($0.name) }
            .map { try InlinedFunction(definition: $0.text) }
        return TenantHold(parameter: "$2", tenantViews: Set(views), functions: functions)
    }

    /// The detector's own text is the query; the run id is bound, and the tenant when it runs
    /// for one.
    private func findingInsert(_ detector: DetectorFile, runID: Int, tenant: String?, hold: TenantHold?) -> Query {
        Query(
            unsafeSQL: """
                insert into mailhound.findings (tenant, session_id, detector_id, run_id, points, reason, evidence)
                select d.tenant, d.session_id, d.detector_id, $1, d.points, d.reason, d.evidence
                from (
                \(hold.map { detector.query(heldTo: $0) } ?? detector.query)
                ) as d
                where d.points > 0
                on conflict (tenant, session_id, detector_id) do nothing
                """, binds: [String(runID)] + (tenant.map { [$0] } ?? []), name: detector.fileName)
    }

    /// Stores each chain the file finds, and gives every member session a finding named after the
    /// chain, so the sequence scores on each of its sessions.
    private func chainInsert(_ chain: DetectorFile, runID: Int, tenant: String?, hold: TenantHold?) -> Query {
        Query(
            unsafeSQL: """
                with found as (
                \(hold.map { hold in
                    var held = hold
                    held.parameter = "$3"
                    return chain.query(heldTo: held)
                } ?? chain.query)
                ),
                stored as (
                    insert into mailhound.chains
                        (tenant, chain_id, run_id, kind, points, reason, evidence, sessions, detectors, first_seen, last_seen)
                    select
                        c.tenant, left(md5($2 || '|' || array_to_string(c.sessions, ',')), 16), $1, $2, c.points,
                        c.reason, c.evidence, c.sessions, c.detectors, span.first_seen, span.last_seen
                    from found as c
                    cross join lateral (
                        select min(s.first_seen) as first_seen, max(s.last_seen) as last_seen
                        from mailhound.sessions as s
                        where s.tenant = c.tenant and s.session_id = any(c.sessions)\(hold == nil ? "" : " and s.tenant = $3::text")
                    ) as span
                    where c.points > 0
                    on conflict (tenant, chain_id) do nothing
                    returning tenant, chain_id, kind, points, reason, sessions, detectors
                )
                insert into mailhound.findings (tenant, session_id, detector_id, run_id, points, reason, evidence)
                select st.tenant, member, st.kind, $1, st.points, st.reason,
                    jsonb_build_object('chain_id', st.chain_id, 'sessions', st.sessions, 'detectors', st.detectors)
                from stored as st
                cross join lateral unnest(st.sessions) as member
                on conflict (tenant, session_id, detector_id) do nothing
                """, binds: [String(runID), chain.id] + (tenant.map { [$0] } ?? []), name: chain.fileName)
    }
}
