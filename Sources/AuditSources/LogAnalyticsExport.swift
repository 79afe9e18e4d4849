import Foundation

/// What Azure's exports share, whatever table they hold: a Log Analytics CSV download names its
/// time columns `TimeGenerated [UTC]` and writes them in the browser's display culture; a
/// diagnostic setting writing to a storage account or Event Hubs wraps each row in Azure Monitor's
/// resource log envelope (`time`, `category`, `operationName`, the row under `properties`).
enum LogAnalyticsExport {
    /// A column name as the portal writes it, `TimeGenerated [UTC]`, without its zone note.
    static func columnName(_ name: String) -> String {
        name.hasSuffix(" [UTC]") ? String(name.dropLast(" [UTC]".count)) : name
    }

    /// A time as the Azure portal's CSV download writes it, in the browser's display culture but
    /// UTC (`5/14/2024, 9:40:03.000 AM`), rewritten as ISO 8601; ISO text as it is. Day and month
    /// are told apart by a number above 12, else by `--date-order`; `column` names it in errors.
    static func portalTime(_ text: String, column: String, dateOrder: DateOrder?) throws(RecordError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count < 64, trimmed.utf8.dropFirst(4).first != UInt8(ascii: "-") else { return text }
        // Without the date's comma and the clock's fraction, it is the culture form PowerShell writes.
        let words = trimmed.replacingOccurrences(of: ",", with: " ").split(separator: " ").map { word in
            word.contains(":") ? word.split(separator: ".").first.map(String.init) ?? String(word) : String(word)
        }
        let plain = words.joined(separator: " ")
        guard let fields = LocalTimeParser.fields(plain) else { return text }
        let order = fields.first > 12 ? .dmy : fields.second > 12 ? .mdy : dateOrder
        guard let order else {
            throw RecordError(
                reason: "\(column) \"\(trimmed)\" can be read month-first or day-first: pass --date-order mdy "
                    + "(an en-US browser's download) or dmy")
        }
        guard let time = LocalTimeParser(order: order, timeZone: TimeZone(identifier: "UTC") ?? .current).parse(plain)
        else { throw RecordError(reason: "\(column) \"\(trimmed)\" is not a date") }
        return time.description
    }

    /// The row a resource log record holds: its `properties`, with the envelope's `time`,
    /// `category`, `tenantId` and `callerIpAddress` where the properties lack them. Any other object
    /// is returned as it is.
    static func resourceLogRow(_ object: [String: Any]) -> [String: Any] {
        guard var row = object["properties"] as? [String: Any],
            object["category"] != nil || object["operationName"] != nil
        else { return object }
        for key in ["time", "category", "tenantId", "callerIpAddress"] where row[key] == nil {
            row[key] = object[key]
        }
        return row
    }
}
