import AuditSources
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What identifies a file's content cheaply: size, modification time and a hash of its first and
/// last 64 KiB. A file loaded whole and unchanged is skipped without being parsed.
public struct FileIdentity: Sendable, Hashable {
    public var path: String
    public var size: Int64
    /// Modification time in microseconds since 1970.
    public var modifiedMicroseconds: Int64
    public var fingerprint: String

    static let sampleBytes = 64 << 10

    /// nil for standard input, which has no identity.
    public init?(input: InputFile) throws {
        guard !input.isStandardInput else { return nil }
        var status = stat()
        guard stat(input.path, &status) == 0 else {
            throw SourceError(file: input.path, reason: String(cString: strerror(errno)))
        }
        path = input.path
        size = Int64(status.st_size)
        modifiedMicroseconds =
            Int64(status.st_mtim.tv_sec) * 1_000_000 + Int64(status.st_mtim.tv_nsec / 1000)
        guard let handle = FileHandle(forReadingAtPath: input.path) else {
            throw SourceError(file: input.path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        var hash = FNV1a()
        hash.add(try handle.read(upToCount: Self.sampleBytes) ?? Data())
        if size > Int64(Self.sampleBytes) {
            try handle.seek(
                toOffset: UInt64(max(Int64(Self.sampleBytes), size - Int64(Self.sampleBytes))))
            hash.add(try handle.read(upToCount: Self.sampleBytes) ?? Data())
        }
        fingerprint = String(hash.value, radix: 16)
    }
}

/// FNV-1a, 64 bit: a fingerprint, not a defence against crafted collisions.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ data: Data) {
        for byte in data {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
    }
}
