import AuditSources
import CCrypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file as it is now: size, modification time, device and inode, and SHA-256 of sampled parts,
/// enough to tell whether the part loaded before is still there unchanged without reading the
/// whole file.
public struct FileIdentity: Sendable, Hashable {
    public var path: String
    public var size: Int64
    /// Modification time in microseconds since 1970.
    public var modifiedMicroseconds: Int64
    public var fileID: FileID

    static let sampleBytes: Int64 = 64 << 10

    /// nil for standard input and bytes in memory, which have no identity.
    public init?(input: InputFile) throws {
        guard !input.isStandardInput, !input.isInMemory else { return nil }
        var status = stat()
        guard stat(input.path, &status) == 0 else {
            throw SourceError(file: input.path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw SourceError(file: input.path, reason: "not a regular file")
        }
        fileID = FileID(status)
        if let found = input.fileID, found != fileID { throw FileID.replaced(input.path) }
        path = input.path
        size = Int64(status.st_size)
        modifiedMicroseconds = Int64(status.st_mtim.tv_sec) * 1_000_000 + Int64(status.st_mtim.tv_nsec / 1000)
    }

    /// Hashes of the first 64 KiB and of the 64 KiB ending at `length` of the file's first `length`
    /// bytes: what a checkpoint keeps to recognize the loaded part later.
    /// Read through a descriptor checked to be this file, so a file rotated meanwhile is not
    /// fingerprinted in its place.
    public func fingerprint(ofFirst length: Int64) throws -> (head: String, tail: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw SourceError(file: path, reason: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try fileID.check(descriptor: descriptor, path: path)
        let head = try handle.read(upToCount: Int(min(length, Self.sampleBytes))) ?? Data()
        let tailStart = max(0, length - Self.sampleBytes)
        try handle.seek(toOffset: UInt64(tailStart))
        let tail = try handle.read(upToCount: Int(length - tailStart)) ?? Data()
        return (sha256Hex(head), sha256Hex(tail))
    }
}

private func sha256Hex(_ data: Data) -> String {
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    data.withUnsafeBytes { bytes in
        _ = SHA256(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, &digest)
    }
    return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}
