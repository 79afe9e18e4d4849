import AuditEvents
import Foundation

/// Which number comes first in a culture-formatted date such as `3/2/2021`.
public enum DateOrder: String, Sendable, CaseIterable {
    /// en-US: month/day/year.
    case mdy
    /// Most other cultures: day/month/year (also `02.03.2021`).
    case dmy
}

/// Times written by PowerShell in the exporting session's culture and time zone
/// (`Search-MailboxAuditLog`'s LastAccessed, `Search-AdminAuditLog`'s RunDate):
/// `3/2/2021 9:27:11 AM`, `02.03.2021 09:27:11`, or ISO 8601.
public struct LocalTimeParser: Sendable {
    public var order: DateOrder?
    public var timeZone: TimeZone

    public init(order: DateOrder?, timeZone: TimeZone) {
        self.order = order
        self.timeZone = timeZone
    }

    /// The pieces of a culture-formatted date before the order is applied.
    struct Fields: Equatable {
        var first: Int
        var second: Int
        var year: Int
        var hour: Int
        var minute: Int
        var secondOfMinute: Int
    }

    /// Parses `text` to UTC; nil when it is not a date, or when it is a culture date and the order
    /// is unknown.
    public func parse(_ text: String) -> Timestamp? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.utf8.count >= 19, trimmed.utf8.dropFirst(4).first == UInt8(ascii: "-") {
            guard let parsed = Timestamp(iso8601: trimmed) else { return nil }
            let zone = trimmed.dropFirst(19)
            let hasZone = zone.contains("Z") || zone.contains("z") || zone.contains("+") || zone.contains("-")
            return hasZone ? parsed : toUTC(parsed)
        }
        guard let fields = Self.fields(trimmed), let order else { return nil }
        let (month, day) = order == .mdy ? (fields.first, fields.second) : (fields.second, fields.first)
        guard Timestamp.isValidDate(year: fields.year, month: month, day: day) else { return nil }
        let local = Timestamp(
            year: fields.year, month: month, day: day, hour: fields.hour, minute: fields.minute,
            second: fields.secondOfMinute)
        return toUTC(local)
    }

    private func toUTC(_ local: Timestamp) -> Timestamp {
        let seconds = Double(local.microsecondsSinceEpoch) / 1e6
        // The offset in force at that local time: look it up at the local clock reading, then again at
        // the corrected instant, which settles all but the hour a DST change repeats.
        let guess = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds - Double(guess)))
        return Timestamp(microsecondsSinceEpoch: local.microsecondsSinceEpoch - Int64(offset) * 1_000_000)
    }

    /// `3/2/2021 9:27:11 AM`, `02.03.2021 09:27:11`, `2-3-2021 21:27`: numbers separated by `/`, `.` or
    /// `-`, a year of four digits last, a 12- or 24-hour clock.
    static func fields(_ text: String) -> Fields? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        let date = parts[0].split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).map { Int($0) }
        let clock = parts[1].split(separator: ":").map { Int($0) }
        // Years of four digits: a longer one is not a date, and would overflow the arithmetic of one.
        guard date.count == 3, let first = date[0], let second = date[1], let year = date[2],
            (1000...9999).contains(year),
            clock.count >= 2, clock.count <= 3, var hour = clock[0], let minute = clock[1]
        else { return nil }
        let secondOfMinute = clock.count == 3 ? clock[2] : 0
        guard let secondOfMinute else { return nil }
        if parts.count >= 3 {
            switch parts[2].uppercased() {
            case "AM": if hour == 12 { hour = 0 }
            case "PM": if hour < 12 { hour += 12 }
            default: return nil
            }
        }
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<61).contains(secondOfMinute) else { return nil }
        return Fields(
            first: first, second: second, year: year, hour: hour, minute: minute,
            secondOfMinute: min(secondOfMinute, 59))
    }
}

/// Settles the date order of a whole file from its own values, never by guessing: a first number
/// above 12 proves day-first, a second above 12 proves month-first.
public struct DateOrderEvidence: Sendable {
    public private(set) var dayFirstProof: (value: String, line: Int)?
    public private(set) var monthFirstProof: (value: String, line: Int)?
    public private(set) var ambiguousExample: (value: String, line: Int)?

    public init() {}

    public mutating func observe(_ text: String, line: Int) {
        guard let fields = LocalTimeParser.fields(text.trimmingCharacters(in: .whitespaces)) else { return }
        if fields.first > 12 {
            if dayFirstProof == nil { dayFirstProof = (text, line) }
        } else if fields.second > 12 {
            if monthFirstProof == nil { monthFirstProof = (text, line) }
        } else if ambiguousExample == nil {
            ambiguousExample = (text, line)
        }
    }

    /// The order the values prove, nil when there are no culture dates at all; throws when they
    /// prove nothing or contradict each other.
    public func settle(file: String, column: String) throws(SourceError) -> DateOrder? {
        switch (dayFirstProof, monthFirstProof) {
        case (let day?, let month?):
            throw SourceError(
                file: file, line: month.line,
                reason:
                    "\(column) mixes day-first (\"\(day.value)\", line \(day.line)) and month-first "
                    + "(\"\(month.value)\") dates; pass --date-order mdy or dmy")
        case (.some, nil): return .dmy
        case (nil, .some): return .mdy
        case (nil, nil):
            guard let example = ambiguousExample else { return nil }
            throw SourceError(
                file: file, line: example.line,
                reason:
                    "\(column) dates such as \"\(example.value)\" can be read month-first or day-first and "
                    + "no value in the file decides it; pass --date-order mdy (en-US) or dmy")
        }
    }
}
