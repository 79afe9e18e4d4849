import AuditEvents
import AuditSources
import Foundation

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// `../shared/formats/samples` beside the project, when this clone has it.
    static let sharedSamples: URL? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
        let samples = root.deletingLastPathComponent().appendingPathComponent("shared/formats/samples")
        return FileManager.default.fileExists(atPath: samples.path) ? samples : nil
    }()

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `text` to a new file in a temporary folder; its path.
    static func writeTemporary(_ text: String, name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-fixture-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    struct Read {
        var events: [AuditEvent] = []
        var webRequests: [WebRequest] = []
        var quarantined: [QuarantinedRecord] = []
        var skipped: [String] = []
        var format: SourceFormat?
    }

    static func read(_ path: String, options: ReadOptions = ReadOptions(tenant: "test")) throws -> Read {
        let reader = AuditFileReader(input: InputFile(path: path), options: options)
        var result = Read()
        try reader.read { item in
            switch item {
            case .event(let event): result.events.append(event)
            case .webRequest(let request): result.webRequests.append(request)
            case .quarantined(let record): result.quarantined.append(record)
            case .skipped(let workload): result.skipped.append(workload)
            }
        }
        result.format = reader.format
        return result
    }
}
