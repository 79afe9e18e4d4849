import AuditSources
import Foundation
import Ingest
import Logging
import M365
import PostgresClient

/// `mailhound pull`: lists each content type's blobs window by window, fetches the new ones a few
/// at a time and streams them through the ingest's parser and COPY path like files. A blob's id is
/// recorded with its last batch, a window's end once all its blobs are stored, so a pull killed at
/// any point resumes without gaps or doubles.
public struct ContentPull {
    public struct Plan: Sendable {
        public var tenantID: String
        public var contentTypes: [String]
        public var since: Date?
        public var until: Date?
        /// Keep each fetched blob under this folder as evidence.
        public var saveDirectory: String?
        /// Blob fetches at once.
        public var concurrency = 4
        public var ingest = Ingestor.Options()

        public init(tenantID: String, contentTypes: [String]) {
            self.tenantID = tenantID
            self.contentTypes = contentTypes
        }
    }

    /// The checkpoint names of Graph's sign-ins and audit log queries beside the Management
    /// Activity API's content types.
    public static let signInsCheckpoint = "Graph.SignIns"
    public static let auditQueryCheckpoint = "Graph.AuditLogQuery"

    let feed: ActivityFeed
    /// Entra sign-ins through Graph too, when asked for.
    let signIns: GraphSignIns?
    /// Purview's audit log through Graph's audit log query API too, when asked for.
    let auditQuery: GraphAuditLogQuery?
    let connection: Connection
    let plan: Plan
    let logger: Logger

    public init(
        feed: ActivityFeed, signIns: GraphSignIns? = nil, auditQuery: GraphAuditLogQuery? = nil,
        connection: Connection, plan: Plan, logger: Logger
    ) {
        self.feed = feed
        self.signIns = signIns
        self.auditQuery = auditQuery
        self.connection = connection
        self.plan = plan
        self.logger = logger
    }

    public func run() throws -> PullSummary {
        let started = Date()
        var summary = PullSummary()
        let ledger = PullLedger(connection: connection, tenant: plan.tenantID)
        let enabled: Set<String>
        do {
            enabled = try feed.enabledSubscriptions()
        } catch {
            summary.failures.append(error)
            return summary
        }
        for contentType in plan.contentTypes where !enabled.contains(contentType) {
            do {
                try feed.startSubscription(contentType)
                summary.subscriptionsStarted.append(contentType)
                logger.info(
                    "subscription started; the service can take up to 12 hours to list its first content",
                    metadata: ["content_type": "\(contentType)"])
            } catch {
                summary.failures.append(error)
            }
        }
        for contentType in plan.contentTypes {
            try pull(contentType, ledger: ledger, into: &summary)
        }
        if let signIns {
            try pullGraph(
                checkpoint: Self.signInsCheckpoint, label: "signIns", reach: GraphSignIns.reach,
                elsewhere: "export older sign-ins from Log Analytics (SigninLogs) instead",
                width: ActivityFeed.widestWindow, format: .entraSignIns, counted: \.signIns, ledger: ledger,
                into: &summary
            ) { window, page in try signIns.pages(from: window.start, to: window.end, page) }
        }
        // Purview's audit log, a query a week: the same records as the activity API's store once.
        if let auditQuery {
            try pullGraph(
                checkpoint: Self.auditQueryCheckpoint, label: "auditLog", reach: GraphAuditLogQuery.reach,
                elsewhere: "export older records from Purview instead", width: 7 * 86400, format: .ualJSONLines,
                counted: \.auditQueryRecords, ledger: ledger,
                into: &summary
            ) { window, page in try auditQuery.records(from: window.start, to: window.end, page) }
        }
        summary.elapsedSeconds = Date().timeIntervalSince(started)
        return summary
    }

    private func pull(_ contentType: String, ledger: PullLedger, into summary: inout PullSummary) throws {
        let windows = PullWindows(
            since: plan.since, until: plan.until, listedUntil: try ledger.listedUntil(contentType))
        report(
            windows, of: contentType, reach: ActivityFeed.reach, elsewhere: "export older records from Purview instead",
            into: &summary)
        for window in windows.windows {
            if plan.ingest.shouldStop() { return }
            let blobs: [ContentBlob]
            do {
                blobs = try feed.listContent(contentType, from: window.start, to: window.end)
            } catch {
                summary.failures.append(error)
                return
            }
            summary.windows += 1
            // A listing may name a blob twice (pages that overlap): fetched once. An id too long to
            // be a key is not the service's: quarantined with its listing entry, not fetched.
            var seen = Set<String>()
            let listed = blobs.filter { seen.insert($0.contentId).inserted }
            for blob in listed where blob.contentId.utf8.count > Self.longestContentID {
                var named = blob
                named.contentId = String(blob.contentId.prefix(64)) + "…"
                let reason = "content id of \(blob.contentId.utf8.count) bytes, longer than a content id can be"
                if try ledger.quarantine(named, name: Self.name(of: named, tenant: plan.tenantID), reason: reason) {
                    summary.blobsRefused += 1
                }
            }
            let unique = listed.filter { $0.contentId.utf8.count <= Self.longestContentID }
            summary.blobsListed += unique.count
            let done = try ledger.pulled(contentType, among: unique.map(\.contentId))
            summary.blobsAlreadyPulled += done.count
            let fresh = unique.filter { !done.contains($0.contentId) }
            let failuresBefore = summary.failures.count
            // Two rounds of fetches at a time: enough in flight, not a window's worth in memory.
            let groupSize = max(1, plan.concurrency * 2)
            for group in stride(from: 0, to: fresh.count, by: groupSize) {
                if plan.ingest.shouldStop() { return }
                try load(Array(fresh[group..<min(fresh.count, group + groupSize)]), ledger: ledger, into: &summary)
            }
            guard summary.failures.count == failuresBefore else { return }
            try ledger.advance(contentType, to: window.end)
            logger.info(
                "window pulled",
                metadata: [
                    "content_type": "\(contentType)", "from": "\(window.start)", "to": "\(window.end)",
                    "blobs": "\(fresh.count)",
                ])
        }
    }

    /// Notes, and warns of, a start the source no longer reaches: the pull begins at its reach.
    private func report(
        _ windows: PullWindows, of source: String, reach: TimeInterval, elsewhere: String,
        into summary: inout PullSummary
    ) {
        guard let lost = windows.unreachableFrom, let first = windows.windows.first else { return }
        let days = Int(reach / 86400)
        summary.unreachable.append(
            PullSummary.UnreachableStart(
                source: source, askedFrom: lost, from: first.start, reachDays: days, elsewhere: elsewhere))
        logger.warning(
            "content before the source's reach cannot be pulled",
            metadata: [
                "source": "\(source)", "reach_days": "\(days)", "asked_from": "\(lost)", "from": "\(first.start)",
            ])
    }

    /// A Graph source window by window, each page of JSON lines loaded as it arrives; the window's
    /// end is recorded once all its pages are stored (a page read twice after a kill is stored once).
    /// `pages` reads one window, handing over each page and its number; `counted` is the summary's
    /// tally of the source's records.
    private func pullGraph(
        checkpoint name: String, label: String, reach: TimeInterval, elsewhere: String, width: TimeInterval,
        format: SourceFormat,
        counted: WritableKeyPath<PullSummary, Int>, ledger: PullLedger, into summary: inout PullSummary,
        pages: (DateInterval, ([UInt8], Int) throws -> Void) throws -> Void
    ) throws {
        let windows = PullWindows(
            since: plan.since, until: plan.until, listedUntil: try ledger.listedUntil(name), reach: reach, width: width)
        report(windows, of: name, reach: reach, elsewhere: elsewhere, into: &summary)
        var options = plan.ingest
        options.read.format = format
        let ingestor = Ingestor(connection: connection, options: options, logger: logger)
        for window in windows.windows {
            if plan.ingest.shouldStop() { return }
            do {
                try pages(window) { lines, page in
                    summary[keyPath: counted] += lines.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                    guard !lines.isEmpty else { return }
                    let input = InputFile.inMemory(
                        name: "graph:\(plan.tenantID)/\(label)/\(GraphSignIns.timeText(window.start))#\(page)",
                        bytes: lines)
                    summary.ingest.add(try ingestor.ingest([input]))
                }
            } catch let error as ServiceError {
                summary.failures.append(error)
                return
            }
            try ledger.advance(name, to: window.end)
        }
    }

    /// Fetches the blobs side by side, then loads those that arrived in one ingest run.
    private func load(_ blobs: [ContentBlob], ledger: PullLedger, into summary: inout PullSummary) throws {
        let feed = feed
        let fetched = ConcurrentFetch.map(blobs, width: plan.concurrency) { blob in
            Result { () throws(ServiceError) in try feed.fetch(blob) }
        }
        var inputs: [InputFile] = []
        var byName: [String: ContentBlob] = [:]
        for (blob, result) in zip(blobs, fetched) {
            let name = Self.name(of: blob, tenant: plan.tenantID)
            switch result {
            case .success(let bytes):
                try save(bytes, of: blob)
                summary.blobsFetched += 1
                summary.bytesFetched += bytes.count
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                    // An empty blob holds no records: it is pulled.
                    try ledger.markPulled(blob)
                    continue
                }
                inputs.append(.inMemory(name: name, bytes: bytes))
                byName[name] = blob
            case .failure(let error) where error.code == "AF20051" || error.code == "AF20050":
                summary.blobsExpired += 1
                try ledger.quarantine(
                    blob, name: name, reason: "content blob not served (\(error.code ?? "")): \(error.message)")
            case .failure(let error):
                summary.failures.append(error)
            }
        }
        guard !inputs.isEmpty else { return }
        var options = plan.ingest
        // A blob is a JSON array of UAL records whatever it looks like: a body that is none (an
        // error page served with 200) has its parts quarantined, not the blob refused.
        options.read.format = .ualJSONArray
        let tenant = plan.tenantID
        let blobsByName = byName
        options.onInputLoaded = { input, connection in
            guard let blob = blobsByName[input.path] else { return }
            try PullLedger.markPulled(blob, tenant: tenant, on: connection)
        }
        let ingestor = Ingestor(connection: connection, options: options, logger: logger)
        var loaded = try ingestor.ingest(inputs)
        // A blob that could not be read at all is quarantined under its name, so it is not lost
        // silently and not read again.
        for failure in loaded.failures {
            guard let blob = byName[failure.file] else { continue }
            if try ledger.quarantine(blob, name: failure.file, reason: "content blob unreadable: " + failure.reason) {
                summary.blobsRefused += 1
            }
        }
        loaded.failures.removeAll { byName[$0.file] != nil }
        summary.ingest.add(loaded)
    }

    /// The longest content id taken as one.
    static let longestContentID = 512

    /// The name a blob's records carry as their source file.
    static func name(of blob: ContentBlob, tenant: String) -> String {
        "m365:\(tenant)/\(blob.contentType)/\(blob.contentId)"
    }

    /// `--save DIR`: DIR/CONTENT-TYPE/CONTENT-ID.json, the id made safe for a file name.
    private func save(_ bytes: [UInt8], of blob: ContentBlob) throws {
        guard let directory = plan.saveDirectory else { return }
        let safe = { (text: String) in
            String(text.map { $0.isLetter || $0.isNumber || "._-$".contains($0) ? $0 : "_" }.prefix(200))
        }
        let folder = URL(fileURLWithPath: directory).appendingPathComponent(safe(blob.contentType))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: folder.appendingPathComponent(safe(blob.contentId) + ".json"), options: .atomic)
    }
}

/// What a pull did, and the line a responder reads.
public struct PullSummary: Sendable {
    public var subscriptionsStarted: [String] = []
    public var windows = 0
    public var blobsListed = 0
    public var blobsAlreadyPulled = 0
    public var blobsFetched = 0
    public var bytesFetched = 0
    public var blobsExpired = 0
    /// Listed blobs that cannot be loaded: ids that cannot be one, bodies that cannot be read
    /// (quarantined).
    public var blobsRefused = 0
    /// Entra sign-ins read from Graph.
    public var signIns = 0
    /// Records of Graph's audit log queries.
    public var auditQueryRecords = 0
    /// A start asked for that the source no longer reaches.
    public struct UnreachableStart: Sendable {
        public var source: String
        public var askedFrom: Date
        public var from: Date
        public var reachDays: Int
        /// Where older records can be had instead.
        public var elsewhere: String
    }
    /// Sources asked for from before their reach.
    public var unreachable: [UnreachableStart] = []
    public var failures: [ServiceError] = []
    public var ingest = IngestSummary()
    public var elapsedSeconds = 0.0

    public init() {}

    public var line: String {
        var text = "\(windows) windows, \(blobsListed) blobs listed"
        if blobsAlreadyPulled > 0 { text += " (\(blobsAlreadyPulled) pulled before)" }
        text += ", \(blobsFetched) fetched (\(bytesFetched) bytes)"
        if blobsExpired > 0 { text += ", \(blobsExpired) expired before fetched (quarantined)" }
        if blobsRefused > 0 { text += ", \(blobsRefused) unusable (quarantined)" }
        if signIns > 0 { text += ", \(signIns) sign-ins" }
        if auditQueryRecords > 0 { text += ", \(auditQueryRecords) audit log query records" }
        if !failures.isEmpty { text += ", \(failures.count) failed" }
        text += "; \(ingest.recordsRead) records read, \(ingest.loaded) loaded, \(ingest.duplicates) duplicates"
        text += ", \(ingest.quarantined) quarantined"
        return text + ", " + String(format: "%.2f s", elapsedSeconds)
    }
}

/// Runs `body` over `items` on up to `width` threads; the results in the items' order.
enum ConcurrentFetch {
    static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], width: Int, _ body: @escaping @Sendable (Item) -> Output
    ) -> [Output] {
        let results = ResultSlots<Output>(count: items.count)
        let threads = min(max(1, width), items.count)
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            Thread {
                defer { group.leave() }
                while let index = results.nextIndex() {
                    results.set(index, body(items[index]))
                }
            }.start()
        }
        group.wait()
        return results.all()
    }
}

/// Slots filled from several threads under a lock, and the next one to fill.
private final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]
    private var cursor = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func nextIndex() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard cursor < slots.count else { return nil }
        cursor += 1
        return cursor - 1
    }

    func all() -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
