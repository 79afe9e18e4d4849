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

    @Test(
        "the cluster starts with the buffer cache sized to the machine and full-page images compressed with lz4 where the server has it, unless alter system chose them"
    )
    func settingsAtStart() throws {
        try withScratchCluster { cluster in
            func settings() throws -> (megabytes: String?, compression: String?, lz4: String?) {
                let row = try Connection(conninfo: cluster.conninfo(database: "postgres")).execute(
                    """
                    select (select setting::bigint * 8192 / 1048576 from pg_settings where name = 'shared_buffers')
                            as megabytes,
                        current_setting('wal_compression') as compression,
                        (select 'lz4' = any(enumvals) from pg_settings where name = 'wal_compression') as lz4
                    """
                ).rows.first
                return (row?["megabytes"], row?["compression"], row?["lz4"])
            }
            try cluster.start(logger: TestDatabase.logger)
            let started = try settings()
            #expect(
                started.megabytes == "\(ServerMemory.sharedBuffersMegabytes(memoryBytes: ServerMemory.available()))")
            // The server's own list of the methods it was built with.
            #expect(started.compression == (started.lz4 == "t" ? "lz4" : "off"))

            let connection = try Connection(conninfo: cluster.conninfo(database: "postgres"))
            try connection.execute("alter system set shared_buffers = '200MB'")
            try connection.execute("alter system set wal_compression = 'pglz'")
            try cluster.stop()
            try cluster.start(logger: TestDatabase.logger)
            let chosen = try settings()
            #expect(chosen.megabytes == "200")
            #expect(chosen.compression == "pglz")
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
