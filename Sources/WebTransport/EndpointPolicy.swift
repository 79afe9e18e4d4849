import Foundation

/// Which URLs mailhound sends credentials to: HTTPS anywhere, plain HTTP to loopback only (an
/// emulator or a test), and links a service returns only on the host it was asked at, so a
/// hostile page cannot lead the bearer token elsewhere.
public enum EndpointPolicy {
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public var url: String
        public var reason: String
        public var description: String { "\(url): \(reason)" }
    }

    /// The URL when it may be used as an endpoint; an error that says why not.
    @discardableResult
    public static func check(_ text: String) throws(Refused) -> URLComponents {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { throw Refused(url: text, reason: "not an absolute http(s) URL") }
        guard components.user == nil, components.password == nil else {
            throw Refused(url: text, reason: "credentials in the URL are not accepted")
        }
        switch scheme {
        case "https": return components
        case "http" where isLoopback(host): return components
        case "http": throw Refused(url: text, reason: "plain http is accepted for loopback addresses only; use https")
        default: throw Refused(url: text, reason: "only https (or http on loopback) is accepted")
        }
    }

    /// `link`, a URL the service returned, when it is on the same scheme, host and port as `base`.
    public static func checkLink(_ link: String, sameOriginAs base: String) throws(Refused) {
        let target = try check(link)
        let origin = try check(base)
        guard target.scheme?.lowercased() == origin.scheme?.lowercased(),
            target.host?.lowercased() == origin.host?.lowercased(), target.port == origin.port
        else { throw Refused(url: link, reason: "link leads off \(origin.host ?? base); not followed") }
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
