import CZlib
import DemoData
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's Chromium, where installed (.ci/setup installs it).
private let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// `mailhound report` opened as a manager would: in a real browser (headless Chromium), with a
/// hostile mailbox name in the top session, every request the page might make sent to a local
/// proxy that counts them.
@Suite("HTML incident report")
struct HTMLReportTests {
    @Test(
        "the report renders the top session and its timeline in Chromium, escapes log text, and fetches nothing",
        .enabled(if: mailhoundExecutable != nil && chromium != nil))
    func rendersInChromium() throws {
        let database = try TestDatabase.fresh("report")
        let hostile = "<img src=\"http://198.51.100.9/x.png\"><script>document.title='owned'</script>@northwind.example"
        var lines = DemoTenant().jsonLines()
        let intruderLine = try #require(lines.first { $0.contains("MailItemsAccessed") && $0.contains("(w3wp)") })
        var record = try #require(try JSONSerialization.jsonObject(with: Data(intruderLine.utf8)) as? [String: Any])
        record["Id"] = UUID().uuidString.lowercased()
        record["MailboxOwnerUPN"] = hostile
        lines.append(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let logs = folder.appendingPathComponent("demo.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: logs, atomically: true, encoding: .utf8)
        let url = ["--database-url", database.conninfo]
        #expect(try mailhound(["ingest", logs.path] + url).status == 0)
        #expect(try mailhound(["detect"] + url).status == 0)
        let page = folder.appendingPathComponent("incident.html")
        let written = try mailhoundRun(["report", "--out", page.path, "--top", "10"] + url)
        #expect(written.status == 0, "\(written.errors)")
        #expect(written.errors.hasPrefix("report: \(page.path): 10 session(s), 5 timeline(s), "))

        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(!html.contains("<script") && !html.contains("<img"))
        #expect(html.contains("&lt;script&gt;document.title=&#39;owned&#39;&lt;/script&gt;"))

        let proxy = try RecordingProxy()
        let browser = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,2400",
            "--proxy-server=http://127.0.0.1:\(proxy.port)", "--proxy-bypass-list=<-loopback>",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
        ]
        let screenshot = folder.appendingPathComponent("report.png")
        let shot = try run(try #require(chromium), browser + ["--screenshot=\(screenshot.path)", page.absoluteString])
        #expect(shot.status == 0, "\(shot.output)")
        let dom = try run(try #require(chromium), browser + ["--dump-dom", page.absoluteString])
        #expect(dom.output.contains("<title>mailhound incident report</title>"), "the page's own title: no script ran")
        #expect(dom.output.contains("<tr id=\"rank-1\">") && dom.output.contains(DemoTenant.intruder))
        #expect(dom.output.contains("<svg class=\"timeline\""))
        // Chromium's own background requests go through the proxy too; the page's would name the
        // address in the hostile field. A page that does load it shows the check can fail.
        let control = folder.appendingPathComponent("control.html")
        try "<img src=\"http://198.51.100.9/control.png\">".write(to: control, atomically: true, encoding: .utf8)
        #expect(!proxy.requests.contains { $0.contains("198.51.100.9") }, "\(proxy.requests)")
        _ = try run(try #require(chromium), browser + ["--dump-dom", control.absoluteString])
        #expect(proxy.requests.contains { $0.contains("198.51.100.9/control.png") }, "\(proxy.requests)")

        // Drawn, not only in the DOM: the top session's severity cell and the timeline's mailbox
        // marks are on the screenshot in their own colours.
        let image = try PNGImage(contentsOf: screenshot)
        #expect(image.width == 1280 && image.height == 2400)
        #expect(image.contains(red: 0x92, green: 0x2B, blue: 0x21), "no critical severity cell drawn")
        #expect(image.contains(red: 0xC0, green: 0x39, blue: 0x2B), "no mailbox access mark drawn")
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A TCP listener on a loopback port, as an HTTP proxy that answers nothing: it keeps the first
/// line of each request (`GET http://host/...` or `CONNECT host:443`).
private final class RecordingProxy: @unchecked Sendable {
    let port: UInt16
    private let socketDescriptor: Int32
    private let lock = NSLock()
    private var lines: [String] = []

    var requests: [String] { lock.withLock { lines } }

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        socketDescriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(socketDescriptor, nil, nil)
                guard client >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 2048)
                let count = recv(client, &buffer, buffer.count, 0)
                let line =
                    String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
                    .split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
                lock.withLock { lines.append(line) }
                close(client)
            }
        }
    }

    deinit { shutdown(socketDescriptor, Int32(SHUT_RDWR)) }
}

/// The pixels of an 8-bit RGB or RGBA PNG (what Chromium writes), read with zlib.
private struct PNGImage {
    let width: Int
    let height: Int
    private let channels: Int
    private let pixels: [UInt8]

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        func bigEndian(_ offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        guard bytes.count > 33, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw UnreadablePNG()
        }
        width = bigEndian(16)
        height = bigEndian(20)
        guard bytes[24] == 8, [2, 6].contains(bytes[25]), bytes[28] == 0 else { throw UnreadablePNG() }
        channels = bytes[25] == 6 ? 4 : 3
        var compressed: [UInt8] = []
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = bigEndian(offset)
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            if type == "IDAT" { compressed += bytes[offset + 8..<offset + 8 + length] }
            offset += 12 + length
        }
        let stride = width * channels
        var filtered = [UInt8](repeating: 0, count: height * (stride + 1))
        var size = uLongf(filtered.count)
        guard uncompress(&filtered, &size, compressed, uLong(compressed.count)) == Z_OK else {
            throw UnreadablePNG()
        }
        var rows = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = filtered[row * (stride + 1)]
            for column in 0..<stride {
                let raw = Int(filtered[row * (stride + 1) + 1 + column])
                let left = column >= channels ? Int(rows[row * stride + column - channels]) : 0
                let up = row > 0 ? Int(rows[(row - 1) * stride + column]) : 0
                let upLeft = row > 0 && column >= channels ? Int(rows[(row - 1) * stride + column - channels]) : 0
                let predicted: Int
                switch filter {
                case 1: predicted = left
                case 2: predicted = up
                case 3: predicted = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (toLeft, toUp, toUpLeft) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predicted = toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft
                default: predicted = 0
                }
                rows[row * stride + column] = UInt8((raw + predicted) & 0xFF)
            }
        }
        pixels = rows
    }

    func contains(red: UInt8, green: UInt8, blue: UInt8) -> Bool {
        stride(from: 0, to: pixels.count - 2, by: channels).contains {
            pixels[$0] == red && pixels[$0 + 1] == green && pixels[$0 + 2] == blue
        }
    }
}

private struct UnreadablePNG: Error {}
