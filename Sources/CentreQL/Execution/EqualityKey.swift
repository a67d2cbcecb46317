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

    init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .decimal(let d): self = .number(d == 0 ? 0 : d)  // -0.0 == 0.0
        case .figure(let f): self = .number(f.amount == 0 ? 0 : f.amount)
        case .string(let s): self = .string(s)
        case .list(let items): self = .list(items.map(EqualityKey.init))
        }
    }
}
