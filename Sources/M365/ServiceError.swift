import Foundation
import WebTransport

/// A Microsoft 365 call that failed: which endpoint, the HTTP status, the service's request id and
/// error code, and what to do about it. Never holds a secret or a token: request bodies and
/// headers are not kept.
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    public var method: String
    /// The URL without its query.
    public var endpoint: String
    /// nil when no response came (timeout, connection, TLS).
    public var status: Int?
    public var requestID: String?
    /// AF… (Management Activity API), AADSTS… or the OAuth error (token endpoint), Graph's code.
    public var code: String?
    public var message: String
    public var hint: String?

    public init(
        method: String, url: String, status: Int? = nil, requestID: String? = nil, code: String? = nil,
        message: String, hint: String? = nil
    ) {
        self.method = method
        self.endpoint = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        self.status = status
        self.requestID = requestID
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { hint.map { headline + "\nhint: " + $0 } ?? headline }

    /// The error without its hint, on one line.
    public var headline: String {
        var text = "\(method) \(endpoint): "
        if let status { text += "HTTP \(status) " }
        if let code { text += "\(code) " }
        text += message
        if let requestID { text += " (request-id \(requestID))" }
        return text
    }

    /// The error a failed response reports, with a hint for the causes a user can act on.
    static func from(_ response: HTTPResponse, request: HTTPRequest, attempts: Int) -> ServiceError {
        let (code, message) = parseBody(response.body)
        let requestID =
            response.header("request-id") ?? response.header("x-ms-request-id") ?? response.header("client-request-id")
        var error = ServiceError(
            method: request.method, url: request.url, status: response.status, requestID: requestID.map(bounded),
            code: code.map(bounded),
            message: bounded(message ?? "no error message (\(response.body.count) bytes of body)"))
        error.hint = hint(status: response.status, code: code, message: message, attempts: attempts)
        if let skew = clockSkew(response), abs(skew) > 300, error.hint == nil || response.status == 401 {
            error.hint =
                "this machine's clock is \(Int(abs(skew))) s \(skew > 0 ? "behind" : "ahead of") the service's: "
                + "tokens and assertions are refused when clocks disagree; sync it (timedatectl, chrony)"
        }
        return error
    }

    /// Links a service returns are followed only on its own host: the bearer token goes nowhere else.
    static func checkLink(_ link: String, sameOriginAs root: String, request: String) throws(ServiceError) {
        do {
            try EndpointPolicy.checkLink(link, sameOriginAs: root)
        } catch {
            throw ServiceError(method: "GET", url: request, message: error.description)
        }
    }

    static func transport(_ error: TransportError, request: HTTPRequest, attempts: Int) -> ServiceError {
        let hint: String? =
            switch error.kind {
            case .tls: "TLS verification failed: give the CA bundle of a proxy that inspects TLS with --ca-bundle"
            case .timedOut, .connectionFailed, .truncated:
                "gave up after \(attempts) attempts; the pull resumes where it stopped when run again"
            case .refusedURL: "use https, or http on a loopback address for an emulator"
            case .tooLarge, .other: nil
            }
        return ServiceError(method: request.method, url: request.url, message: error.detail, hint: hint)
    }

    /// `{"error":{"code","message"}}` (Management Activity API, Graph) or
    /// `{"error","error_description"}` (OAuth token endpoint).
    private static func parseBody(_ body: [UInt8]) -> (code: String?, message: String?) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.prefix(64 << 10))) as? [String: Any]
        else { return (nil, body.isEmpty ? nil : String(decoding: body.prefix(300), as: UTF8.self)) }
        if let inner = object["error"] as? [String: Any] {
            let code = (inner["code"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            return (code, inner["message"] as? String)
        }
        if let code = object["error"] as? String {
            let description = object["error_description"] as? String
            // The AADSTS number says more than the OAuth error name.
            let aadsts = description.flatMap { text in
                text.range(of: #"AADSTS\d+"#, options: .regularExpression).map { String(text[$0]) }
            }
            return (aadsts ?? code, description.map { $0.components(separatedBy: "\r\n").first ?? $0 })
        }
        return (nil, object["message"] as? String ?? object["Message"] as? String)
    }

    private static func hint(status: Int, code: String?, message: String?, attempts: Int) -> String? {
        switch code ?? "" {
        case "AADSTS7000215":
            return "the client secret is wrong: use the secret's Value (not its Secret ID) from the app registration"
        case "AADSTS7000222": return "the client secret has expired: add a new one under Certificates & secrets"
        case "AADSTS700016", "unauthorized_client":
            return "no app with this --client-id in that tenant: check the Application (client) ID and --tenant-id"
        case "AADSTS90002", "AADSTS900023", "AF20011", "AF20012", "AF20013", "AF20010":
            return "check --tenant-id: it is the Directory (tenant) ID, a GUID, of the tenant that consented"
        case "AADSTS700024", "AADSTS700025":
            return "the client assertion's times were refused: sync this machine's clock (timedatectl, chrony)"
        case "AADSTS700027":
            return "the assertion's signature was refused: upload this certificate (its .cer) to the app registration"
        case "AADSTS65001", "AADSTS7000229", "AADSTS500011":
            return
                "consent is missing: an administrator grants the app's permissions (see README, Pulling from Microsoft 365)"
        case "AF10001", "Authorization_RequestDenied":
            return
                "the app lacks the permission: grant ActivityFeed.Read (Office 365 Management APIs) and AuditLog.Read.All "
                + "(Microsoft Graph) as application permissions, then an administrator's consent"
        case "AF20022": return "no subscription for this content type: mailhound pull starts it when run again"
        case "AF20023":
            return "an administrator disabled the subscription (or audit logging): turn auditing on "
                + "(Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true); pull starts the subscription again"
        case "AF20030": return "windows must be at most 24 hours and start within the last 7 days"
        case "AF20051":
            return "the content expired (older than 7 days) before it was fetched: its records are gone from the API"
        default: break
        }
        switch status {
        case 401:
            return "the token was refused: check the app's permissions and consent (README, Pulling from Microsoft 365)"
        case 403: return "forbidden: the app lacks the permission or the tenant's licence for this data"
        case 429: return "throttled, and still after \(attempts) attempts: run again later (mailhound resumes)"
        case 500...599: return "the service failed \(attempts) times: run again later (mailhound resumes)"
        default: return nil
        }
    }

    /// Seconds between the service's `Date` and this machine's clock.
    private static func clockSkew(_ response: HTTPResponse) -> Double? {
        response.header("Date").flatMap(HTTPDate.parse).map { $0.timeIntervalSinceNow }
    }

    /// Service text is outside input: bounded here, escaped where it is printed.
    private static func bounded(_ text: String) -> String {
        text.count > 500 ? String(text.prefix(500)) + "…" : text
    }
}
