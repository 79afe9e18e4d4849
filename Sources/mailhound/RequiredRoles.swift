import ArgumentParser
import CommandSupport

// The least role each command works with (README: "Roles"). The embedded cluster's user and the
// database's owner may run them all.

/// Reads the analyst views: mailhound_reader.
protocol ReadsAnalystViews: NeedsDatabaseRole {}
extension ReadsAnalystViews {
    static var requiredRole: RequiredRole { .members(of: [.reader]) }
}

/// Writes what detection decides: mailhound_detector.
protocol WritesDetection: NeedsDatabaseRole {}
extension WritesDetection {
    static var requiredRole: RequiredRole { .members(of: [.detector]) }
}

/// Changes the schema or hands out roles: the database's owner.
protocol OwnsSchema: NeedsDatabaseRole {}
extension OwnsSchema {
    static var requiredRole: RequiredRole { .owner }
}

extension Sessions: ReadsAnalystViews {}
extension SessionCommand: ReadsAnalystViews {}
extension Accounts: ReadsAnalystViews {}
extension Errors: ReadsAnalystViews {}
extension Report: ReadsAnalystViews {}

extension Detect: WritesDetection {}
extension Coverage: WritesDetection {}
extension Runs: WritesDetection {}
extension Allow.Add: WritesDetection {}
extension Allow.List: WritesDetection {}
extension Allow.Remove: WritesDetection {}
extension Networks.Load: WritesDetection {}

extension Migrate: OwnsSchema {}
extension Grant: OwnsSchema {}

extension IngestCommand: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.loader]) }
}

extension PullCommand: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.loader]) }
}

extension Worker: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.loader, .detector]) }
}

extension Prune: NeedsDatabaseRole {
    static var requiredRole: RequiredRole { .members(of: [.admin]) }
}

extension MailhoundRole: ExpressibleByArgument {}
