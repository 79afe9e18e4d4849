/// Web log lines without their header, as log shippers, SIEM exports and pasted excerpts hand
/// them over: recognized by their content and field count against Exchange's documented layouts.
enum HeaderlessLayouts {
    /// HttpProxy columns of Exchange 2016/2019 CU builds from 15.01.2176 (74 columns).
    static let httpProxy: [String] = [
        "DateTime", "RequestId", "MajorVersion", "MinorVersion", "BuildVersion", "RevisionVersion", "ClientRequestId",
        "Protocol", "UrlHost", "UrlStem", "ProtocolAction", "AuthenticationType", "IsAuthenticated",
        "AuthenticatedUser", "Organization", "AnchorMailbox", "UserAgent", "ClientIpAddress", "ServerHostName",
        "HttpStatus", "BackEndStatus", "ErrorCode", "Method", "ProxyAction", "TargetServer", "TargetServerVersion",
        "RoutingType", "RoutingHint", "BackEndCookie", "ServerLocatorHost", "ServerLocatorLatency", "RequestBytes",
        "ResponseBytes", "TargetOutstandingRequests", "AuthModulePerfContext", "HttpPipelineLatency",
        "CalculateTargetBackEndLatency", "GlsLatencyBreakup", "TotalGlsLatency", "AccountForestLatencyBreakup",
        "TotalAccountForestLatency", "ResourceForestLatencyBreakup", "TotalResourceForestLatency", "ADLatency",
        "SharedCacheLatencyBreakup", "TotalSharedCacheLatency", "ActivityContextLifeTime",
        "ModuleToHandlerSwitchingLatency", "ClientReqStreamLatency", "BackendReqInitLatency",
        "BackendReqStreamLatency", "BackendProcessingLatency", "BackendRespInitLatency", "BackendRespStreamLatency",
        "ClientRespStreamLatency", "KerberosAuthHeaderLatency", "HandlerCompletionLatency", "RequestHandlerLatency",
        "HandlerToModuleSwitchingLatency", "ProxyTime", "CoreLatency", "RoutingLatency", "HttpProxyOverhead",
        "TotalRequestTime", "RouteRefresherLatency", "UrlQuery", "BackEndGenericInfo", "GenericInfo", "GenericErrors",
        "EdgeTraceId", "DatabaseGuid", "UserADObjectGuid", "PartitionEndpointLookupLatency", "RoutingStatus",
    ]

    /// Earlier builds (Exchange 2013, early 2016 CUs) lack these six.
    static let httpProxyOlder = httpProxy.filter {
        ![
            "RouteRefresherLatency", "EdgeTraceId", "DatabaseGuid", "UserADObjectGuid",
            "PartitionEndpointLookupLatency", "RoutingStatus",
        ].contains($0)
    }

    /// The W3C fields IIS logs on an Exchange front end by default.
    static let iis = [
        "date", "time", "s-ip", "cs-method", "cs-uri-stem", "cs-uri-query", "s-port", "cs-username", "c-ip",
        "cs(User-Agent)", "cs(Referer)", "sc-status", "sc-substatus", "sc-win32-status", "time-taken",
    ]

    /// The layout a headerless first line is written in, when it is one of these.
    static func recognize(firstLine line: Substring) -> (SourceFormat, [String])? {
        let bytes = Array(line.utf8.prefix(24))
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= bytes.count && bytes[range].allSatisfy { (48...57).contains($0) }
        }
        let dated =
            digits(0..<4) && bytes.count > 10 && bytes[4] == 45 && digits(5..<7) && bytes[7] == 45
            && digits(8..<10)
        guard dated else { return nil }
        if bytes[10] == UInt8(ascii: "T") {
            let fields = csvFieldCount(line)
            if fields == httpProxy.count { return (.httpProxy, httpProxy) }
            if fields == httpProxyOlder.count { return (.httpProxy, httpProxyOlder) }
            return nil
        }
        if bytes[10] == UInt8(ascii: " "),
            line.split(separator: " ", omittingEmptySubsequences: false).count == iis.count
        {
            return (.iisW3C, iis)
        }
        return nil
    }

    /// Fields of one CSV line, commas inside quotes not counted.
    private static func csvFieldCount(_ line: Substring) -> Int {
        var count = 1
        var quoted = false
        for byte in line.utf8 {
            if byte == UInt8(ascii: "\"") { quoted.toggle() } else if byte == UInt8(ascii: ","), !quoted { count += 1 }
        }
        return count
    }
}
