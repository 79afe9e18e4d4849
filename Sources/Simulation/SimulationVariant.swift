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
    /// Attackers come from a network the abused account used once before.
    case knownNetwork = "known-network"
    /// Benign routine that looks worse: backups that sync with identical volumes every night from
    /// the data's first day, a second archiving app, assistants with three bosses each.
    case harshTraps = "harsh-traps"
}
