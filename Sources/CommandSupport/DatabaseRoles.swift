/// mailhound's group roles (migrations 0018 and 0019; their privileges in sql/views/98_grants.sql).
public enum MailhoundRole: String, CaseIterable, Sendable {
    case reader, loader, detector, admin

    /// The NOLOGIN group role in the database.
    public var groupRole: String { "mailhound_" + rawValue }
}

/// The least a command needs of the database, said when PostgreSQL refuses it (SQLSTATE 42501).
public enum RequiredRole: Sendable, Equatable {
    /// Membership in each of these group roles (mailhound_admin holds them all).
    case members(of: [MailhoundRole])
    /// The database's owner: the command changes the schema or hands out roles.
    case owner

    /// What to tell a login that lacked it.
    public var hint: String {
        switch self {
        case .members(let roles):
            let names = roles.map(\.groupRole).joined(separator: " and ")
            let grants = roles.map { "mailhound grant \($0.rawValue) LOGIN" }.joined(separator: "; ")
            let orAdmin = roles == [.admin] ? "" : " (or mailhound_admin)"
            return "this command needs the role \(names)\(orAdmin): the database's owner runs \(grants)"
        case .owner:
            return "this command changes the schema or hands out roles: run it as the database's owner"
        }
    }
}

/// A command that works with the least role it names.
public protocol NeedsDatabaseRole {
    static var requiredRole: RequiredRole { get }
}
