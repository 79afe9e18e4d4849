import AuditEvents
import Testing

@Suite("Value parsing")
struct ValueParsingTests {
    @Test(
        "client addresses lose ports and brackets",
        arguments: [
            ("185.73.124.135:19823", "185.73.124.135"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("2001:db8:4a1:31::7", "2001:db8:4a1:31::7"),
            ("::ffff:192.0.2.1", "::ffff:c000:201"),
            (" 198.51.100.10 ", "198.51.100.10"),
            ("::1", "::1"),
            ("010.0.0.1", "10.0.0.1"),
            ("10.0.0.1:", "10.0.0.1"),
            ("10.0.0.1:https", "10.0.0.1"),
        ])
    func addresses(_ text: String, _ expected: String) {
        #expect(IPAddress(logText: text)?.description == expected)
    }

    @Test(
        "non-addresses are rejected",
        arguments: [
            "", "Not Available", "1.2.3", "256.1.1.1", "1:2:3", "[::1", "fe80::1::2", "1.2.3.4.5", "1..2.3",
            "1.2.3.1000", "1.2.3.4x",
        ])
    func notAddresses(_ text: String) {
        #expect(IPAddress(logText: text) == nil)
    }

    @Test(
        "UAL and Purview times parse as UTC",
        arguments: [
            ("2024-05-14T09:40:03", "2024-05-14T09:40:03Z"),
            ("2024-05-20T07:40:21.0000000Z ", "2024-05-20T07:40:21Z"),
            ("2021-03-02T09:15:40.611Z", "2021-03-02T09:15:40.611000Z"),
            ("2015-10-18T15:48:15-07:00", "2015-10-18T22:48:15Z"),
            ("2024-02-29T00:00:00", "2024-02-29T00:00:00Z"),
        ])
    func times(_ text: String, _ expected: String) {
        #expect(Timestamp(iso8601: text)?.description == expected)
    }

    @Test(
        "impossible times are rejected",
        arguments: ["2023-02-29T00:00:00", "2024-13-01T00:00:00", "5/14/2024 9:40:03 AM", "2024-05-14"])
    func badTimes(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test("record ids round-trip")
    func recordIDs() {
        let text = "4466b6f6-a732-5cc3-b73a-4bb82dd51067"
        #expect(RecordID(text)?.description == text)
        #expect(RecordID("{4466B6F6-A732-5CC3-B73A-4BB82DD51067}")?.description == text)
        #expect(RecordID("4466b6f6a7325cc3b73a4bb82dd51067") == nil)
        for malformed in [
            "{4466b6f6-a732-5cc3-b73a-4bb82dd51067", "4466b6f6-a732-5cc3-b73a-4bb82dd51067}",
            "(4466b6f6-a732-5cc3-b73a-4bb82dd51067)", "4466b6f6-a732-5cc3-b73a-4bb82dd5106g",
            "4466b6f6_a732-5cc3-b73a-4bb82dd51067", "4466b6f6-a732-5cc3-b73a4-bb82dd51067",
            "4466b6f6-a732-5cc3-b73a-4bb82dd5106\u{e9}", "",
        ] {
            #expect(RecordID(malformed) == nil, "\(malformed)")
        }
        #expect(RecordID("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF") == RecordID(high: .max, low: .max))
        #expect(RecordID("00000000-0000-0000-0000-000000000001") == RecordID(high: 0, low: 1))
        #expect(
            RecordID(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210).description
                == "01234567-89ab-cdef-fedc-ba9876543210")
    }

    @Test(
        "actor kinds",
        arguments: [
            ("NT AUTHORITY\\SYSTEM (w3wp)", 0, 0, ActorKind.system),
            ("S-1-5-18", 0, 0, .system),
            ("nt authority\\system", 0, 0, .system),
            ("Exchange S-1-5-18 service", 0, 0, .system),
            ("NT AUTHORITY", 0, 0, .user),
            ("serviceprincipal_x", 0, 0, .app),
            ("my-ServicePrincipal_x", 0, 0, .user),
            ("ServicePrincipal_7c6b5a49", 0, 0, .app),
            ("backup@contoso.example", 5, 0, .app),
            ("admin@contoso.example", 0, 1, .admin),
            ("carol@contoso.example", 0, 2, .delegate),
            ("alice@contoso.example", 0, 0, .user),
        ])
    func actorKinds(_ actor: String, _ userType: Int, _ logonType: Int, _ expected: ActorKind) {
        #expect(
            ActorKind.classify(actor: actor, userType: userType, logonType: logonType, appID: nil)
                == expected)
    }
}
