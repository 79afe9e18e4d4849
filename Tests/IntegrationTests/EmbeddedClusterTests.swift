import Foundation
import PostgresClient
import Store
import Testing

@Suite("Embedded cluster")
struct EmbeddedClusterTests {
    @Test("a server log past 64 MB is kept as postgres.log.1 when the cluster starts, and a new one begun")
    func logRotation() throws {
        try withScratchCluster { cluster in
            try cluster.start(logger: TestDatabase.logger)
            try cluster.stop()
            let rotated = cluster.root.appendingPathComponent("postgres.log.1")
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

    @Test("the buffer cache is an eighth of the memory the process may use, 256 MB to 2 GB")
    func bufferCacheSize() {
        let gigabyte: UInt64 = 1 << 30
        #expect(ServerMemory.sharedBuffersMegabytes(memoryBytes: gigabyte) == 256)
        #expect(ServerMemory.sharedBuffersMegabytes(memoryBytes: 8 * gigabyte) == 1024)
        #expect(ServerMemory.sharedBuffersMegabytes(memoryBytes: 64 * gigabyte) == 2048)
        // A container's limit below the machine's memory counts; "max" is no limit.
        #expect(ServerMemory.available(physical: 32 * gigabyte, cgroupLimits: ["4294967296\n", nil]) == 4 * gigabyte)
        #expect(ServerMemory.available(physical: 32 * gigabyte, cgroupLimits: ["max\n", nil]) == 32 * gigabyte)
    }

    @Test("the cluster starts with the buffer cache sized to the machine, unless alter system chose one")
    func bufferCacheAtStart() throws {
        try withScratchCluster { cluster in
            func megabytes() throws -> String? {
                try Connection(conninfo: cluster.conninfo(database: "postgres")).execute(
                    "select setting::bigint * 8192 / 1048576 as megabytes from pg_settings where name = 'shared_buffers'"
                ).rows.first?["megabytes"]
            }
            try cluster.start(logger: TestDatabase.logger)
            #expect(try megabytes() == "\(ServerMemory.sharedBuffersMegabytes(memoryBytes: ServerMemory.available()))")

            try Connection(conninfo: cluster.conninfo(database: "postgres")).execute(
                "alter system set shared_buffers = '200MB'")
            try cluster.stop()
            try cluster.start(logger: TestDatabase.logger)
            #expect(try megabytes() == "200")
        }
    }

    /// A cluster of its own under /tmp, stopped and removed afterwards.
    private func withScratchCluster(_ body: (EmbeddedCluster) throws -> Void) throws {
        let root = URL(fileURLWithPath: "/tmp/mailhound-cluster-\(UUID())")
        let cluster = EmbeddedCluster(
            root: root, binDirectory: try EmbeddedCluster.locateServerBinaries(),
            serverUser: geteuid() == 0 ? "postgres" : nil)
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(at: root)
        }
        try body(cluster)
    }
}
