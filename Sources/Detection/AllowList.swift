import Foundation
import PostgresClient
import Store

/// Known-good actors, apps and networks (`mailhound allow`). A matching finding is kept but
/// suppressed: it no longer scores, and `--include-suppressed` still shows it.
public enum AllowList {
    /// What a new entry matches; nil fields match anything, but at least one must be set.
    public struct Match: Sendable, Equatable {
        public var actor: String?
        public var appID: String?
        public var clientNetwork: String?
        public var detector: String?

        public init(actor: String? = nil, appID: String? = nil, clientNetwork: String? = nil, detector: String? = nil) {
            self.actor = actor
            self.appID = appID
            self.clientNetwork = clientNetwork
            self.detector = detector
        }

        var isEmpty: Bool { actor == nil && appID == nil && clientNetwork == nil && detector == nil }
    }

    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Adds an entry and applies the allow-list to the current findings at once; returns its id. `expires` is a
    /// timestamptz literal; the network is checked by PostgreSQL's cidr type.
    public static func add(
        _ match: Match, reason: String, expires: String? = nil, tenant: String? = nil, to connection: Connection
    ) throws -> Int {
        guard !match.isEmpty else {
            throw Refusal(description: "an entry needs at least one of --actor, --app-id, --network or --detector")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Refusal(description: "an entry needs a --reason (ticket, owner), so the next responder knows why")
        }
        let entryID = try connection.transaction {
            // An entry applies to one tenant: the one named, else the only one in the data.
            let tenants = try connection.execute(
                "select distinct tenant from mailhound.events order by 1 limit 2"
            ).rows.compactMap { $0["tenant"] }
            guard let chosen = tenant ?? (tenants.count == 1 ? tenants.first : nil) else {
                throw Refusal(
                    description: tenants.isEmpty
                        ? "no data loaded yet: name the tenant with --tenant"
                        : "the data holds several tenants: name one with --tenant")
            }
            let id =
                try connection.execute(
                    """
                    insert into mailhound.allowlist (tenant, actor, app_id, client_network, detector_id, reason, expires_at)
                    values (\(chosen), \(match.actor), \(match.appID), \(match.clientNetwork)::cidr, \(match.detector),
                        \(reason), \(expires)::timestamptz)
                    returning entry_id
                    """
                ).rows.first?.int("entry_id") ?? 0
            try apply(connection)
            return id
        }
        return entryID
    }

    /// Removes an entry; the findings it suppressed score again at once. False when there was none.
    @discardableResult
    public static func remove(_ id: Int, from connection: Connection) throws -> Bool {
        try connection.transaction {
            let removed =
                try connection.execute("delete from mailhound.allowlist where entry_id = \(id)").affectedRows > 0
            try apply(connection)
            return removed
        }
    }

    /// Sets every finding's suppression from the entries in force; returns how many are suppressed.
    /// Without entries or suppressed findings there is nothing to do, and a large run skips
    /// looking every finding's session up. Then scores the sessions and the accounts again
    /// (`mailhound.session_scores` and `mailhound.account_scores`, which the rankings read).
    @discardableResult
    static func apply(_ connection: Connection) throws -> Int {
        let suppressed =
            try connection.execute(
                """
                select case when mailhound.allowlist_in_use() then mailhound.apply_allowlist() else 0 end as suppressed
                """
            ).rows.first?.int("suppressed") ?? 0
        try connection.execute("select mailhound.refresh_session_scores()")
        try connection.execute("select mailhound.refresh_account_scores()")
        return suppressed
    }
}
