import AuditSources
import DemoData
import Detection
import Foundation
import Ingest
import PostgresClient
import Rankings
import ReadModel
import Simulation
import Testing

@Suite("Simulated tenant through the whole pipeline")
struct SimulationPipelineTests {
    @Test(
        "every format loads clean; precision@10 >= 0.9 and every attack outranks every trap",
        arguments: [3, 8] as [UInt64])
    func ranking(seed: UInt64) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simulated-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let truth = try SimulatedTenant(seed: seed, users: 120, days: 28).write(to: folder)

        let connection = try TestDatabase.fresh("simulation").connect()
        var options = Ingestor.Options()
        options.read.tenant = truth.tenant
        // On-premises and web logs first, counted for coverage, then the cloud's: the coverage
        // counts are kept across loads and must end as a count of everything would.
        let files = try InputFile.expand([folder.appendingPathComponent("logs").path])
        let cloud = files.filter { $0.path.contains("/exchange-online/") }
        let onPremises = files.filter { !$0.path.contains("/exchange-online/") }
        #expect(!cloud.isEmpty && !onPremises.isEmpty)
        let first = try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
            .ingest(onPremises)
        try CoverageRefresh.refresh(connection)
        let summary = try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
            .ingest(cloud)
        #expect(first.failures.isEmpty && first.quarantined == 0 && first.loaded > 0)
        #expect(summary.failures.isEmpty && summary.quarantined == 0 && summary.loaded > 10_000)
        let formats = try connection.execute(
            "select count(distinct format) as n from mailhound.file_checkpoints"
        ).rows.first?.int("n")
        #expect(formats == 6)

        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection)
        try expectRankingQuality(on: connection, truth: truth)

        let shared = Set(truth.traps.filter { $0.id == "shared-mailboxes" }.flatMap(\.parts).flatMap(\.mailboxes))
        let tagged = try connection.execute("select mailbox from analyst.shared_mailboxes").rows.compactMap {
            $0["mailbox"]
        }
        #expect(Set(tagged) == shared && !shared.isEmpty)

        // The capped export again under another name: every record a duplicate, none of its own.
        let capped = folder.appendingPathComponent("logs/exchange-online/purview-mailitemsaccessed-last-days.csv")
        let copy = folder.appendingPathComponent("purview-export-copy.csv")
        try FileManager.default.copyItem(at: capped, to: copy)
        let again = try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
            .ingest([InputFile(path: copy.path)])
        #expect(again.loaded == 0 && again.duplicates == 5000)
        try CoverageRefresh.refresh(connection)

        // The simulation's blind spots: the throttled executive, the capped export (twice), the
        // lost IIS days, HttpProxy logs that start late and are missing for EXCH02, and the
        // on-premises mailboxes with no MailItemsAccessed.
        let windows = try BlindWindow.list(from: connection)
        func subjects(_ kind: String) -> Set<String> { Set(windows.filter { $0.kind == kind }.map(\.subject)) }
        #expect(subjects("throttled").count == 1)
        #expect(subjects("search-cap") == [capped.path, copy.path])
        #expect(windows.first { $0.subject == copy.path }?.startsAt == nil)
        #expect(subjects("source-gap") == ["iis", "httpproxy"])
        #expect(subjects("server-gap") == ["exch02: httpproxy", "exch02: mailbox-audit-csv"])
        #expect(subjects("no-mail-access-audit").count == 120 / 8)
        let throttled = try #require(subjects("throttled").first)
        let reading = try RankedSession.top(1000, minimumScore: 1, from: connection).filter {
            $0.mailboxOwners.contains(throttled) && $0.actor?.hasPrefix("ServicePrincipal_") == true
                && $0.blindSpots.contains { $0.contains("throttled") }
        }
        #expect(!reading.isEmpty, "no session names the throttle window of \(throttled)")

        let kept = try TestDatabase.coverageCounts(connection)
        try connection.execute("delete from mailhound.coverage_counts")
        try CoverageRefresh.refresh(connection)
        #expect(try BlindWindow.list(from: connection) == windows)
        #expect(try TestDatabase.coverageCounts(connection) == kept && kept.count > 120)
    }

    @Test(
        "every variant family: precision@10 >= 0.9, every attack ranked and above every trap, the attackers above every trap identity",
        arguments: SimulationVariant.allCases.filter { $0 != .standard })
    func variantFamily(_ variant: SimulationVariant) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("variant-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let truth = try SimulatedTenant(seed: 5, users: 120, days: 28, variant: variant).write(to: folder)
        let connection = try TestDatabase.fresh("variant").connect()
        var options = Ingestor.Options()
        options.read.tenant = truth.tenant
        let summary = try Ingestor(connection: connection, options: options, logger: TestDatabase.logger)
            .ingest(InputFile.expand([folder.appendingPathComponent("logs").path]))
        #expect(summary.failures.isEmpty && summary.quarantined == 0)
        _ = try DetectionRunner(sql: TestDatabase.sql, logger: TestDatabase.logger).run(connection)
        try expectRankingQuality(on: connection, truth: truth)
        // The first run counted the coverage from its session counts, the web requests read apart:
        // as the records count it.
        let counted = try TestDatabase.coverageCounts(connection)
        #expect(try TestDatabase.coverageCountedFromRecords(connection) == counted && counted.count > 120)
        func accounts(_ role: RankedAccount.Role) throws -> [(rank: Int, account: String)] {
            try RankedAccount.top(1000, role: role, from: connection).map { ($0.rank, $0.account) }
        }
        let accountQuality = AccountQuality(actors: try accounts(.actor), owners: try accounts(.owner), truth: truth)
        #expect(
            accountQuality.attackersOutrankTraps,
            "attackers to #\(accountQuality.worstAttackerRank ?? -1), trap identity #\(accountQuality.bestTrapActorRank ?? -1)"
        )
    }

    /// precision@10 >= 0.9, every attack ranked and above every trap.
    private func expectRankingQuality(on connection: Connection, truth: SimulationTruth) throws {
        let ranking = try RankedSession.top(1000, minimumScore: 1, from: connection).map {
            RankedEntry(
                rank: $0.rank, actor: $0.actor, mailboxOwners: $0.mailboxOwners, firstSeen: $0.firstSeen,
                lastSeen: $0.lastSeen)
        }
        let quality = RankingQuality(ranking: ranking, truth: truth)
        #expect(quality.precisionAt10 >= 0.9, "precision@10 \(quality.precisionAt10)")
        #expect(quality.recall == 1, "unranked: \(quality.attackRanks.filter { $0.value == nil }.keys.sorted())")
        #expect(
            quality.attacksOutrankTraps,
            "attacks \(quality.attackRanks.mapValues { $0 ?? -1 }), traps \(quality.trapRanks)")
    }
}
