/// The type of a value, known before a query runs.
public indirect enum ValueType: Sendable, Hashable, Codable, CustomStringConvertible {
    case int, decimal, string, bool
    /// A number that may carry a qualifier (近, 余, 约).
    case figure
    case list(ValueType)
    /// A day of the calendar: `@2019-12-31`, `date(text)`.
    case date
    /// The type of `null` alone: it fits anywhere.
    case null

    public var description: String {
        switch self {
        case .int: "int"
        case .decimal: "decimal"
        case .string: "string"
        case .bool: "bool"
        case .figure: "figure"
        case .list(let element): "list of \(element)"
        case .date: "date"
        case .null: "null"
        }
    }

    var isNumeric: Bool { self == .int || self == .decimal || self == .figure }

    /// The type both sides fit in (for `??`, lists, `coalesce`, comparisons), if any.
    func unified(with other: ValueType) -> ValueType? {
        switch (self, other) {
        case _ where self == other: return self
        case (.null, _): return other
        case (_, .null): return self
        case (.figure, _) where other.isNumeric, (_, .figure) where isNumeric: return .figure
        case (.decimal, .int), (.int, .decimal): return .decimal
        case (.list(let a), .list(let b)): return a.unified(with: b).map { .list($0) }
        default: return nil
        }
    }

    /// Types by the names a `param` declaration uses.
    static let declarable: [String: ValueType] = ["string": .string, "int": .int, "decimal": .decimal, "bool": .bool, "date": .date]
}
