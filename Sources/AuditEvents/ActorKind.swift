/// What kind of identity acted, which decides how suspicious a mailbox read is.
public enum ActorKind: String, Sendable, CaseIterable {
    case user, admin, delegate, app, system

    /// Classifies an actor from the UAL fields that describe it.
    ///
    /// - Parameters:
    ///   - actor: UserId.
    ///   - userType: UAL UserType (2 Admin, 3 DcAdmin, 4 System, 5 Application, 6 ServicePrincipal).
    ///   - logonType: mailbox LogonType (1 Admin, 2 Delegated, 3 Transport, 4 SystemService, 6 DelegatedAdmin).
    ///   - appID: the calling app, used when there is no user at all.
    public static func classify(
        actor: String?, userType: Int?, logonType: Int?, appID: String?
    )
        -> ActorKind
    {
        let name = actor?.lowercased() ?? ""
        if name.hasPrefix("nt authority\\") || name.contains("s-1-5-18") || userType == 4
            || logonType == 3
            || logonType == 4
        {
            return .system
        }
        if userType == 5 || userType == 6 || name.hasPrefix("serviceprincipal_")
            || (name.isEmpty && appID != nil)
        {
            return .app
        }
        if logonType == 1 || logonType == 6 { return .admin }
        if logonType == 2 { return .delegate }
        if logonType == nil, userType == 2 || userType == 3 { return .admin }
        return .user
    }
}
