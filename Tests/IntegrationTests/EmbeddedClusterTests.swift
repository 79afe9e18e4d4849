import Foundation
import Store
import Testing

@Suite("Embedded cluster")
struct EmbeddedClusterTests {
    @Test("a server log past 64 MB is kept as postgres.log.1 when the cluster starts, and a new one begun")
    func logRotation() throws {
        let root = URL(fileURLWithPath: "/tmp/mailhound-cluster-\(UUID())")
        let cluster = EmbeddedCluster(
            root: root, binDirectory: try EmbeddedCluster.locateServerBinaries(),
            serverUser: geteuid() == 0 ? "postgres" : nil)
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(at: root)
        }
        try cluster.start(logger: TestDatabase.logger)
        try cluster.stop()
        let rotated = root.appendingPathComponent("postgres.log.1")
        #expect(!FileManager.default.fileExists(atPath: rotated.path))

        // Sparse: the size is what counts, not the blocks.
        let log = try FileHandle(forWritingTo: cluster.logFile)
        try log.truncate(atOffset: 65 << 20)
        try log.close()
        try cluster.start(logger: TestDatabase.logger)
        let sizes = try [rotated, cluster.logFile].map {
            try FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int ?? -1
        }
        #expect(sizes[0] == 65 << 20)
        #expect(sizes[1] < 1 << 20)
    }
}
