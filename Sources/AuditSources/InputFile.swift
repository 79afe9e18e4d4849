import Foundation

/// One input named on the command line, or found under a named directory.
public struct InputFile: Sendable, Hashable, CustomStringConvertible {
    /// The path as given (or found), `-` for standard input.
    public var path: String

    public init(path: String) { self.path = path }

    public static let standardInput = InputFile(path: "-")

    public var isStandardInput: Bool { path == "-" }
    public var isGzip: Bool { path.lowercased().hasSuffix(".gz") }
    public var description: String { path }

    /// Expands directories recursively (sorted, hidden files skipped) and checks that files exist.
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
                inputs.append(InputFile(path: path))
                continue
            }
            guard let walker = manager.enumerator(atPath: path) else {
                throw SourceError(file: path, reason: "cannot read directory")
            }
            var found: [String] = []
            while let relative = walker.nextObject() as? String {
                let full = (path as NSString).appendingPathComponent(relative)
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                var nestedDirectory: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &nestedDirectory),
                    !nestedDirectory.boolValue
                {
                    found.append(full)
                }
            }
            inputs.append(contentsOf: found.sorted().map(InputFile.init(path:)))
        }
        return inputs
    }
}

extension InputFile {
    /// The file's bytes from `offset`, gunzipped when it ends in `.gz`.
    func openBuffer(at offset: Int64 = 0) throws -> StreamBuffer {
        var stream: any ByteStream =
            isStandardInput ? DescriptorStream(standardInput: ()) : try DescriptorStream(path: path, offset: offset)
        if isGzip { stream = try GzipStream(wrapping: stream, name: path) }
        return StreamBuffer(stream: stream, startingAt: offset)
    }
}
