import Foundation
import Logging
import Reports

/// mailhound's log lines on stderr: one line an entry, in swift-log's usual layout, with the
/// message, metadata and source escaped by `SafeText.terminal`. File names and values come from
/// log data: a name holding a line break and `worker stopped` must not forge a line of its own,
/// nor an ESC sequence recolour the operator's terminal.
public struct EscapingLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = EscapingLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { SafeText.terminal("\($0.key)=\($0.value)") }
        var line = "\(Self.timestamp()) \(event.level) \(SafeText.terminal(label)):"
        if !fields.isEmpty { line += " " + fields.joined(separator: " ") }
        line += " [\(SafeText.terminal(event.source))] \(SafeText.terminal(event.message.description))\n"
        write(line)
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var text = [Int8](repeating: 0, count: 64)
        strftime(&text, text.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
