import AuditSources
import DemoData
import Detection
import Foundation
import Ingest
import PostgresClient
import Rankings
import ReadModel
import Simulation
import Store
import Testing

@Suite("Incremental detection, accounts, retention and parallel loading")
struct ScaleFeaturesTests {
    let runner = DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger)

    /// The demo tenant's records in two files: `firstPart` of the lines, then the rest.
    func demoFiles(splitAt firstPart: Double) throws -> (URL, URL, () -> Void) {
        let lines = DemoTenant().jsonLines()
        let cut = Int(Double(lines.count) * firstPart)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = folder.appendingPathComponent("first.jsonl")
        let second = folder.appendingPathComponent("second.jsonl")
        try (lines[..<cut].joined(separator: "\n") + "\n").write(to: first, atomically: true, encoding: .utf8)
        try (lines[cut...].joined(separator: "\n") + "\n").write(to: second, atomically: true, encoding: .utf8)
        return (first, second, { try? FileManager.default.removeItem(at: folder) })
    }

    /// A fresh database holding the demo tenant, loaded from two files.
    func ingestedDemo(_ label: String) throws -> (Connection, () -> Void) {
        let (first, second, cleanup) = try demoFiles(splitAt: 0.5)
        do {
            let connection = try TestDatabase.fresh(label).connect()
            _ = try ingest([first, second], connection)
            return (connection, cleanup)
        } catch {
            cleanup()
            throw error
        }
    }

    /// Every session as its row's text, in one order.
    func sessionRows(_ connection: Connection) throws -> [String] {
        try connection.execute("select s::text as row from mailhound.sessions as s order by tenant, session_id")
            .rows.compactMap { $0["row"] }
    }

    /// A fresh database holding the demo's first `firstPart` of records, judged; the rest of them
    /// in the file returned.
    func judgedFirstPart(_ name: String, splitAt firstPart: Double) throws -> (Connection, URL, () -> Void) {
        let (first, second, cleanup) = try demoFiles(splitAt: firstPart)
        let connection = try TestDatabase.fresh(name).connect()
        _ = try ingest([first], connection)
        _ = try runner.run(connection)
        return (connection, second, cleanup)
    }

    /// A fresh database whose first part of the demo data is judged and whose second is loaded.
    func secondPartLoaded(_ name: String, splitAt firstPart: Double) throws -> (Connection, () -> Void) {
        let (connection, second, cleanup) = try judgedFirstPart(name, splitAt: firstPart)
        do {
            _ = try ingest([second], connection)
        } catch {
            cleanup()
            throw error
        }
        return (connection, cleanup)
    }

    func ingest(
        _ files: [URL], _ connection: Connection, configure: (inout Ingestor.Options) -> Void = { _ in }
    )
        throws -> IngestSummary
    {
        var options = Ingestor.Options()
        configure(&options)
        return try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
            .ingest(files.map { InputFile(path: $0.path) })
    }

    /// The findings as comparable lines, each beginning with its session id.
    static let findingLines: Query = """
        select f.session_id || '|' || f.detector_id || '|' || f.points || '|' || f.reason as line
        from mailhound.findings as f order by 1
        """

    /// Runs detection with a detector that divides by zero; returns the run's mode and status as
    /// recorded.
    func failJudging(_ connection: Connection, mode: DetectionRunner.Mode) throws -> String? {
        let breaking = try SQLTreeCopy(detectors: { files in
            files["breaks.sql"] = Self.detector(
                "breaks", finds: "nothing: it divides by zero",
                query:
                    "select tenant, session_id, 10 / (count(*) over () - count(*) over ())::integer as points from analyst.sessions"
            )
        })
        #expect(throws: PostgresError.self) {
            try DetectionRunner(sql: breaking.directory, logger: TestDatabase.logger).run(connection, mode: mode)
        }
        return try connection.execute(
            "select mode || ' ' || status as run from mailhound.detection_runs order by run_id desc limit 1"
        ).rows.first?["run"]
    }

    /// What `sessions` reads after every session is cut again in one transaction, rolled back.
    func fullCut(_ connection: Connection, _ sessions: Query) throws -> [String?] {
        try connection.execute("begin")
        defer { _ = try? connection.execute("rollback") }
        try connection.execute("select mailhound.rebuild_sessions(null)")
        return try connection.execute(sessions).rows.map { $0["row"] }
    }

    /// The stored scores, of the sessions listed or of all, and those whose copies of their
    /// session's values are not the session's.
    func keptScores(_ connection: Connection, of sessionIDs: [String]? = nil) throws -> (kept: Int, stale: Int) {
        let row = try connection.execute(
            """
            select count(*) filter (where \(sessionIDs == nil) or sc.session_id = any(\(sessionIDs ?? []))) as kept,
                count(*) filter (
                    where (s.items, s.first_seen, s.actor, s.mailbox_owners)
                        is distinct from (sc.items, sc.first_seen, sc.actor, sc.mailbox_owners)
                ) as stale
            from mailhound.session_scores as sc
            left join mailhound.sessions as s using (tenant, session_id)
            """
        ).rows.first
        return (row?.int("kept") ?? 0, row?.int("stale") ?? -1)
    }

    /// The next run is incremental and ends where a full run then ends.
    func expectNextRunEndsAsAFullRun(_ connection: Connection) throws {
        #expect(try runner.run(connection).mode == .incremental)
        let judged = try outcome(connection)
        _ = try runner.run(connection, mode: .full)
        #expect(try outcome(connection) == judged)
    }

    /// Sessions and findings as comparable text, without run ids.
    func outcome(_ connection: Connection) throws -> [String] {
        try connection.execute(
            """
            select format('%s|%s|%s|%s|%s|%s|%s|%s', s.session_id, s.first_seen, s.last_seen, s.events,
                s.client_ip, s.client_ips, s.mailbox_owners, s.operations)
                || coalesce('|' || string_agg(f.detector_id || ':' || f.points, ',' order by f.detector_id), '') as line
            from mailhound.sessions as s
            left join mailhound.findings as f using (tenant, session_id)
            group by s.tenant, s.session_id, s.first_seen, s.last_seen, s.events, s.client_ip, s.client_ips,
                s.mailbox_owners, s.operations
            order by 1
            """
        ).rows.compactMap { $0["line"] }
    }

    @Test(
        "new records in the data's first baseline window send the cold-start judgments that look ahead back to be judged"
    )
    func lookingAheadIsJudgedAgain() throws {
        let (connection, cleanup) = try secondPartLoaded("lookahead", splitAt: 0.6)
        defer { cleanup() }
        let next = try runner.run(connection)
        // The start of the UTC day of the data's first session: incremental runs judge whole days.
        let start = try connection.execute(
            "select date_trunc('day', min(first_seen), 'UTC')::text as t from mailhound.sessions"
        ).rows.first?["t"]
        #expect(next.mode == .incremental && next.judgedFrom == start)
        let incremental = try outcome(connection)
        _ = try runner.run(connection, mode: .full)
        #expect(try outcome(connection) == incremental)
    }

    @Test("a full run's parts, each counting a range of the events' blocks, cut the sessions one connection cuts")
    func partsEqualOneConnection() throws {
        let (connection, cleanup) = try ingestedDemo("parts")
        defer { cleanup() }
        let blocks = try connection.execute(
            "select pg_relation_size('mailhound.events') / current_setting('block_size')::bigint as n"
        ).rows.first?.int("n")
        #expect((blocks ?? 0) > 10, "the parts must each have blocks to count")
        _ = try runner.run(connection, mode: .full)
        let inParts = try sessionRows(connection)
        #expect(inParts.count > 100)
        try connection.execute("begin")
        try connection.execute("select mailhound.rebuild_sessions(null)")
        #expect(try sessionRows(connection) == inParts)
        let leftOver = try connection.execute(
            "select (select count(*) from mailhound.session_counts) + (select count(*) from mailhound.session_parts) as n"
        ).rows.first?.int("n")
        #expect(leftOver == 0)
        try connection.execute("rollback")
        // A table too large for two parts' counts in memory is cut in more parts than cores, each
        // connection taking the next: the same sessions.
        let manyParts = DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger, blocksPerPart: 2)
        _ = try manyParts.run(connection, mode: .full)
        #expect(try sessionRows(connection) == inParts)
    }

    @Test("records stored without a values digest, as before ingest wrote one, are cut into the same sessions")
    func recordsWithoutDigests() throws {
        let (connection, cleanup) = try ingestedDemo("no_digests")
        defer { cleanup() }
        let undigested: Query = "select count(*) as n from mailhound.events where values_digest is null"
        #expect(try connection.execute(undigested).rows.first?.int("n") == 0)
        _ = try runner.run(connection, mode: .full)
        let withDigests = try sessionRows(connection)
        // Every other record loses its digest: a group then counts some records by the digest
        // stored and some by the one computed as they are read.
        try connection.execute(
            "update mailhound.events set values_digest = null where source_line % 2 = 0")
        #expect(try connection.execute(undigested).rows.first?.int("n") ?? 0 > 1_000)
        _ = try runner.run(connection, mode: .full)
        let withoutSome = try sessionRows(connection)
        #expect(withDigests.count > 100 && withoutSome == withDigests)
    }

    @Test(
        "a fresh database's first full run counts the coverage from its parts' counts, under one snapshot, as the records count it"
    )
    func coverageFromSessionCounts() throws {
        let (first, second, cleanup) = try demoFiles(splitAt: 0.5)
        defer { cleanup() }
        // Sessions across a UTC midnight, with a SessionId and without, read from two files: each
        // record counts on its own file's day.
        let midnight = second.deletingLastPathComponent().appendingPathComponent("midnight.jsonl")
        let times = ["2021-02-20T23:40:00", "2021-02-20T23:59:59", "2021-02-21T00:00:00", "2021-02-21T00:20:00"]
        let records = times.enumerated().flatMap { index, time in
            [
                UALRecord.mailRead(
                    id: 900_000 + index, tenant: "night", at: time, actor: "night@contoso.example",
                    owner: "ceo@contoso.example", address: "198.51.100.7", session: "night-session"),
                UALRecord.mailRead(
                    id: 900_100 + index, tenant: "night", at: time, actor: "owl@contoso.example",
                    owner: "owl@contoso.example", address: "198.51.100.8"),
            ]
        }
        try (records.map(\.jsonLine).joined(separator: "\n") + "\n").write(
            to: midnight, atomically: true, encoding: .utf8)
        let connection = try TestDatabase.fresh("coverage_from_counts").connect()
        _ = try ingest([first, second, midnight], connection)
        let (logger, messages) = TestDatabase.collectingLogger()
        let counting = DetectionRunner(sql: TestDatabase.sql, logger: logger)
        _ = try counting.run(connection, mode: .full)
        let note = "] coverage counted from the session counts\n"
        #expect(messages.all.filter { $0.hasSuffix(note) }.count == 1)
        let counted = try TestDatabase.coverageCounts(connection)
        #expect(counted.count > 10)
        #expect(try TestDatabase.coverageCountedFromRecords(connection) == counted)
        #expect(
            counted.filter { $0.hasPrefix(midnight.path) } == [
                "\(midnight.path)|2021-02-20|4", "\(midnight.path)|2021-02-21|4",
            ])
        // Counted on a connection whose time zone is not a whole hour from UTC, the session counts'
        // bins still end at UTC midnights.
        try connection.execute("begin")
        try connection.execute("set local timezone = 'Asia/Kathmandu'")
        try connection.execute("select mailhound.count_session_events(null, null, null)")
        try connection.execute("delete from mailhound.coverage_counts")
        let fresh = try connection.execute(
            "select mailhound.count_coverage_from_session_counts(pg_current_snapshot()) as counted"
        ).rows.first?["counted"]
        #expect(fresh == "t")
        #expect(try TestDatabase.coverageCounts(connection) == counted)
        try connection.execute("rollback")
        // Counted already: the next full run adds what is new, as an incremental run does.
        _ = try counting.run(connection, mode: .full)
        #expect(messages.all.filter { $0.hasSuffix(note) }.count == 1)
        #expect(try TestDatabase.coverageCounts(connection) == counted)
    }

    @Test(
        "a full run whose judging fails leaves the sessions it published with the findings of those still there, and the next run judges them"
    )
    func publishedSessionsOutliveFailedJudging() throws {
        let (connection, second, cleanup) = try judgedFirstPart("published_sessions", splitAt: 0.5)
        defer { cleanup() }
        let before = try connection.execute(Self.findingLines).rows.compactMap { $0["line"] }
        let sessionsBefore = try connection.execute("select count(*) as n from mailhound.sessions").rows.first?.int("n")
        _ = try ingest([second], connection)
        #expect(try failJudging(connection, mode: .full) == "full failed")
        // The sessions are those of all the data, as one connection cuts them.
        let sessions: Query = "select s::text as row from mailhound.sessions as s order by tenant, session_id"
        let published = try connection.execute(sessions).rows.map { $0["row"] }
        #expect(published.count > sessionsBefore ?? 0)
        let after = try connection.execute(Self.findingLines).rows.compactMap { $0["line"] }
        let ids = Set(
            try connection.execute("select session_id from mailhound.sessions").rows.compactMap { $0["session_id"] })
        #expect(!after.isEmpty && after == before.filter { ids.contains(String($0.prefix { $0 != "|" })) })
        // A kept score is of a session that did not change.
        let scores = try keptScores(connection)
        #expect(scores.kept > 0 && scores.stale == 0)
        #expect(try fullCut(connection, sessions) == published)
        try expectNextRunEndsAsAFullRun(connection)
    }

    @Test(
        "a full run that fails after publishing its sessions and before writing their totals leaves the next run to count the tenants' spans again"
    )
    func totalsCountedAgainAfterFailedPublishing() throws {
        let (connection, cleanup) = try secondPartLoaded("published_totals", splitAt: 0.5)
        defer { cleanup() }
        // The touches, written after the sessions are published and with their totals, fail.
        try connection.execute(
            """
            create function public.refuse_touches() returns trigger language plpgsql
            as $$ begin raise exception 'touches refused'; end $$
            """)
        try connection.execute(
            """
            create trigger refuse_touches before insert on mailhound.mailbox_touches
            for each statement execute function public.refuse_touches()
            """)
        #expect(throws: PostgresError.self) { try runner.run(connection, mode: .full) }
        try connection.execute("drop trigger refuse_touches on mailhound.mailbox_touches")
        try connection.execute("drop function public.refuse_touches()")
        let totals: Query = """
            select format('%s|%s|%s|%s|%s|%s', tenant, data_from, data_until, events, sessions, working_hours) as row
            from mailhound.tenant_spans
            union all
            select format('%s|items %s|%s', tenant, items, sessions) from mailhound.session_item_counts
            order by 1
            """
        let recounted = { () throws -> [String?] in
            try connection.execute("begin")
            defer { _ = try? connection.execute("rollback") }
            try connection.execute("select mailhound.refresh_tenant_spans()")
            return try connection.execute(totals).rows.map { $0["row"] }
        }
        // The sessions are all the data's, their totals still the first part's.
        #expect(try connection.execute(totals).rows.map { $0["row"] } != recounted())
        #expect(try runner.run(connection).mode == .incremental)
        #expect(try connection.execute(totals).rows.map { $0["row"] } == recounted())
    }

    @Test(
        "an incremental run publishes its day before judging it: should judging fail, a session cut again keeps its findings and score, and the next run judges it"
    )
    func incrementalRunPublishesItsDay() throws {
        let (connection, second, cleanup) = try judgedFirstPart("published_day", splitAt: 0.5)
        defer { cleanup() }
        let sessions: Query =
            "select session_id, s::text as row from mailhound.sessions as s order by tenant, session_id"
        let before = try connection.execute(Self.findingLines).rows.compactMap { $0["line"] }
        let rowsBefore = Dictionary(
            uniqueKeysWithValues: try connection.execute(sessions).rows.map { ($0["session_id"] ?? "", $0["row"]) })
        // One more record of the top session, under an id of its own: the session is cut again.
        let (top, line) = try #require(
            try connection.execute(
                """
                select t.session_id, t.source_file, t.source_line
                from (select session_id from analyst.ranked_sessions order by rank limit 1) as r
                join analyst.session_timeline as t using (session_id)
                where t.in_session
                order by t.occurred_at, t.source_line limit 1
                """
            ).rows.first.flatMap { row -> (String, String)? in
                guard let id = row["session_id"], let file = row["source_file"], let number = row.int("source_line"),
                    let text = try? String(contentsOfFile: file, encoding: .utf8)
                else { return nil }
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                return number >= 1 && number <= lines.count ? (id, String(lines[number - 1])) : nil
            })
        let again = second.deletingLastPathComponent().appendingPathComponent("again.jsonl")
        try (line.replacing(/"Id"\s*:\s*"[^"]*"/, with: "\"Id\":\"\(UUID().uuidString.lowercased())\"") + "\n")
            .write(to: again, atomically: true, encoding: .utf8)
        _ = try ingest([second, again], connection)
        #expect(try failJudging(connection, mode: .incremental) == "incremental failed")
        // The day's sessions are published, and are all the data's as a full cut makes them.
        let published = try connection.execute(sessions).rows
        #expect(published.count > rowsBefore.count)
        #expect(try fullCut(connection, sessions) == published.map { $0["row"] })
        // Sessions cut again under their id, with findings: they keep them, and their scores.
        let changed = Set(
            published.compactMap { row in
                row["session_id"].flatMap { id in rowsBefore[id].flatMap { $0 != row["row"] ? id : nil } }
            })
        #expect(changed.contains(top))
        let after = try connection.execute(Self.findingLines).rows.compactMap { $0["line"] }
        let ids = Set(published.compactMap { $0["session_id"] })
        #expect(after == before.filter { ids.contains(String($0.prefix { $0 != "|" })) })
        #expect(after.contains { $0.hasPrefix(top + "|") })
        let scores = try keptScores(connection, of: Array(changed))
        #expect(scores.kept > 0 && scores.stale == 0)
        try expectNextRunEndsAsAFullRun(connection)
    }

    @Test(
        "detectors run once a tenant (as on Citus) find what a full run's two connections side by side find for all tenants"
    )
    func eachTenantAlone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenants-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Two tenants unlike each other: the demo, and its first two thirds under another id.
        let lines = DemoTenant().jsonLines()
        let other = lines.prefix(lines.count * 2 / 3).map {
            $0.replacingOccurrences(of: DemoTenant.organizationID, with: "0f1e2d3c-4b5a-4697-8877-665544332211")
        }
        let files = [folder.appendingPathComponent("demo.jsonl"), folder.appendingPathComponent("other.jsonl")]
        try (lines.joined(separator: "\n") + "\n").write(to: files[0], atomically: true, encoding: .utf8)
        try (other.joined(separator: "\n") + "\n").write(to: files[1], atomically: true, encoding: .utf8)
        let connection = try TestDatabase.fresh("each_tenant").connect()
        _ = try ingest(files, connection)
        _ = try runner.run(connection, mode: .full)
        let together = try outcome(connection)
        let chains = try connection.execute("select count(*) as n from mailhound.chains").rows.first?.int("n")
        let alone = DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger, eachTenantAlone: true)
        _ = try alone.run(connection, mode: .full)
        #expect(try outcome(connection) == together)
        #expect(try connection.execute("select count(*) as n from mailhound.chains").rows.first?.int("n") == chains)
        let perTenant = try connection.execute(
            "select count(distinct tenant) as tenants, count(*) as findings from mailhound.findings"
        ).rows.first
        #expect(perTenant?.int("tenants") == 2 && (perTenant?.int("findings") ?? 0) > 20)
        // The detectors that call mailhound.routine(), written in as a subquery when held.
        let routineDetectors = try connection.execute(
            """
            select string_agg(distinct detector_id, ',' order by detector_id) as ids from mailhound.findings
            where detector_id in ('machine-identity', 'many-mailboxes', 'non-owner-sync', 'volume-outlier')
            """
        ).rows.first?["ids"]
        #expect(routineDetectors == "machine-identity,many-mailboxes,non-owner-sync,volume-outlier")
        #expect((chains ?? 0) > 0)
    }

    @Test("detect after new data rebuilds only what changed and ends where a full run ends")
    func incrementalEqualsFull() throws {
        let (first, second, cleanup) = try demoFiles(splitAt: 0.6)
        defer { cleanup() }
        let database = try TestDatabase.fresh("incremental")
        let connection = try database.connect()
        // A transaction left open across the first run holds the cluster's xmin below the first
        // load, as any busy neighbour database does; the next run must still skip that load.
        let bystander = try database.connect()
        try bystander.execute("begin")
        try bystander.execute("select pg_current_xact_id()")
        _ = try ingest([first], connection)
        // Baselines of three days: the cold-start window, where judgments look ahead and new
        // records send them back to be judged again, ends before the second file begins.
        let window = DetectionRunner.Window(baselineDays: 3)
        let initial = try runner.run(connection, window: window)
        #expect(initial.mode == .full)
        try bystander.execute("commit")
        _ = try ingest([second], connection)
        let next = try runner.run(connection, window: window)
        #expect(next.mode == .incremental)
        #expect(next.sessionsRebuilt > 0 && next.sessionsRebuilt < next.sessions)
        // Only the sessions from the second file's records on were judged again; the others kept
        // the first run's findings, and some of those findings are there to keep.
        let kept = try connection.execute(
            """
            select count(*) filter (where f.run_id = \(initial.runID)) as kept,
                count(*) filter (where f.run_id = \(next.runID)) as judged,
                bool_and(s.first_seen < r.judged_from) filter (where f.run_id = \(initial.runID)) as kept_are_earlier
            from mailhound.findings as f
            join mailhound.sessions as s using (tenant, session_id)
            cross join mailhound.detection_runs as r
            where r.run_id = \(next.runID)
            """
        ).rows.first
        #expect(!["-infinity", "infinity"].contains(next.judgedFrom))
        #expect((kept?.int("kept") ?? 0) > 0 && (kept?.int("judged") ?? 0) > 0 && kept?["kept_are_earlier"] == "t")
        let incremental = try outcome(connection)

        let full = try runner.run(connection, mode: .full, window: window)
        let stored = try connection.execute("select count(*) as n from mailhound.sessions").rows.first?.int("n")
        #expect(full.mode == .full && full.sessionsRebuilt == stored && full.sessions == stored)
        #expect(full.judgedFrom == "-infinity")
        #expect(try outcome(connection) == incremental)
        #expect(full.findings == next.findings)

        let idle = try runner.run(connection, window: window)
        #expect(idle.mode == .incremental && idle.sessionsRebuilt == 0 && idle.judgedFrom == "infinity")
        // Nor findings made before a new IP-to-ASN table, or with another baseline.
        try connection.execute(
            """
            insert into mailhound.network_owners (range_start, range_end, asn, source_file)
            values ('198.51.100.0', '198.51.100.255', 64500, 'test')
            """)
        #expect(try runner.run(connection).judgedFrom == "-infinity")
        #expect(try runner.run(connection).judgedFrom == "infinity")
        let rebaselined = try runner.run(connection, window: .init(baselineDays: 14))
        #expect(rebaselined.mode == .incremental && rebaselined.judgedFrom == "-infinity")
    }

    /// The pages a read of the events stored from now on reads through the load-order index:
    /// none are stored yet, so these are the pages of the ranges it has no summary of.
    func pagesReadForNothingNew(_ connection: Connection) throws -> Int {
        try connection.execute("set enable_seqscan = off")
        defer { _ = try? connection.execute("reset enable_seqscan") }
        let plan = try connection.execute(
            """
            explain (analyze, costs off, timing off, summary off)
            select count(*) from mailhound.events
            where loaded_txid >= pg_snapshot_xmax(pg_current_snapshot())::text::bigint
            """
        ).rows.compactMap { $0["QUERY PLAN"] }
        return plan.compactMap { line in
            line.firstMatch(of: /Heap Blocks:(?: exact=(\d+))?(?: lossy=(\d+))?/).map {
                (Int($0.1 ?? "") ?? 0) + (Int($0.2 ?? "") ?? 0)
            }
        }.reduce(0, +)
    }

    @Test(
        "a run summarizes the records' new block ranges beside it, so the next reads only the records stored after it; a load holding the table leaves them to the next run"
    )
    func newRecordsSummarized() throws {
        let (first, second, cleanup) = try demoFiles(splitAt: 0.6)
        defer { cleanup() }
        let database = try TestDatabase.fresh("summarized")
        let connection = try database.connect()
        // Autovacuum summarizes the ranges when it vacuums the table, which it does only once a
        // fifth of it is new: here it does not come.
        try connection.execute("alter table mailhound.events set (autovacuum_enabled = off)")
        _ = try ingest([first], connection)
        _ = try runner.run(connection)
        _ = try ingest([second], connection)
        // The pages the second file filled past the ranges the first run summarized.
        let unsummarized = try pagesReadForNothingNew(connection)
        #expect(unsummarized > 0)

        let load = try database.connect()
        try load.execute("begin")
        #expect(try load.execute("select mailhound.hold_events_for_load() as held").rows.first?.bool("held") == true)
        #expect(try runner.run(connection).mode == .incremental)
        try load.execute("commit")
        #expect(try pagesReadForNothingNew(connection) == unsummarized)

        #expect(try runner.run(connection).judgedFrom == "infinity")
        #expect(try pagesReadForNothingNew(connection) == 0)
    }

    @Test("an incremental run cuts each group again only from the latest session its new events can join")
    func incrementalCutFromLastSession() throws {
        var scenario = Scenario()
        // One group (same actor, address, client): a session a day, days 1 to 5.
        for day in 1...5 {
            scenario.read(day, 9, actor: "clerk@contoso.example")
            scenario.read(day, 9, 10, actor: "clerk@contoso.example")
        }
        // Another, days 2 to 4; and one with a SessionId, on day 2.
        for day in 2...4 { scenario.read(day, 14, actor: "early@contoso.example") }
        scenario.read(2, 16, actor: "token@contoso.example", session: "sid-1")
        let firstLoad = scenario.records.count
        // Days 3 and 5 of the clerk's sessions grow (25 and 20 minutes after their last reads):
        // cut again from day 3 on, three sessions. A record before the other group's first session
        // cuts it all again, four sessions; the SessionId's one session grows on day 4.
        scenario.read(5, 9, 30, actor: "clerk@contoso.example")
        scenario.read(3, 9, 35, actor: "clerk@contoso.example")
        scenario.read(1, 14, actor: "early@contoso.example")
        scenario.read(4, 16, actor: "token@contoso.example", session: "sid-1")
        let connection = try scenario.detected(firstLoad: firstLoad)
        let rebuilt = try connection.execute(
            "select sessions_rebuilt from mailhound.detection_runs order by run_id desc limit 1"
        ).rows.first?.int("sessions_rebuilt")
        #expect(rebuilt == 3 + 4 + 1)
        let incremental = try outcome(connection)
        #expect(incremental.count == 5 + 4 + 1)
        _ = try runner.run(connection, mode: .full)
        #expect(try outcome(connection) == incremental)
    }

    @Test(
        "groups whose keys collide stay apart: another actor's, another sign-in's or the same actor's other address's or client's records never join a session, in a full run, an incremental one and the record-to-session views"
    )
    func collidingKeysStayApart() throws {
        var scenario = Scenario()
        // A clerk and an intruder without a SessionId at the same hour, the clerk's account from
        // another address and from another client too, and one actor's three sign-ins: every key
        // is made 42. The earliest session any new record can join begins at 09:00; a session of
        // another group without a SessionId spans it, so the key is cut again from its first record.
        scenario.read(1, 8, 45, actor: "early@contoso.example")
        scenario.read(1, 9, 5, actor: "early@contoso.example")
        scenario.read(1, 9, actor: "clerk@contoso.example")
        scenario.read(1, 9, 10, actor: "clerk@contoso.example")
        scenario.read(1, 9, 15, actor: "clerk@contoso.example", address: "192.0.2.44", items: 200)
        scenario.read(
            1, 9, 20, actor: "clerk@contoso.example", items: 100, client: "Client=REST;Mozilla/5.0 (aimed)",
            appID: "0badc0de-0000-4000-8000-000000000001")
        scenario.read(1, 9, 5, actor: "mallory@contoso.example", address: "203.0.113.5", items: 600)
        scenario.read(1, 8, 30, actor: "token@contoso.example", session: "sid-0")
        scenario.read(1, 9, 20, actor: "token@contoso.example", session: "sid-0")
        scenario.read(1, 9, 20, actor: "token@contoso.example", session: "sid-1")
        scenario.read(1, 9, 25, actor: "token@contoso.example", session: "sid-2")
        let firstLoad = scenario.records.count
        scenario.read(1, 9, 35, actor: "clerk@contoso.example")
        scenario.read(1, 9, 40, actor: "clerk@contoso.example", address: "192.0.2.44", items: 50)
        scenario.read(1, 9, 50, actor: "mallory@contoso.example", address: "203.0.113.5", items: 300)
        scenario.read(2, 9, actor: "token@contoso.example", session: "sid-1")
        let connection = try scenario.detected(firstLoad: firstLoad) { connection in
            try connection.execute("update mailhound.events set session_key = 42 where session_key <> 42")
        }
        let sessions = {
            try connection.execute(
                """
                select format('%s %s %s-%s %s %s', s.actor, coalesce(s.source_session_id, '-'),
                    to_char(s.first_seen at time zone 'UTC', 'DD HH24:MI'), to_char(s.last_seen at time zone 'UTC', 'DD HH24:MI'),
                    s.events, s.items) as line
                from mailhound.sessions as s order by s.actor, s.first_seen, s.source_session_id
                """
            ).rows.compactMap { $0["line"] }
        }
        let expected = [
            "clerk@contoso.example - 01 09:00-01 09:35 3 15",
            "clerk@contoso.example - 01 09:15-01 09:40 2 250",
            "clerk@contoso.example - 01 09:20-01 09:20 1 100",
            "early@contoso.example - 01 08:45-01 09:05 2 10",
            "mallory@contoso.example - 01 09:05-01 09:05 1 600",
            "mallory@contoso.example - 01 09:50-01 09:50 1 300",
            "token@contoso.example sid-0 01 08:30-01 09:20 2 10",
            "token@contoso.example sid-1 01 09:20-02 09:00 2 10",
            "token@contoso.example sid-2 01 09:25-01 09:25 1 5",
        ]
        #expect(try sessions() == expected)
        // Each record is listed once, in a session of its own actor and sign-in, or without one of
        // its own address and client alone.
        let listed = try connection.execute(
            """
            select count(*) as records, count(distinct e.record_id) as distinct_records,
                count(*) filter (where lower(s.actor) = lower(e.actor)
                    and s.source_session_id is not distinct from e.source_session_id
                    and (e.source_session_id is not null
                        or (s.client_ips = array[e.client_ip] and s.clients = array[e.client_info]))) as own
            from analyst.mailbox_events as e join mailhound.sessions as s using (tenant, session_id)
            """
        ).rows.first
        #expect(listed?.int("records") == 15 && listed?.int("distinct_records") == 15 && listed?.int("own") == 15)
        let timeline = try connection.execute(
            """
            select count(*) as records,
                count(*) filter (where lower(t.actor) <> lower(s.actor)
                    or (s.source_session_id is null and t.client_ip <> all (s.client_ips))) as foreign
            from analyst.session_timeline as t join mailhound.sessions as s using (tenant, session_id)
            where t.in_session
            """
        ).rows.first
        #expect(timeline?.int("records") == 15 && timeline?.int("foreign") == 0)
        _ = try runner.run(connection, mode: .full)
        #expect(try sessions() == expected)
        // The allow-list's app look-up reads the session's own records alone: an entry for the app
        // the clerk's account used from another client suppresses that session's finding only.
        try connection.execute(
            """
            insert into mailhound.findings (tenant, session_id, detector_id, run_id, points, reason, evidence)
            select tenant, session_id, 'many-mailboxes', (select max(run_id) from mailhound.detection_runs), 10,
                'test', '{}'
            from mailhound.sessions where actor = 'clerk@contoso.example'
            """)
        try connection.execute(
            """
            insert into mailhound.allowlist (tenant, app_id, reason)
            values (\(Scenario.tenant), '0badc0de-0000-4000-8000-000000000001', 'test')
            """)
        try connection.execute("select mailhound.apply_allowlist()")
        let suppressed = try connection.execute(
            """
            select format('%s %s', to_char(s.first_seen at time zone 'UTC', 'HH24:MI'), f.suppressed_by is not null)
                as line
            from mailhound.findings as f join mailhound.sessions as s using (tenant, session_id)
            where f.reason = 'test' order by s.first_seen
            """
        ).rows.compactMap { $0["line"] }
        #expect(suppressed == ["09:00 f", "09:15 f", "09:20 t"])
    }

    @Test(
        "a SessionId's session takes the address and the client most of its records came from, counted across owners and times"
    )
    func sessionIdMostCommonAddress() throws {
        var scenario = Scenario()
        let actor = "roamer@contoso.example"
        let (outlook, sync) = ("Client=MSExchangeRPC;", "Client=ActiveSync;")
        // Three records from .9 with Outlook, each to another mailbox, two days apart; two from .20
        // with ActiveSync to one mailbox: .9 and Outlook are the most common, though no single
        // owner saw them more than once, and each is the greater of the two as text.
        for (day, owner) in [(1, "a@contoso.example"), (2, "b@contoso.example"), (3, "c@contoso.example")] {
            scenario.read(
                day, 9, actor: actor, owner: owner, address: "198.51.100.9", client: outlook, session: "sid-most")
        }
        scenario.read(1, 10, actor: actor, address: "198.51.100.20", client: sync, session: "sid-most")
        scenario.read(1, 11, actor: actor, address: "198.51.100.20", client: sync, session: "sid-most")
        // A tie, two each: the lesser address (by address, not text) and the lesser client are the
        // session's, though both come last.
        scenario.read(
            4, 9, actor: actor, owner: "a@contoso.example", address: "198.51.100.20", client: outlook,
            session: "sid-tie")
        scenario.read(
            4, 9, 5, actor: actor, owner: "b@contoso.example", address: "198.51.100.20", client: outlook,
            session: "sid-tie")
        scenario.read(4, 9, 10, actor: actor, address: "198.51.100.9", client: sync, session: "sid-tie")
        scenario.read(4, 9, 15, actor: actor, address: "198.51.100.9", client: sync, session: "sid-tie")
        let connection = try scenario.detected()
        let sessions = try connection.execute(
            """
            select format('%s %s %s %s %s', source_session_id, host(client_ip), client, events, mailbox_owners) as line
            from mailhound.sessions order by source_session_id
            """
        ).rows.compactMap { $0["line"] }
        #expect(
            sessions == [
                "sid-most 198.51.100.9 Client=MSExchangeRPC; 5 "
                    + "{a@contoso.example,b@contoso.example,c@contoso.example,roamer@contoso.example}",
                "sid-tie 198.51.100.9 Client=ActiveSync; 4 {a@contoso.example,b@contoso.example,roamer@contoso.example}",
            ])
    }

    @Test("without a SessionId, a session ends where a record comes more than 30 minutes after every one before it")
    func cutAfterEveryEarlierRecord() throws {
        var scenario = Scenario()
        let actor = "clerk@contoso.example"
        // 09:05 and 09:29 to the clerk's own mailbox, 09:10 to another's, all in one half hour:
        // 09:58 comes 29 minutes after 09:29, though 48 after 09:10, the latest to begin before it.
        scenario.read(1, 9, 5, actor: actor)
        scenario.read(1, 9, 10, actor: actor, owner: "boss@contoso.example")
        scenario.read(1, 9, 29, actor: actor)
        scenario.read(1, 9, 58, actor: actor)
        // 31 minutes later a new session; 30 minutes after that, the same one.
        scenario.read(1, 10, 29, actor: actor)
        scenario.read(1, 10, 59, actor: actor)
        let connection = try scenario.detected()
        let sessions = try connection.execute(
            """
            select format('%s %s %s %s', to_char(first_seen at time zone 'UTC', 'HH24:MI'),
                to_char(last_seen at time zone 'UTC', 'HH24:MI'), events, mailbox_owners) as line
            from mailhound.sessions order by first_seen
            """
        ).rows.compactMap { $0["line"] }
        #expect(
            sessions == [
                "09:05 09:58 4 {boss@contoso.example,clerk@contoso.example}",
                "10:29 10:59 2 {clerk@contoso.example}",
            ])
    }

    @Test("accounts rank the intruder first among actors and the executives among exposed owners")
    func accounts() throws {
        let (first, second, cleanup) = try demoFiles(splitAt: 1)
        defer { cleanup() }
        let connection = try TestDatabase.fresh("accounts").connect()
        _ = try ingest([first, second], connection)
        _ = try runner.run(connection)
        let actors = try RankedAccount.top(5, role: .actor, from: connection)
        let top = try #require(actors.first)
        #expect(top.account == DemoTenant.intruder.lowercased())
        #expect(top.rank == 1 && top.severity == "critical")
        #expect(top.detectors.contains("export-request") && !top.reasons.isEmpty)
        #expect(actors.dropFirst().allSatisfy { $0.score <= top.score })

        let owners = try RankedAccount.top(10, role: .owner, from: connection)
        let executives = Set(DemoTenant.executives.map { "\($0)@\(DemoTenant.domain)" })
        #expect(owners.prefix(executives.count).allSatisfy { executives.contains($0.account) })
    }

    @Test("prune deletes what is older than the date, keeps checkpoints, and a dry run deletes nothing")
    func prune() throws {
        let (first, second, cleanup) = try demoFiles(splitAt: 0.5)
        defer { cleanup() }
        let connection = try TestDatabase.fresh("prune").connect()
        _ = try ingest([first, second], connection)
        _ = try runner.run(connection)
        let middle =
            try connection.execute(
                "select (min(occurred_at) + (max(occurred_at) - min(occurred_at)) / 2)::text as t from mailhound.events"
            ).rows.first?["t"] ?? ""
        let counts = {
            try connection.execute(
                Query(
                    unsafeSQL:
                        "select count(*) filter (where occurred_at < $1::timestamptz) as old, count(*) as n from mailhound.events",
                    binds: [middle])
            ).rows.first
        }
        let before = try counts()
        let dry = try Retention.prune(before: middle, dryRun: true, from: connection)
        #expect(dry.events == before?.int("old") && dry.events > 0)
        #expect(try counts()?.int("n") == before?.int("n"))

        let done = try Retention.prune(before: middle, dryRun: false, from: connection)
        #expect(done == dry)
        #expect(try counts()?.int("old") == 0)
        #expect(try ingest([first, second], connection).filesSkipped == 2)
        let orphans = try connection.execute(
            """
            select count(*) as n from mailhound.findings f
            where not exists (select from mailhound.sessions s where s.tenant = f.tenant and s.session_id = f.session_id)
            """
        ).rows.first?.int("n")
        #expect(orphans == 0)
        // The tenants' spans are the kept sessions', before the next detection run.
        let spans = try connection.execute(
            """
            select count(*) filter (where t.data_from = s.data_from and t.sessions = s.sessions) as kept, count(*) as n
            from analyst.tenant_spans as t
            join (
                select tenant, min(first_seen) as data_from, count(*) as sessions from mailhound.sessions group by tenant
            ) as s using (tenant)
            """
        ).rows.first
        #expect(spans?.int("n") == 1 && spans?.int("kept") == 1)
        // So are the touches of other mailboxes, the actors' days and the item counts.
        let touches = try TestDatabase.mailboxTouches(connection)
        #expect(touches.count > 0 && touches.differing == 0)
        let days = try TestDatabase.actorDays(connection)
        #expect(days.count > 0 && days.differing == 0)
        let items = try TestDatabase.sessionItemCounts(connection)
        #expect(items.count > 0 && items.differing == 0)
    }

    /// The stored scores and, beside them, the same computed from the findings and sessions as the
    /// rankings once did; equal when the stored ones are current.
    func scores(_ connection: Connection) throws -> (stored: [String], computed: [String]) {
        let line = """
            format('%s|%s|%s|%s|%s|%s|%s|%s|%s', tenant, session_id, score, items, first_seen, actor, mailbox_owners,
                detectors, reasons) || '|' || evidence::text
            """
        let stored = try connection.execute(
            Query(unsafeSQL: "select \(line) as line from mailhound.session_scores order by 1")
        ).rows.compactMap { $0["line"] }
        let computed = try connection.execute(
            Query(
                unsafeSQL: """
                    select \(line) as line
                    from (\(TestDatabase.scoresFromFindings)
                    ) as scored
                    order by 1
                    """)
        ).rows.compactMap { $0["line"] }
        return (stored, computed)
    }

    /// The accounts as `analyst.ranked_accounts` shows them and as they rank from the findings.
    func accounts(_ connection: Connection) throws -> (stored: [String], computed: [String]) {
        let line =
            "format('%s|%s|%s|%s|%s|%s|%s|%s|%s', rank, score, severity, role, tenant, account, sessions, detectors, reasons)"
        let stored = try connection.execute(
            Query(unsafeSQL: "select \(line) as line from analyst.ranked_accounts order by 1")
        ).rows.compactMap { $0["line"] }
        let computed = try connection.execute(
            Query(unsafeSQL: "select \(line) as line from (\(TestDatabase.accountsFromFindings)) as ranked order by 1")
        ).rows.compactMap { $0["line"] }
        return (stored, computed)
    }

    @Test("the stored session and account scores follow every change of the findings: runs, the allow-list, prune")
    func storedScoresStayCurrent() throws {
        let (first, second, cleanup) = try demoFiles(splitAt: 0.6)
        defer { cleanup() }
        let connection = try TestDatabase.fresh("stored_scores").connect()
        // The sessions' indexes, and the constraints on them and referencing them, as text.
        let keysAndIndexes = {
            try connection.execute(
                """
                select string_agg(d, ';' order by d) as defs
                from (
                    select pg_get_indexdef(indexrelid) as d from pg_index where indrelid = 'mailhound.sessions'::regclass
                    union all
                    select format('%s %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid), convalidated)
                    from pg_constraint
                    where conrelid = 'mailhound.sessions'::regclass or confrelid = 'mailhound.sessions'::regclass
                ) as definitions
                """
            ).rows.first?["defs"]
        }
        let created = try keysAndIndexes()
        _ = try ingest([first], connection)
        _ = try runner.run(connection)
        var now = try scores(connection)
        #expect(now.stored == now.computed && !now.stored.isEmpty)
        var ranked = try accounts(connection)
        #expect(ranked.stored == ranked.computed && !ranked.stored.isEmpty)
        // A full run moves the sessions in with the indexes and constraints dropped and built again.
        #expect(try keysAndIndexes() == created && created?.contains("findings_session_fkey") == true)
        _ = try ingest([second], connection)
        #expect(try runner.run(connection).mode == .incremental)
        now = try scores(connection)
        #expect(now.stored == now.computed)
        ranked = try accounts(connection)
        #expect(ranked.stored == ranked.computed)
        let before = now.stored.count
        let top = try #require(try RankedSession.top(1, minimumScore: 0, from: connection).first)
        let entry = try AllowList.add(.init(actor: top.actor), reason: "test", tenant: top.tenant, to: connection)
        let actorRow = "|actor|\(top.tenant)|\((top.actor ?? "").lowercased())|"
        now = try scores(connection)
        #expect(now.stored == now.computed && now.stored.count < before)
        ranked = try accounts(connection)
        #expect(
            ranked.stored == ranked.computed
                && !ranked.stored.contains { $0.contains(actorRow) })
        #expect(try RankedSession.top(1, minimumScore: 0, from: connection).first?.actor != top.actor)
        try AllowList.remove(entry, from: connection)
        now = try scores(connection)
        #expect(now.stored == now.computed && now.stored.count == before)
        ranked = try accounts(connection)
        #expect(
            ranked.stored == ranked.computed
                && ranked.stored.contains { $0.contains(actorRow) })
        #expect(try RankedSession.top(1, minimumScore: 0, from: connection).first?.id == top.id)
        _ = try runner.run(connection, mode: .full)
        #expect(try keysAndIndexes() == created)
        let middle =
            try connection.execute(
                "select (min(occurred_at) + (max(occurred_at) - min(occurred_at)) / 2)::text as t from mailhound.events"
            ).rows.first?["t"] ?? ""
        let accountsBefore = try accounts(connection).stored
        _ = try Retention.prune(before: middle, dryRun: false, from: connection)
        now = try scores(connection)
        #expect(now.stored == now.computed && now.stored.count < before)
        ranked = try accounts(connection)
        #expect(ranked.stored == ranked.computed && ranked.stored != accountsBefore)
    }

    /// A detector of the tests' own: `query` names the detector's columns but for its id.
    static func detector(_ id: String, finds: String, query: String) -> String {
        """
        -- id:        \(id)
        -- title:     \(finds)
        -- status:    test
        -- severity:  low
        -- finds:     \(finds)
        -- why:       to test which stored scores an incremental run compares
        -- reads:     analyst.sessions, mailhound.events
        -- evidence:  none
        -- reason:    \(finds)

        select tenant, session_id, '\(id)' as detector_id, points, '\(finds)' as reason, '{}'::jsonb as evidence
        from (\(query)) as found
        """
    }

    @Test(
        "an incremental run scores again the old sessions that detectors judged whole find or no longer find, and keeps the other old scores"
    )
    func scoresOfDetectorsJudgedWhole() throws {
        let (first, second, cleanup) = try demoFiles(splitAt: 0.6)
        defer { cleanup() }
        let oldest = "select tenant, session_id, first_seen from analyst.sessions order by first_seen, session_id"
        let loads = "(select count(distinct source_file) from mailhound.events)"
        // The oldest session keeps the finding the first run gives it (judged incrementally), and
        // gains one judged whole once the second file is in; the second oldest loses the one it had.
        let tree = try SQLTreeCopy(detectors: { files in
            files["first-judged.sql"] = Self.detector(
                "first-judged", finds: "the oldest session judged",
                query:
                    "select *, 10 as points from (\(oldest)) as s where first_seen >= mailhound.judged_from() limit 1")
            files["whole-later.sql"] = Self.detector(
                "whole-later", finds: "the oldest session, once two files are in",
                query: "select *, 20 as points from (\(oldest)) as s where \(loads) > 1 limit 1")
            files["whole-earlier.sql"] = Self.detector(
                "whole-earlier", finds: "the second oldest session, while one file is in",
                query: "select *, 30 as points from (\(oldest)) as s where \(loads) = 1 offset 1 limit 1")
        })
        let runner = DetectionRunner(sql: tree.directory, logger: TestDatabase.logger)
        let window = DetectionRunner.Window(baselineDays: 3)
        let connection = try TestDatabase.fresh("scores_judged_whole").connect()
        _ = try ingest([first], connection)
        _ = try runner.run(connection, window: window)
        let detectorsOf = {
            try connection.execute(
                Query(
                    unsafeSQL: """
                        select string_agg(coalesce(mine.detectors, 'none'), ' ' order by s.first_seen, s.session_id) as d
                        from (\(oldest) limit 2) as s
                        left join mailhound.session_scores as sc using (tenant, session_id)
                        cross join lateral (
                            select string_agg(d, ',' order by d) as detectors from unnest(sc.detectors) as d
                            where d in ('first-judged', 'whole-later', 'whole-earlier')
                        ) as mine
                        """)
            ).rows.first?["d"]
        }
        let firstScores = try detectorsOf()
        #expect(firstScores == "first-judged whole-earlier")
        _ = try ingest([second], connection)
        let next = try runner.run(connection, window: window)
        // Neither session is judged again: only what the detectors judged whole do can change them.
        let judgedAfter = try connection.execute(
            Query(
                unsafeSQL: "select bool_and(first_seen < $1::timestamptz) as t from (\(oldest) limit 2) as s",
                binds: [next.judgedFrom])
        ).rows.first?["t"]
        #expect(next.mode == .incremental && judgedAfter == "t")
        let nextScores = try detectorsOf()
        #expect(nextScores == "first-judged,whole-later none")
        let now = try scores(connection)
        #expect(now.stored == now.computed && !now.stored.isEmpty)
        let ranked = try accounts(connection)
        #expect(ranked.stored == ranked.computed)
    }

    @Test(
        "the score refreshes of an incremental run change the accounts whose sessions lost or gained findings in the judged sessions or of detectors judged whole, and only compare those"
    )
    func accountScoresInScope() throws {
        let (first, _, cleanup) = try demoFiles(splitAt: 0.6)
        defer { cleanup() }
        let connection = try TestDatabase.fresh("account_scope").connect()
        _ = try ingest([first], connection)
        _ = try runner.run(connection)
        /// Runs `change` as an incremental detect would see it (judged from `judged`, `whole` judged
        /// whole), scores again, and compares the stored scores with those from the findings.
        func rescored(judged: String, whole: String, _ change: String) throws -> Bool {
            try connection.execute("begin")
            defer { _ = try? connection.execute("rollback") }
            try connection.execute(
                """
                select set_config('mailhound.judged_from', \(judged), true),
                    set_config('mailhound.judged_whole', \(whole), true)
                """)
            #expect(try connection.execute(Query(unsafeSQL: change)).affectedRows > 0)
            try connection.execute("select mailhound.refresh_session_scores(), mailhound.refresh_account_scores()")
            let sessions = try scores(connection)
            let accounts = try accounts(connection)
            return sessions.stored == sessions.computed && accounts.stored == accounts.computed
        }
        // The latest scored sessions, judged, lose their findings.
        let latest =
            try connection.execute("select max(first_seen)::text as t from mailhound.session_scores").rows.first?["t"]
            ?? ""
        #expect(
            try rescored(
                judged: latest, whole: "{}",
                "delete from mailhound.findings where session_id in (select session_id from mailhound.session_scores where first_seen >= '\(latest)')"
            ))
        // A judged session gains one, into a mailbox whose readers were scored only for earlier sessions.
        let gaining = try #require(
            try connection.execute(
                """
                select s.tenant, s.session_id, s.first_seen::text as t
                from mailhound.sessions as s
                cross join lateral unnest(s.mailbox_owners) as owner
                join mailhound.account_scores as a on a.tenant = s.tenant and a.role = 'owner' and a.account = owner
                where s.first_seen > a.last_session_start and owner is distinct from lower(s.actor)
                    and not exists (select 1 from mailhound.session_scores as sc where sc.session_id = s.session_id)
                order by s.first_seen desc, s.session_id
                limit 1
                """
            ).rows.first)
        #expect(
            try rescored(
                judged: gaining["t"] ?? "",
                whole: "{}",
                """
                insert into mailhound.findings (tenant, session_id, detector_id, run_id, points, reason, evidence)
                select '\(gaining["tenant"] ?? "")', '\(gaining["session_id"] ?? "")', min(detector_id), 1, 50, 'a test', '{}'
                from mailhound.detectors
                """))
        // A detector judged whole finds nothing any more, in sessions none of which is judged.
        let whole = try #require(
            try connection.execute(
                "select detector_id from mailhound.findings group by detector_id order by count(*) limit 1"
            ).rows.first?["detector_id"])
        #expect(
            try rescored(
                judged: "infinity", whole: "{\(whole)}",
                "delete from mailhound.findings where detector_id = '\(whole)'"))
    }

    @Test("two loader lanes store the same records from two files once, and as a single lane would")
    func parallelLanes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lanes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("a.jsonl")
        let copy = folder.appendingPathComponent("b.jsonl")
        try BenchCorpus(records: 4000, seed: 3).write(
            jsonLines: data, flatCSV: folder.appendingPathComponent("flat.csv"), sourceFile: data.path)
        try FileManager.default.copyItem(at: data, to: copy)
        let small: (inout Ingestor.Options) -> Void = {
            $0.batchRecords = 300
            $0.batchBytes = 64 << 10
        }

        let parallel = try TestDatabase.fresh("lanes").connect()
        let summary = try ingest([data, copy], parallel, configure: small)
        #expect(summary.loaded == 4000 && summary.duplicates == 4000 && summary.filesLoaded == 2)

        let single = try TestDatabase.fresh("one_lane").connect()
        _ = try ingest([data, copy], single) {
            small(&$0)
            $0.loaderConnections = 1
        }
        let checksum = """
            select count(*) as n, md5(string_agg(record_id::text || md5(raw), ',' order by record_id)) as digest
            from analyst.mailbox_events
            """
        #expect(
            try parallel.execute(Query(unsafeSQL: checksum)).rows.first?["digest"]
                == single.execute(Query(unsafeSQL: checksum)).rows.first?["digest"])
        let checkpoints = try parallel.execute(
            "select count(*) filter (where complete) as done, count(*) as n from mailhound.file_checkpoints"
        ).rows.first
        #expect(checkpoints?.int("done") == 2 && checkpoints?.int("n") == 2)
    }
}
