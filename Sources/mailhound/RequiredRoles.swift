import ArgumentParser
import CommandSupport

// The least role each command works with (README: "Roles"). The embedded cluster's user and the
// database's owner may run them all.

extension IngestCommand: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.loader]) }
}

extension Worker: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.loader, .detector]) }
}

extension Detect: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.detector]) }
}

extension Coverage: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.detector]) }
}

extension Runs: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.detector]) }
}

extension Allow.Add: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.detector]) }
}

extension Allow.List: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.detector]) }
}

extension Allow.Remove: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.detector]) }
}

extension Networks.Load: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.detector]) }
}

extension Sessions: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.reader]) }
}

extension SessionCommand: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.reader]) }
}

extension Accounts: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.reader]) }
}

extension Report: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.reader]) }
}

extension Errors: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.reader]) }
}

extension Prune: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.admin]) }
}

extension Migrate: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .owner }
}

extension Grant: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .owner }
}

extension MailhoundRole: ExpressibleByArgument {}
