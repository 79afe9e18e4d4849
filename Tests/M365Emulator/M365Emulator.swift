import CCrypto
import Foundation

/// An emulator of the Microsoft identity platform's token endpoint (client credentials, secret or
/// certificate assertion) and of the Office 365 Management Activity API (subscriptions, content
/// listing with `NextPageUri`, content blobs), as their public documentation describes them,
/// with the faults a real pull meets: throttling with `Retry-After`, server errors, slow and
/// truncated bodies, expired content, tokens that stop working before they expire.
/// The real service cannot be reached from where the tests run; this stands in for it.
public final class M365Emulator: @unchecked Sendable {
    public struct Blob: Sendable {
        public var contentType: String
        public var contentId: String
        public var created: Date
        /// The records, each a JSON object's text.
        public var records: [String]

        public init(contentType: String, contentId: String, created: Date, records: [String]) {
            self.contentType = contentType
            self.contentId = contentId
            self.created = created
            self.records = records
        }

        public var json: String { "[" + records.joined(separator: ",") + "]" }
    }

    /// One Entra sign-in as Graph returns it.
    public struct SignIn: Sendable {
        public var created: Date
        /// The `signIn` object's JSON text.
        public var json: String

        public init(created: Date, json: String) {
            self.created = created
            self.json = json
        }
    }

    /// What goes wrong, counted over content fetches.
    public struct Faults: Sendable {
        public var throttleFirst = 0
        public var failFirst = 0
        public var truncateFirst = 0
        public var blobDelay = 0.0
        public var expired: Set<String> = []
        /// After this many API calls every token issued so far is refused (401).
        public var revokeTokensAfter: Int?
        public var pageSize = 2
        /// Each listing page names its blobs twice.
        public var repeatListing = false
        /// Bodies served instead of a blob's records, by content id, with status 200.
        public var bodies: [String: String] = [:]
        /// Listing entries (JSON objects' text) added to each window's first page as they are.
        public var extraListingEntries: [String] = []
        /// Graph refuses sign-ins: the app lacks AuditLog.Read.All.
        public var signInsForbidden = false
        public var signInPageSize = 3

        public init() {}
    }

    public let tenantID: String
    public let clientID: String
    private let secret: String?
    private let certificatePEM: [UInt8]?
    private let lock = NSLock()
    private var blobs: [Blob]
    private let signIns: [SignIn]
    private var faults: Faults
    private var enabled: Set<String> = []
    private var tokens: [String: Date] = [:]
    private var apiCalls = 0
    private var contentFetches = 0
    private var fetchesByID: [String: Int] = [:]
    private var tokenRequests = 0
    private var server: LoopbackHTTPServer?
    /// Audit log queries made: their range and how often their state was asked.
    private var auditQueries: [String: (start: Date, end: Date, polls: Int)] = [:]

    public init(
        tenantID: String, clientID: String, secret: String? = nil, certificatePEM: [UInt8]? = nil, blobs: [Blob],
        signIns: [SignIn] = [], faults: Faults = Faults()
    ) {
        self.signIns = signIns
        self.tenantID = tenantID
        self.clientID = clientID
        self.secret = secret
        self.certificatePEM = certificatePEM
        self.blobs = blobs
        self.faults = faults
    }

    public func start() throws {
        let server = LoopbackHTTPServer { [self] in handle($0) }
        try server.start()
        self.server = server
    }

    public func stop() { server?.stop() }

    public var baseURL: String { "http://127.0.0.1:\(server?.port ?? 0)" }

    public var tokenRequestCount: Int { locked { tokenRequests } }
    public var contentFetchCount: Int { locked { contentFetches } }
    public func fetches(of contentID: String) -> Int { locked { fetchesByID[contentID] ?? 0 } }
    public var enabledSubscriptions: Set<String> { locked { enabled } }

    public func setFaults(_ change: (inout Faults) -> Void) { locked { change(&faults) } }
    public func enable(_ contentType: String) { _ = locked { enabled.insert(contentType) } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    // MARK: routes

    private func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let parts = request.path.split(separator: "/").map(String.init)
        if request.method == "POST", parts.count == 4, parts[1] == "oauth2", parts[2] == "v2.0", parts[3] == "token" {
            return token(request, tenant: parts[0])
        }
        if request.method == "GET", parts == ["v1.0", "auditLogs", "signIns"] {
            if let refused = authorize(request) { return refused }
            return graphSignIns(request)
        }
        if parts.starts(with: ["v1.0", "security", "auditLog", "queries"]) {
            if let refused = authorize(request) { return refused }
            return auditLogQuery(request, Array(parts.dropFirst(4)))
        }
        guard parts.count >= 5, parts[0] == "api", parts[1] == "v1.0", parts[3] == "activity", parts[4] == "feed"
        else { return .json(404, #"{"error":{"code":"NotFound","message":"no such endpoint"}}"#) }
        if let refused = authorize(request) { return refused }
        guard parts[2] == tenantID else {
            return .json(
                400,
                #"{"error":{"code":"AF20010","message":"The tenant ID passed in the URL does not match the tenant ID passed in the access token."}}"#
            )
        }
        switch (request.method, Array(parts.dropFirst(5))) {
        case ("GET", ["subscriptions", "list"]):
            let listed = locked { enabled.sorted() }.map {
                #"{"contentType":"\#($0)","status":"enabled","webhook":null}"#
            }
            return .json(200, "[" + listed.joined(separator: ",") + "]")
        case ("POST", ["subscriptions", "start"]):
            let type = request.query["contentType"] ?? ""
            let inserted = locked { enabled.insert(type).inserted }
            guard inserted else {
                return .json(
                    400,
                    #"{"error":{"code":"AF20024","message":"The subscription is already enabled. No property change."}}"#
                )
            }
            return .json(200, #"{"contentType":"\#(type)","status":"enabled","webhook":null}"#)
        case ("GET", ["subscriptions", "content"]): return list(request)
        case ("GET", let path) where path.count == 2 && path[0] == "audit": return content(path[1])
        default: return .json(404, #"{"error":{"code":"NotFound","message":"no such endpoint"}}"#)
        }
    }

    private func authorize(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response? {
        let denied = LoopbackHTTPServer.Response.json(
            401, #"{"error":{"code":"","message":"Authorization has been denied for this request."}}"#,
            headers: [("WWW-Authenticate", "Bearer")])
        guard let header = request.header("Authorization"), header.hasPrefix("Bearer ") else { return denied }
        let token = String(header.dropFirst(7))
        return locked {
            apiCalls += 1
            if let limit = faults.revokeTokensAfter, apiCalls > limit {
                faults.revokeTokensAfter = nil
                tokens.removeAll()
            }
            guard let expiry = tokens[token], expiry > Date() else { return denied }
            return nil
        }
    }

    private func token(_ request: LoopbackHTTPServer.Request, tenant: String) -> LoopbackHTTPServer.Response {
        locked { tokenRequests += 1 }
        var form: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let halves = pair.split(separator: "=", maxSplits: 1).map {
                String($0).removingPercentEncoding ?? String($0)
            }
            if halves.count == 2 { form[halves[0]] = halves[1] }
        }
        func refuse(_ status: Int, _ error: String, _ code: Int, _ text: String) -> LoopbackHTTPServer.Response {
            .json(
                status,
                #"{"error":"\#(error)","error_description":"AADSTS\#(code): \#(text)\r\nTrace ID: 0000\r\nCorrelation ID: 0000","error_codes":[\#(code)]}"#
            )
        }
        guard tenant == tenantID else { return refuse(400, "invalid_request", 90002, "Tenant '\(tenant)' not found.") }
        guard form["grant_type"] == "client_credentials", form["scope"]?.hasSuffix("/.default") == true else {
            return refuse(400, "invalid_request", 900144, "The request body must contain grant_type and scope.")
        }
        guard form["client_id"] == clientID else {
            return refuse(
                400, "unauthorized_client", 700016, "Application with identifier was not found in the directory.")
        }
        if let assertion = form["client_assertion"] {
            let audience = baseURL + request.path
            if let problem = checkAssertion(assertion, audience: audience) {
                return refuse(401, "invalid_client", problem.code, problem.text)
            }
        } else {
            guard let secret, form["client_secret"] == secret else {
                return refuse(401, "invalid_client", 7_000_215, "Invalid client secret provided.")
            }
        }
        let token = "emulated-" + UUID().uuidString.lowercased()
        locked { tokens[token] = Date().addingTimeInterval(3599) }
        return .json(
            200, #"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"\#(token)"}"#)
    }

    private func list(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let type = request.query["contentType"] ?? ""
        guard locked({ enabled.contains(type) }) else {
            return .json(
                400, #"{"error":{"code":"AF20022","message":"No subscription found for the specified content type"}}"#)
        }
        guard let start = Self.time(request.query["startTime"]), let end = Self.time(request.query["endTime"]),
            end > start, end.timeIntervalSince(start) <= 86400, start > Date().addingTimeInterval(-7 * 86400)
        else {
            return .json(
                400,
                #"{"error":{"code":"AF20030","message":"Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past."}}"#
            )
        }
        let (inWindow, pageSize, repeated, extra) = locked {
            (
                blobs.filter { $0.contentType == type && $0.created >= start && $0.created < end }.sorted {
                    $0.created < $1.created
                },
                faults.pageSize, faults.repeatListing, faults.extraListingEntries
            )
        }
        let page = Int(request.query["nextPage"] ?? "0") ?? 0
        let slice = inWindow.dropFirst(page * pageSize).prefix(pageSize)
        let entries = slice.map { blob -> String in
            let uri = "\(baseURL)/api/v1.0/\(tenantID)/activity/feed/audit/\(blob.contentId)"
            return
                #"{"contentType":"\#(blob.contentType)","contentId":"\#(blob.contentId)","contentUri":"\#(uri)","contentCreated":"\#(Self.iso(blob.created))","contentExpiration":"\#(Self.iso(blob.created.addingTimeInterval(7 * 86400)))"}"#
        }
        var headers: [(String, String)] = []
        if (page + 1) * pageSize < inWindow.count {
            var next = URLComponents(string: baseURL + request.path)
            next?.queryItems = [
                URLQueryItem(name: "contentType", value: type),
                URLQueryItem(name: "startTime", value: request.query["startTime"]),
                URLQueryItem(name: "endTime", value: request.query["endTime"]),
                URLQueryItem(name: "nextPage", value: String(page + 1)),
            ]
            headers.append(("NextPageUri", next?.string ?? ""))
        }
        let listed = (repeated ? entries + entries : entries) + (page == 0 && !inWindow.isEmpty ? extra : [])
        return .json(200, "[" + listed.joined(separator: ",") + "]", headers: headers)
    }

    private func content(_ id: String) -> LoopbackHTTPServer.Response {
        let (blob, fault, delay) = locked { () -> (Blob?, String?, Double) in
            contentFetches += 1
            fetchesByID[id, default: 0] += 1
            let blob = blobs.first { $0.contentId == id }
            if faults.expired.contains(id) { return (blob, "expired", 0) }
            if faults.bodies[id] != nil { return (blob, "body", 0) }
            if faults.throttleFirst > 0 {
                faults.throttleFirst -= 1
                return (blob, "throttle", 0)
            }
            if faults.failFirst > 0 {
                faults.failFirst -= 1
                return (blob, "fail", 0)
            }
            if faults.truncateFirst > 0 {
                faults.truncateFirst -= 1
                return (blob, "truncate", faults.blobDelay)
            }
            return (blob, nil, faults.blobDelay)
        }
        guard let blob else {
            return .json(
                404, #"{"error":{"code":"AF20050","message":"The specified content (\#(id)) does not exist."}}"#)
        }
        switch fault {
        case "expired":
            return .json(
                400,
                #"{"error":{"code":"AF20051","message":"Content requested with the key \#(id) has already expired. Content older than 7 days cannot be retrieved."}}"#
            )
        case "throttle":
            return .json(
                429,
                #"{"error":{"code":"AF429","message":"Too many requests. Method=GetBlob, PublisherId=\#(tenantID)"}}"#,
                headers: [("Retry-After", "1")])
        case "body":
            return LoopbackHTTPServer.Response(status: 200, body: Array((locked { faults.bodies[id] } ?? "").utf8))
        case "fail":
            return .json(
                500, #"{"error":{"code":"AF50000","message":"An internal error occurred. Retry the request."}}"#)
        default:
            var response = LoopbackHTTPServer.Response.json(200, blob.json)
            response.delay = delay
            if fault == "truncate" { response.truncateAt = response.body.count / 2 }
            return response
        }
    }

    /// `GET /v1.0/auditLogs/signIns?$filter=createdDateTime ge T1 and createdDateTime lt T2&$top=N`,
    /// newest first as Graph lists them, paged by `@odata.nextLink` with a `$skiptoken`.
    private func graphSignIns(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let (forbidden, pageSize) = locked { (faults.signInsForbidden, faults.signInPageSize) }
        if forbidden {
            return .json(
                403,
                #"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"request-id":"00000000-0000-0000-0000-000000000000"}}}"#,
                headers: [("request-id", "5f1e0c1d-0000-4000-8000-000000000403")])
        }
        let filter = request.query["$filter"] ?? ""
        let pattern = #/createdDateTime ge (\S+) and createdDateTime lt (\S+)/#
        let iso = ISO8601DateFormatter()
        guard let match = filter.firstMatch(of: pattern), let start = iso.date(from: String(match.1)),
            let end = iso.date(from: String(match.2))
        else {
            return .json(400, #"{"error":{"code":"BadRequest","message":"Invalid filter clause"}}"#)
        }
        let matching = signIns.filter { $0.created >= start && $0.created < end }.sorted { $0.created > $1.created }
        let top = min(pageSize, Int(request.query["$top"] ?? "") ?? pageSize)
        let skip = Int(request.query["$skiptoken"] ?? "0") ?? 0
        let page = matching.dropFirst(skip).prefix(top)
        var body = #"{"@odata.context":"\#(baseURL)/v1.0/$metadata#auditLogs/signIns","value":["#
        body += page.map(\.json).joined(separator: ",") + "]"
        if skip + top < matching.count {
            var next = URLComponents(string: baseURL + request.path)
            next?.queryItems = [
                URLQueryItem(name: "$filter", value: filter), URLQueryItem(name: "$top", value: String(top)),
                URLQueryItem(name: "$skiptoken", value: String(skip + top)),
            ]
            body += #","@odata.nextLink":"\#(next?.string ?? "")""#
        }
        return .json(200, body + "}")
    }

    /// Graph's audit log query API: `POST queries` starts one (`notStarted`), its state is
    /// `running` when first asked and `succeeded` after, and `queries/{id}/records` pages the
    /// records of the blobs created in its range, each with its UAL record as `auditData`.
    private func auditLogQuery(_ request: LoopbackHTTPServer.Request, _ path: [String]) -> LoopbackHTTPServer.Response {
        let iso = ISO8601DateFormatter()
        switch (request.method, path.count) {
        case ("POST", 0):
            guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
                let start = (body["filterStartDateTime"] as? String).flatMap(iso.date(from:)),
                let end = (body["filterEndDateTime"] as? String).flatMap(iso.date(from:))
            else {
                return .json(
                    400,
                    #"{"error":{"code":"BadRequest","message":"filterStartDateTime and filterEndDateTime are required"}}"#
                )
            }
            let id = locked { () -> String in
                let id = "query-\(auditQueries.count + 1)"
                auditQueries[id] = (start, end, 0)
                return id
            }
            return .json(
                201,
                ##"{"@odata.type":"#microsoft.graph.security.auditLogQuery","id":"\##(id)","status":"notStarted"}"##)
        case ("GET", 1):
            let polls = locked { () -> Int? in
                guard var query = auditQueries[path[0]] else { return nil }
                query.polls += 1
                auditQueries[path[0]] = query
                return query.polls
            }
            guard let polls else { return .json(404, #"{"error":{"code":"NotFound","message":"no such query"}}"#) }
            return .json(200, #"{"id":"\#(path[0])","status":"\#(polls == 1 ? "running" : "succeeded")"}"#)
        case ("GET", 2) where path[1] == "records":
            guard let query = locked({ auditQueries[path[0]] }) else {
                return .json(404, #"{"error":{"code":"NotFound","message":"no such query"}}"#)
            }
            let pageSize = locked { faults.signInPageSize }
            let records = blobs.filter { $0.created >= query.start && $0.created < query.end }.flatMap(\.records)
            let skip = Int(request.query["$skiptoken"] ?? "0") ?? 0
            let page = records.dropFirst(skip).prefix(pageSize).map { record -> String in
                let id =
                    (try? JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any])?["Id"] as? String
                    ?? ""
                return
                    #"{"id":"\#(id)","auditLogRecordType":"exchangeItemAggregated","operation":"MailItemsAccessed","auditData":\#(record)}"#
            }
            var body = #"{"value":["# + page.joined(separator: ",") + "]"
            if skip + pageSize < records.count {
                body += #","@odata.nextLink":"\#(baseURL)\#(request.path)?$skiptoken=\#(skip + pageSize)""#
            }
            return .json(200, body + "}")
        default:
            return .json(404, #"{"error":{"code":"NotFound","message":"no such endpoint"}}"#)
        }
    }

    // MARK: the certificate credential

    /// Checks a client assertion as the identity platform documents it: RS256 over header and
    /// claims, signed by the registered certificate's key, named by its thumbprint, for this
    /// endpoint, issued by the client, not expired.
    private func checkAssertion(_ assertion: String, audience: String) -> (code: Int, text: String)? {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Self.base64URL(parts[0]), let claimBytes = Self.base64URL(parts[1]),
            let signature = Self.base64URL(parts[2]),
            let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
            let claims = try? JSONSerialization.jsonObject(with: Data(claimBytes)) as? [String: Any]
        else { return (50027, "Invalid JWT token.") }
        guard let pem = certificatePEM, let thumbprint = Self.sha1Thumbprint(pem),
            header["alg"] as? String == "RS256", header["x5t"] as? String == thumbprint
        else { return (700027, "Client assertion failed signature validation: the key was not found.") }
        guard Self.verify(Array("\(parts[0]).\(parts[1])".utf8), signature: signature, certificatePEM: pem) else {
            return (700027, "Client assertion contains an invalid signature.")
        }
        guard claims["aud"] as? String == audience, claims["iss"] as? String == clientID,
            claims["sub"] as? String == clientID
        else { return (700021, "Client assertion audience claim does not match Realm issuer.") }
        let now = Date().timeIntervalSince1970
        guard let expiry = claims["exp"] as? Double, let notBefore = claims["nbf"] as? Double,
            expiry > now, notBefore <= now + 300
        else { return (700024, "Client assertion is not within its valid time range.") }
        return nil
    }

    static func base64URL(_ text: Substring) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }

    static func sha1Thumbprint(_ pem: [UInt8]) -> String? {
        pem.withUnsafeBytes { bytes -> String? in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else { return nil }
            defer { X509_free(certificate) }
            var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            guard X509_digest(certificate, EVP_sha1(), &digest, &length) == 1 else { return nil }
            return Data(digest.prefix(Int(length))).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
    }

    static func verify(_ message: [UInt8], signature: [UInt8], certificatePEM: [UInt8]) -> Bool {
        certificatePEM.withUnsafeBytes { bytes -> Bool in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return false }
            defer { BIO_free(bio) }
            guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else { return false }
            defer { X509_free(certificate) }
            guard let key = X509_get_pubkey(certificate), let context = EVP_MD_CTX_new() else { return false }
            defer {
                EVP_PKEY_free(key)
                EVP_MD_CTX_free(context)
            }
            guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
            return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
        }
    }

    static func time(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.date(from: text)
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
