import Foundation
import M365Emulator
import PostgresClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Connecting")
struct ConnectTimeoutTests {
    /// A listener on loopback that takes connections into its backlog and never answers.
    final class SilentServer {
        let socket: Int32
        let port: Int

        init() throws {
            let (socket, port) = try loopbackListener(backlog: 8)
            self.socket = socket
            self.port = Int(port)
        }

        deinit { close(socket) }
    }

    @Test("a server that accepts and never answers is given up after the default 10 s, not waited for forever")
    func silentServer() throws {
        let server = try SilentServer()
        let clock = ContinuousClock()
        let started = clock.now
        #expect(throws: PostgresError.self) {
            try Connection(conninfo: "host=127.0.0.1 port=\(server.port) dbname=mailhound user=mailhound")
        }
        let waited = clock.now - started
        #expect(waited >= .seconds(Connection.defaultConnectTimeout - 1) && waited < .seconds(20), "\(waited)")
    }

    @Test("the conninfo's own connect_timeout wins over the default")
    func ownTimeout() throws {
        let server = try SilentServer()
        let clock = ContinuousClock()
        let started = clock.now
        #expect(throws: PostgresError.self) {
            try Connection(
                conninfo: "postgresql://mailhound@127.0.0.1:\(server.port)/mailhound?connect_timeout=2")
        }
        #expect(clock.now - started < .seconds(6))
    }
}
