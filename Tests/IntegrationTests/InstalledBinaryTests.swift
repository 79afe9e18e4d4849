import Foundation
import Store
import Testing

/// `mailhound` copied alone into a folder, as `install` would put it in /usr/local/bin, runs from
/// there: the sql/ tree is built into it.
@Suite("Installed binary")
struct InstalledBinaryTests {
    @Test("a copied binary runs migrate, demo and detect without the source tree")
    func copiedBinary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("mailhound")
        try FileManager.default.copyItem(
            at: URL(fileURLWithPath: try #require(mailhoundExecutable, "swift test builds mailhound")), to: binary)
        let database = try TestDatabase.fresh("installed")

        func run(_ arguments: String...) throws -> (status: Int32, output: String) {
            let log = folder.appendingPathComponent("output.txt")
            // From the folder itself, and with no MAILHOUND_SQL_DIR: nothing points back at the package.
            let command = "cd \"$1\" && shift && exec env -u MAILHOUND_SQL_DIR ./mailhound \"$@\""
            let status = try Subprocess.run(
                ["/bin/sh", "-c", command, "sh", folder.path] + arguments, outputPath: log.path)
            return (status, try String(contentsOf: log, encoding: .utf8))
        }

        let migrate = try run("migrate", "--database-url", database.conninfo)
        #expect(migrate.status == 0 && migrate.output == "migrate: up to date\n", "\(migrate.output)")
        let demo = try run("demo", "--database-url", database.conninfo, "--top", "1", "--format", "csv")
        #expect(demo.status == 0, "\(demo.output)")
        #expect(demo.output.contains("NT AUTHORITY\\SYSTEM (w3wp)"), "\(demo.output)")
        let detect = try run("detect", "--database-url", database.conninfo)
        #expect(detect.status == 0, "\(detect.output)")
        #expect(detect.output.hasPrefix("detect: run 1 (full), 0 events, 0 sessions"), "\(detect.output)")
    }
}
