import Foundation

/// The JSON the reports print: pretty, keys sorted, slashes unescaped.
enum ReportJSON {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("[]".utf8)
        return SafeText.json(String(decoding: data, as: UTF8.self)) + "\n"
    }
}

/// JSON Lines for streaming into other tools: one compact object a line, keys sorted, the same
/// objects as the JSON arrays.
enum ReportJSONLines {
    static func encode<Value: Encodable>(_ values: [Value]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return values.map { value in
            let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
            return SafeText.json(String(decoding: data, as: UTF8.self)) + "\n"
        }.joined()
    }
}

/// The CSV the reports print: CRLF lines, every data cell made safe for spreadsheets and terminals.
enum ReportCSV {
    static func render(header: [String], rows: [[String]]) -> String {
        let lines = [header.joined(separator: ",")] + rows.map { $0.map(SafeText.csvCell).joined(separator: ",") }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
