import AuditSources
import Foundation

/// One libFuzzer entry for every parser: `MAILHOUND_FUZZ_FORMAT` names the format the input is
/// read as (a `--source` name), or `auto` to recognize it first. Each input goes through the
/// reader as a file would, every record normalized, with a 2 KiB record limit so the skipping
/// of oversized records is fuzzed too.
enum FuzzTarget {
    static let format: SourceFormat? = ProcessInfo.processInfo.environment["MAILHOUND_FUZZ_FORMAT"]
        .flatMap(SourceFormat.init(rawValue:))
    /// The input as a file, in memory where the machine has /dev/shm: rewritten in place each
    /// time, without the fsync of an atomic write.
    static let scratch =
        (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
        + "/mailhound-fuzz-\(getpid())"
    static let descriptor = open(scratch, O_RDWR | O_CREAT | O_TRUNC, 0o600)

    static func run(_ input: UnsafeRawBufferPointer) {
        guard descriptor >= 0, ftruncate(descriptor, 0) == 0,
            input.isEmpty || pwrite(descriptor, input.baseAddress, input.count, 0) == input.count
        else {
            fatalError("cannot write \(scratch): \(String(cString: strerror(errno)))")
        }
        var options = ReadOptions(tenant: "fuzz", format: format)
        options.recordLimit = RecordSize(bytes: 2 << 10)
        var items = 0
        do {
            try AuditFileReader(input: InputFile(path: scratch), options: options).read { item in
                switch item {
                case .event(let event): items += event.raw.utf8.count > 0 ? 1 : 0
                case .webRequest(let request): items += request.raw.utf8.count > 0 ? 1 : 0
                case .quarantined(let record): items += record.reason.isEmpty ? 0 : 1
                case .skipped: items += 1
                }
            }
        } catch is SourceError {
            // A whole input refused (unknown format, empty): an answer, not a fault.
        } catch {
            fatalError("unexpected error: \(error)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
