import AuditEvents

/// The Exchange front end's web logs: HttpProxy (CSV under `#` directives) and IIS W3C (space
/// separated under `#Fields:`). Both may repeat their directives mid-file with other columns.
extension AuditFileReader {
    /// The HttpProxy fields mailhound reads; every documented layout carries them all.
    static let httpProxyFields = [
        "DateTime", "RequestId", "ServerHostName", "AuthenticatedUser", "Protocol", "Method", "UrlStem", "UrlQuery",
        "HttpStatus", "ClientIpAddress", "UserAgent", "AnchorMailbox", "RoutingHint", "BackEndCookie", "RequestBytes",
        "ResponseBytes",
    ]

    /// The IIS fields mailhound reads of the default W3C set (bytes and computer name are opt-in).
    static let iisDefaultFields = [
        "date", "time", "s-ip", "cs-method", "cs-uri-stem", "cs-uri-query", "cs-username", "c-ip", "cs(User-Agent)",
        "sc-status",
    ]

    func readHttpProxy(_ buffer: StreamBuffer, _ table: CSVTableRead, _ body: (SourceItem) throws -> Void) throws {
        var missing: [String] = []
        try readCSVTable(
            buffer, file: input.path, firstLine: table.firstLine, columns: table.columns,
            holdBackTail: table.holdBackTail, advanced: table.advanced,
            header: { columns, _ in missing = Self.httpProxyFields.filter { !columns.contains($0) } },
            row: { row in
                guard let timeText = row.value("DateTime"), let time = Timestamp(iso8601: timeText) else {
                    try body(quarantine(row.origin, "DateTime is missing or not ISO 8601", row.text))
                    return
                }
                let server = row.value("ServerHostName")
                let requestID = row.value("RequestId")
                let key =
                    requestID.map { RecordID(naturalKey: (server ?? "") + "|" + $0, kind: "httpproxy") }
                    ?? RecordID(naturalKey: row.text, kind: "httpproxy-line")
                let user = row.value("AuthenticatedUser")
                try body(
                    .webRequest(
                        webRequest(
                            key: key, time: time, kind: .httpProxy, server: server,
                            proxyProtocol: row.value("Protocol"),
                            method: row.value("Method"), urlStem: row.value("UrlStem"),
                            urlQuery: row.value("UrlQuery"), status: row.value("HttpStatus"), user: user,
                            clientIP: row.value("ClientIpAddress"), userAgent: row.value("UserAgent"),
                            anchorMailbox: row.value("AnchorMailbox"), routingHint: row.value("RoutingHint"),
                            backEndCookie: row.value("BackEndCookie"), requestBytes: row.value("RequestBytes"),
                            responseBytes: row.value("ResponseBytes"), missing: missing, origin: row.origin,
                            raw: row.text)))
            },
            malformed: { origin, problem, text in try body(quarantine(origin, problem, text)) })
    }

    func readIIS(
        _ buffer: StreamBuffer, firstLine: Int, columns initial: [String]?, holdBackTail: Bool,
        advanced: (Int64, Int, [String]?) -> Void, _ body: (SourceItem) throws -> Void
    ) throws {
        var columns = initial.map(CSVColumns.init)
        func missing(from columns: CSVColumns?) -> [String] {
            Self.iisDefaultFields.filter { columns?.contains($0) == false }
        }
        var missingFields = missing(from: columns)
        // Identical lines in the same second are distinct requests: count repeats to key them apart.
        var second = ""
        var repeats: [String: Int] = [:]
        try splitLines(buffer, file: input.path, firstLine: firstLine, holdBackTail: holdBackTail) { record in
            let text = record.text
            let origin = Origin(file: input.path, line: record.line, byteOffset: record.offset)
            if let problem = record.problem {
                advanced(record.nextOffset, record.line + 1, columns?.names)
                return try body(quarantine(origin, problem, text))
            }
            if PastedExcerpt.isNoise(text) {
                advanced(record.nextOffset, record.line + 1, columns?.names)
                return try body(quarantine(origin, PastedExcerpt.reason, text))
            }
            if text.hasPrefix("#") {
                if text.hasPrefix("#Fields:") {
                    columns = CSVColumns(text.dropFirst("#Fields:".count).split(separator: " ").map(String.init))
                    missingFields = missing(from: columns)
                }
                return
            }
            advanced(record.nextOffset, record.line + 1, columns?.names)
            guard let columns else {
                try body(quarantine(origin, "request line before any #Fields: directive", text))
                return
            }
            let values = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard values.count == columns.names.count else {
                let reason = "\(values.count) fields where #Fields: names \(columns.names.count)"
                try body(quarantine(origin, reason, text))
                return
            }
            func value(_ name: String) -> String? {
                guard let index = columns.index(name), values[index] != "-", !values[index].isEmpty else { return nil }
                return values[index]
            }
            guard let date = value("date"), let clock = value("time"),
                let time = Timestamp(iso8601: date + "T" + clock + "Z")
            else {
                try body(quarantine(origin, "date and time are missing or malformed", text))
                return
            }
            if date + clock != second {
                second = date + clock
                repeats.removeAll(keepingCapacity: true)
            }
            let repeatCount = repeats[text, default: 0]
            repeats[text] = repeatCount + 1
            let server = value("s-computername") ?? value("s-ip")
            let key = RecordID(naturalKey: (server ?? "") + "|\(repeatCount)|" + text, kind: "iis")
            try body(
                .webRequest(
                    webRequest(
                        key: key, time: time, kind: .iis, server: server, proxyProtocol: nil,
                        method: value("cs-method"), urlStem: value("cs-uri-stem"), urlQuery: value("cs-uri-query"),
                        status: value("sc-status"), user: value("cs-username"), clientIP: value("c-ip"),
                        userAgent: value("cs(User-Agent)")?.replacingPluses(), anchorMailbox: nil, routingHint: nil,
                        backEndCookie: nil, requestBytes: value("cs-bytes"), responseBytes: value("sc-bytes"),
                        missing: missingFields, origin: origin, raw: text)))
        }
    }

    private func webRequest(
        key: RecordID, time: Timestamp, kind: WebRequest.LogKind, server: String?, proxyProtocol: String?,
        method: String?, urlStem: String?, urlQuery: String?, status: String?, user: String?, clientIP: String?,
        userAgent: String?, anchorMailbox: String?, routingHint: String?, backEndCookie: String?,
        requestBytes: String?, responseBytes: String?, missing: [String], origin: Origin, raw: String
    ) -> WebRequest {
        let user = user == "-" ? nil : user
        return WebRequest(
            tenant: defaultTenant, key: key, occurredAt: time, logKind: kind, server: server,
            proxyProtocol: proxyProtocol, method: method, urlStem: urlStem, urlQuery: urlQuery,
            httpStatus: status.flatMap { Int($0) }, user: user, clientIP: clientIP.flatMap(IPAddress.init(logText:)),
            userAgent: userAgent, anchorMailbox: anchorMailbox, routingHint: routingHint, backEndCookie: backEndCookie,
            requestBytes: requestBytes.flatMap { Int64($0) }, responseBytes: responseBytes.flatMap { Int64($0) },
            indicators: WebIndicators.classify(
                method: method, urlStem: urlStem, urlQuery: urlQuery, user: user, userAgent: userAgent,
                anchorMailbox: anchorMailbox, backEndCookie: backEndCookie),
            missingFields: missing, origin: origin, raw: raw)
    }
}

extension String {
    /// IIS writes spaces inside a value as `+`.
    fileprivate func replacingPluses() -> String {
        String(map { $0 == "+" ? " " : $0 })
    }
}
