/// Families of the planted stories. Beside the stories as written, each family changes every
/// attack in one way that evades rules written for the standard shapes, or makes the benign
/// routine look worse, so a ranking is judged on more than the shapes it was tuned on.
public enum SimulationVariant: String, Sendable, CaseIterable, Codable {
    /// The stories as written.
    case standard
    /// Every theft cut into sessions of one mailbox each, a few mailboxes a night.
    case split
    /// Each attack lacks a stage: no consent record, no download, no revoke, no fetch.
    case missingStage = "missing-stage"
    /// Each attack spread over several nights.
    case spread
    /// Attackers come from a network the abused account used once before, and the cookie thief's
    /// browser sends the owner's client text.
    case knownNetwork = "known-network"
    /// Benign routine that looks worse: backups that sync with identical volumes every night from
    /// the data's first day, a second archiving app, assistants with three bosses each.
    case harshTraps = "harsh-traps"
    /// Every attack begins in the data's first week, before any baseline exists: what an
    /// investigation that loads logs from just before the intrusion sees.
    case early
    /// Every attack in the working day: what began at night begins between 10:00 and 15:00, when
    /// the staff read mail too, so nothing is off-hours.
    case daytime
    /// Every theft reads a fortieth of the items: a session reads about what a busy owner reads.
    case quiet
}

/// How many more benign identities of the kinds that look most like theft the tenant has, beside
/// the planted traps: the mix a ranking must hold under.
public struct SimulationMix: Sendable, Equatable {
    /// App-only identities reading a fixed share of the mailboxes every night from the data's
    /// first day (archiving, journaling, e-discovery connectors), each at its own hour.
    public var apps: Int
    /// Staff reading one to three colleagues' mailboxes as delegates every working day.
    public var delegates: Int

    public init(apps: Int = 0, delegates: Int = 0) {
        self.apps = max(0, apps)
        self.delegates = max(0, delegates)
    }
}
