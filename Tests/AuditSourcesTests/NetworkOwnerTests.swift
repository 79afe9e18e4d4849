import AuditEvents
import AuditSources
import Foundation
import Testing

@Suite("IP-to-ASN table lines")
struct NetworkOwnerTests {
    @Test("ranges parse with their AS, country and name; IPv6 too")
    func ranges() throws {
        let v4 = try #require(try NetworkOwner.parse("198.51.100.0\t198.51.101.255\t64500\tUS\tEXAMPLE-MOBILE"))
        #expect(v4.first.description == "198.51.100.0" && v4.last.description == "198.51.101.255")
        #expect(v4.asn == 64500 && v4.country == "US" && v4.name == "EXAMPLE-MOBILE")
        let v6 = try #require(
            try NetworkOwner.parse("2001:db8::\t2001:db8:ffff:ffff:ffff:ffff:ffff:ffff\t64511\tNone\t"))
        #expect(v6.asn == 64511 && v6.country == nil && v6.name == nil)
    }

    @Test("unrouted ranges name no owner")
    func unrouted() throws {
        #expect(try NetworkOwner.parse("0.0.0.0\t0.255.255.255\t0\tNone\tNot routed") == nil)
    }

    @Test(
        "malformed lines say why",
        arguments: [
            ("198.51.100.0 198.51.100.255 64500", "tab-separated"),
            ("198.51.100.0\tnowhere\t64500\tUS\tX", "not an address range"),
            ("198.51.100.9\t198.51.100.0\t64500\tUS\tX", "empty"),
            ("198.51.100.0\t2001:db8::\t64500\tUS\tX", "mixes IPv4 and IPv6"),
            ("198.51.100.0\t198.51.100.255\tAS64500\tUS\tX", "not a number"),
        ])
    func malformed(_ line: String, _ reason: String) {
        #expect {
            try NetworkOwner.parse(line)
        } throws: { error in
            (error as? RecordError)?.reason.contains(reason) == true
        }
    }

    @Test("a file is read on past a bad line, which is reported with its number")
    func file() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("asn-\(UUID().uuidString).tsv")
        defer { try? FileManager.default.removeItem(at: path) }
        try "198.51.100.0\t198.51.100.255\t64500\tUS\tA\nbroken\n203.0.113.0\t203.0.113.255\t64511\tNL\tB\n"
            .write(to: path, atomically: true, encoding: .utf8)
        var asns: [Int] = []
        var bad: [Int] = []
        try NetworkOwner.read(InputFile(path: path.path)) {
            asns.append($0.asn)
        } malformed: { line, _, _ in
            bad.append(line)
        }
        #expect(asns == [64500, 64511] && bad == [2])
    }
}
