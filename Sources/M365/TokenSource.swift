import Foundation
import Logging
import WebTransport

/// Access tokens by OAuth2 client credentials (v2.0 token endpoint), cached per scope until five
/// minutes before they expire. One fetch at a time: concurrent callers wait for it and share it.
public final class TokenSource: @unchecked Sendable {
    private let endpoints: ServiceEndpoints
    private let tenantID: String
    private let clientID: String
    private let credential: ClientCredential
    private let transport: any HTTPTransport
    private let retry: RetryPolicy
    private let logger: Logger
    private let lock = NSLock()
    private var cache: [String: (token: String, expires: Date)] = [:]

    public init(
        endpoints: ServiceEndpoints, tenantID: String, clientID: String, credential: ClientCredential,
        transport: any HTTPTransport, retry: RetryPolicy, logger: Logger
    ) {
        self.endpoints = endpoints
        self.tenantID = tenantID
        self.clientID = clientID
        self.credential = credential
        self.transport = transport
        self.retry = retry
        self.logger = logger
    }

    var tokenURL: String { "\(endpoints.login)/\(tenantID)/oauth2/v2.0/token" }

    public func token(for scope: String) throws(ServiceError) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[scope], cached.expires.timeIntervalSinceNow > 300 { return cached.token }
        let (token, lifetime) = try fetch(scope: scope)
        cache[scope] = (token, Date().addingTimeInterval(lifetime))
        logger.debug("token obtained", metadata: ["scope": "\(scope)", "expires_in": "\(Int(lifetime))"])
        return token
    }

    /// Forgets `token` when it is still the cached one: the service refused it before it expired.
    func invalidate(_ token: String, scope: String) {
        lock.lock()
        if cache[scope]?.token == token { cache[scope] = nil }
        lock.unlock()
    }

    private func fetch(scope: String) throws(ServiceError) -> (String, Double) {
        var form = [("grant_type", "client_credentials"), ("client_id", clientID), ("scope", scope)]
        switch credential {
        case .secret(let secret): form.append(("client_secret", secret))
        case .certificate(let key):
            do {
                let assertion = try ClientAssertion.make(clientID: clientID, audience: tokenURL, key: key)
                form += [
                    ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                    ("client_assertion", assertion),
                ]
            } catch {
                throw ServiceError(method: "POST", url: tokenURL, message: error.description)
            }
        }
        let request = HTTPRequest(
            method: "POST", url: tokenURL,
            headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(FormEncoding.encode(form).utf8))
        var attempt = 0
        while true {
            attempt += 1
            let response: HTTPResponse
            do {
                response = try transport.send(request)
            } catch {
                guard let wait = retry.delay(after: error, attempt: attempt) else {
                    throw ServiceError.transport(error, request: request, attempts: attempt)
                }
                Thread.sleep(forTimeInterval: wait)
                continue
            }
            if response.isSuccess {
                guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                    let token = object["access_token"] as? String, !token.isEmpty
                else {
                    throw ServiceError(
                        method: "POST", url: tokenURL, status: response.status, message: "no access_token in the answer"
                    )
                }
                let lifetime =
                    (object["expires_in"] as? Double) ?? Double(object["expires_in"] as? String ?? "") ?? 3599
                return (token, lifetime)
            }
            guard let wait = retry.delay(after: response, attempt: attempt) else {
                throw ServiceError.from(response, request: request, attempts: attempt)
            }
            Thread.sleep(forTimeInterval: wait)
        }
    }
}

/// `application/x-www-form-urlencoded` (the token request's body).
enum FormEncoding {
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
