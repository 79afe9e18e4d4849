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
    /// The last record's fields; records point here rather than copy them.
    private let fields = UnsafeMutablePointer<mh_ual_record>.allocate(capacity: 1)
    private let inferredOwners = OwnedText()
    /// The name of the file being read, and the tenant of records without an OrganizationId.
    private let file: HeldText
    private let defaultTenant: HeldText
    private var padded: [UInt8] = []

    public init(defaultTenant: String, file: String) {
        guard let scanner = mh_scanner_create() else {
            fatalError("out of memory creating the JSON scanner")
        }
        self.scanner = scanner
        fields.initialize(to: mh_ual_record())
        self.file = HeldText(file)
        self.defaultTenant = HeldText(defaultTenant)
    }

    deinit {
        mh_scanner_destroy(scanner)
        fields.deallocate()
    }

    /// Normalizes bytes already copied into `padded` (the CSV reader fills it directly) and hands
    /// the outcome to `body`, while the record's views into `padded` are valid.
    func normalizePadded(
        line: Int, byteOffset: Int64, _ body: (consuming Result<ScannedRecord?, RecordError>) throws -> Void
    ) rethrows {
        let count = padded.count
        padded.append(contentsOf: repeatElement(0x20, count: Int(MH_JSON_PADDING)))
        defer { padded.removeLast(Int(MH_JSON_PADDING)) }
        try padded.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            try body(
                Result { () throws(RecordError) in
                    try normalize(base: base, count: count, readable: bytes.count, line: line, byteOffset: byteOffset)
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
        base: UnsafePointer<UInt8>, count: Int, readable: Int, line: Int, byteOffset: Int64
    )
        throws(RecordError)
        -> ScannedRecord?
    {
        let status = base.withMemoryRebound(to: CChar.self, capacity: readable) {
            mh_scan_record(scanner, $0, count, readable, fields)
        }
        guard status == 0 else {
            throw RecordError(reason: "invalid JSON: " + String(cString: mh_scanner_error(scanner)))
        }
        if let workload = fields.pointee.workload.text,
            !Self.keptWorkloadBytes.contains(where: { workload.elementsEqual($0) })
        {
            skippedWorkload = String(decoding: workload, as: UTF8.self)
            return nil
        }
        return try ScannedRecord(
            fields: fields, scanner: scanner, raw: UnsafeBufferPointer(start: base, count: count),
            source: (file.bytes, line, byteOffset), defaultTenant: defaultTenant.bytes,
            inferredOwners: inferredOwners)
    }
}

/// Why one record could not be loaded; the record goes to quarantine.
public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
