import AuditEvents

/// The ProxyLogon-era indicators of `../shared/formats` §6.3 and §7.2, as pure functions of one request.
enum WebIndicators {
    static func classify(
        method: String?, urlStem: String?, urlQuery: String?, user: String?, userAgent: String?,
        anchorMailbox: String?, backEndCookie: String?
    ) -> [WebIndicator] {
        let stem = (urlStem ?? "").lowercased()
        let query = (urlQuery ?? "").lowercased()
        let anchor = (anchorMailbox ?? "").lowercased()
        let isPost = method?.uppercased() == "POST"
        var found: [WebIndicator] = []
        if user == nil,
            anchor.hasPrefix("serverinfo~") && anchor.contains("/")
                || backEndCookie.map(isServerCookie) == true
        {
            found.append(.ssrfAnchor)
        }
        if isPost, isStaticResource(stem) { found.append(.staticPost) }
        let ddiTarget = stem + "?" + query + " " + anchor
        if ddiTarget.contains("ddiservice.svc/setobject"), ddiTarget.contains("oabvirtualdirectory") {
            found.append(.oabVirtualDirectory)
        }
        if isWebShellPath(stem) { found.append(.webShell) }
        if stem.hasSuffix(".pst") || query.contains(".pst") { found.append(.pstDownload) }
        if let agent = userAgent?.lowercased(), campaignAgents.contains(where: { agent.contains($0) }) {
            found.append(.campaignUserAgent)
        }
        return found
    }

    /// `Server~host/path~version`: Microsoft's broadened 26855 hunt.
    private static func isServerCookie(_ cookie: String) -> Bool {
        let lower = cookie.lowercased()
        return lower.hasPrefix("server~") && lower.contains("/") && lower.dropFirst(7).contains("~")
    }

    private static let staticExtensions = [
        ".css", ".gif", ".js", ".eot", ".ttf", ".woff", ".woff2", ".svg", ".png",
        ".jpg", ".ico", ".flt",
    ]

    private static func isStaticResource(_ stem: String) -> Bool {
        (stem.hasPrefix("/owa/") || stem.hasPrefix("/ecp/")) && staticExtensions.contains { stem.hasSuffix($0) }
    }

    /// Pages Exchange itself serves from owa/auth and ecp/auth.
    private static let installedAuthPages: Set<String> = [
        "logon.aspx", "logoff.aspx", "errorfe.aspx", "expiredpassword.aspx", "signout.aspx",
        "redirsuiteserviceproxy.aspx", "timeoutlogoff.aspx", "frowny.aspx", "getidtoken.htm",
        "owaauthpages.aspx",
    ]

    private static func isWebShellPath(_ stem: String) -> Bool {
        let scriptExtensions = [".aspx", ".ashx", ".asmx", ".asp", ".php", ".jsp"]
        guard scriptExtensions.contains(where: { stem.hasSuffix($0) }) else { return false }
        if stem.hasPrefix("/aspnet_client/") { return true }
        for folder in ["/owa/auth/", "/ecp/auth/"] where stem.hasPrefix(folder) {
            let page = stem.split(separator: "/").last.map(String.init) ?? ""
            return !installedAuthPages.contains(page)
        }
        return false
    }

    /// User agents Microsoft and Volexity listed for the 2021 campaign, lower-case, spaces not `+`.
    private static let campaignAgents = [
        "duckduckbot/1.0", "facebookexternalhit/1.1", "baiduspider/2.0", "bingbot/2.0", "googlebot/2.1",
        "exabot-thumbnails", "yahoo! slurp", "yandexbot/3.0", "chrome/51.0.2704.103", "exchangeservicesclient/0.0.0.0",
        "python-requests/2.19.1", "python-requests/2.25.1", "antsword/v2.1",
    ]
}
