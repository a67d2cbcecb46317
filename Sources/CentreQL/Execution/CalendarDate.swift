extension Value {
    /// A date as an SQL database gives it back: `YYYY-MM-DD` (SQLite's text, PostgreSQL's ISO output).
    public init(sqlDate text: String) throws {
        guard let days = CalendarDate.days(reading: Substring(text)) else { throw SQLDateError(text: String(text.prefix(40))) }
        self = .date(days)
    }
}

struct SQLDateError: Error, CustomStringConvertible {
    let text: String
    var description: String { "the database gave \(text) where a date YYYY-MM-DD was expected" }
}

/// Days of the proleptic Gregorian calendar, as a `date` value holds them: a count of days from
/// 1970-01-01, so that a difference is a subtraction and `+`/`-` move by days. Dates run from
/// 0001-01-01 to 9999-12-31, the years four digits can write (and that SQLite's date functions keep).
enum CalendarDate {
    static let first = days(year: 1, month: 1, day: 1)!
    static let last = days(year: 9999, month: 12, day: 31)!

    /// The day number of a calendar date, nil when there is no such day (2019-02-29) or it is out of range.
    static func days(year: Int, month: Int, day: Int) -> Int? {
        guard (1...9999).contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        // Howard Hinnant's days_from_civil: years start in March, so the leap day comes last.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day number (civil_from_days).
    static func parts(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `2019-12-31`, as the table, CSV and JSON show a date.
    static func text(_ days: Int) -> String {
        let (y, m, d) = parts(days)
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(y, 4) + "-" + padded(m, 2) + "-" + padded(d, 2)
    }

    /// Reads `YYYY-MM-DD` exactly: four, two and two digits. Nil for anything else or a day that
    /// does not exist.
    static func days(reading text: Substring) -> Int? { days(readingBytes: Array(text.utf8)) }

    private static func days(readingBytes bytes: [UInt8]) -> Int? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else { return nil }
                n = n * 10 + Int(bytes[i] - UInt8(ascii: "0"))
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return days(year: y, month: m, day: d)
    }

    /// What `date(text)` reads: a date written `YYYY-MM-DD` at the start of the text, alone or
    /// followed by a space or `T` and anything (a time of day, which a date drops), so both
    /// `2020-03-15` and `2020-03-15 17:13` are 2020-03-15. Anything else is not a date (nil).
    static func days(atStartOf text: String) -> Int? {
        let bytes = Array(text.utf8.prefix(11))
        guard bytes.count >= 10 else { return nil }
        if bytes.count == 11, bytes[10] != UInt8(ascii: " "), bytes[10] != UInt8(ascii: "T") { return nil }
        return days(readingBytes: Array(bytes.prefix(10)))
    }
}
