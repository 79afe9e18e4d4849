import Foundation
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
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try #require(bound == 0 && listen(socket, 8) == 0)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
            }
            self.socket = socket
            port = Int(UInt16(bigEndian: address.sin_port))
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
