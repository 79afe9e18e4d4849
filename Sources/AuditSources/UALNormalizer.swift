import AuditEvents
import CAuditJSON

/// Reads one UAL record's JSON (or an envelope holding it) into a `ScannedRecord`.
/// Holds simdjson parsers, so one normalizer serves one thread at a time.
public final class UALNormalizer {
    /// Workloads whose records mailhound keeps; others are counted and skipped.
    public static let keptWorkloads: Set<String> = [
        "Exchange", "SecurityComplianceCenter", "AzureActiveDirectory",
    ]
    private static let keptWorkloadBytes = keptWorkloads.map { Array($0.utf8) }

    /// The workload of the last record `normalize` skipped.
    private(set) var skippedWorkload = ""

    private let scanner: OpaquePointer
    private var tenants: TenantNames
    private let inferredOwners = OwnedText()
    private var padded: [UInt8] = []

    public init(defaultTenant: String) {
        guard let scanner = mh_scanner_create() else {
            fatalError("out of memory creating the JSON scanner")
        }
        self.scanner = scanner
        tenants = TenantNames(defaultTenant: defaultTenant)
    }

    deinit { mh_scanner_destroy(scanner) }

    /// Normalizes bytes already copied into `padded` (the CSV reader fills it directly) and hands
    /// the outcome to `body`, while the record's views into `padded` are valid.
    func normalizePadded(origin: Origin, _ body: (Result<ScannedRecord?, RecordError>) throws -> Void) rethrows {
        let count = padded.count
        padded.append(contentsOf: repeatElement(0x20, count: Int(MH_JSON_PADDING)))
        defer { padded.removeLast(Int(MH_JSON_PADDING)) }
        try padded.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            try body(
                Result { () throws(RecordError) in
                    try normalize(base: base, count: count, readable: bytes.count, origin: origin)
                })
        }
    }

    func withPaddedBuffer<T>(_ fill: (inout [UInt8]) -> T) -> T {
        padded.removeAll(keepingCapacity: true)
        return fill(&padded)
    }

    /// The record, valid until the next one is read; nil for a record of a workload mailhound does
    /// not keep (`skippedWorkload` names it).
    func normalize(
        base: UnsafePointer<UInt8>, count: Int, readable: Int, origin: Origin
    )
        throws(RecordError)
        -> ScannedRecord?
    {
        var fields = mh_ual_record()
        let status = base.withMemoryRebound(to: CChar.self, capacity: readable) {
            mh_scan_record(scanner, $0, count, readable, &fields)
        }
        guard status == 0 else {
            throw RecordError(reason: "invalid JSON: " + String(cString: mh_scanner_error(scanner)))
        }
        if let workload = fields.workload.text,
            !Self.keptWorkloadBytes.contains(where: { workload.elementsEqual($0) })
        {
            skippedWorkload = String(decoding: workload, as: UTF8.self)
            return nil
        }
        return try ScannedRecord(
            fields: fields, scanner: scanner, raw: UnsafeBufferPointer(start: base, count: count), origin: origin,
            tenants: &tenants, inferredOwners: inferredOwners)
    }
}

/// Why one record could not be loaded; the record goes to quarantine.
public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
