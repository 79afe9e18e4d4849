import Foundation
import Logging
import WebTransport

/// Authorized calls to one Microsoft 365 service: a bearer token for its scope, a fresh token once
/// when the service refuses one (it expired mid-pull), waits on 429 for the whole tenant, backoff
/// on 5xx and broken transfers, and an error that names the endpoint when it gives up.
public struct ServiceClient: Sendable {
    let transport: any HTTPTransport
    let tokens: TokenSource
    let retry: RetryPolicy
    let gate: ThrottleGate
    let logger: Logger

    public init(
        transport: any HTTPTransport, tokens: TokenSource, retry: RetryPolicy, gate: ThrottleGate, logger: Logger
    ) {
        self.transport = transport
        self.tokens = tokens
        self.retry = retry
        self.gate = gate
        self.logger = logger
    }

    public func send(_ request: HTTPRequest, scope: String) throws(ServiceError) -> HTTPResponse {
        var attempt = 0
        var refreshed = false
        while true {
            attempt += 1
            gate.waitTurn()
            let token = try tokens.token(for: scope)
            var authorized = request
            authorized.headers.append(HTTPHeader("Authorization", "Bearer \(token)"))
            authorized.headers.append(HTTPHeader("client-request-id", UUID().uuidString.lowercased()))
            let response: HTTPResponse
            do {
                response = try transport.send(authorized)
            } catch {
                guard let wait = retry.delay(after: error, attempt: attempt) else {
                    throw ServiceError.transport(error, request: request, attempts: attempt)
                }
                logger.warning(
                    "request failed, trying again",
                    metadata: ["url": "\(request.url)", "error": "\(error.detail)", "wait_s": "\(rounded(wait))"])
                Thread.sleep(forTimeInterval: wait)
                continue
            }
            if response.isSuccess { return response }
            if response.status == 401, !refreshed {
                // A token can expire, or be revoked, between the cache's check and the call.
                refreshed = true
                tokens.invalidate(token, scope: scope)
                attempt -= 1
                continue
            }
            guard let wait = retry.delay(after: response, attempt: attempt) else {
                throw ServiceError.from(response, request: request, attempts: attempt)
            }
            if response.status == 429 {
                gate.hold(for: wait)
                logger.warning("throttled", metadata: ["url": "\(request.url)", "wait_s": "\(rounded(wait))"])
            } else {
                logger.warning(
                    "service error, trying again",
                    metadata: ["url": "\(request.url)", "status": "\(response.status)", "wait_s": "\(rounded(wait))"])
                Thread.sleep(forTimeInterval: wait)
            }
        }
    }

    private func rounded(_ seconds: Double) -> String { String(format: "%.1f", seconds) }
}
