import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One input named on the command line, or found under a named directory.
public struct InputFile: Sendable, Hashable, CustomStringConvertible {
    /// The file's canonical path (absolute, symbolic links resolved), so `./logs/a.log` and
    /// `/srv/logs/a.log` are one file to checkpoints and locks; `-` for standard input.
    public var path: String
    /// The device and inode the path named when it was found: a file replaced or rotated before it
    /// is read is refused instead of being taken for the one found. nil when not known.
    public var fileID: FileID?
    /// The bytes themselves, for input that is not a file (a content blob fetched by `pull`).
    public var contents: InMemoryBytes?

    public init(path: String, fileID: FileID? = nil) {
        self.path = path
        self.fileID = fileID
    }

    /// Bytes read as a file named `name`: no checkpoint, no resuming, nothing written to disk.
    public static func inMemory(name: String, bytes: [UInt8]) -> InputFile {
        var input = InputFile(path: name)
        input.contents = InMemoryBytes(bytes)
        return input
    }

    public static let standardInput = InputFile(path: "-")

    public var isStandardInput: Bool { path == "-" && contents == nil }
    public var isInMemory: Bool { contents != nil }
    public var isGzip: Bool { path.lowercased().hasSuffix(".gz") }
    public var description: String { path }

    /// Expands directories recursively (sorted, hidden files skipped), checks that files exist and
    /// names each by its canonical path and file id.
    public static func expand(_ paths: [String]) throws(SourceError) -> [InputFile] {
        var inputs: [InputFile] = []
        let manager = FileManager.default
        for path in paths {
            if path == "-" {
                inputs.append(.standardInput)
                continue
            }
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SourceError(file: path, reason: "no such file or directory")
            }
            guard isDirectory.boolValue else {
                inputs.append(try found(path))
                continue
            }
            guard let walker = manager.enumerator(atPath: path) else {
                throw SourceError(file: path, reason: "cannot read directory")
            }
            var files: [String] = []
            while let relative = walker.nextObject() as? String {
                let full = (path as NSString).appendingPathComponent(relative)
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                var nestedDirectory: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &nestedDirectory),
                    !nestedDirectory.boolValue
                {
                    files.append(full)
                }
            }
            inputs.append(contentsOf: try files.sorted().map(found))
        }
        // Two spellings of one file (a link, a relative and an absolute path) are read once.
        var seen = Set<String>()
        return inputs.filter { $0.isStandardInput || seen.insert($0.path).inserted }
    }

    /// The file at `path` as it is now: canonical path and file id.
    static func found(_ path: String) throws(SourceError) -> InputFile {
        guard let resolved = realpath(path, nil) else { throw SourceError(file: path, reason: systemErrorText()) }
        defer { free(resolved) }
        let canonical = String(cString: resolved)
        var status = stat()
        guard stat(canonical, &status) == 0 else { throw SourceError(file: path, reason: systemErrorText()) }
        return InputFile(path: canonical, fileID: FileID(status))
    }
}

/// A file's device and inode: which file a path named, whatever it names later.
public struct FileID: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    public init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }

    /// Refuses an open file that is not this one: the path was replaced after it was found.
    public func check(descriptor: Int32, path: String) throws(SourceError) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw SourceError(file: path, reason: systemErrorText()) }
        guard FileID(status) == self else { throw Self.replaced(path) }
    }

    /// The error for a path that names another file than the one found.
    public static func replaced(_ path: String) -> SourceError {
        SourceError(
            file: path, reason: "replaced while mailhound was reading it (rotated?); run again to load the new file")
    }
}

extension InputFile {
    /// The file's bytes from `offset`, gunzipped when it ends in `.gz`.
    func openBuffer(at offset: Int64 = 0, recordLimit: Int = StreamBuffer.defaultRecordLimit) throws -> StreamBuffer {
        var stream: any ByteStream
        if let contents {
            stream = MemoryStream(contents, offset: offset)
        } else if isStandardInput {
            stream = DescriptorStream(standardInput: ())
        } else {
            stream = try DescriptorStream(path: path, offset: offset, expected: fileID)
        }
        if isGzip { stream = try GzipStream(wrapping: stream, name: path) }
        return StreamBuffer(stream: stream, startingAt: offset, recordLimit: recordLimit)
    }
}

/// Bytes held in memory, shared rather than copied between the values that name them. Equal only
/// to itself: two inputs are one when they are the same fetch.
public final class InMemoryBytes: Sendable, Hashable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public static func == (left: InMemoryBytes, right: InMemoryBytes) -> Bool { left === right }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
