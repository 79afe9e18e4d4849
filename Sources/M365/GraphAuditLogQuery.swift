import Foundation
import WebTransport

/// Microsoft Purview's audit log through Microsoft Graph's audit log query API
/// (`/security/auditLog/queries`, application permission AuditLogsQuery.Read.All): a query over a
/// time range, run by the service, then its records paged with `@odata.nextLink`. It reaches 180
/// days back where the Management Activity API keeps 7. Each record's `auditData` is the UAL record.
public struct GraphAuditLogQuery: Sendable {
    /// How far back the audit log keeps records (Audit Standard).
    public static let reach: TimeInterval = 180 * 86400

    let client: ServiceClient
    let root: String
    /// Pause between polls of a running query, and the longest a query may run.
    let pollInterval: Double
    let timeout: Double

    public init(client: ServiceClient, endpoints: ServiceEndpoints, pollInterval: Double = 15, timeout: Double = 3600) {
        self.client = client
        self.root = endpoints.graph
        self.pollInterval = pollInterval
        self.timeout = timeout
    }

    var scope: String { ServiceEndpoints.scope(of: root) }
    var queries: String { "\(root)/v1.0/security/auditLog/queries" }

    /// Runs a query over [start, end) and hands over its records a page at a time, each record's
    /// `auditData` as one JSON line.
    public func records(from start: Date, to end: Date, _ body: ([UInt8], Int) throws -> Void) throws {
        let request: [String: Any] = [
            "displayName": "mailhound \(GraphSignIns.timeText(start))",
            "filterStartDateTime": GraphSignIns.timeText(start), "filterEndDateTime": GraphSignIns.timeText(end),
        ]
        let created = try client.send(
            HTTPRequest(
                method: "POST", url: queries, headers: [HTTPHeader("Content-Type", "application/json")],
                body: [UInt8]((try? JSONSerialization.data(withJSONObject: request)) ?? Data())), scope: scope)
        guard
            let id = (Self.object(created.body)?["id"] as? String)?.addingPercentEncoding(
                withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-")))
        else {
            throw ServiceError(method: "POST", url: queries, status: created.status, message: "the query has no id")
        }
        let query = "\(queries)/\(id)"
        let began = Date()
        while true {
            let state = try client.send(HTTPRequest(url: query), scope: scope)
            let status = (Self.object(state.body)?["status"] as? String)?.lowercased() ?? ""
            if status == "succeeded" { break }
            guard status != "failed", status != "cancelled" else {
                throw ServiceError(
                    method: "GET", url: query, status: state.status, message: "the audit log query \(status)")
            }
            guard Date().timeIntervalSince(began) < timeout else {
                throw ServiceError(
                    method: "GET", url: query, status: state.status,
                    message: "the audit log query was still \(status) after \(Int(timeout)) s",
                    hint: "run again later: the query keeps running on the service")
            }
            Thread.sleep(forTimeInterval: pollInterval)
        }
        // A record without its UAL record is loaded as it is, so the parser quarantines it.
        try GraphPage.each(
            from: "\(query)/records", client: client, scope: scope, root: root,
            element: { ($0 as? [String: Any])?["auditData"] ?? $0 }, body)
    }

    private static func object(_ body: [UInt8]) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }
}
