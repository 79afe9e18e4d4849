/// A UTC instant with microsecond precision, the resolution of PostgreSQL's `timestamptz`.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    public init(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
        microsecond: Int = 0
    ) {
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(microsecondsSinceEpoch: seconds * 1_000_000 + Int64(microsecond))
    }

    /// Whether the date exists in the proleptic Gregorian calendar (no 31 February).
    public static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        (1...12).contains(month) && (1...daysInMonth(year: year, month: month)).contains(day)
    }

    /// Parses ISO 8601 as audit logs write it: `2024-05-14T09:40:03`, optionally with a fraction
    /// (up to 7 digits), a trailing `Z` and surrounding spaces. A time without zone is UTC:
    /// that is how the UAL writes CreationTime. Offsets other than `Z` are applied.
    public init?(iso8601 text: String) {
        var text = text
        guard let parsed = text.withUTF8(Timestamp.init(iso8601:)) else { return nil }
        self = parsed
    }

    /// The same, from UTF-8 bytes read in place.
    public init?(iso8601 text: UnsafeBufferPointer<UInt8>) {
        var upper = text.count
        var lower = 0
        while upper > lower, text[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
        while lower < upper, text[lower] == UInt8(ascii: " ") { lower += 1 }
        // A constant from here on: a local function capturing a `var` pays an exclusivity check a byte.
        let trimmed = UnsafeBufferPointer(rebasing: text[lower..<upper])
        let count = trimmed.count
        guard count >= 19 else { return nil }
        func byte(_ index: Int) -> UInt8 { trimmed[index] }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard byte(index) >= UInt8(ascii: "0"), byte(index) <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte(index) - UInt8(ascii: "0"))
            }
            return value
        }
        guard byte(4) == UInt8(ascii: "-"), byte(7) == UInt8(ascii: "-"),
            byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: " "),
            byte(13) == UInt8(ascii: ":"), byte(16) == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var microsecond = 0
        if index < count, byte(index) == UInt8(ascii: ".") {
            index += 1
            var scale = 100_000
            let start = index
            while index < count, byte(index) >= UInt8(ascii: "0"), byte(index) <= UInt8(ascii: "9") {
                microsecond += Int(byte(index) - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds = 0
        if index < count {
            switch byte(index) {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard count - index == 6, byte(index + 3) == UInt8(ascii: ":"),
                    let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6)
                else { return nil }
                offsetSeconds = (hours * 3600 + minutes * 60) * (byte(index) == UInt8(ascii: "-") ? -1 : 1)
                index += 6
            default:
                return nil
            }
        }
        guard index == count else { return nil }
        let local = Timestamp(
            year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59),
            microsecond: microsecond)
        self.init(
            microsecondsSinceEpoch: local.microsecondsSinceEpoch - Int64(offsetSeconds) * 1_000_000)
    }

    /// `2024-05-14T09:40:03Z`, or with `.ffffff` when there are microseconds.
    public var description: String {
        let seconds =
            microsecondsSinceEpoch >= 0
            ? microsecondsSinceEpoch / 1_000_000 : (microsecondsSinceEpoch - 999_999) / 1_000_000
        let micros = microsecondsSinceEpoch - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilFromDays(Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        text +=
            "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if micros != 0 { text += "." + pad(Int(micros), 6) }
        return text + "Z"
    }
}

// Howard Hinnant's civil-calendar algorithms, valid for the proleptic Gregorian calendar.
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
}

func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}
