import Foundation
import Logging
import M365
import M365Emulator
import Testing
import WebTransport

/// The client half of `pull` against the emulator: tokens, throttling, server errors, broken
/// bodies, refused credentials and links, with no database.
@Suite(.serialized) struct EmulatedServiceTests {
    static let tenant = "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
    static let client = "0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b"
    static let secret = "s3cret~value.for_the_emulator"

    func feed(
        _ emulator: M365Emulator, credential: ClientCredential = .secret(Self.secret), attempts: Int = 4,
        transport: CurlTransport = CurlTransport()
    ) -> (ActivityFeed, ServiceClient) {
        let endpoints = ServiceEndpoints(
            login: emulator.baseURL, activityAPI: emulator.baseURL, graph: emulator.baseURL)
        let retry = RetryPolicy(maxAttempts: attempts, baseDelay: 0.05, maxDelay: 0.2)
        let logger = Logger(label: "pull-tests")
        let tokens = TokenSource(
            endpoints: endpoints, tenantID: Self.tenant, clientID: Self.client, credential: credential,
            transport: transport, retry: retry, logger: logger)
        let client = ServiceClient(
            transport: transport, tokens: tokens, retry: retry, gate: ThrottleGate(), logger: logger)
        return (ActivityFeed(client: client, endpoints: endpoints, tenantID: Self.tenant), client)
    }

    func emulator(
        blobs: Int = 5, faults: M365Emulator.Faults = .init(), certificate: [UInt8]? = nil
    ) throws -> M365Emulator {
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, certificatePEM: certificate,
            blobs: EmulatedContent.exchangeBlobs(
                tenantID: Self.tenant, count: blobs, recordsPerBlob: 3, spacingMinutes: 60),
            faults: faults)
        try emulator.start()
        return emulator
    }

    func window() -> (Date, Date) { (Date().addingTimeInterval(-70 * 3600), Date().addingTimeInterval(-46 * 3600)) }

    /// The first blob the emulator lists for Audit.Exchange, its subscription started.
    func firstBlob(_ emulator: M365Emulator, _ feed: ActivityFeed) throws -> ContentBlob {
        emulator.enable("Audit.Exchange")
        let (start, end) = window()
        return try #require(try feed.listContent("Audit.Exchange", from: start, to: end).first)
    }

    @Test func listsEveryPageAndFetchesBlobsWithASecret() throws {
        let emulator = try emulator(blobs: 9)
        defer { emulator.stop() }
        let (feed, _) = feed(emulator)
        #expect(try feed.enabledSubscriptions().isEmpty)
        try feed.startSubscription("Audit.Exchange")
        try feed.startSubscription("Audit.Exchange")  // already enabled: AF20024 is not an error
        #expect(try feed.enabledSubscriptions() == ["Audit.Exchange"])
        let (start, end) = window()
        let blobs = try feed.listContent("Audit.Exchange", from: start, to: end)
        #expect(blobs.count == 9)  // five pages of two
        let body = try feed.fetch(blobs[0])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]])
        #expect(records.count == 3)
        #expect(emulator.tokenRequestCount == 1)
    }

    @Test func aCertificateSignsAnAssertionTheEmulatorVerifies() throws {
        let pem = try Self.makeCertificate()
        let emulator = try emulator(certificate: pem)
        defer { emulator.stop() }
        let key = try CertificateKey(pem: pem, name: "test.pem")
        let (feed, _) = feed(emulator, credential: .certificate(key))
        #expect(try feed.enabledSubscriptions().isEmpty)
        #expect(emulator.tokenRequestCount == 1)

        // Another certificate's key: the emulator refuses the signature.
        let other = try CertificateKey(pem: try Self.makeCertificate(), name: "other.pem")
        let (refused, _) = self.feed(emulator, credential: .certificate(other))
        #expect {
            try refused.enabledSubscriptions()
        } throws: { error in
            (error as? ServiceError)?.code == "AADSTS700027"
        }
    }

    @Test func aWrongSecretNamesTheEndpointStatusCodeAndWhatToDo() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let (feed, _) = feed(emulator, credential: .secret("wrong"))
        do {
            _ = try feed.enabledSubscriptions()
            Issue.record("a wrong secret was accepted")
        } catch {
            #expect(
                error.description == """
                    POST \(emulator.baseURL)/\(Self.tenant)/oauth2/v2.0/token: HTTP 401 AADSTS7000215 \
                    AADSTS7000215: Invalid client secret provided.
                    hint: the client secret is wrong: use the secret's Value (not its Secret ID) from the app registration
                    """)
            #expect(!error.description.contains("wrong\n") && !error.description.contains("client_secret"))
        }
    }

    @Test func throttlingIsWaitedOutAsRetryAfterSays() throws {
        var faults = M365Emulator.Faults()
        faults.throttleFirst = 2
        let emulator = try emulator(faults: faults)
        defer { emulator.stop() }
        let (feed, _) = feed(emulator)
        let blob = try firstBlob(emulator, feed)
        let began = Date()
        _ = try feed.fetch(blob)
        #expect(Date().timeIntervalSince(began) >= 1.9)  // Retry-After: 1, twice
        #expect(emulator.fetches(of: blob.contentId) == 3)
    }

    @Test func serverErrorsAndTruncatedBodiesAreRetriedThenReported() throws {
        var faults = M365Emulator.Faults()
        faults.failFirst = 1
        faults.truncateFirst = 1
        let emulator = try emulator(faults: faults)
        defer { emulator.stop() }
        let (feed, _) = feed(emulator)
        let blob = try firstBlob(emulator, feed)
        let body = try feed.fetch(blob)
        #expect((try JSONSerialization.jsonObject(with: Data(body)) as? [Any])?.count == 3)
        #expect(emulator.fetches(of: blob.contentId) == 3)

        emulator.setFaults { $0.failFirst = 10 }
        do {
            _ = try feed.fetch(blob)
            Issue.record("a failing service was not reported")
        } catch {
            #expect(error.status == 500 && error.code == "AF50000")
            #expect(error.hint == "the service failed 4 times: run again later (mailhound resumes)")
        }
    }

    @Test func aTokenRefusedBeforeItExpiresIsReplacedOnce() throws {
        var faults = M365Emulator.Faults()
        faults.revokeTokensAfter = 2
        let emulator = try emulator(faults: faults)
        defer { emulator.stop() }
        let (feed, _) = feed(emulator)
        emulator.enable("Audit.Exchange")
        let (start, end) = window()
        let blobs = try feed.listContent("Audit.Exchange", from: start, to: end)
        for blob in blobs { _ = try feed.fetch(blob) }
        #expect(emulator.tokenRequestCount == 2)
    }

    @Test func expiredContentSaysSo() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let (feed, _) = feed(emulator)
        let blob = try firstBlob(emulator, feed)
        emulator.setFaults { $0.expired = [blob.contentId] }
        #expect {
            try feed.fetch(blob)
        } throws: { error in
            (error as? ServiceError)?.code == "AF20051" && (error as? ServiceError)?.status == 400
        }
    }

    @Test func aContentLinkOffTheAPIHostIsNotFollowed() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let (feed, _) = feed(emulator)
        let hostile = ContentBlob(
            contentType: "Audit.Exchange", contentId: "x", contentUri: "http://127.0.0.2:9/steal-the-token",
            contentCreated: "2026-12-01T00:00:00Z", contentExpiration: "2026-12-08T00:00:00Z")
        #expect {
            try feed.fetch(hostile)
        } throws: { error in
            (error as? ServiceError)?.message.contains("link leads off 127.0.0.1; not followed") == true
        }
        #expect(emulator.tokenRequestCount == 0)
    }

    @Test func aStalledBodyTimesOutInsteadOfHanging() throws {
        var faults = M365Emulator.Faults()
        faults.blobDelay = 5
        let emulator = try emulator(faults: faults)
        defer { emulator.stop() }
        var options = CurlTransport.Options()
        options.requestTimeout = 1
        let (feed, _) = feed(emulator, attempts: 1, transport: CurlTransport(options: options))
        let blob = try firstBlob(emulator, feed)
        let began = Date()
        #expect(throws: ServiceError.self) { try feed.fetch(blob) }
        #expect(Date().timeIntervalSince(began) < 3)
    }

    @Test func graphSignInsArePagedByNextLinkWithinTheWindow() throws {
        let signIns = EmulatedContent.signIns(tenantID: Self.tenant, count: 10, hoursAgo: 20, spacingMinutes: 60)
        let (emulator, graph) = try signInsReader(serving: signIns)
        defer { emulator.stop() }
        var pages: [Int] = []
        var lines = 0
        try graph.pages(from: Date().addingTimeInterval(-20.5 * 3600), to: Date().addingTimeInterval(-11.5 * 3600)) {
            bytes, page in
            pages.append(page)
            lines += bytes.split(separator: UInt8(ascii: "\n")).count
        }
        #expect(lines == 9)  // 20 h to 12 h ago: one an hour
        #expect(pages == [1, 2, 3])

        emulator.setFaults { $0.signInsForbidden = true }
        do {
            try graph.pages(from: Date().addingTimeInterval(-3600), to: Date()) { _, _ in }
            Issue.record("a refused sign-in read was not reported")
        } catch {
            let error = try #require(error as? ServiceError)
            #expect(error.status == 403 && error.code == "Authorization_RequestDenied")
            #expect(error.requestID == "5f1e0c1d-0000-4000-8000-000000000403")
            #expect(error.hint?.hasPrefix("the app lacks the permission: grant ActivityFeed.Read") == true)
        }
    }

    @Test func aGraphElementThatIsNoObjectIsPassedOnToBeQuarantinedNotDropped() throws {
        var signIns = EmulatedContent.signIns(tenantID: Self.tenant, count: 2, hoursAgo: 5, spacingMinutes: 60)
        signIns.append(M365Emulator.SignIn(created: Date().addingTimeInterval(-4.5 * 3600), json: "42"))
        signIns.append(M365Emulator.SignIn(created: Date().addingTimeInterval(-4.2 * 3600), json: #""a string""#))
        let (emulator, graph) = try signInsReader(serving: signIns)
        defer { emulator.stop() }
        var lines: [String] = []
        try graph.pages(from: Date().addingTimeInterval(-6 * 3600), to: Date()) { bytes, _ in
            lines += bytes.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(lines.count == 4)
        #expect(lines.contains("42") && lines.contains(#""a string""#))
    }

    /// An emulator serving `signIns`, started, and a Graph sign-ins reader pointed at it.
    func signInsReader(serving signIns: [M365Emulator.SignIn]) throws -> (M365Emulator, GraphSignIns) {
        let emulator = M365Emulator(
            tenantID: Self.tenant, clientID: Self.client, secret: Self.secret, blobs: [], signIns: signIns)
        try emulator.start()
        let (_, client) = feed(emulator)
        let graph = GraphSignIns(
            client: client,
            endpoints: ServiceEndpoints(login: emulator.baseURL, activityAPI: emulator.baseURL, graph: emulator.baseURL)
        )
        return (emulator, graph)
    }

    /// A self-signed certificate and its key in one PEM, by the openssl command.
    static func makeCertificate() throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-cert-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=mailhound-test",
            "-keyout", folder.appendingPathComponent("key.pem").path, "-out",
            folder.appendingPathComponent("cert.pem").path,
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let certificate = try Data(contentsOf: folder.appendingPathComponent("cert.pem"))
        let key = try Data(contentsOf: folder.appendingPathComponent("key.pem"))
        return [UInt8](certificate + key)
    }
}
