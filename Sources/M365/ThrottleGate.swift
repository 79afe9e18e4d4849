import Foundation

/// A tenant's rate state: when one request is told to wait (429 with `Retry-After`), every request
/// for that tenant waits, across the concurrent fetches of a pull and the pulls of a worker.
public final class ThrottleGate: @unchecked Sendable {
    private let lock = NSLock()
    private var notBefore = Date.distantPast

    private nonisolated(unsafe) static var gates: [String: ThrottleGate] = [:]
    private static let gatesLock = NSLock()

    /// The one gate of `tenantID` in this process.
    public static func shared(for tenantID: String) -> ThrottleGate {
        gatesLock.lock()
        defer { gatesLock.unlock() }
        if let gate = gates[tenantID] { return gate }
        let gate = ThrottleGate()
        gates[tenantID] = gate
        return gate
    }

    public init() {}

    /// Sleeps until the tenant may send again.
    func waitTurn() {
        while true {
            lock.lock()
            let wait = notBefore.timeIntervalSinceNow
            lock.unlock()
            guard wait > 0 else { return }
            Thread.sleep(forTimeInterval: wait)
        }
    }

    /// No request of this tenant before `seconds` from now.
    func hold(for seconds: Double) {
        lock.lock()
        notBefore = max(notBefore, Date().addingTimeInterval(seconds))
        lock.unlock()
    }
}
