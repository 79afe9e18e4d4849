import Foundation

/// When to try a request again and how long to wait first: the server's `Retry-After` on 429 and
/// 503, else exponential backoff with full jitter on 5xx, timeouts and broken connections.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// The longest `Retry-After` honoured as given; a longer one is cut to this.
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 6, baseDelay: Double = 1, maxDelay: Double = 60, maxRetryAfter: Double = 300) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Seconds to wait before attempt `attempt + 1` after a response, or nil to give up.
    public func delay(after response: HTTPResponse, attempt: Int, now: Date = Date()) -> Double? {
        guard attempt < maxAttempts, response.status == 429 || (500...599).contains(response.status) else {
            return nil
        }
        if let header = response.header("Retry-After"), let seconds = Self.retryAfter(header, now: now) {
            return min(seconds, maxRetryAfter)
        }
        return backoff(attempt: attempt)
    }

    /// Seconds to wait after a transport error, or nil to give up.
    public func delay(after error: TransportError, attempt: Int) -> Double? {
        guard attempt < maxAttempts, error.isTransient else { return nil }
        return backoff(attempt: attempt)
    }

    /// Full jitter: a random wait up to base · 2^(attempt−1), capped.
    func backoff(attempt: Int) -> Double {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return Double.random(in: (ceiling / 2)...ceiling)
    }

    /// `Retry-After` as seconds or as an HTTP date (RFC 9110 §10.2.3).
    static func retryAfter(_ header: String, now: Date) -> Double? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds >= 0, seconds.isFinite { return seconds }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
