import AuditEvents
import AuditSources
import Foundation
import PostgresClient
import Testing

@testable import Ingest

@Suite("UAL records encoded in place")
struct InPlaceRowsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("AuditSourcesTests/Fixtures")

    /// Records that exercise every column: parameters with quotes, control characters and NUL, an
    /// owner inferred from them, folders with items, IPv6, envelopes, escaped keys and values
    /// (NUL among them, also inside an envelope's text), another workload, a bad one.
    static let awkwardRecords = [
        #"{"Id":"4466b6f6-a732-5cc3-b73a-4bb82dd51067","CreationTime":"2024-05-14T09:40:03.1234567Z","Operation":"New-MailboxExportRequest","OrganizationId":"t-1","RecordType":1,"UserType":2,"Workload":"Exchange","UserId":"NT AUTHORITY\\SYSTEM (w3wp)","ClientIP":"[2001:db8::7]:443","Parameters":[{"Name":"Mailbox","Value":"ceo@contoso.example\\Export \"q\"\t\u0000\u001f"},{"Name":"FilePath","Value":"\\\\srv\\c$\\aspnet_client\\x.pst"},{"Name":"Count","Value":3}],"ExternalAccess":"True","ObjectId":"ceo"}"#,
        #"{"Id":"{5566B6F6-A732-5CC3-B73A-4BB82DD51067}","CreationTime":"2024-05-14T09:41:03","Operation":"MailItemsAccessed","OrganizationId":"t-1","RecordType":50,"Workload":"Exchange","UserId":"mallory@contoso.example","AppId":"app-1","ClientAppId":"","ClientIPAddress":"10.1.2.3:51000","LogonType":2,"MailboxOwnerUPN":"alice@contoso.example","MailboxGuid":"g-1","SessionId":"","OperationProperties":[{"Name":"MailAccessType","Value":"Bind"},{"Name":"IsThrottled","Value":"False"}],"OperationCount":7,"Folders":[{"Path":"\\Inbox","FolderItems":[{"SizeInBytes":100},{"SizeInBytes":null}]},{"Path":"\\Sent Items\u0000","FolderItems":[]}]}"#,
        #"{"AuditData":{"Id":"6666b6f6-a732-5cc3-b73a-4bb82dd51067","CreationTime":"2024-05-14T09:42:03","Operation":"Set-Mailbox","Workload":"Exchange","Parameters":"-Identity bob -ForwardingSmtpAddress x@evil.example","Item":{"SizeInBytes":5,"ParentFolder":{"Path":"\\Drafts"}}}}"#,
        #"{"\u0049d":"8866b6f6-a732-5cc3-b73a-4bb82dd51067","CreationTime":"2024-05-14T09:43:03","Operation":"MailItems\u0041ccessed","Workload":"Exchange","User\u0049d":"eve@contoso.example","ClientInfoString":"a\u0000b"}"#,
        #"{"AuditData":"{\"Id\":\"9966b6f6-a732-5cc3-b73a-4bb82dd51067\",\"CreationTime\":\"2024-05-14T09:44:03\",\"Operation\":\"Send\",\"Workload\":\"Exchange\",\"UserId\":\"x\\u0000y\"}"}"#,
        #"{"Id":"7766b6f6-a732-5cc3-b73a-4bb82dd51067","CreationTime":"2024-05-14T09:43:03","Operation":"FileAccessed","Workload":"SharePoint"}"#,
        #"{"Id":"not-a-guid","CreationTime":"2024-05-14T09:43:03","Operation":"MailItemsAccessed","Workload":"Exchange"}"#,
    ]

    /// The awkward records as a JSON lines file of its own.
    static func awkwardFile(named name: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-\(name)-\(getpid()).jsonl")
        try awkwardRecords.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Each record's row, in place and from the owned `AuditEvent`, plus what else was read.
    static func rows(of path: String) throws -> (inPlace: [[UInt8]], owned: [[UInt8]], others: Int) {
        var inPlace: [[UInt8]] = []
        var owned: [[UInt8]] = []
        var others = 0
        // The row, then the chunk its raw text went into.
        func row<Text: RowText>(
            raw: Text, mayHoldNUL: Bool, at time: Timestamp,
            _ encode: (inout BinaryCopyEncoder, RawChunks.Placement) -> Void
        ) -> [UInt8] {
            var chunks = RawChunks(ids: RawChunkIDs(run: 1))
            let placement = raw.withUTF8Bytes { chunks.place($0, mayHoldNUL: mayHoldNUL, tenant: 0, occurredAt: time) }
            chunks.addTenant("test")
            chunks.finish()
            var encoder = BinaryCopyEncoder(reservingCapacity: 4096)
            let header = encoder.byteCount
            encode(&encoder, placement)
            return Array(encoder.bytes[header...]) + chunks.rows.bytes
        }
        let input = InputFile(path: path)
        try AuditFileReader(input: input, options: ReadOptions(tenant: "test")).read(
            inPlace: { record in
                let hash = ContentHash.of(record)
                inPlace.append(
                    row(raw: record.raw, mayHoldNUL: record.textMayHoldNUL, at: record.occurredAt) {
                        EventRows.append(record, contentHash: hash, raw: $1, to: &$0)
                    })
            }, { _ in others += 1 })
        try AuditFileReader(input: input, options: ReadOptions(tenant: "test")).read { item in
            if case .event(let event) = item {
                owned.append(
                    row(raw: event.raw, mayHoldNUL: true, at: event.occurredAt) {
                        EventRows.append(event, contentHash: ContentHash.of(event), raw: $1, to: &$0)
                    })
            }
        }
        return (inPlace, owned, others)
    }

    @Test("a row encoded in place equals the row of the owned event, byte for byte")
    func sameRows() throws {
        let awkward = try Self.awkwardFile(named: "inplace")
        defer { try? FileManager.default.removeItem(at: awkward) }

        let (inPlace, owned, others) = try Self.rows(of: awkward.path)
        #expect(inPlace.count == 5)
        #expect(others == 2)  // the SharePoint record and the quarantined one
        #expect(inPlace == owned)

        var files = ["envelopes.json", "bom-crlf.jsonl", "malformed.jsonl", "purview.csv", "records.jsonl.gz"].map {
            Self.fixtures.appendingPathComponent($0).path
        }
        let shared = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/formats/samples")
        for sample in ["ual-mailitemsaccessed.jsonl", "ual-content-blob.json", "purview-audit-export.csv"] {
            let path = shared.appendingPathComponent(sample).path
            if FileManager.default.fileExists(atPath: path) { files.append(path) }
        }
        for file in files {
            let (inPlace, owned, _) = try Self.rows(of: file)
            #expect(!inPlace.isEmpty, "\(file)")
            #expect(inPlace == owned, "\(file)")
        }
    }

    @Test("the owned event of a record read in place keeps what the record said")
    func ownedEvent() throws {
        let awkward = try Self.awkwardFile(named: "owned")
        defer { try? FileManager.default.removeItem(at: awkward) }
        var events: [AuditEvent] = []
        try AuditFileReader(input: InputFile(path: awkward.path), options: ReadOptions(tenant: "test")).read { item in
            if case .event(let event) = item { events.append(event) }
        }
        #expect(events.count == 5)
        let export = try #require(events.first)
        #expect(export.tenant == "t-1")
        #expect(export.actorKind == .system)
        #expect(export.mailboxOwner == "ceo@contoso.example")
        #expect(export.clientIP?.description == "2001:db8::7")
        #expect(export.parameters.map(\.name) == ["Mailbox", "FilePath", "Count"])
        #expect(export.parameters.last?.value == "3")
        let read = events[1]
        #expect(read.items == 7)
        #expect(read.bytes == 100)
        #expect(read.folders == ["\\Inbox", "\\Sent Items\0"])
        #expect(read.sourceSessionID == nil)
        #expect(read.isThrottled == false)
        #expect(read.actorKind == .delegate)
        let enveloped = events[2]
        #expect(enveloped.tenant == "test")
        #expect(enveloped.folders == ["\\Drafts"])
        #expect(
            enveloped.parameters == [Parameter(name: "", value: "-Identity bob -ForwardingSmtpAddress x@evil.example")])
        let escaped = events[3]
        #expect(escaped.recordID == RecordID("8866b6f6-a732-5cc3-b73a-4bb82dd51067"))
        #expect(escaped.operation == "MailItemsAccessed")
        #expect(escaped.actor == "eve@contoso.example")
        #expect(escaped.clientInfo == "a\0b")
        let nulInEnvelope = events[4]
        #expect(nulInEnvelope.actor == "x\0y")
    }

    @Test("parameters become JSON with quotes, backslashes and control characters escaped, NUL replaced")
    func parametersJSON() {
        var encoder = BinaryCopyEncoder(reservingCapacity: 256)
        let header = encoder.byteCount + 2  // after the row's field count
        encoder.appendRow(fieldCount: 1) { row in
            row.append(jsonb: { json in
                json.append(syntax: "[")
                json.append(string: "a\"b\\c\n\r\t\u{1}\0é")
                json.append(syntax: ",")
                json.append(string: "")
                json.append(syntax: "]")
            })
        }
        let field = Array(encoder.bytes[header...])
        let expected = #"["a\"b\\c\n\r\t\u0001\ufffdé",""]"#
        #expect(field.prefix(4) == [0, 0, 0, UInt8(expected.utf8.count + 1)])
        #expect(field[4] == 1)  // jsonb format version
        #expect(String(decoding: field.dropFirst(5), as: UTF8.self) == expected)
    }

    @Test("a batch writes into the buffer a stored batch gave back, without copying it")
    func buffersReused() {
        let buffers = BatchBuffers(batchBytes: 1 << 16)
        let chunkIDs = RawChunkIDs(run: 1)
        func emptyRow(_ encoder: inout BinaryCopyEncoder, _: RawChunks.Placement) {
            encoder.appendRow(fieldCount: 0) { _ in }
        }
        func append(_ id: UInt64, to batch: inout Batch) {
            batch.events.append(
                tenant: "t", id: RecordID(high: id, low: id), contentHash: 0,
                occurredAt: Timestamp(microsecondsSinceEpoch: 0),
                raw: "{}", mayHoldNUL: false, encode: emptyRow)
        }
        var first = Batch(sequence: 0, fileIndex: 0, file: "f", buffers: buffers, chunkIDs: chunkIDs)
        append(1, to: &first)
        let memory = first.events.encoder.withUnsafeBytes { $0.baseAddress }
        buffers.giveBack(&first)
        var second = Batch(sequence: 1, fileIndex: 0, file: "f", buffers: buffers, chunkIDs: chunkIDs)
        append(2, to: &second)
        #expect(second.events.encoder.withUnsafeBytes { $0.baseAddress } == memory)
    }

    @Test("a batch keeps the first of repeated keys; the same id under another tenant is another key")
    func keyPositions() {
        struct Key: Hashable {
            var tenant: String
            var id: RecordID
        }
        var rows = KeyedRows(reservingCapacity: 1024, chunkIDs: RawChunkIDs(run: 1))
        var expected: [Key] = []
        var seen = Set<Key>()
        var random = SystemRandomNumberGenerator()
        // Enough keys to grow the table several times, with repeats and shared ids.
        let ids = (0..<3000).map { _ in RecordID(high: random.next(), low: random.next()) }
        for round in 0..<20_000 {
            let key = Key(tenant: round % 7 == 0 ? "other" : "t", id: ids[Int.random(in: 0..<ids.count)])
            if seen.insert(key).inserted { expected.append(key) }
            rows.append(
                tenant: key.tenant, id: key.id, contentHash: 0, occurredAt: Timestamp(microsecondsSinceEpoch: 0),
                raw: "{}", mayHoldNUL: false
            ) { encoder, _ in encoder.appendRow(fieldCount: 0) { _ in } }
        }
        #expect(rows.rowKeys.map { Key(tenant: rows.tenants[Int($0.tenant)], id: $0.id) } == expected)
        #expect(rows.encoder.rowCount == expected.count)
        #expect(rows.tenants == ["other", "t"])

        rows.finish()
        let stored = Set(rows.rowKeys.prefix(10))
        #expect(rows.leavingOut(stored).rowCount == expected.count - 10)
    }
}

@Suite("Raw texts packed into chunks")
struct RawChunksTests {
    /// What `substr(body, start, length)` returns in PostgreSQL: characters, from 1.
    static func substr(_ body: [UInt8], _ start: Int32, _ length: Int32) -> String {
        let scalars = Array(String(decoding: body, as: UTF8.self).unicodeScalars)
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[Int(start - 1)..<Int(start - 1 + length)])
        return String(text)
    }

    @Test("each text is read back by its place in characters: ASCII, accents, emoji, NUL and broken UTF-8")
    func placements() throws {
        let texts: [[UInt8]] = [
            Array(#"{"Id":"a","UserId":"plain ascii"}"#.utf8),
            Array(#"{"UserId":"zoë@contoso.example","Subject":"🙂 Überweisung"}"#.utf8),
            Array("with\u{0}nul".utf8),
            [0x7B, 0xC3, 0x28, 0x7D],  // a broken two-byte sequence
            [],
            Array(repeating: UInt8(ascii: "x"), count: 20_000),  // closes its chunk
            Array("after the big one, ä".utf8),
        ]
        let expected = [
            #"{"Id":"a","UserId":"plain ascii"}"#, #"{"UserId":"zoë@contoso.example","Subject":"🙂 Überweisung"}"#,
            "with\u{FFFD}nul", "{\u{FFFD}(}", "", String(repeating: "x", count: 20_000), "after the big one, ä",
        ]
        var chunks = RawChunks(ids: RawChunkIDs(run: 7))
        chunks.addTenant("t")
        let time = Timestamp(microsecondsSinceEpoch: 1_000_000)
        let placements = texts.map { text in
            text.withUnsafeBufferPointer { chunks.place($0, mayHoldNUL: true, tenant: 0, occurredAt: time) }
        }
        chunks.finish()
        let firstChunk: Int64 = 7 << 32
        #expect(chunks.chunkIDs == [firstChunk, firstChunk + 1])
        #expect(placements.map(\.chunkID) == Array(repeating: firstChunk, count: 6) + [firstChunk + 1])
        for (placement, text) in zip(placements, expected) {
            let row = try #require(chunks.chunkIDs.firstIndex(of: placement.chunkID))
            let body = try #require(chunks.rows.field(4, ofRow: row))
            #expect(Self.substr(body, placement.start, placement.length) == text)
            #expect(
                chunks.text(chunk: placement.chunkID, start: Int(placement.start), length: Int(placement.length))
                    == text)
        }
    }

    @Test("a character of two bytes is counted once wherever it stands: in any word of a block, or after the blocks")
    func characterCounts() {
        for position in 0..<70 {
            var text = Array(repeating: UInt8(ascii: "a"), count: 70)
            text.replaceSubrange(position..<position + 1, with: Array("é".utf8))
            #expect(text.withUnsafeBufferPointer { RawChunks.characterCount($0) } == 70, "é at byte \(position)")
        }
    }

    @Test("each tenant has chunks of its own, and a batch writes only the chunks asked for")
    func tenants() {
        var chunks = RawChunks(ids: RawChunkIDs(run: 1))
        chunks.addTenant("zero")
        chunks.addTenant("one")
        let time = Timestamp(microsecondsSinceEpoch: 0)
        let first = Array("a".utf8).withUnsafeBufferPointer {
            chunks.place($0, mayHoldNUL: false, tenant: 1, occurredAt: time)
        }
        let second = Array("b".utf8).withUnsafeBufferPointer {
            chunks.place($0, mayHoldNUL: false, tenant: 0, occurredAt: time)
        }
        chunks.finish()
        #expect(first.chunkID != second.chunkID)
        #expect(chunks.rows(keeping: [second.chunkID]).rowCount == 1)
        #expect(chunks.rows(keeping: [second.chunkID]).field(0, ofRow: 0) == Array("zero".utf8))
    }
}

@Suite("Errors that send a batch down the row-by-row path")
struct StoredKeyErrorTests {
    func error(_ code: String, _ message: String) -> PostgresError {
        PostgresError(sqlState: SQLState(rawValue: code), message: message, statement: "copy mailhound.events")
    }

    @Test("a unique violation, a deadlock, and Citus's internal error naming a worker's unique violation; nothing else")
    func storedKeyErrors() {
        #expect(error("23505", "duplicate key value violates unique constraint \"events_pkey\"").mayBeAStoredKey)
        #expect(error("40P01", "deadlock detected").mayBeAStoredKey)
        #expect(
            error("XX000", "duplicate key value violates unique constraint \"events_pkey_102023\"").mayBeAStoredKey)
        #expect(!error("XX000", "could not read block 7 in file \"base/16384/16385\"").mayBeAStoredKey)
        #expect(!error("22021", "invalid byte sequence for encoding \"UTF8\": 0x00").mayBeAStoredKey)
    }

    @Test("a row's own values: data and integrity errors, and the same relayed by Citus as internal; nothing else")
    func rowValueErrors() {
        #expect(error("22021", "invalid byte sequence for encoding \"UTF8\": 0x00").isCausedByRowValues)
        #expect(error("23514", "new row for relation \"events\" violates check constraint \"c\"").isCausedByRowValues)
        #expect(
            error("XX000", "new row for relation \"events_102015\" violates check constraint \"c_102015\"")
                .isCausedByRowValues)
        #expect(!error("XX000", "connection to the remote node 127.0.0.1:9702 failed").isCausedByRowValues)
        #expect(!error("23505", "duplicate key value violates unique constraint \"events_pkey\"").isCausedByRowValues)
        #expect(!error("57014", "canceling statement due to statement timeout").isCausedByRowValues)
    }
}
