import Foundation
import M365

/// The listing windows of one content type: from where the last pull stopped (a little before,
/// since content can be listed late) or `--since`, to `--until` or now, at most 24 hours each and
/// never before what the source still keeps (the API's 7 days).
public struct PullWindows: Sendable, Equatable {
    public var windows: [DateInterval]
    /// The start asked for when it was out of the API's reach: content before `windows.first` is gone.
    public var unreachableFrom: Date?

    /// Listed again before the checkpoint: content the API made available late.
    public static let relist: TimeInterval = 3600
    /// Kept clear of the 7-day edge, which moves while the pull runs.
    static let edgeMargin: TimeInterval = 600

    /// `reach`: how far back the source lists (the Management Activity API's 7 days by default);
    /// `width`: the widest window one request may cover (its 24 hours).
    public init(
        since: Date?, until: Date?, listedUntil: Date?, reach: TimeInterval = ActivityFeed.reach,
        width: TimeInterval = ActivityFeed.widestWindow, now: Date = Date()
    ) {
        let earliest = now.addingTimeInterval(-reach + Self.edgeMargin)
        var start = since ?? listedUntil.map { $0.addingTimeInterval(-Self.relist) } ?? earliest
        if start < earliest {
            // A checkpoint older than the reach is not a gap the user asked about: it is reported too.
            unreachableFrom = start
            start = earliest
        }
        let end = min(until ?? now, now)
        windows = []
        var cursor = start
        while cursor < end {
            let next = min(end, cursor.addingTimeInterval(width))
            windows.append(DateInterval(start: cursor, end: next))
            cursor = next
        }
    }
}
