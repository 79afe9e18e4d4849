import AuditEvents

/// Reads a cmdlet's parameters back from the one-line form admin-audit exports flatten them to:
/// `-Mailbox 'alice' -ContentFilter '(Received -ge ''03/01/2020'')' -Force`.
/// Values may be single- or double-quoted (a doubled quote inside is one quote) or bare words; a
/// parameter with no value is a switch and reads `True`.
enum CmdletParameters {
    static func parse(_ text: String) -> [Parameter] {
        let characters = Array(text)
        var index = 0
        var parameters: [Parameter] = []
        func skipSpaces() { while index < characters.count, characters[index] == " " { index += 1 } }
        while true {
            skipSpaces()
            guard index < characters.count else { break }
            guard characters[index] == "-" else {
                // Text that is not a parameter (a positional value): keep it under an empty name.
                parameters.append(Parameter(name: "", value: readValue(characters, &index)))
                continue
            }
            index += 1
            let nameStart = index
            while index < characters.count, characters[index] != " ", characters[index] != ":" { index += 1 }
            let name = String(characters[nameStart..<index])
            if index < characters.count, characters[index] == ":" { index += 1 }
            skipSpaces()
            if index >= characters.count || (characters[index] == "-" && startsParameter(characters, index)) {
                parameters.append(Parameter(name: name, value: "True"))
            } else {
                parameters.append(Parameter(name: name, value: readValue(characters, &index)))
            }
        }
        return parameters
    }

    /// `-Name` rather than a negative number or a lone dash.
    private static func startsParameter(_ characters: [Character], _ index: Int) -> Bool {
        index + 1 < characters.count && characters[index + 1].isLetter
    }

    private static func readValue(_ characters: [Character], _ index: inout Int) -> String {
        let quote = characters[index]
        guard quote == "'" || quote == "\"" else {
            let start = index
            while index < characters.count, characters[index] != " " { index += 1 }
            return String(characters[start..<index])
        }
        index += 1
        var value = ""
        while index < characters.count {
            if characters[index] == quote {
                if index + 1 < characters.count, characters[index + 1] == quote {
                    value.append(quote)
                    index += 2
                    continue
                }
                index += 1
                return value
            }
            value.append(characters[index])
            index += 1
        }
        return value
    }
}
