/// One line of the account ranking: an identity that acted, or a mailbox others read.
public struct RankedAccount: Sendable, Equatable, Encodable {
    public enum Role: String, Sendable, CaseIterable, Encodable {
        /// The identity that acted: likely compromised or abused.
        case actor
        /// A mailbox read by someone else: exposed.
        case owner
    }

    public var rank: Int
    public var score: Int
    public var severity: String
    public var role: Role
    public var tenant: String
    public var account: String
    public var sessions: Int
    public var detectors: [String]
    public var reasons: [String]

    public init(
        rank: Int, score: Int, severity: String, role: Role, tenant: String, account: String, sessions: Int,
        detectors: [String], reasons: [String]
    ) {
        self.rank = rank
        self.score = score
        self.severity = severity
        self.role = role
        self.tenant = tenant
        self.account = account
        self.sessions = sessions
        self.detectors = detectors
        self.reasons = reasons
    }
}
