import WebTransport

/// Where the services are: the commercial cloud by default; sovereign clouds (GCC High, DoD,
/// 21Vianet) and the emulator of the tests use other hosts.
public struct ServiceEndpoints: Sendable {
    /// The token authority, e.g. https://login.microsoftonline.com.
    public var login: String
    /// The Management Activity API root, e.g. https://manage.office.com.
    public var activityAPI: String
    /// Microsoft Graph, e.g. https://graph.microsoft.com.
    public var graph: String

    public static let commercial = ServiceEndpoints(
        login: "https://login.microsoftonline.com", activityAPI: "https://manage.office.com",
        graph: "https://graph.microsoft.com")

    public init(login: String, activityAPI: String, graph: String) {
        self.login = Self.trimmed(login)
        self.activityAPI = Self.trimmed(activityAPI)
        self.graph = Self.trimmed(graph)
    }

    /// Refuses a URL that is neither https nor http on loopback.
    public func check() throws(EndpointPolicy.Refused) {
        for url in [login, activityAPI, graph] { try EndpointPolicy.check(url) }
    }

    /// The OAuth2 scope of a resource: its root and `/.default` (the app's application permissions).
    static func scope(of root: String) -> String { root + "/.default" }

    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
