import Foundation
import Testing

/// Tests/Scale/citus from a test: where the Citus tarball is beside the project and the test runs
/// as root (it builds and installs the extension once, and runs the servers as postgres).
@Suite("Scale-out on Citus")
struct CitusScaleTests {
    static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let tarball = project.deletingLastPathComponent().appendingPathComponent("shared/vendor/citus-13.2.2.tar.gz")
    static let runnable =
        getuid() == 0 && FileManager.default.fileExists(atPath: tarball.path) && mailhoundExecutable != nil

    @Test(
        "three tenants on a coordinator and two workers store, detect (full, then incremental) and rank as one node does; a refused row is quarantined alone; keys left to the server are set",
        .enabled(if: runnable))
    func citusCluster() throws {
        let mailhound = try #require(mailhoundExecutable)
        let lab = URL(fileURLWithPath: mailhound).deletingLastPathComponent().appendingPathComponent("mailhound-lab")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-citus-\(UUID()).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let pid = try spawn(
            [
                "/usr/bin/env", "MAILHOUND_BIN=\(mailhound)", "MAILHOUND_LAB=\(lab.path)", "/bin/bash",
                Self.project.appendingPathComponent("Tests/Scale/citus").path, "--users", "60", "--days", "21",
            ], output: log)
        let status = try exitStatus(of: pid, within: 1500)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(status == 0, "\(output.suffix(3000))")
        let lines = output.split(separator: "\n")
        // The stored records, then after each detect three outputs and the analyst views.
        #expect(lines.filter { $0 == "equal" }.count == 1)
        #expect(lines.filter { $0.hasSuffix("--format json: equal") }.count == 6)
        #expect(
            lines.filter { $0.hasPrefix("analyst.findings, chains, ranked_sessions, blind_windows: equal") }.count == 2)
        #expect(lines.contains("refused row: quarantined alone"))
        #expect(lines.contains("keys left to the server: set"))
    }
}
