import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A source of bytes read front to back: a file, a gzip file or standard input.
protocol ByteStream: AnyObject {
    /// Reads up to `count` bytes into `destination`; 0 means end of input.
    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(SourceError) -> Int
}

/// Reads bytes held in memory.
final class MemoryStream: ByteStream {
    private let contents: InMemoryBytes
    private var position: Int

    init(_ contents: InMemoryBytes, offset: Int64) {
        self.contents = contents
        position = Int(clamping: max(0, min(offset, Int64(contents.bytes.count))))
    }

    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(SourceError) -> Int {
        let length = min(count, contents.bytes.count - position)
        guard length > 0 else { return 0 }
        contents.bytes.withUnsafeBufferPointer { source in
            // Inside the array's bounds: position + length <= count, checked just above.
            guard let base = source.baseAddress else { return }
            destination.update(from: base + position, count: length)
        }
        position += length
        return length
    }
}

/// Reads a file descriptor; closes it on deinit unless it is standard input.
final class DescriptorStream: ByteStream {
    private let descriptor: Int32
    private let name: String

    /// Opens `path` and positions it at `offset` (a checkpoint to resume from); with `expected`,
    /// only when the path still names that file.
    init(path: String, offset: Int64 = 0, expected: FileID? = nil) throws(SourceError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw SourceError(file: path, reason: systemErrorText()) }
        do {
            try expected?.check(descriptor: descriptor, path: path)
        } catch {
            close(descriptor)
            throw error
        }
        if offset > 0, lseek(descriptor, off_t(offset), SEEK_SET) < 0 {
            let reason = systemErrorText()
            close(descriptor)
            throw SourceError(file: path, reason: reason)
        }
        self.descriptor = descriptor
        self.name = path
    }

    init(standardInput: Void) {
        descriptor = STDIN_FILENO
        name = "-"
    }

    deinit {
        if descriptor != STDIN_FILENO { close(descriptor) }
    }

    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(SourceError) -> Int {
        while true {
            #if canImport(Glibc)
                let result = Glibc.read(descriptor, destination, count)
            #else
                let result = Darwin.read(descriptor, destination, count)
            #endif
            if result >= 0 { return result }
            if errno == EINTR { continue }
            throw SourceError(file: name, reason: systemErrorText())
        }
    }
}

/// Inflates a gzip (or concatenated gzip) stream with zlib.
final class GzipStream: ByteStream {
    private let compressed: any ByteStream
    private let name: String
    private var zstream = z_stream()
    private var input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 18
    private var finished = false

    init(wrapping compressed: any ByteStream, name: String) throws(SourceError) {
        self.compressed = compressed
        self.name = name
        input = .allocate(capacity: inputCapacity)
        // 16 + MAX_WBITS: expect a gzip header.
        let status = inflateInit2_(
            &zstream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            throw SourceError(file: name, reason: "cannot start gzip decoder (zlib \(status))")
        }
    }

    deinit {
        inflateEnd(&zstream)
        input.deallocate()
    }

    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(SourceError) -> Int {
        guard !finished else { return 0 }
        zstream.next_out = destination
        zstream.avail_out = UInt32(count)
        while zstream.avail_out == UInt32(count) {
            if zstream.avail_in == 0 {
                let got = try compressed.read(into: input, count: inputCapacity)
                if got == 0 {
                    finished = true
                    if zstream.total_in == 0 { return 0 }
                    throw SourceError(file: name, reason: "gzip data ends early (truncated file)")
                }
                zstream.next_in = input
                zstream.avail_in = UInt32(got)
            }
            let status = inflate(&zstream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                // A gzip file may hold several members; start the next one if more input follows.
                let produced = count - Int(zstream.avail_out)
                if zstream.avail_in == 0 {
                    let got = try compressed.read(into: input, count: inputCapacity)
                    if got == 0 {
                        finished = true
                        return produced
                    }
                    zstream.next_in = input
                    zstream.avail_in = UInt32(got)
                }
                inflateReset(&zstream)
                if produced > 0 { return produced }
            default:
                let message = zstream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw SourceError(file: name, reason: "gzip: \(message)")
            }
        }
        return count - Int(zstream.avail_out)
    }
}

func systemErrorText() -> String {
    String(cString: strerror(errno))
}
