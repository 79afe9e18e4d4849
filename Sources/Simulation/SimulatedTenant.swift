import AuditEvents
import DemoData
import Foundation

/// A generated law firm of a few hundred people over some weeks, hybrid Exchange: most mailboxes in
/// Exchange Online (Unified Audit Log JSON lines and a Purview export), a research group still on
/// the on-premises server EXCH01 (mailbox and admin audit exports, HttpProxy and IIS logs), and a
/// second front end EXCH02 whose IIS logs were copied but whose HttpProxy logs were not.
///
/// Among ordinary mail reading it plants benign look-alikes (a nightly backup app, delegates,
/// shared mailboxes, a night shift, travellers, new phones, a help-desk grant, ticketed eDiscovery,
/// a vendor's mail app a user lets in) and seven labelled attacks (ProxyLogon on EXCH01, an OAuth
/// app reading executives at night, a compromised admin's grant → sync → revoke, a low-and-slow
/// insider, a rogue compliance export, a stolen session cookie replayed at night to download its
/// owner's mailbox, a phishing app a user lets read their mail downloading it at night).
/// The logs go under `logs/`; `truth.json` beside them names every planted session. The same seed
/// always writes the same bytes.
public struct SimulatedTenant: Sendable {
    public static let organizationID = "3e9d6c1a-7b52-4f08-a6d3-c2e41f9b8a70"
    public static let domain = "fabrikam-law.example"

    public let seed: UInt64
    public let users: Int
    public let days: Int
    public let variant: SimulationVariant
    public let mix: SimulationMix

    public init(
        seed: UInt64, users: Int = 300, days: Int = 28, variant: SimulationVariant = .standard,
        mix: SimulationMix = SimulationMix()
    ) {
        self.seed = seed
        self.users = max(60, users)
        self.days = max(21, days)
        self.variant = variant
        self.mix = mix
    }

    /// Writes `logs/` and `truth.json` under `folder` and returns the truth.
    @discardableResult
    public func write(to folder: URL) throws -> SimulationTruth {
        var simulator = Simulator(
            seed: seed, people: People(count: users, seed: seed), days: days, variant: variant, mix: mix)
        simulator.simulate()
        let files = simulator.log.files(calendar: simulator.calendar)
        for (path, lines) in files {
            let url = folder.appendingPathComponent("logs").appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: url)
        }
        let truth = SimulationTruth(
            seed: seed, tenant: Self.organizationID, users: users,
            from: simulator.calendar.at(0, 0).description, until: simulator.calendar.at(days, 0).description,
            attacks: simulator.attacks, traps: simulator.traps)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(truth).write(to: folder.appendingPathComponent("truth.json"))
        return truth
    }
}

/// Days from Monday 2021-02-08, so the ProxyLogon weeks of March 2021 fall inside longer runs.
struct SimulationCalendar {
    let start = Timestamp(year: 2021, month: 2, day: 8)

    func at(_ day: Int, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Timestamp {
        Timestamp(
            microsecondsSinceEpoch: start.microsecondsSinceEpoch
                + Int64(((day * 24 + hour) * 60 + minute) * 60 + second) * 1_000_000)
    }

    func isWeekday(_ day: Int) -> Bool { day % 7 < 5 }
}

/// One member of staff.
struct Person {
    let name: String
    /// First working hour, UTC.
    let startHour: Int
    let home: String
    let onPremises: Bool

    var upn: String { "\(name)@\(SimulatedTenant.domain)" }
    /// The separate admin account IT staff use for admin work.
    var adminUPN: String { "adm-\(name)@\(SimulatedTenant.domain)" }
}

/// The staff and the roles the simulation gives them, all drawn from the seed.
struct People {
    let everyone: [Person]
    let executives: [Person]
    /// Senior lawyers whose mail is worth stealing after the executives'.
    let partners: [Person]
    let assistants: [Person]
    let admins: [Person]
    let complianceOfficer: Person
    let cloud: [Person]
    let onPremises: [Person]
    let nightShift: [Person]
    let sharedMailboxes = ["support", "billing"].map { "\($0)@\(SimulatedTenant.domain)" }
    let sharedMembers: [[Person]]

    private static let firstNames = [
        "amelia", "ben", "chloe", "daniel", "elena", "farid", "grace", "hugo", "isla", "jonas", "kira", "liam",
        "maya", "nikhil", "olivia", "pavel", "quinn", "rosa", "samir", "tara", "umar", "vera", "wen", "xavier",
        "yara", "zane", "alba", "bruno", "carmen", "dmitri", "esther", "felix", "gita", "henrik", "ines", "jun",
        "leila", "marco", "nora", "oscar",
    ]
    private static let lastNames = [
        "adams", "baker", "costa", "diaz", "evans", "fischer", "garcia", "haddad", "ito", "jensen", "kowalski",
        "lopez", "moreau", "nakamura", "okafor", "petrov", "quint", "rossi", "silva", "tanaka", "ueda", "vogel",
        "walsh", "xu", "young", "zimmer", "abbott", "brennan", "chen", "dubois", "eriksen", "ferreira", "gupta",
        "horvat", "ivanova", "jovanovic", "kim", "larsen", "meyer", "novak",
    ]

    init(count: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed ^ 0x5EED_9E09_1E00_0001)
        let firstNames = Self.firstNames.count
        var people: [Person] = []
        for index in 0..<count {
            let name =
                Self.firstNames[index % firstNames] + "."
                + Self.lastNames[(index * 7 + index / firstNames) % Self.lastNames.count]
            let nightShift = index >= 20 && random.next(below: 25) == 0
            people.append(
                Person(
                    name: name, startHour: nightShift ? 21 : 7 + random.next(below: 3),
                    home: "100.\(64 + index / 250).\(index % 250).\(2 + random.next(below: 250))",
                    onPremises: index >= count - count / 8))
        }
        everyone = people
        executives = Array(people[0..<6])
        partners = people[13..<20].filter { !$0.onPremises }
        assistants = Array(people[6..<9])
        admins = Array(people[9..<12])
        complianceOfficer = people[12]
        cloud = people.filter { !$0.onPremises }
        onPremises = people.filter(\.onPremises)
        nightShift = people.filter { $0.startHour >= 20 }
        let members = people[20..<(people.count - people.count / 8)].filter { $0.startHour < 20 }
        sharedMembers = [Array(members.prefix(5)), Array(members.dropFirst(5).prefix(5))]
    }
}
