import Foundation
import Logging
import WebTransport

/// The Office 365 Management Activity API for one tenant: subscriptions, the content available
/// in a window, and the content blobs (JSON arrays of audit records).
public struct ActivityFeed: Sendable {
    public static let contentTypes = [
        "Audit.Exchange", "Audit.General", "Audit.AzureActiveDirectory", "Audit.SharePoint", "DLP.All",
    ]
    /// How far back the API lists content, and the widest window one listing may ask for.
    public static let reach: TimeInterval = 7 * 86400
    public static let widestWindow: TimeInterval = 86400

    let client: ServiceClient
    let root: String
    let tenantID: String

    public init(client: ServiceClient, endpoints: ServiceEndpoints, tenantID: String) {
        self.client = client
        self.root = endpoints.activityAPI
        self.tenantID = tenantID
    }

    var scope: String { ServiceEndpoints.scope(of: root) }
    var feed: String { "\(root)/api/v1.0/\(tenantID)/activity/feed" }
    /// Sent with every call: the API counts its quota per publisher.
    var publisher: URLQueryItem { URLQueryItem(name: "PublisherIdentifier", value: tenantID) }

    /// Content types with an enabled subscription.
    public func enabledSubscriptions() throws(ServiceError) -> Set<String> {
        let response = try client.send(HTTPRequest(url: url("subscriptions/list", [])), scope: scope)
        let listed = (try? JSONDecoder().decode([Subscription].self, from: Data(response.body))) ?? []
        return Set(listed.filter { $0.status.lowercased() == "enabled" }.map(\.contentType))
    }

    public func startSubscription(_ contentType: String) throws(ServiceError) {
        let request = HTTPRequest(
            method: "POST", url: url("subscriptions/start", [URLQueryItem(name: "contentType", value: contentType)]),
            headers: [HTTPHeader("Content-Type", "application/json")], body: Array("{}".utf8))
        do {
            _ = try client.send(request, scope: scope)
        } catch  where error.code == "AF20024" {
            // Already enabled: another pull started it meanwhile.
        }
    }

    /// The content blobs made available in [start, end), every page (`NextPageUri`).
    public func listContent(_ contentType: String, from start: Date, to end: Date) throws(ServiceError) -> [ContentBlob]
    {
        var next: String? = url(
            "subscriptions/content",
            [
                URLQueryItem(name: "contentType", value: contentType),
                URLQueryItem(name: "startTime", value: Self.timeText(start)),
                URLQueryItem(name: "endTime", value: Self.timeText(end)),
            ])
        var blobs: [ContentBlob] = []
        var pages = 0
        while let page = next {
            pages += 1
            guard pages <= 10_000 else {
                throw ServiceError(method: "GET", url: page, message: "more than 10,000 pages in one window")
            }
            let response = try client.send(HTTPRequest(url: page), scope: scope)
            guard let listed = try? JSONDecoder().decode([ContentBlob].self, from: Data(response.body)) else {
                throw ServiceError(
                    method: "GET", url: page, status: response.status, message: "the content list is not a JSON array")
            }
            blobs += listed
            next = response.header("NextPageUri").flatMap { $0.isEmpty ? nil : $0 }
            if let link = next { try ServiceError.checkLink(link, sameOriginAs: root, request: page) }
        }
        return blobs
    }

    /// A content blob's bytes: a JSON array of audit records.
    public func fetch(_ blob: ContentBlob) throws(ServiceError) -> [UInt8] {
        try ServiceError.checkLink(blob.contentUri, sameOriginAs: root, request: blob.contentUri)
        var url = blob.contentUri
        if var link = URLComponents(string: url) {
            let query = link.queryItems ?? []
            if !query.contains(where: { $0.name == publisher.name }) { link.queryItems = query + [publisher] }
            url = link.string ?? url
        }
        return try client.send(HTTPRequest(url: url), scope: scope).body
    }

    private func url(_ path: String, _ query: [URLQueryItem]) -> String {
        var components = URLComponents(string: "\(feed)/\(path)")
        components?.queryItems = query + [publisher]
        return components?.string ?? "\(feed)/\(path)"
    }

    /// The API's time format: UTC, to the second, no zone suffix.
    static func timeText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }

    struct Subscription: Decodable {
        var contentType: String
        var status: String
    }
}

/// One entry of a content listing.
public struct ContentBlob: Sendable, Decodable, Equatable {
    public var contentType: String
    public var contentId: String
    public var contentUri: String
    public var contentCreated: String
    public var contentExpiration: String

    public init(
        contentType: String, contentId: String, contentUri: String, contentCreated: String, contentExpiration: String
    ) {
        self.contentType = contentType
        self.contentId = contentId
        self.contentUri = contentUri
        self.contentCreated = contentCreated
        self.contentExpiration = contentExpiration
    }

    /// When the API stops serving it (nil when the listing's time cannot be read).
    public var expiration: Date? { Self.parse(contentExpiration) }

    /// The listing's time text, when it is one (it comes from outside).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
