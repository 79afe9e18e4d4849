import Foundation
import WebTransport

/// Entra ID sign-in logs through Microsoft Graph (`GET /v1.0/auditLogs/signIns`, application
/// permission AuditLog.Read.All): filtered by time, paged with `@odata.nextLink`.
public struct GraphSignIns: Sendable {
    /// How long Entra keeps sign-ins (P1/P2 tenants; free tenants keep 7 days).
    public static let reach: TimeInterval = 30 * 86400
    /// Sign-ins per page, the most Graph gives.
    static let pageSize = 1000

    let client: ServiceClient
    let root: String

    public init(client: ServiceClient, endpoints: ServiceEndpoints) {
        self.client = client
        self.root = endpoints.graph
    }

    var scope: String { ServiceEndpoints.scope(of: root) }

    /// The sign-ins created in [start, end), a page at a time: each page's objects as JSON lines.
    public func pages(from start: Date, to end: Date, _ body: ([UInt8], Int) throws -> Void) throws {
        var components = URLComponents(string: "\(root)/v1.0/auditLogs/signIns")
        components?.queryItems = [
            URLQueryItem(
                name: "$filter",
                value: "createdDateTime ge \(Self.timeText(start)) and createdDateTime lt \(Self.timeText(end))"),
            URLQueryItem(name: "$top", value: String(Self.pageSize)),
        ]
        guard let first = components?.string else {
            throw ServiceError(method: "GET", url: root, message: "no sign-ins URL can be made of this Graph root")
        }
        try GraphPage.each(from: first, client: client, scope: scope, root: root, element: { $0 }, body)
    }

    /// Graph's filter time: UTC with its zone.
    public static func timeText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// The pages of a Graph collection, each its `value` elements as JSON lines, following
/// `@odata.nextLink` on Graph's own host.
enum GraphPage {
    static let mostPages = 100_000

    /// `element` picks what of each element is a record (the element itself, or a part of it);
    /// `body` gets each page's lines and its number.
    static func each(
        from first: String, client: ServiceClient, scope: String, root: String, element: (Any) -> Any,
        _ body: ([UInt8], Int) throws -> Void
    ) throws {
        var next: String? = first
        var page = 0
        while let url = next {
            page += 1
            guard page <= mostPages else {
                throw ServiceError(method: "GET", url: url, message: "more than \(mostPages) pages in one window")
            }
            let response = try client.send(HTTPRequest(url: url), scope: scope)
            let (lines, link) = try read(response, url: url, element: element)
            try body(lines, page)
            next = link
            if let link { try ServiceError.checkLink(link, sameOriginAs: root, request: url) }
        }
    }

    private static func read(
        _ response: HTTPResponse, url: String, element: (Any) -> Any
    ) throws(ServiceError) -> (lines: [UInt8], next: String?) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let values = object["value"] as? [Any]
        else {
            throw ServiceError(
                method: "GET", url: url, status: response.status, message: "the page has no \"value\" array")
        }
        var lines: [UInt8] = []
        for value in values {
            // An element that is no object (a number, a string, null) is passed on as its own line
            // too: the reader quarantines it with its reason rather than it being lost here.
            guard
                let data = try? JSONSerialization.data(
                    withJSONObject: element(value), options: [.sortedKeys, .fragmentsAllowed])
            else { continue }
            lines += data
            lines.append(UInt8(ascii: "\n"))
        }
        return (lines, (object["@odata.nextLink"] as? String).flatMap { $0.isEmpty ? nil : $0 })
    }
}
