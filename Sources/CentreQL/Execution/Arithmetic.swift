/// Arithmetic over int, decimal and figure. Integers never wrap silently: overflow is an error.
/// Division always gives a decimal, and division by zero gives null (as SQL engines do).
enum Arithmetic {
    static func apply(_ op: BinaryOperator, _ l: Value, _ r: Value, range: SourceRange) throws -> Value {
        if l.isNull || r.isNull { return .null }
        switch (op, l, r) {
        case (.addDays, .date(let d), .int(let n)), (.subtractDays, .date(let d), .int(let n)):
            let (moved, overflow) = op == .addDays ? d.addingReportingOverflow(n) : d.subtractingReportingOverflow(n)
            guard !overflow, (CalendarDate.first...CalendarDate.last).contains(moved) else { throw Diagnostic.dateOutOfRange(range: range) }
            return .date(moved)
        case (.daysBetween, .date(let a), .date(let b)): return .int(a - b)
        case (.addDays, _, _), (.subtractDays, _, _), (.daysBetween, _, _): return .null
        default: break
        }
        if case .int(let a) = l, case .int(let b) = r {
            switch op {
            case .add: return try checked(a.addingReportingOverflow(b), range)
            case .subtract: return try checked(a.subtractingReportingOverflow(b), range)
            case .multiply: return try checked(a.multipliedReportingOverflow(by: b), range)
            case .remainder: return b == 0 ? .null : try checked(a.remainderReportingOverflow(dividingBy: b), range)
            default: break
            }
        }
        guard let a = l.number, let b = r.number else { return .null }
        let result: Double
        switch op {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide:
            guard b != 0 else { return .null }
            result = a / b
        case .remainder:
            guard b != 0 else { return .null }
            result = a.truncatingRemainder(dividingBy: b)
        default: return .null
        }
        // A figure keeps its qualifier through arithmetic, so an approximate number never becomes exact.
        switch (l, r) {
        case (.figure(let f), .figure(let g)): return .figure(Figure(result, f.qualifier.combined(with: g.qualifier)))
        case (.figure(let f), _), (_, .figure(let f)): return .figure(Figure(result, f.qualifier))
        default: return .decimal(result)
        }
    }

    static func negate(_ value: Value) throws -> Value {
        switch value {
        case .int(let i): return i == Int.min ? .decimal(-Double(i)) : .int(-i)
        case .decimal(let d): return .decimal(-d)
        case .figure(let f): return .figure(Figure(-f.amount, f.qualifier))
        default: return .null
        }
    }

    private static func checked(_ result: (partialValue: Int, overflow: Bool), _ range: SourceRange) throws -> Value {
        if result.overflow { throw Diagnostic.overflow(range: range) }
        return .int(result.partialValue)
    }
}
