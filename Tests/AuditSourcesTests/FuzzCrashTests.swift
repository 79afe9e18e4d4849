import AuditEvents
import Foundation
import Testing

@testable import AuditSources

/// Every input the fuzzer crashed on, read again as the fuzzer read it: `TARGET-crash-NAME`.
@Suite("Fuzz crashes")
struct FuzzCrashTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "FuzzCrashes")

    @Test("each input a fuzz target crashed on now reads to the end")
    func replay() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(!names.isEmpty)
        for name in names {
            let target = name.components(separatedBy: "-crash-").first ?? ""
            var options = ReadOptions(tenant: "fuzz", format: SourceFormat(rawValue: target))
            options.recordLimit = RecordSize(bytes: 2 << 10)
            let path = Self.folder.appendingPathComponent(name).path
            do {
                _ = try Fixtures.read(path, options: options)
            } catch is SourceError {
                // Refusing the whole input is an answer too.
            }
        }
    }

    @Test("a culture date with a year of more than four digits is not a date (it overflowed)")
    func longYear() {
        #expect(LocalTimeParser.fields("3/2/2021021 2:24:31 AM") == nil)
        #expect(LocalTimeParser.fields("3/2/2021 -2:24:31") == nil)
        #expect(LocalTimeParser.fields("3/2/2021 2:24:31 AM")?.year == 2021)
    }
}
