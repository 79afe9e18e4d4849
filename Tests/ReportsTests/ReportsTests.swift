import Foundation
import Rankings
import Reports
import Testing

@Suite("Reports")
struct ReportsTests {
    static let session = RankedSession(
        rank: 1, score: 99, severity: "critical", tenant: "t", id: "99b92bd11a99003b",
        actor: "NT AUTHORITY\\SYSTEM (w3wp)\u{1B}]0;pwned\u{07}", actorKind: "system",
        mailboxOwners: ["=HYPERLINK(\"http://evil\")", "ceo@x.example"], clientIP: "203.0.113.66",
        client: "Client=WebServices", firstSeen: "2021-03-02T02:10:04Z",
        lastSeen: "2021-03-02T02:38:12Z",
        items: 602, bytes: 1000, detectors: ["export-request", "non-owner-sync"],
        reasons: ["first reason", "second\u{1B}[2J reason"])

    @Test("terminal text escapes control characters")
    func terminal() {
        #expect(SafeText.terminal("a\u{1B}[31mb\u{07}\u{9B}c") == "a\\u{1b}[31mb\\u{7}\\u{9b}c")
        let table = SessionReport.table([Self.session], width: 200)
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test("an empty table says whether nothing was found or nothing reached the score asked for")
    func emptyTable() {
        #expect(
            SessionReport.render([], format: .table)
                == "no suspicious sessions (run `mailhound detect` after ingesting)\n")
        #expect(
            SessionReport.render([], format: .table, minimumScore: 90) == "no suspicious session scores 90 or more\n")
    }

    @Test("CSV cells cannot start formulas", arguments: ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
    func formulas(_ cell: String) {
        #expect(SafeText.csvCell(cell).hasPrefix("'") || SafeText.csvCell(cell).hasPrefix("\"'"))
    }

    @Test("CSV quotes commas and quotes")
    func csvQuoting() {
        #expect(SafeText.csvCell("a,\"b\"") == "\"a,\"\"b\"\"\"")
        let csv = SessionReport.csv([Self.session])
        #expect(csv.hasPrefix("rank,score,severity,id,tenant,actor,"))
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil\"\");ceo@x.example\""))
        #expect(!csv.unicodeScalars.contains { $0.value == 0x1B })
    }

    @Test("JSON escapes what a terminal would act on, and reads back as the same text")
    func jsonEscapes() throws {
        var session = Self.session
        session.client = "evil\u{202E}txt.exe \u{9B}31m \u{7F} \u{2028}"
        let json = SessionReport.json([session])
        #expect(json.contains("\"first_seen\" : \"2021-03-02T02:10:04Z\""))
        #expect(json.contains(#""client" : "evil\u202etxt.exe \u009b31m \u007f \u2028""#))
        #expect(!json.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x9B })
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(decoded.first?["client"] as? String == session.client)
    }

    @Test("the table fits the width")
    func width() {
        let table = SessionReport.table([Self.session], width: 100)
        let lines = table.split(separator: "\n").prefix(2)
        #expect(lines.allSatisfy { $0.count <= 100 })
    }

    @Test("JSON Lines: one compact object a line, the same objects as the JSON array")
    func jsonLines() throws {
        let sessions = [Self.session, Self.session]
        let lines = SessionReport.render(sessions, format: .jsonl).split(separator: "\n")
        #expect(lines.count == 2)
        let array = try #require(
            try JSONSerialization.jsonObject(with: Data(SessionReport.render(sessions, format: .json).utf8)) as? [Any])
        for (line, element) in zip(lines, array) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            #expect(NSDictionary(dictionary: object as? [String: Any] ?? [:]).isEqual(element))
        }
        #expect(!lines.contains { $0.unicodeScalars.contains { $0.value == 0x1B } })
    }

    @Test("a session's header lists every client only where it used more than one, escaped")
    func sessionClients() {
        func header(_ clients: [String]?) -> String {
            let story = SessionTimeline(
                session: .init(
                    id: "5774f0f45f480c1a", tenant: "t", actor: "maya@x.example", actorKind: "user",
                    client: "Client=OWA;Chrome/88.0", clients: clients, clientIPs: ["192.0.2.15", "198.51.100.23"],
                    mailboxOwners: ["maya@x.example"], firstSeen: "2021-03-04T09:55:00Z",
                    lastSeen: "2021-03-05T02:10:00Z", events: 15, items: 1706, bytes: 0, rank: 12, score: 74,
                    severity: "high"),
                findings: [], timeline: [], omitted: 0)
            return TimelineReport.render(story, format: .table, width: 200).components(separatedBy: "\n\n")[0]
        }
        let lines = [
            "Session 5774f0f45f480c1a  rank 12, score 74, high",
            "  actor     maya@x.example (user)",
            "  window    2021-03-04T09:55:00Z .. 2021-03-05T02:10:00Z",
            "  client    Client=OWA;Chrome/88.0",
            "  addresses 192.0.2.15, 198.51.100.23",
            "  mailboxes 1: maya@x.example",
            "  volume    15 records, 1706 items, 0 bytes",
        ]
        #expect(header(nil) == lines.joined(separator: "\n"))
        #expect(header(["Client=OWA;Chrome/88.0"]) == lines.joined(separator: "\n"))
        let two = header(["Client=OWA;Chrome/88.0", "Client=OWA;Firefox/115.0\u{1B}[2J"])
        #expect(
            two
                == (lines[0...3] + ["  clients   2: Client=OWA;Chrome/88.0, Client=OWA;Firefox/115.0\\u{1b}[2J"]
                + lines[4...]).joined(separator: "\n"))
    }

    @Test("without a width limit (a pipe, a file, --wide) every header and cell is whole")
    func unlimited() {
        var session = Self.session
        session.actor = String(repeating: "a", count: 60) + "@contoso.example"
        let table = SessionReport.table([session], width: .max)
        #expect(!table.contains("…") && table.contains(session.actor ?? "-"))
        #expect(table.split(separator: "\n").first?.contains("MAILBOXES") == true)
        #expect(SessionReport.table([session], width: 120).contains("…"))
    }
}
