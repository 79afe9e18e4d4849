import Foundation
import Store

/// Known-good actors, apps and networks (`mailhound allow`). A matching finding is kept but
/// suppressed: it no longer scores, and `--include-suppressed` still shows it.
public enum AllowList {
    public struct Entry: Sendable, Equatable, Encodable {
        public var id: Int
        public var tenant: String
        public var actor: String?
        public var appID: String?
        public var clientNetwork: String?
        public var detector: String?
        public var reason: String
        /// ISO 8601 UTC, or nil for never.
        public var expiresAt: String?
        public var createdAt: String
        /// Findings of the latest run it suppresses.
        public var suppresses: Int
        public var expired: Bool

        enum CodingKeys: String, CodingKey {
            case id, tenant, actor, detector, reason, suppresses, expired
            case appID = "app_id"
            case clientNetwork = "client_network"
            case expiresAt = "expires_at"
            case createdAt = "created_at"
        }
    }

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

    /// Adds an entry and applies the allow-list to the current findings at once. `expires` is a
    /// timestamptz literal; the network is checked by PostgreSQL's cidr type.
    public static func add(
        _ match: Match, reason: String, expires: String? = nil, tenant: String? = nil, to connection: Connection
    ) throws -> Entry {
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
        guard let entry = try list(from: connection, id: entryID).first else {
            throw Refusal(description: "allow-list entry \(entryID) was removed while it was being added")
        }
        return entry
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

    /// Every entry, or only entry `id`.
    public static func list(from connection: Connection, id: Int? = nil) throws -> [Entry] {
        try connection.execute(
            """
            select a.entry_id, a.tenant, a.actor, a.app_id, a.client_network::text as client_network, a.detector_id,
                a.reason, mailhound.utc_text(a.expires_at) as expires_at,
                mailhound.utc_text(a.created_at) as created_at,
                coalesce(a.expires_at <= now(), false) as expired,
                (select count(*) from mailhound.findings as f where f.suppressed_by = a.entry_id) as suppresses
            from mailhound.allowlist as a
            where \(id)::bigint is null or a.entry_id = \(id)::bigint
            order by a.entry_id
            """
        ).rows.map { row in
            Entry(
                id: row.int("entry_id") ?? 0, tenant: row["tenant"] ?? "", actor: row["actor"],
                appID: row["app_id"], clientNetwork: row["client_network"], detector: row["detector_id"],
                reason: row["reason"] ?? "", expiresAt: row["expires_at"], createdAt: row["created_at"] ?? "",
                suppresses: row.int("suppresses") ?? 0, expired: row.bool("expired") ?? false)
        }
    }

    /// Sets every finding's suppression from the entries in force; returns how many are suppressed.
    @discardableResult
    /// Without entries or suppressed findings there is nothing to do, and a large run skips
    /// looking every finding's session up.
    static func apply(_ connection: Connection) throws -> Int {
        try connection.execute(
            """
            select case
                when exists (select 1 from mailhound.allowlist)
                    or exists (select 1 from mailhound.findings where suppressed_by is not null)
                then mailhound.apply_allowlist() else 0
            end as suppressed
            """
        ).rows.first?.int("suppressed") ?? 0
    }
}
