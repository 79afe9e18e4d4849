import AuditEvents

/// Exchange's ECP Server log (`Logging\ECP\Server\ECPServer*.LOG`, `#Fields:
/// TimeStamp,ServerName,EventId,EventData`): the control panel's requests, whose `EventData` is
/// `S:key=value;` pairs. A request that ran a cmdlet (`S:CMD=Set-OabVirtualDirectory.ExternalUrl='…'
/// .Identity='…'`) becomes an admin event: the cmdlet as its operation, its parameters, the
/// server. The log names no caller or client address; requests without a cmdlet are counted, not
/// stored.
extension AuditFileReader {
    func readECPServer(_ buffer: StreamBuffer, _ table: CSVTableRead, _ body: (SourceItem) throws -> Void) throws {
        try readCSVTable(
            buffer, file: input.path, firstLine: table.firstLine, columns: table.columns,
            holdBackTail: table.holdBackTail, advanced: table.advanced, header: { _, _ in },
            row: { row in
                guard let timeText = row.value("TimeStamp"), let time = Timestamp(iso8601: timeText) else {
                    return try body(quarantine(row.origin, "TimeStamp is missing or not ISO 8601", row.text))
                }
                let data = ECPEventData(row.value("EventData") ?? "")
                guard let commandText = data.value("CMD") else {
                    return try body(.skipped(workload: "ECP requests without a cmdlet"))
                }
                guard let command = ECPCommand(commandText) else {
                    return try body(quarantine(row.origin, "S:CMD is not a cmdlet with parameters", row.text))
                }
                let server = row.value("ServerName")
                let key = [server ?? "", data.value("REQID") ?? "", time.description, commandText]
                    .joined(separator: "\u{1F}")
                var event = AuditEvent(
                    tenant: defaultTenant, recordID: RecordID(naturalKey: key, kind: "ecp-server"), occurredAt: time,
                    workload: "ECP", operation: command.cmdlet,
                    resultStatus: data.value("EX") == nil ? nil : "Failed: " + (data.value("EX") ?? ""),
                    actorKind: .admin,
                    objectID: command.parameters.first { $0.name == "Identity" }?.value, parameters: command.parameters,
                    originServer: AuditEvent.serverName(server), origin: row.origin, raw: row.text)
                event.inferMailboxOwnerFromParameters()
                try body(.event(event))
            },
            malformed: { origin, problem, text in try body(quarantine(origin, problem, text)) })
    }
}

/// `S:key=value;S:key=value`: a value runs to the next `;S:KEY=`, so script in it keeps its `;`.
struct ECPEventData {
    private var pairs: [(key: String, value: String)] = []

    init(_ text: String) {
        var rest = Substring(text)
        if rest.hasPrefix("S:") { rest = rest.dropFirst(2) }
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = String(rest[..<equals])
            var valueEnd = rest.endIndex
            var search = rest.index(after: equals)
            while let found = rest[search...].range(of: ";S:") {
                let after = rest[found.upperBound...]
                let name = after.prefix { $0.isLetter && $0.isUppercase }
                if !name.isEmpty, after.dropFirst(name.count).first == "=" {
                    valueEnd = found.lowerBound
                    break
                }
                search = found.upperBound
            }
            pairs.append((key, String(rest[rest.index(after: equals)..<valueEnd])))
            rest = valueEnd == rest.endIndex ? "" : rest[rest.index(valueEnd, offsetBy: 3)...]
        }
    }

    func value(_ key: String) -> String? {
        pairs.first { $0.key == key }.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// `Cmdlet-Name.Param='value'.Other=value`: single-quoted values double their quotes; unquoted
/// ones (`$null`, `True`) run to the next `.Name=`.
struct ECPCommand {
    var cmdlet: String
    var parameters: [Parameter] = []

    init?(_ text: String) {
        let name = text.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
        guard name.contains("-"), name.first?.isLetter == true else { return nil }
        cmdlet = String(name)
        var rest = text[name.endIndex...]
        while rest.first == "." {
            rest = rest.dropFirst()
            let parameter = rest.prefix { $0.isLetter || $0.isNumber }
            guard !parameter.isEmpty, rest.dropFirst(parameter.count).first == "=" else { return nil }
            rest = rest.dropFirst(parameter.count + 1)
            var value = ""
            if rest.first == "'" {
                rest = rest.dropFirst()
                while let quote = rest.firstIndex(of: "'") {
                    value += rest[..<quote]
                    rest = rest[rest.index(after: quote)...]
                    guard rest.first == "'" else { break }
                    value += "'"
                    rest = rest.dropFirst()
                }
            } else {
                var end = rest.endIndex
                var search = rest.startIndex
                while let dot = rest[search...].firstIndex(of: ".") {
                    let after = rest[rest.index(after: dot)...]
                    let next = after.prefix { $0.isLetter || $0.isNumber }
                    if !next.isEmpty, after.dropFirst(next.count).first == "=" {
                        end = dot
                        break
                    }
                    search = rest.index(after: dot)
                }
                value = String(rest[..<end])
                rest = rest[end...]
            }
            parameters.append(Parameter(name: String(parameter), value: value))
        }
        guard rest.isEmpty else { return nil }
    }
}
