/// A value in a row. Comparisons are two-valued: `null == null` is true and `null` orders after
/// every other value, so sorting and grouping never meet an "unknown".
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case decimal(Double)
    case string(String)
    /// A number the source qualifies: 近 nearly, 余 more than, 约 about.
    case figure(Figure)
    case list([Value])
    /// A day, as days from 1970-01-01 (`CalendarDate`).
    case date(Int)

    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The type of this value alone (a list's, the type its items share; `null` when they share none).
    var type: ValueType {
        switch self {
        case .null: .null
        case .bool: .bool
        case .int: .int
        case .decimal: .decimal
        case .string: .string
        case .figure: .figure
        case .date: .date
        case .list(let items): .list(items.reduce(ValueType.null) { $0.unified(with: $1.type) ?? .null })
        }
    }

    /// The value as a number, for arithmetic and comparison across int, decimal and figure.
    var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .decimal(let d): d
        case .figure(let f): f.amount
        default: nil
        }
    }

    /// Whether the value counts as true in `where`, `and`, `or` and `not`; `null` counts as false.
    var isTrue: Bool { if case .bool(true) = self { true } else { false } }

    /// The same value, case and contents, with text compared by its code points (`TextKey`), not by
    /// Swift's canonical equivalence. (A query's `==` is `queryEquals`, across number kinds.)
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.decimal(let a), .decimal(let b)): a == b
        case (.string(let a), .string(let b)): a.codePointOrder(b) == 0
        case (.figure(let a), .figure(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.date(let a), .date(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .int(let i): hasher.combine(2); hasher.combine(i)
        case .decimal(let d): hasher.combine(3); hasher.combine(d)
        case .string(let s): hasher.combine(4); s.hashCodePoints(into: &hasher)
        case .figure(let f): hasher.combine(5); hasher.combine(f)
        case .list(let items): hasher.combine(6); hasher.combine(items)
        case .date(let days): hasher.combine(7); hasher.combine(days)
        }
    }
}

/// How exactly the source states a figure.
public enum Qualifier: String, Sendable, Hashable, CaseIterable {
    case exact = ""
    /// 近: nearly, a little under.
    case nearly = "近"
    /// 余: more than, a little over.
    case moreThan = "余"
    /// 约: about.
    case about = "约"
    /// 近…余: the source says both ("近890余场"), so it is kept as written.
    case nearlyMoreThan = "近余"

    /// The qualifier of a sum, difference or other combination: agreeing qualifiers survive,
    /// exact ones give way, and disagreeing ones only say "about".
    func combined(with other: Qualifier) -> Qualifier {
        if self == other || other == .exact { return self }
        if self == .exact { return other }
        return .about
    }

    /// Where a figure of this wording stands among figures of the same amount: 近 N is a little under
    /// N and 余 N a little over; 约 N and 近…余 N are about N, placed (by rule: the wording does not
    /// say) between 近 N and N. This makes `余18000 > 18000` true and `近62000 < 62000` true, as the
    /// report means them, and gives sorting, `==`, grouping and SQL one order.
    var order: Int {
        switch self {
        case .nearly: 0
        case .nearlyMoreThan: 1
        case .about: 2
        case .exact: 3
        case .moreThan: 4
        }
    }

    public var english: String {
        switch self {
        case .exact: "exact"
        case .nearly: "nearly"
        case .moreThan: "more than"
        case .about: "about"
        case .nearlyMoreThan: "nearly (more than)"
        }
    }
}

/// A figure as the source states it: an amount and how exact it is. Written as the source writes
/// it, the qualifier before (近, 约) or after (余) the number: `近62000`, `18000余`, `近890余`.
public struct Figure: Sendable, Hashable, CustomStringConvertible {
    public var amount: Double
    public var qualifier: Qualifier

    public init(_ amount: Double, _ qualifier: Qualifier = .exact) {
        self.amount = amount
        self.qualifier = qualifier
    }

    public var description: String {
        let number = Value.formatNumber(amount)
        switch qualifier {
        case .exact: return number
        case .nearly, .about: return qualifier.rawValue + number
        case .moreThan: return number + "余"
        case .nearlyMoreThan: return "近" + number + "余"
        }
    }

    /// Reads the written form back: `78`, `近62000`, `18000余`, `约190000`, `近890余`.
    public init?(parsing text: String) {
        var body = Substring(text.trimmingSpaces())
        var before = "", after = ""
        if let first = body.first, first == "近" || first == "约" { before = String(first); body = body.dropFirst() }
        if body.last == "余" { after = "余"; body = body.dropLast() }
        guard let amount = Value.decimal(reading: body) else { return nil }
        switch (before, after) {
        case ("", ""): self.init(amount, .exact)
        case ("近", ""): self.init(amount, .nearly)
        case ("约", ""): self.init(amount, .about)
        case ("", "余"): self.init(amount, .moreThan)
        case ("近", "余"): self.init(amount, .nearlyMoreThan)
        default: return nil
        }
    }
}

extension Value {
    /// The one reader of decimal numbers in data and parameters: `-`, digits, and a fraction after
    /// `.`, nothing else. Swift's `Double(_:)` alone also reads `0x10`, `0x1p3`, `inf`, `1e5` and
    /// reads `1e-400` as 0; here those are not numbers, nor are numbers with more significant digits
    /// than a decimal keeps exactly (15: `9007199254740993` would silently become …992), nor ones
    /// so small they would become 0.
    public static func decimal(reading text: Substring) -> Double? {
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        var sawPoint = false, significant = 0, zeros = 0, nonZero = false
        for byte in digits {
            switch byte {
            case UInt8(ascii: "0"):
                if nonZero { zeros += 1 }  // significant only if a digit other than 0 follows
            case UInt8(ascii: "1")...UInt8(ascii: "9"):
                significant += zeros + 1
                zeros = 0
                nonZero = true
            case UInt8(ascii: "."):
                guard !sawPoint else { return nil }
                sawPoint = true
            default: return nil
            }
        }
        // Digits on both sides of a point ("1.", ".5" are not numbers), at most 15 of them significant.
        guard let first = digits.first, first != UInt8(ascii: "."), digits.last != UInt8(ascii: "."), significant <= 15,
              let value = Double(text), value.isFinite, !(nonZero && value == 0) else { return nil }
        return value
    }
}

extension Value: CustomStringConvertible {
    /// The plain text of a value, as table and CSV output show it.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .decimal(let d): Value.formatDecimal(d)
        case .string(let s): s
        case .figure(let f): f.description
        case .list(let items): "[" + items.map(\.literalText).joined(separator: ", ") + "]"
        case .date(let days): CalendarDate.text(days)
        }
    }

    /// The value as it would be written in a query: strings quoted.
    var literalText: String {
        if case .string(let s) = self {
            return "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
        }
        if case .date = self { return "@" + description }
        return description
    }

    /// A decimal always shows a fractional part, so `2.0` is not mistaken for the integer 2.
    static func formatDecimal(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) + ".0" }
        return String(d)
    }

    /// A figure's amount: whole numbers without a fractional part, as the source writes them.
    static func formatNumber(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }
}

extension Value: Comparable {
    /// The total order used by `sort`, `min` and `max`: numbers by value (on an equal amount, by a
    /// figure's wording: `Qualifier.order`), strings by code point,
    /// `false` before `true`, dates by day, and `null` after everything.
    public static func < (lhs: Value, rhs: Value) -> Bool { compare(lhs, rhs) < 0 }

    static func compare(_ lhs: Value, _ rhs: Value) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): return a.codePointOrder(b)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (!a ? -1 : 1)
        case (.date(let a), .date(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.list(let a), .list(let b)):
            for (x, y) in zip(a, b) {
                let c = compare(x, y)
                if c != 0 { return c }
            }
            return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
        default:
            if let a = lhs.number, let b = rhs.number {
                if a != b { return a < b ? -1 : 1 }
                // The same amount: the wording decides (a number that is not a figure is exact).
                let (p, q) = (lhs.wording.order, rhs.wording.order)
                return p < q ? -1 : (p == q ? 0 : 1)
            }
            return lhs.typeRank < rhs.typeRank ? -1 : (lhs.typeRank == rhs.typeRank ? 0 : 1)
        }
    }

    private var typeRank: Int {
        switch self {
        case .bool: 0
        case .int, .decimal, .figure: 1
        case .date: 2
        case .string: 3
        case .list: 4
        case .null: 5
        }
    }

    /// A number's qualifier: a figure's own, exact for any other number.
    var wording: Qualifier { if case .figure(let f) = self { f.qualifier } else { .exact } }

    /// Equality as `==` in a query means it: numbers compare by value across int, decimal and
    /// figure, and a figure's wording counts (`余18000 == 18000` is false: "more than" is not equal).
    static func queryEquals(_ lhs: Value, _ rhs: Value) -> Bool { compare(lhs, rhs) == 0 }

    /// `==`, `!=`, `<`, `<=`, `>`, `>=` as a query decides them, for every part of the engine.
    static func compares(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value) -> Bool {
        op.decides(order: lhs.isNull || rhs.isNull ? nil : compare(lhs, rhs), bothNull: lhs.isNull && rhs.isNull)
    }
}

extension BinaryOperator {
    /// A comparison's verdict from the order of its two sides (`order` as `Value.compare` gives
    /// it, nil when a side is null): null equals only null, and is neither above nor below anything.
    func decides(order: Int?, bothNull: Bool) -> Bool {
        guard let order else {
            switch self {
            case .equal: return bothNull
            case .notEqual: return !bothNull
            default: return false
            }
        }
        switch self {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessEqual: return order <= 0
        case .greater: return order > 0
        default: return order >= 0
        }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return replacing(target, with: replacement)
    }

    /// Both ends found in one pass each (dropLast() on a Substring counts from the start: quadratic).
    func trimmingSpaces() -> String {
        // Most text starts and ends with a visible ASCII character: nothing to trim, and no
        // character's Unicode properties to look up (a tenth of loading a folder went there).
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return self }
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
