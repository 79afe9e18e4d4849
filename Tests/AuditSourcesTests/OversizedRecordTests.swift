import AuditEvents
import AuditSources
import Foundation
import Testing

/// A record longer than the limit is quarantined with its length, first and last 4 KiB, and read
/// past without being held; the records after it load with their own line numbers.
@Suite("Oversized records")
struct OversizedRecordTests {
    static let limit = RecordSize(bytes: 64 << 10)

    static func record(_ number: Int, user: String = "u@contoso.example") -> String {
        #"{"Id":"cccccccc-0000-4000-8000-00000000000\#(number)","CreationTime":"2024-05-14T09:40:03","#
            + #""Operation":"MailItemsAccessed","Workload":"Exchange","OrganizationId":"t","UserId":"\#(user)"}"#
    }

    /// A record of about `bytes` bytes whose user agent (and `"` and `,` and a line break in it)
    /// makes it long, starting with `HEAD` and ending with `TAIL`.
    static func huge(_ bytes: Int) -> String {
        let filler = String(repeating: "abc\\\"d,ef ", count: bytes / 10)
        return #"{"Id":"cccccccc-0000-4000-8000-000000000009","HEAD":"x","ClientInfoString":"\#(filler)","TAIL":"y"}"#
    }

    static func read(_ path: String) throws -> Fixtures.Read {
        var options = ReadOptions(tenant: "t")
        options.recordLimit = limit
        return try Fixtures.read(path, options: options)
    }

    static func expectQuarantined(_ read: Fixtures.Read, line: Int, atLeast bytes: Int) throws {
        let entry = try #require(read.quarantined.first)
        #expect(read.quarantined.count == 1)
        #expect(entry.origin.line == line)
        let length = try #require(
            entry.reason.split(separator: " ").dropFirst(3).first.flatMap { Int($0) }, "\(read.quarantined)")
        #expect(length >= bytes)
        #expect(
            entry.reason
                == "a record of \(length) bytes is longer than the limit of 64 KiB (--max-record-size); "
                + "its first and last 4 KiB are kept")
        #expect(entry.raw.contains("HEAD") && entry.raw.contains("TAIL"))
        #expect(entry.raw.contains(" bytes left out]…") && entry.raw.utf8.count < 9000)
    }

    @Test("JSON Lines: the line is skipped to its end")
    func jsonLines() throws {
        let path = try Fixtures.writeTemporary(
            [Self.record(1), Self.huge(300_000), Self.record(2), Self.huge(70_000), Self.record(3)]
                .joined(separator: "\n") + "\n", name: "ual.jsonl")
        let read = try Self.read(path)
        #expect(read.events.map(\.origin.line) == [1, 3, 5])
        #expect(read.quarantined.map(\.origin.line) == [2, 4])
        try Self.expectQuarantined(Fixtures.Read(quarantined: [read.quarantined[0]]), line: 2, atLeast: 300_000)
    }

    @Test("a last line without its line end is skipped to the end of input")
    func lastLine() throws {
        let read = try Self.read(
            try Fixtures.writeTemporary(Self.record(1) + "\n" + Self.huge(200_000), name: "ual.jsonl"))
        #expect(read.events.count == 1)
        try Self.expectQuarantined(read, line: 2, atLeast: 200_000)
    }

    @Test("JSON arrays: the object is skipped by brace matching, quotes and escapes included")
    func jsonArray() throws {
        let text = "[\n" + [Self.record(1), Self.huge(300_000), Self.record(2)].joined(separator: ",\n") + "\n]\n"
        let read = try Self.read(try Fixtures.writeTemporary(text, name: "ual.json"))
        #expect(read.format == .ualJSONArray)
        #expect(read.events.map(\.origin.line) == [2, 4])
        try Self.expectQuarantined(read, line: 3, atLeast: 300_000)
    }

    @Test("CSV: the row is skipped to the line end outside quotes, line breaks inside included")
    func csv() throws {
        func row(_ json: String) -> String {
            "x,2024-05-14T09:40:03Z,50,MailItemsAccessed,u,\"" + json.replacingOccurrences(of: "\"", with: "\"\"")
                + "\""
        }
        let huge = Self.huge(300_000).replacingOccurrences(of: "d,ef ", with: "d,e\nf ")
        let text =
            (["RecordId,CreationDate,RecordType,Operation,UserId,AuditData"]
            + [row(Self.record(1)), row(huge), row(Self.record(2))]).joined(separator: "\r\n") + "\r\n"
        let read = try Self.read(try Fixtures.writeTemporary(text, name: "purview.csv"))
        #expect(read.format == .purviewCSV)
        let breaks = huge.filter { $0 == "\n" }.count
        #expect(read.events.map(\.origin.line) == [2, 4 + breaks])
        try Self.expectQuarantined(read, line: 3, atLeast: 300_000)
    }

    @Test("IIS: the line is skipped; the directives and lines after it read on")
    func iis() throws {
        let header =
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status"
        let line = "2021-03-02 02:04:00 192.0.2.10 POST /owa/auth/x.js - 443 - 2001:db8::66 UA 200"
        let long =
            "2021-03-02 02:04:01 192.0.2.10 POST /owa/HEAD" + String(repeating: "a", count: 100_000)
            + "TAIL - 443 - 2001:db8::66 UA 200"
        let read = try Self.read(
            try Fixtures.writeTemporary([header, line, long, line].joined(separator: "\n") + "\n", name: "u.log"))
        #expect(read.webRequests.count == 2)
        try Self.expectQuarantined(read, line: 3, atLeast: 100_000)
    }

    @Test("size options read 16MiB, 64 KiB and bytes")
    func sizes() {
        #expect(RecordSize("16MiB")?.bytes == 16 << 20)
        #expect(RecordSize("64 KiB")?.bytes == 64 << 10)
        #expect(RecordSize("1GiB")?.description == "1 GiB")
        #expect(RecordSize("70000")?.description == "70000 bytes")
        #expect(RecordSize("-1") == nil && RecordSize("lots") == nil && RecordSize("0MiB") == nil)
    }

    @Test("JSON arrays: 100,000 nested arrays and an array the file never closes are said, not passed over")
    func arrayStructure() throws {
        let nested = "[" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "]\n"
        let deep = try Fixtures.read(try Fixtures.writeTemporary(nested, name: "deep.json"))
        #expect(deep.events.isEmpty)
        #expect(deep.quarantined.map(\.reason) == ["unexpected content between JSON records"])

        let open = try Self.read(
            try Fixtures.writeTemporary("[\n" + Self.record(1) + ",\n" + Self.record(2) + ",\n", name: "cut.json"))
        #expect(open.events.count == 2)
        #expect(
            open.quarantined.map(\.reason) == ["the JSON array is not closed: the file ends inside it (cut short?)"])
        #expect(open.quarantined.first?.origin.line == 4)

        let closed = try Self.read(
            try Fixtures.writeTemporary("[" + Self.record(1) + "]\n[" + Self.record(2) + "]", name: "two.json"))
        #expect(closed.events.count == 2 && closed.quarantined.isEmpty)
    }
}
