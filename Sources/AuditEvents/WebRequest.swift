/// One request from an Exchange front end's web logs (HttpProxy or IIS W3C), with the intrusion
/// indicators it matches. Value type, no I/O.
public struct WebRequest: Sendable, Equatable {
    public enum LogKind: String, Sendable {
        case httpProxy = "httpproxy"
        case iis
    }

    public var tenant: String
    /// RequestId plus server for HttpProxy; for IIS a hash of server, line and its repeat count.
    public var key: RecordID
    public var occurredAt: Timestamp
    public var logKind: LogKind
    public var server: String?
    /// HttpProxy protocol folder: Owa, Ecp, Ews, Autodiscover, Mapi...
    public var proxyProtocol: String?
    public var method: String?
    public var urlStem: String?
    public var urlQuery: String?
    public var httpStatus: Int?
    /// AuthenticatedUser or cs-username; nil when empty or `-`.
    public var user: String?
    public var clientIP: IPAddress?
    /// With IIS's `+` turned back into spaces.
    public var userAgent: String?
    public var anchorMailbox: String?
    public var routingHint: String?
    public var backEndCookie: String?
    public var requestBytes: Int64?
    public var responseBytes: Int64?
    public var indicators: [WebIndicator]
    /// The fields mailhound reads that this log's layout did not carry (an extract such as
    /// Test-ProxyLogon's, a trimmed `#Fields:`): their nil values mean unknown, not empty.
    public var missingFields: [String]
    public var origin: Origin
    public var raw: String

    public init(
        tenant: String, key: RecordID, occurredAt: Timestamp, logKind: LogKind, server: String? = nil,
        proxyProtocol: String? = nil, method: String? = nil, urlStem: String? = nil, urlQuery: String? = nil,
        httpStatus: Int? = nil, user: String? = nil, clientIP: IPAddress? = nil, userAgent: String? = nil,
        anchorMailbox: String? = nil, routingHint: String? = nil, backEndCookie: String? = nil,
        requestBytes: Int64? = nil, responseBytes: Int64? = nil, indicators: [WebIndicator] = [],
        missingFields: [String] = [], origin: Origin, raw: String
    ) {
        self.tenant = tenant
        self.key = key
        self.occurredAt = occurredAt
        self.logKind = logKind
        self.server = server
        self.proxyProtocol = proxyProtocol
        self.method = method
        self.urlStem = urlStem
        self.urlQuery = urlQuery
        self.httpStatus = httpStatus
        self.user = user
        self.clientIP = clientIP
        self.userAgent = userAgent
        self.anchorMailbox = anchorMailbox
        self.routingHint = routingHint
        self.backEndCookie = backEndCookie
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.indicators = indicators
        self.missingFields = missingFields
        self.origin = origin
        self.raw = raw
    }
}

/// What a web request reveals about an Exchange intrusion (ProxyLogon, ProxyShell, web shells).
public enum WebIndicator: String, Sendable, CaseIterable {
    /// CVE-2021-26855: no authenticated user, routed by a `ServerInfo~host/path` anchor or a
    /// `Server~host/path~` back-end cookie.
    case ssrfAnchor = "ssrf-anchor"
    /// POST to a static OWA/ECP resource (css, gif, js, fonts): the SSRF carrier.
    case staticPost = "static-post"
    /// CVE-2021-27065: ECP DDI SetObject on the OAB virtual directory.
    case oabVirtualDirectory = "oab-vdir-write"
    /// A script page where Exchange has none: aspnet_client, unknown pages under owa/auth or ecp/auth.
    case webShell = "web-shell"
    /// A mailbox export (.pst) fetched over the web.
    case pstDownload = "pst-download"
    /// A user agent public advisories list for this campaign.
    case campaignUserAgent = "campaign-user-agent"
}
