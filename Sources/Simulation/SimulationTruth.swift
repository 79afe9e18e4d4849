import AuditEvents

/// What a simulated tenant really contains: the labelled attacks and the benign look-alikes
/// ("traps") planted among ordinary activity. Written beside the logs as `truth.json`.
public struct SimulationTruth: Codable, Sendable, Equatable {
    public var seed: UInt64
    /// The tenant the records belong to; ingest the on-premises files with `--tenant` set to it.
    public var tenant: String
    public var users: Int
    /// First and last day of the data, ISO 8601 UTC.
    public var from: String
    public var until: String
    public var attacks: [Incident]
    public var traps: [Incident]

    /// One planted story, attack or trap, and the sessions it produced.
    public struct Incident: Codable, Sendable, Equatable {
        public var id: String
        public var summary: String
        public var parts: [Part]

        public init(id: String, summary: String, parts: [Part]) {
            self.id = id
            self.summary = summary
            self.parts = parts
        }
    }

    public init(
        seed: UInt64, tenant: String, users: Int, from: String, until: String, attacks: [Incident], traps: [Incident]
    ) {
        self.seed = seed
        self.tenant = tenant
        self.users = users
        self.from = from
        self.until = until
        self.attacks = attacks
        self.traps = traps
    }

    /// The activity of one identity in a time window: every session of `actor` overlapping the
    /// window belongs to the incident, or, when `mailboxes` is not empty, only those touching one of
    /// them (an insider's own reading is not the theft).
    public struct Part: Codable, Sendable, Equatable {
        public var actor: String
        public var from: String
        public var until: String
        public var mailboxes: [String]

        init(actor: String, from: Timestamp, until: Timestamp, mailboxes: [String] = []) {
            self.init(actor: actor, from: from.description, until: until.description, mailboxes: mailboxes)
        }

        /// `from` and `until` in ISO 8601 UTC.
        public init(actor: String, from: String, until: String, mailboxes: [String] = []) {
            self.actor = actor.lowercased()
            self.from = from
            self.until = until
            self.mailboxes = mailboxes.map { $0.lowercased() }
        }

        func matches(_ session: RankedEntry) -> Bool {
            guard session.actor?.lowercased() == actor,
                let start = Timestamp(iso8601: from), let end = Timestamp(iso8601: until),
                let first = Timestamp(iso8601: session.firstSeen), let last = Timestamp(iso8601: session.lastSeen)
            else { return false }
            let overlaps = first <= end && last >= start
            return overlaps
                && (mailboxes.isEmpty || session.mailboxOwners.contains { mailboxes.contains($0.lowercased()) })
        }
    }

    /// The incident a ranked session belongs to, if any.
    public func label(of session: RankedEntry) -> Label {
        if let attack = attacks.first(where: { $0.parts.contains { $0.matches(session) } }) {
            return .attack(attack.id)
        }
        if let trap = traps.first(where: { $0.parts.contains { $0.matches(session) } }) {
            return .trap(trap.id)
        }
        return .other
    }

    public enum Label: Sendable, Equatable {
        case attack(String)
        case trap(String)
        case other
    }
}

/// A ranked session as the quality measure sees it.
public struct RankedEntry: Sendable, Equatable {
    public var rank: Int
    public var actor: String?
    public var mailboxOwners: [String]
    public var firstSeen: String
    public var lastSeen: String

    public init(rank: Int, actor: String?, mailboxOwners: [String], firstSeen: String, lastSeen: String) {
        self.rank = rank
        self.actor = actor
        self.mailboxOwners = mailboxOwners
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// How well a ranking puts the planted attacks above everything else.
public struct RankingQuality: Sendable, Equatable {
    /// Share of attack sessions among the first k ranked sessions, for k = 10 and 20.
    public var precisionAt10: Double
    public var precisionAt20: Double
    /// Share of attacks with at least one ranked session.
    public var recall: Double
    /// Rank of each attack's best session (nil: not ranked), by attack id.
    public var attackRanks: [String: Int?]
    /// Best rank of any trap session, by trap id.
    public var trapRanks: [String: Int]

    /// The rank at which the last attack first appears; nil when an attack is missing.
    public var worstAttackRank: Int? {
        attackRanks.values.reduce(Optional(0)) { worst, rank in
            guard let worst, let rank else { return nil }
            return max(worst, rank)
        }
    }

    public var bestTrapRank: Int? { trapRanks.values.min() }

    /// Whether every attack's best session ranks above every trap session.
    public var attacksOutrankTraps: Bool {
        guard let worst = worstAttackRank else { return false }
        return bestTrapRank.map { worst < $0 } ?? true
    }

    public init(ranking: [RankedEntry], truth: SimulationTruth) {
        let labels = ranking.map { ($0.rank, truth.label(of: $0)) }
        func precision(at k: Int) -> Double {
            let top = labels.prefix(k)
            guard !top.isEmpty else { return 0 }
            let hits = top.filter { if case .attack = $0.1 { true } else { false } }.count
            return Double(hits) / Double(k)
        }
        precisionAt10 = precision(at: 10)
        precisionAt20 = precision(at: 20)
        var attackRanks: [String: Int?] = Dictionary(uniqueKeysWithValues: truth.attacks.map { ($0.id, nil) })
        var trapRanks: [String: Int] = [:]
        for (rank, label) in labels {
            switch label {
            case .attack(let id): if attackRanks[id] == .some(nil) { attackRanks[id] = rank }
            case .trap(let id): trapRanks[id] = min(trapRanks[id] ?? rank, rank)
            case .other: break
            }
        }
        self.attackRanks = attackRanks
        self.trapRanks = trapRanks
        let found = attackRanks.values.filter { $0 != nil }.count
        recall = truth.attacks.isEmpty ? 1 : Double(found) / Double(truth.attacks.count)
    }
}

/// How well the account rankings name the planted stories: the attacking identities above the
/// identities of every trap (routine apps, assistants), and the victims among the most exposed
/// mailboxes.
public struct AccountQuality: Sendable, Equatable {
    /// Whether every attack has an identity ranked above every trap identity (`accounts --role actor`).
    public var attackersOutrankTraps: Bool
    /// The worst of the attacks' best actor ranks; nil when an attack's identities are not ranked.
    public var worstAttackerRank: Int?
    /// The best rank of a trap identity; nil when none is ranked.
    public var bestTrapActorRank: Int?
    /// Share of the first 20 exposed owners (`accounts --role owner`) that are named victims of an
    /// attack (its listed mailboxes); of fewer when fewer are named.
    public var victimsInTop20: Double

    /// `actors` and `owners` are the two role rankings as (rank, account), best first.
    public init(actors: [(rank: Int, account: String)], owners: [(rank: Int, account: String)], truth: SimulationTruth)
    {
        func bestRank(_ identities: Set<String>) -> Int? {
            actors.first { identities.contains($0.account.lowercased()) }?.rank
        }
        let attackRanks = truth.attacks.map { bestRank(Set($0.parts.map(\.actor))) }
        let trapIdentities = Set(truth.traps.flatMap { $0.parts.map(\.actor) })
            .subtracting(truth.attacks.flatMap { $0.parts.map(\.actor) })
        let worst = attackRanks.contains(nil) ? nil : attackRanks.compactMap { $0 }.max()
        let bestTrap = bestRank(trapIdentities)
        worstAttackerRank = worst
        bestTrapActorRank = bestTrap
        attackersOutrankTraps = worst.map { worst in bestTrap.map { worst < $0 } ?? true } ?? false
        let victims = Set(truth.attacks.flatMap { $0.parts.flatMap(\.mailboxes) })
        let top = owners.prefix(min(20, victims.count)).map { $0.account.lowercased() }
        victimsInTop20 = top.isEmpty ? 1 : Double(top.filter(victims.contains).count) / Double(top.count)
    }
}
