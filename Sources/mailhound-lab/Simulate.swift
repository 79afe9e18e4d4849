import ArgumentParser
import CommandSupport
import Foundation
import Simulation

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a simulated hybrid tenant with planted attacks and benign look-alikes, and its truth file.",
        discussion: """
            Writes Unified Audit Log JSON lines and a Purview export (Exchange Online), and the mailbox and admin \
            audit exports, HttpProxy and IIS logs of the on-premises server EXCH01, under --out/logs. --out/truth.json lists \
            the seven attacks (ProxyLogon, an OAuth app reading executives at night, an admin's grant → sync → \
            revoke, a low-and-slow insider, a rogue compliance export, a stolen session cookie replayed at night \
            to download its owner's mailbox, a phishing app a user let read their mail downloading it at night) \
            and the traps, each with the sessions it produced. The same seed \
            writes the same bytes. Load it with:
              mailhound ingest --tenant \(SimulatedTenant.organizationID) DIR/logs
            """)

    @Option(help: "Seed: the same seed writes the same tenant.")
    var seed: UInt64 = 1

    @Option(help: "Folder to write into (created if missing).")
    var out: String

    @Option(help: "Staff (at least 60).")
    var users = 300

    @Option(help: "Days of activity (at least 21), from Monday 2021-02-08.")
    var days = 28

    @Option(help: "Family of the planted stories: \(SimulationVariant.names).")
    var variant: SimulationVariant = .standard

    @Option(help: "More benign apps reading a share of the mailboxes nightly from the first day.")
    var apps = 0

    @Option(help: "More staff reading colleagues' mailboxes as delegates every working day.")
    var delegates = 0

    func run() throws {
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let truth = try SimulatedTenant(
            seed: seed, users: users, days: days, variant: variant, mix: SimulationMix(apps: apps, delegates: delegates)
        ).write(to: folder)
        print("simulated \(truth.users) staff, \(truth.from) to \(truth.until), into \(folder.path)")
        print("attacks: " + truth.attacks.map(\.id).joined(separator: ", "))
        print("traps:   " + truth.traps.map(\.id).joined(separator: ", "))
        print("load it: mailhound ingest --tenant \(truth.tenant) \(folder.appendingPathComponent("logs").path)")
    }
}

extension SimulationVariant: ExpressibleByArgument {
    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
