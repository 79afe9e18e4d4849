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
        let name = actor ?? ""
        if name.matchesIgnoringASCIICase(Self.systemPrefix, anywhere: false)
            || name.matchesIgnoringASCIICase(Self.systemSID, anywhere: true) || userType == 4
            || logonType == 3
            || logonType == 4
        {
            return .system
        }
        if userType == 5 || userType == 6 || name.matchesIgnoringASCIICase(Self.servicePrincipalPrefix, anywhere: false)
            || (name.isEmpty && appID != nil)
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
}

extension String {
    /// Whether the text starts with (or, `anywhere`, contains) `needle`, lower-case ASCII bytes,
    /// ignoring ASCII case. Compares UTF-8 bytes in place: every record's actor passes here, and a
    /// lower-cased copy and a substring search cost more than the rest of its normalization.
    func matchesIgnoringASCIICase(_ needle: [UInt8], anywhere: Bool) -> Bool {
        var text = self
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            let lastStart = anywhere ? bytes.count - needle.count : 0
            return (0...lastStart).contains { start in
                needle.indices.allSatisfy { offset in
                    let byte = bytes[start + offset]
                    return (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == needle[offset]
                }
            }
        }
    }
}
