import ArgumentParser
import CommandSupport
import Detection
import Foundation
import Ingest
import Rankings
import ReadModel
import Reports
import Simulation
import Store

struct BenchQuality: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Measure ranking quality on simulated tenants: precision@k, recall and the best trap's rank.",
        discussion: """
            For each seed, writes a simulated tenant (see `mailhound-lab simulate`), loads it into a scratch database \
            mailhound_quality, runs every detector and compares the ranking with the truth file. Precision@k is \
            the share of the first k sessions that belong to a planted attack; recall the share of attacks with a \
            ranked session; an attack outranks the traps when its best session ranks above every trap session.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Seeds, comma-separated.")
    var seeds = "1,2,3,4,5"

    @Option(help: "Staff per simulated tenant.")
    var users = 400

    @Option(help: "Days per simulated tenant.")
    var days = 42

    @Option(help: "More benign apps reading a share of the mailboxes nightly from the first day.")
    var apps = 0

    @Option(help: "More staff reading colleagues' mailboxes as delegates every working day.")
    var delegates = 0

    @Option(help: "Families of the planted stories, comma-separated: \(SimulationVariant.names).")
    var variants = SimulationVariant.allCases.map(\.rawValue).joined(separator: ",")

    func run() async throws {
        let seedList = try commaSeparated(seeds, invalid: "seeds are whole numbers") { UInt64($0) }
        let families = try commaSeparated(variants, invalid: "variants: \(SimulationVariant.names)") {
            SimulationVariant(rawValue: $0)
        }
        var byFamily: [(SimulationVariant, [(RankingQuality, AccountQuality)])] = []
        for family in families {
            print("\(family.rawValue):")
            byFamily.append((family, try measure(family, seeds: seedList)))
        }
        print("")
        print(Figure.table(QualityReport.figures(byFamily)))
        print(
            "\nmailhound-lab bench quality: \(families.count) families × \(seedList.count) seeds, \(users) staff, \(days) days,"
                + " \(apps) more apps, \(delegates) more delegates each"
        )
    }

    private func measure(
        _ family: SimulationVariant, seeds seedList: [UInt64]
    ) throws -> [(RankingQuality, AccountQuality)] {
        let logger = global.logger()
        let target = DatabaseTarget.resolve(option: global.databaseURL)
        var results: [(RankingQuality, AccountQuality)] = []
        for seed in seedList {
            let folder = try BenchFolder(nil, label: "quality-\(seed)")
            defer { folder.removeIfTemporary() }
            let truth = try SimulatedTenant(
                seed: seed, users: users, days: days, variant: family,
                mix: SimulationMix(apps: apps, delegates: delegates)
            ).write(to: folder.url)
            let database = try Database.scratch(
                named: "mailhound_quality", target: target, sql: .locate(), logger: logger)
            let connection = try database.connectMigrated()
            var options = Ingestor.Options()
            options.read.tenant = truth.tenant
            let loaded = try IngestRun.run(
                paths: [folder.url.appendingPathComponent("logs").path], options: options, connection: connection,
                logger: logger)
            guard loaded.exitStatus == ExitStatus.ok else { throw loaded.exitStatus }
            _ = try DetectionRunner(sql: database.sql, logger: logger).run(connection)
            let quality = RankingQuality(
                ranking: try RankedSession.top(1000, minimumScore: 1, from: connection).map(\.entry), truth: truth)
            func accounts(_ role: RankedAccount.Role) throws -> [(rank: Int, account: String)] {
                try RankedAccount.top(1000, role: role, from: connection).map { ($0.rank, $0.account) }
            }
            let accountQuality = AccountQuality(
                actors: try accounts(.actor), owners: try accounts(.owner), truth: truth)
            results.append((quality, accountQuality))
            print("  " + QualityReport.seedLine(seed: seed, quality, accountQuality))
        }
        return results
    }
}

extension RankedSession {
    var entry: RankedEntry {
        RankedEntry(rank: rank, actor: actor, mailboxOwners: mailboxOwners, firstSeen: firstSeen, lastSeen: lastSeen)
    }
}

enum QualityReport {
    static func seedLine(seed: UInt64, _ quality: RankingQuality, _ accounts: AccountQuality) -> String {
        func rank(_ value: Int?) -> String { value.map { "#\($0)" } ?? "unranked" }
        let attacks = quality.attackRanks.sorted { $0.key < $1.key }.map { "\($0.key) \(rank($0.value))" }
        let trap = quality.trapRanks.min { $0.value < $1.value }.map { "\($0.key) #\($0.value)" } ?? "none ranked"
        return "seed \(seed): precision@10 \(format(quality.precisionAt10)), precision@20 "
            + "\(format(quality.precisionAt20)), recall \(format(quality.recall)); attacks: "
            + attacks.joined(separator: ", ") + "; best trap: \(trap); accounts: attackers to #"
            + (accounts.worstAttackerRank.map(String.init) ?? "unranked") + ", best trap identity #"
            + (accounts.bestTrapActorRank.map(String.init) ?? "-") + ", victims among the top 20 owners "
            + format(accounts.victimsInTop20)
    }

    /// The targets per family, then the figures of all families together.
    static func figures(_ families: [(SimulationVariant, [(RankingQuality, AccountQuality)])]) -> [Figure] {
        var perFamily: [Figure] = []
        for (family, measured) in families {
            let results = measured.map(\.0)
            let lowest10 = results.map(\.precisionAt10).min() ?? 0
            let recall = results.map(\.recall).min() ?? 0
            let outranking = results.filter(\.attacksOutrankTraps).count
            let passed = lowest10 >= 0.9 && recall == 1 && outranking == results.count
            perFamily.append(
                Figure(
                    "\(family.rawValue): p@10 min, recall min, above traps",
                    "\(format(lowest10)), \(format(recall)), \(outranking)/\(results.count)",
                    target: ">= 0.90, 1.00, all", passed: passed))
        }
        let accounts = families.flatMap(\.1).map(\.1)
        let outranking = accounts.filter(\.attackersOutrankTraps).count
        let victims = accounts.map(\.victimsInTop20).min() ?? 0
        return perFamily + figures(families.flatMap(\.1).map(\.0)) + [
            Figure(
                "accounts: attackers above every trap identity", "\(outranking)/\(accounts.count)", target: "all",
                passed: outranking == accounts.count),
            Figure(
                "accounts: share of the top 20 owners who are victims, lowest", format(victims), target: "", passed: nil
            ),
        ]
    }

    static func figures(_ results: [RankingQuality]) -> [Figure] {
        let lowest10 = results.map(\.precisionAt10).min() ?? 0
        let mean10 = results.map(\.precisionAt10).reduce(0, +) / Double(max(results.count, 1))
        let mean20 = results.map(\.precisionAt20).reduce(0, +) / Double(max(results.count, 1))
        let recall = results.map(\.recall).min() ?? 0
        let outranking = results.filter(\.attacksOutrankTraps).count
        let worstAttack = results.map { $0.worstAttackRank.map(String.init) ?? "unranked" }
        let bestTrap = results.map { $0.bestTrapRank.map(String.init) ?? "-" }
        return [
            Figure("precision@10, lowest seed", format(lowest10), target: ">= 0.90", passed: lowest10 >= 0.9),
            Figure("precision@10, mean", format(mean10), target: ">= 0.90", passed: mean10 >= 0.9),
            Figure("precision@20, mean", format(mean20), target: "", passed: nil),
            Figure("recall, lowest seed", format(recall), target: "1.00", passed: recall == 1),
            Figure(
                "seeds where every attack outranks every trap", "\(outranking)/\(results.count)", target: "all",
                passed: outranking == results.count),
            Figure("worst attack's best rank, per seed", worstAttack.joined(separator: " "), target: "", passed: nil),
            Figure("best trap rank, per seed", bestTrap.joined(separator: " "), target: "", passed: nil),
        ]
    }

    private static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
