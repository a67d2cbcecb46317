/// A value as `==` sees it, for hashing: two values that `==` calls equal have equal keys. Numbers
/// of every kind (whole, decimal, figure) are keyed by their amount, as `==` compares them; null
/// is a key like any other, since `null == null` is true in CentreQL. Keys may also be equal for
/// values `==` tells apart (two whole numbers past 2^53), so a match is always confirmed with `==`.
enum EqualityKey: Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([EqualityKey])
    case date(Int)

    init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .decimal(let d): self = .number(d == 0 ? 0 : d)  // -0.0 == 0.0
        case .figure(let f): self = .number(f.amount == 0 ? 0 : f.amount)
        case .string(let s): self = .string(s)
        case .list(let items): self = .list(items.map(EqualityKey.init))
        case .date(let days): self = .date(days)
        }
    }
}

/// Rows as `group`, `distinct` and the set operations tell them apart: the engine's one value
/// identity, which is `==`. Two rows are one when every pair of values is: numbers by amount across
/// whole numbers, decimals and figures (`2`, `2.0` and an exact figure of 2 are one value), a
/// figure's wording counted (`余18000` and `18000` are two: "more than 18,000" is not 18,000); text
/// by its characters; null is one value. Hashed by `EqualityKey`, so a collision (whole numbers
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
