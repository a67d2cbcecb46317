/// A value as `==` sees it, for hashing: two values that `==` calls equal have equal keys. Numbers
/// of every kind (whole, decimal, figure) are keyed by their amount, as `==` compares them; null
/// is a key like any other, since `null == null` is true in CentreQL. Keys may also be equal for
/// values `==` tells apart (two whole numbers past 2^53), so a match is always confirmed with `==`.
enum EqualityKey: Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(TextKey)
    case list([EqualityKey])
    case date(Int)

    init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .decimal(let d): self = .number(d == 0 ? 0 : d)  // -0.0 == 0.0
        case .figure(let f): self = .number(f.amount == 0 ? 0 : f.amount)
        case .string(let s): self = .string(TextKey(s))
        case .list(let items): self = .list(items.map(EqualityKey.init))
        case .date(let days): self = .date(days)
        }
    }
}

/// Rows as `group`, `distinct` and the set operations tell them apart: the engine's one value
/// identity, which is `==`. Two rows are one when every pair of values is: numbers by amount across
/// whole numbers, decimals and figures (`2`, `2.0` and an exact figure of 2 are one value), a
/// figure's wording counted (`余18000` and `18000` are two: "more than 18,000" is not 18,000); text
/// by its code points (`TextKey`); null is one value. Hashed by `EqualityKey`, so a collision (whole numbers
/// past 2^53) is told apart by `Value.queryEquals`.
struct RowKey: Hashable {
    /// A row of one value is kept without an array: most keys are one column's (`distinct` of a
    /// select of one column, `except`, `count_distinct`), and an array per row was their cost.
    private let one: Value?
    private let many: [Value]

    init(values: [Value]) {
        if values.count == 1 { (one, many) = (values[0], []) } else { (one, many) = (nil, values) }
    }

    init(_ value: Value) { (one, many) = (value, []) }

    func hash(into hasher: inout Hasher) {
        if let one { hasher.combine(EqualityKey(one)); return }
        for value in many { hasher.combine(EqualityKey(value)) }
    }

    static func == (a: RowKey, b: RowKey) -> Bool {
        switch (a.one, b.one) {
        case (let x?, let y?): return Value.queryEquals(x, y)
        case (nil, nil): return a.many.count == b.many.count && zip(a.many, b.many).allSatisfy { Value.queryEquals($0, $1) }
        default: return false
        }
    }
}

/// Text as every part of the engine tells it apart: by its Unicode code points, that is by its UTF-8
/// bytes, as SQLite, PostgreSQL and DuckDB compare text. Swift's own `String` equality and hash treat
/// canonically equivalent texts as one ("\u{e9}" and "e\u{301}") and normalise to do so, which the
/// SQL engines never do and which made `==` and `starts_with` disagree with `contains` and with SQL.
/// The dictionary of a text column, `==`, sort order, grouping and hash keys all read this.
struct TextKey: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: TextKey, b: TextKey) -> Bool { a.text.codePointOrder(b.text) == 0 }

    func hash(into hasher: inout Hasher) { text.hashCodePoints(into: &hasher) }
}

extension String {
    /// -1, 0 or 1: the order of two texts by code point (UTF-8's byte order is the code points' order).
    func codePointOrder(_ other: String) -> Int {
        var (a, b) = (self, other)
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = Swift.min(x.count, y.count)
                var i = 0
                while i < n {
                    if x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
                    i += 1
                }
                return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
            }
        }
    }

    func hashCodePoints(into hasher: inout Hasher) {
        var text = self
        text.withUTF8 { bytes in
            hasher.combine(bytes.count)
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
    }

    /// Whether the text begins (or ends) with these code points: a prefix in bytes is a prefix in
    /// code points, since a valid UTF-8 text can only end a character where the next one starts.
    func startsWithCodePoints(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }
    func endsWithCodePoints(_ suffix: String) -> Bool {
        let n = suffix.utf8.count
        return utf8.count >= n && utf8.suffix(n).elementsEqual(suffix.utf8)
    }
}
