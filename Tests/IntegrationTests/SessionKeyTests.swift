import AuditSources
import Foundation
import PostgresClient
import Store
import Testing

@testable import Ingest

@Suite("Session keys computed by ingest")
struct SessionKeyTests {
    /// Rows whose stored key or values digest is not what the server computes from their fields,
    /// and rows without either.
    static func disagreements(_ connection: Connection) throws -> (wrong: Int, missing: Int) {
        let row = try connection.execute(
            """
            select count(*) filter (where session_key is distinct from mailhound.session_key_of(
                    tenant, actor, source_session_id, client_ip,
                    coalesce(nullif(client_app_id, ''), nullif(app_id, ''), client_info))
                    or values_digest is distinct from mailhound.values_digest_of(
                        tenant, actor, source_session_id, actor_kind, client_ip, client_info, client_app_id,
                        app_id, mailbox_owner, access_type, operation)) as wrong,
                count(*) filter (where session_key is null or values_digest is null) as missing
            from mailhound.events
            """
        ).rows.first
        return (row?.int("wrong") ?? -1, row?.int("missing") ?? -1)
    }

    @Test("the hash is the server's hashtextextended for every length of text, ASCII or not")
    func hashAgrees() throws {
        let connection = try TestDatabase.fresh("session_key_hash").connect()
        #expect(try SessionKey.serverAgrees(on: connection))
        let texts =
            (0..<40).map { String(repeating: "aZ9|", count: 10).prefix($0) }.map(String.init)
            + ["zoë🙂|sid|x", "t-1|mallory@contoso.example|net|2001:db8::7|Client=OWA;Action=ViewInbox"]
        for text in texts {
            let server = try connection.execute("select hashtextextended(\(text), 0)::text as hash").rows.first?["hash"]
            let client = Array(text.utf8).withUnsafeBytes { Int64(bitPattern: SessionKey.hashExtended($0)) }
            #expect(server == String(client), "\(text)")
        }
    }

    @Test(
        "keys and values digests of every kind of actor, address, session id and app equal the server's; those left to it are set in the load"
    )
    func keysAgree() throws {
        let database = try TestDatabase.fresh("session_keys")
        let connection = try database.connect()
        let actors: [String?] = [
            "Mallory@Contoso.example", "user@contoso.example", "ÜNAL@contoso.example", nil, "",
            #"NT AUTHORITY\\SYSTEM (w3wp)"#,
        ]
        let addresses: [String?] = [
            nil, "10.1.2.3", "10.1.2.3:51000", "2001:db8::7", "[2001:db8:0:0:1:0:0:1]:443", "2001:0:0:1::", "fe80::1",
            "1:2:3:4:5:6:7:8", "::ffff:10.1.2.3", "::1", "2001:db8:0:0:0:0:2:1", "2001:db8::1:0:0:1", "ABCD:EF01::",
            "203.0.113.255", "2001:db8:c0de:fff::9a",
        ]
        let sessions: [String?] = [nil, "", "abc-123"]
        let apps: [(client: String?, app: String?, info: String?)] = [
            ("", "", nil), ("ca", "a", "ci"), ("", "a", "ci"), (nil, nil, "Client=OWA"), ("", "", ""),
            // A value of three digits' length in the digest.
            ("", "", String(repeating: "Client=OWA;", count: 14)),
        ]
        var lines: [String] = []
        for actor in actors {
            for address in addresses {
                for session in sessions {
                    for app in apps {
                        var fields = [
                            #""Id":"\#(String(format: "%08x-0000-4000-8000-000000000000", lines.count))""#,
                            #""CreationTime":"2024-05-10T09:00:00","Operation":"MailItemsAccessed""#,
                            #""Workload":"Exchange","OrganizationId":"Tenant-1""#,
                        ]
                        func add(_ name: String, _ value: String?) {
                            if let value { fields.append(#""\#(name)":"\#(value)""#) }
                        }
                        add("UserId", actor)
                        add("ClientIPAddress", address)
                        add("SessionId", session)
                        add("ClientAppId", app.client)
                        add("AppId", app.app)
                        add("ClientInfoString", app.info)
                        // The digest's other values: owners and access types, present or not.
                        add(
                            "MailboxOwnerUPN", [nil, "owner@contoso.example", "ÖWNER@contoso.example"][lines.count % 3])
                        if lines.count % 4 > 0 {
                            let access = ["", "Bind", "Sync"][lines.count % 4 - 1]
                            fields.append(#""OperationProperties":[{"Name":"MailAccessType","Value":"\#(access)"}]"#)
                        }
                        lines.append("{" + fields.joined(separator: ",") + "}")
                    }
                }
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-keys-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let summary = try Ingestor(connection: connection, logger: TestDatabase.logger)
            .ingest([InputFile(path: file.path)])
        #expect(summary.loaded == actors.count * addresses.count * sessions.count * apps.count)
        let after = try Self.disagreements(connection)
        #expect(after.wrong == 0)
        #expect(after.missing == 0)

        // A row an analyst inserts without its key is keyed at the next detect's start.
        try connection.execute(
            """
            insert into mailhound.events (
                tenant, record_id, occurred_at, operation, actor_kind, actor, source_file, source_line,
                source_offset, raw_chunk, raw_start, raw_length)
            values ('Tenant-1', gen_random_uuid(), now(), 'MailItemsAccessed', 'user', 'Eve@Contoso.example',
                'by hand', 1, 0, 0, 1, 0)
            """)
        #expect(try Self.disagreements(connection).missing == 1)
        #expect(try GroupKeyIndex.fillMissingKeys(on: connection) == 1)
        #expect(try Self.disagreements(connection) == (0, 0))
    }
}
