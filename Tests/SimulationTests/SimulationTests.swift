import DemoData
import Foundation
import Simulation
import Testing

@Suite("Simulated tenant")
struct SimulationTests {
    private func written(seed: UInt64) throws -> (URL, SimulationTruth) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simulation-\(UUID().uuidString)")
        let truth = try SimulatedTenant(seed: seed, users: 80, days: 21).write(to: folder)
        return (folder, truth)
    }

    private func contents(of folder: URL) throws -> [String: Data] {
        let root = folder.appendingPathComponent("logs")
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard !url.hasDirectoryPath else { continue }
            files[String(url.path.dropFirst(root.path.count))] = try Data(contentsOf: url)
        }
        return files
    }

    @Test("the same seed writes the same bytes; another seed writes other records")
    func deterministic() throws {
        let (first, _) = try written(seed: 5)
        let (again, _) = try written(seed: 5)
        let (other, _) = try written(seed: 6)
        defer { for folder in [first, again, other] { try? FileManager.default.removeItem(at: folder) } }
        let firstFiles = try contents(of: first)
        #expect(firstFiles == (try contents(of: again)))
        #expect(firstFiles != (try contents(of: other)))
    }

    @Test("every supported format is written, and the truth names seven attacks and their traps")
    func formatsAndTruth() throws {
        let (folder, truth) = try written(seed: 9)
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = try contents(of: folder).keys
        for expected in [
            "ual-mailitemsaccessed-week1.jsonl", "purview-audit-admin.csv", "mailbox-audit.csv",
            "admin-audit.csv", "HttpProxy_", "u_ex21",
        ] {
            #expect(names.contains { $0.contains(expected) }, "no \(expected) file")
        }
        #expect(
            truth.attacks.map(\.id) == [
                "proxylogon", "oauth-app-night-reads", "admin-grant-sync-revoke", "low-and-slow-insider",
                "rogue-compliance-export", "stolen-session-download", "consent-phishing",
            ])
        #expect(truth.traps.count >= 8)
        let stored = try JSONDecoder().decode(
            SimulationTruth.self, from: Data(contentsOf: folder.appendingPathComponent("truth.json")))
        #expect(stored == truth)
    }
    @Test("the daytime family moves the night's attacks into the working day; the quiet family's thefts read less")
    func dayAndQuietFamilies() throws {
        func tenant(_ variant: SimulationVariant) throws -> (URL, SimulationTruth) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("family-\(UUID().uuidString)")
            return (folder, try SimulatedTenant(seed: 9, users: 80, days: 21, variant: variant).write(to: folder))
        }
        let (standard, standardTruth) = try tenant(.standard)
        let (daytime, daytimeTruth) = try tenant(.daytime)
        let (quiet, _) = try tenant(.quiet)
        defer { for folder in [standard, daytime, quiet] { try? FileManager.default.removeItem(at: folder) } }
        // The insider reads in working hours in every family.
        func startHours(_ truth: SimulationTruth) -> [Int] {
            truth.attacks.filter { $0.id != "low-and-slow-insider" }.compactMap { attack in
                attack.parts.first.flatMap { Int($0.from.dropFirst(11).prefix(2)) }
            }
        }
        #expect(startHours(standardTruth).count == 6 && startHours(standardTruth).allSatisfy { !(9...17).contains($0) })
        #expect(startHours(daytimeTruth).count == 6 && startHours(daytimeTruth).allSatisfy { (10...15).contains($0) })
        // Items the intruders' addresses read (the documentation ranges no one else uses).
        struct Read: Decodable {
            var address: String?
            var items: Int?
            enum CodingKeys: String, CodingKey {
                case address = "ClientIPAddress"
                case items = "OperationCount"
            }
        }
        func stolenItems(_ folder: URL) throws -> Int {
            let logs = folder.appendingPathComponent("logs/exchange-online")
            let files = try FileManager.default.contentsOfDirectory(at: logs, includingPropertiesForKeys: nil)
            // The files hold a few broken lines on purpose (the quarantine's).
            let reads = try files.filter { $0.pathExtension == "jsonl" }.flatMap { file in
                // Bytes, not characters: a CRLF is one character.
                try Data(contentsOf: file).split(separator: UInt8(ascii: "\n")).compactMap {
                    try? JSONDecoder().decode(Read.self, from: Data($0))
                }
            }
            return reads.filter {
                let address = $0.address ?? ""
                return address.hasPrefix("203.0.113.") || address.hasPrefix("192.0.2.")
            }.reduce(0) { $0 + ($1.items ?? 0) }
        }
        let standardItems = try stolenItems(standard)
        let quietItems = try stolenItems(quiet)
        #expect(standardItems > 1000 && quietItems > 0 && quietItems * 10 < standardItems)
    }
}

@Suite("Ranking quality")
struct RankingQualityTests {
    private static func part(
        _ actor: String, _ from: String, _ until: String, mailboxes: [String] = []
    )
        -> SimulationTruth.Part
    {
        SimulationTruth.Part(actor: actor, from: from, until: until, mailboxes: mailboxes)
    }

    private let truth = SimulationTruth(
        seed: 1, tenant: "t", users: 10, from: "2021-02-08T00:00:00Z", until: "2021-03-08T00:00:00Z",
        attacks: [
            .init(id: "theft", summary: "", parts: [part("mallory", "2021-03-01T00:00:00Z", "2021-03-02T00:00:00Z")]),
            .init(
                id: "insider", summary: "",
                parts: [part("eve", "2021-02-20T00:00:00Z", "2021-03-08T00:00:00Z", mailboxes: ["bob"])]),
        ],
        traps: [
            .init(id: "backup", summary: "", parts: [part("backup", "2021-02-08T00:00:00Z", "2021-03-08T00:00:00Z")])
        ])

    private func entry(_ rank: Int, _ actor: String, _ day: Int, owners: [String] = []) -> RankedEntry {
        let time = String(format: "2021-03-%02dT10:00:00Z", day)
        return RankedEntry(rank: rank, actor: actor, mailboxOwners: owners, firstSeen: time, lastSeen: time)
    }

    @Test("sessions are labelled by actor, time window and, where named, the mailboxes touched")
    func labels() {
        #expect(truth.label(of: entry(1, "Mallory", 1)) == .attack("theft"))
        #expect(truth.label(of: entry(1, "mallory", 5)) == .other)
        #expect(truth.label(of: entry(1, "eve", 3, owners: ["bob"])) == .attack("insider"))
        #expect(truth.label(of: entry(1, "eve", 3, owners: ["eve"])) == .other)
        #expect(truth.label(of: entry(1, "backup", 3)) == .trap("backup"))
    }

    @Test("precision, recall and the attack-over-trap order follow the ranks")
    func measures() {
        let good = RankingQuality(
            ranking: [entry(1, "mallory", 1), entry(2, "eve", 2, owners: ["bob"]), entry(3, "backup", 2)],
            truth: truth)
        #expect(good.precisionAt10 == 0.2)
        #expect(good.recall == 1)
        #expect(good.attacksOutrankTraps)
        #expect(good.worstAttackRank == 2 && good.bestTrapRank == 3)

        let trapFirst = RankingQuality(
            ranking: [entry(1, "mallory", 1), entry(2, "backup", 2), entry(3, "eve", 2, owners: ["bob"])],
            truth: truth)
        #expect(!trapFirst.attacksOutrankTraps)

        let missing = RankingQuality(ranking: [entry(1, "mallory", 1)], truth: truth)
        #expect(missing.recall == 0.5)
        #expect(missing.worstAttackRank == nil && !missing.attacksOutrankTraps)
    }
}
