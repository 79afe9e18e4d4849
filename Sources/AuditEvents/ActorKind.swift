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
        var name = actor ?? ""
        return name.withUTF8 {
            classify(actor: $0, userType: userType, logonType: logonType, hasAppID: appID != nil)
        }
    }

    /// The same, from the actor's UTF-8 bytes (empty when there is none) read in place.
    /// Compares bytes: every record's actor passes here, and a lower-cased copy and a substring
    /// search cost more than the rest of its normalization.
    public static func classify(
        actor name: UnsafeBufferPointer<UInt8>, userType: Int?, logonType: Int?, hasAppID: Bool
    )
        -> ActorKind
    {
        if matchesIgnoringASCIICase(name, Self.systemPrefix, anywhere: false)
            || matchesIgnoringASCIICase(name, Self.systemSID, anywhere: true) || userType == 4
            || logonType == 3
            || logonType == 4
        {
            return .system
        }
        if userType == 5 || userType == 6
            || matchesIgnoringASCIICase(name, Self.servicePrincipalPrefix, anywhere: false)
            || (name.isEmpty && hasAppID)
        {
            return .app
        }
        if logonType == 1 || logonType == 6 { return .admin }
        if logonType == 2 { return .delegate }
        if logonType == nil, userType == 2 || userType == 3 { return .admin }
        return .user
    }

    private static let systemPrefix = Array("nt authority\\".utf8)
    private static let systemSID = Array("s-1-5-18".utf8)
    private static let servicePrincipalPrefix = Array("serviceprincipal_".utf8)

    /// Whether `text` starts with (or, `anywhere`, contains) `needle`, lower-case ASCII bytes,
    /// ignoring ASCII case.
    private static func matchesIgnoringASCIICase(
        _ text: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], anywhere: Bool
    ) -> Bool {
        guard text.count >= needle.count else { return false }
        let lastStart = anywhere ? text.count - needle.count : 0
        return (0...lastStart).contains { start in
            needle.indices.allSatisfy { offset in
                let byte = text[start + offset]
                return (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == needle[offset]
            }
        }
    }
}
