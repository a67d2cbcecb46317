/// What differs between the SQL the compiler writes for SQLite and for PostgreSQL, in one place:
/// the compiler asks its dialect's rules and never tests which dialect it has (PRQL's dialect
/// trait, in the same spirit). A new dialect is a new type here.
protocol DialectRules: Sendable {
    /// The database's name, for messages.
    var name: String { get }
    /// A query parameter's placeholder (`number` counts from 1); `type` is the parameter's
    /// declared SQL type, for dialects that must be told it.
    func placeholder(_ number: Int, type: String?) -> String
    /// `a == b` with null equal to null, as CentreQL compares.
    func same(_ a: String, _ b: String) -> String
    func notSame(_ a: String, _ b: String) -> String
    func contains(_ text: String, _ part: String) -> String
    func endsWith(_ text: String, _ part: String) -> String
    func greatest(_ a: String, _ b: String) -> String
    /// The largest (or smallest) of the values that are not null; null when all are.
    func extreme(greatest: Bool, _ values: [String]) -> String
    /// `text` without any of `characters` (a text literal) at either end.
    func trim(_ text: String, _ characters: String) -> String
    /// The continuous percentile of a group's values (`percentile_cont`); nil when the dialect has none.
    func percentile(_ value: String, _ fraction: String) -> String?
    /// A group's texts joined in the rows' order; nil when the dialect cannot promise the order.
    func stringAgg(_ value: String, _ separator: String, orderedBy order: String) -> String?
    /// A text literal, the same text whatever the server's settings; nil when the dialect cannot
    /// hold a NUL and the text has one.
    func text(_ text: String) -> String?
    /// A date literal from its `YYYY-MM-DD` text. Dates are held as the dialect's dates (SQLite has
    /// none: there they are that text, which sorts and compares as the dates do).
    func date(_ text: String) -> String
    /// `date(text)`: the date written `YYYY-MM-DD` at the start of `text`, alone or followed by a
    /// space or `T`, and null otherwise, as `CalendarDate.days(atStartOf:)` reads it.
    func date(readingStartOf text: String) -> String
    /// The date `days` (a whole number) after `date`.
    func addingDays(_ date: String, _ days: String) -> String
    /// The whole days from `b` to `a`.
    func daysBetween(_ a: String, _ b: String) -> String
    /// A date's `year`, `month` or `day` as a whole number.
    func datePart(_ part: ScalarFunction, of date: String) -> String
    /// A date as its `YYYY-MM-DD` text.
    func dateText(_ date: String) -> String
    /// Table order for a table without an `id` column.
    var insertionOrder: String { get }
    var trueLiteral: String { get }
    var falseLiteral: String { get }
    var realType: String { get }
    /// The type of a whole-number column.
    var integerType: String { get }
    /// The type `round` works in.
    var roundingType: String { get }
    /// A text sort key that sorts by code point, as CentreQL sorts text.
    func byCodePoint(_ value: String) -> String
    /// Whether `lower`, `upper` and `length` mean what CentreQL's do (SQLite is given CentreQL's own).
    var hasCentreQLsTextFunctions: Bool { get }
}

extension SQLDialect {
    var rules: any DialectRules {
        switch self {
        case .sqlite: SQLiteRules()
        case .postgres: PostgreSQLRules()
        }
    }

    /// The placeholder of the query's parameter `number` (from 1), as `--emit-sql` lists them.
    public func placeholder(_ number: Int) -> String { rules.placeholder(number, type: nil) }
}

struct SQLiteRules: DialectRules {
    var name: String { "SQLite" }
    func placeholder(_ number: Int, type: String?) -> String { "?\(number)" }
    func same(_ a: String, _ b: String) -> String { "(\(a) IS \(b))" }
    func notSame(_ a: String, _ b: String) -> String { "(\(a) IS NOT \(b))" }
    func contains(_ text: String, _ part: String) -> String { "(instr(\(text), \(part)) > 0)" }
    func endsWith(_ text: String, _ part: String) -> String { "(substr(\(text), -length(\(part))) = \(part) OR \(part) = '')" }
    func greatest(_ a: String, _ b: String) -> String { "MAX(\(a), \(b))" }
    /// SQLite's many-argument MAX and MIN are null when any argument is: each argument is
    /// coalesced with the others, so a null one stands in for one that is not.
    func extreme(greatest: Bool, _ values: [String]) -> String {
        let rotations = values.indices.map { i in "COALESCE(" + (values[i...] + values[..<i]).joined(separator: ", ") + ")" }
        return (greatest ? "MAX(" : "MIN(") + rotations.joined(separator: ", ") + ")"
    }
    func trim(_ text: String, _ characters: String) -> String { "trim(\(text), \(characters))" }
    func percentile(_ value: String, _ fraction: String) -> String? { nil }
    /// group_concat's order is not defined before SQLite 3.44's ORDER BY inside aggregates.
    func stringAgg(_ value: String, _ separator: String, orderedBy order: String) -> String? { nil }
    /// A NUL would end SQLite's statement text, so it is written as char(0).
    func text(_ text: String) -> String? {
        let quote = { (part: Substring) in "'" + String(part).replacingAll("'", with: "''") + "'" }
        guard text.utf8.contains(0) else { return quote(text[...]) }
        return "(" + text.split(separator: "\u{0}", omittingEmptySubsequences: false).map(quote).joined(separator: " || char(0) || ") + ")"
    }
    func date(_ text: String) -> String { "'\(text)'" }
    /// SQLite's date() reads other forms too, and passes 2019-02-31 through unless a modifier makes
    /// it normalise the day (to 2019-03-03): a date is one only when that gives back the very text.
    func date(readingStartOf text: String) -> String {
        let head = "substr(\(text), 1, 10)"
        return "(CASE WHEN (length(\(text)) = 10 OR substr(\(text), 11, 1) IN (' ', 'T')) AND substr(\(text), 1, 4) <> '0000' "
            + "AND date(\(head), '+0 days') = \(head) THEN \(head) END)"
    }
    func addingDays(_ date: String, _ days: String) -> String { "date(\(date), CAST(\(days) AS TEXT) || ' days')" }
    func daysBetween(_ a: String, _ b: String) -> String { "CAST(julianday(\(a)) - julianday(\(b)) AS INTEGER)" }
    func datePart(_ part: ScalarFunction, of date: String) -> String {
        let (start, length) = part == .year ? (1, 4) : part == .month ? (6, 2) : (9, 2)
        return "CAST(substr(\(date), \(start), \(length)) AS INTEGER)"
    }
    func dateText(_ date: String) -> String { date }
    var insertionOrder: String { "t.rowid" }
    var trueLiteral: String { "1" }
    var falseLiteral: String { "0" }
    var realType: String { "REAL" }
    var integerType: String { "INTEGER" }
    var roundingType: String { "REAL" }
    /// SQLite compares UTF-8 bytes already.
    func byCodePoint(_ value: String) -> String { value }
    var hasCentreQLsTextFunctions: Bool { true }
}

struct PostgreSQLRules: DialectRules {
    var name: String { "PostgreSQL" }
    /// PostgreSQL is told each parameter's type with a cast.
    func placeholder(_ number: Int, type: String?) -> String { type.map { "CAST($\(number) AS \($0))" } ?? "$\(number)" }
    func same(_ a: String, _ b: String) -> String { "(\(a) IS NOT DISTINCT FROM \(b))" }
    func notSame(_ a: String, _ b: String) -> String { "(\(a) IS DISTINCT FROM \(b))" }
    func contains(_ text: String, _ part: String) -> String { "(strpos(\(text), \(part)) > 0)" }
    func endsWith(_ text: String, _ part: String) -> String { "(right(\(text), length(\(part))) = \(part))" }
    func greatest(_ a: String, _ b: String) -> String { "GREATEST(\(a), \(b))" }
    /// GREATEST and LEAST skip nulls already.
    func extreme(greatest: Bool, _ values: [String]) -> String {
        (greatest ? "GREATEST(" : "LEAST(") + values.joined(separator: ", ") + ")"
    }
    func trim(_ text: String, _ characters: String) -> String { "btrim(\(text), \(characters))" }
    func percentile(_ value: String, _ fraction: String) -> String? { "percentile_cont(\(fraction)) WITHIN GROUP (ORDER BY \(value))" }
    func stringAgg(_ value: String, _ separator: String, orderedBy order: String) -> String? {
        "string_agg(\(value), \(separator) ORDER BY \(order))"
    }
    /// A backslash in '…' is an escape when `standard_conforming_strings` is off, but never in E'…'
    /// with it doubled. PostgreSQL's text cannot hold a NUL at all.
    func text(_ text: String) -> String? {
        guard !text.utf8.contains(0) else { return nil }
        let body = text.replacingAll("'", with: "''")
        return text.contains("\\") ? "E'" + body.replacingAll("\\", with: "\\\\") + "'" : "'" + body + "'"
    }
    func date(_ text: String) -> String { "DATE '\(text)'" }
    /// A cast to date raises an error for 2019-02-30, and AND need not test its sides in order, so
    /// nested CASEs test the form, then the day against the month's length, before casting.
    func date(readingStartOf text: String) -> String {
        let head = "substr(\(text), 1, 10)"
        let number = { (start: Int, length: Int) in "CAST(substr(\(text), \(start), \(length)) AS INTEGER)" }
        let lastDay = "EXTRACT(DAY FROM make_date(\(number(1, 4)), \(number(6, 2)), 1) + INTERVAL '1 month' - INTERVAL '1 day')"
        return "(CASE WHEN \(head) ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' AND \(head) NOT LIKE '0000%' "
            + "AND (length(\(text)) = 10 OR substr(\(text), 11, 1) IN (' ', 'T')) "
            + "THEN CASE WHEN \(number(9, 2)) <= \(lastDay) THEN CAST(\(head) AS DATE) END END)"
    }
    /// date + integer is a date; there is no date + bigint.
    func addingDays(_ date: String, _ days: String) -> String { "(\(date) + CAST(\(days) AS INTEGER))" }
    func daysBetween(_ a: String, _ b: String) -> String { "CAST(\(a) - \(b) AS BIGINT)" }
    func datePart(_ part: ScalarFunction, of date: String) -> String {
        "CAST(EXTRACT(\(part == .year ? "YEAR" : part == .month ? "MONTH" : "DAY") FROM \(date)) AS BIGINT)"
    }
    func dateText(_ date: String) -> String { "to_char(\(date), 'YYYY-MM-DD')" }
    var insertionOrder: String { "ROW_NUMBER() OVER ()" }
    var trueLiteral: String { "TRUE" }
    var falseLiteral: String { "FALSE" }
    var realType: String { "DOUBLE PRECISION" }
    var integerType: String { "BIGINT" }
    var roundingType: String { "numeric" }
    /// The C collation compares code points.
    func byCodePoint(_ value: String) -> String { "\(value) COLLATE \"C\"" }
    /// Its `lower`, `upper` and `length` count and map case differently outside ASCII.
    var hasCentreQLsTextFunctions: Bool { false }
}
