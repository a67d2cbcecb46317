/// `where` on the scanned table, a batch of row numbers at a time: each conjunct is compiled once
/// per query into kernels over the columns' own arrays (numbers as `[Double]` or `[Int]`, text by
/// its dictionary codes, each distinct string looked at once), instead of walking the expression
/// for every row. What no kernel covers is computed row by row inside the batch, by the evaluator.
///
/// Only the leading conjuncts that cannot fail are taken a batch at a time. A conjunct that may fail
/// (an overflow) and everything after it are checked row by row on the rows still kept, so an error
/// comes from the same row, and the same part of the condition, as when every row is checked alone.
struct VectorFilter {
    static let batchSize = 1024

    /// The conjuncts taken a batch at a time, and the rest (checked row by row, in order).
    static func split(_ condition: BoundExpression) -> (batched: [BoundExpression], rowByRow: [BoundExpression]) {
        let conjuncts = condition.conjuncts
        let cut = conjuncts.firstIndex { $0.canFail || !$0.referencedSlots.isSubset(of: [0]) } ?? conjuncts.count
        return (Array(conjuncts[..<cut]), Array(conjuncts[cut...]))
    }

    private let kernels: [Kernel]

    init(_ conjuncts: [BoundExpression], evaluator: Evaluator) {
        let compiler = KernelCompiler(evaluator: evaluator)
        kernels = conjuncts.map { compiler.compile($0) }
    }

    /// The rows of `selection` for which every conjunct is true, in order.
    func filter(_ selection: [Int], interruption: Interruption) throws -> [Int] {
        var kept: [Int] = []
        kept.reserveCapacity(selection.count / 4)
        var start = 0
        while start < selection.count {
            try interruption.checkNow()  // per batch: Ctrl-C and --timeout bind here
            var rows = selection[start..<min(start + Self.batchSize, selection.count)]
            for kernel in kernels where !rows.isEmpty {
                let verdicts = try kernel(rows).truths(count: rows.count)
                rows = ArraySlice(zip(rows, verdicts).compactMap { $1 ? $0 : nil })
            }
            kept += rows
            start += Self.batchSize
        }
        return kept
    }
}

/// An expression that cannot fail, over the scanned table's rows a batch at a time, with the kernels a
/// filter uses: a group's aggregates read their arguments and conditions this way. Figures come out
/// as their amounts, so it is for expressions whose value is not a figure (a figure's null-ness is kept).
struct BatchExpression {
    private let kernel: Kernel

    init(_ expression: BoundExpression, evaluator: Evaluator) {
        kernel = KernelCompiler(evaluator: evaluator).compile(expression)
    }

    /// Whether `expression`, whose value has type `type`, can be read this way: it cannot fail,
    /// reads only the scanned row, and is not a figure (a condition's type is `.bool`).
    static func admits(_ expression: BoundExpression, type: ValueType) -> Bool {
        type != .figure && !expression.canFail && expression.referencedSlots.isSubset(of: [0])
    }

    /// The batch reader for `expression`, if it admits one.
    static func reading(_ expression: BoundExpression?, type: ValueType, evaluator: Evaluator) -> BatchExpression? {
        guard let expression, admits(expression, type: type) else { return nil }
        return BatchExpression(expression, evaluator: evaluator)
    }

    func values(_ rows: ArraySlice<Int>) throws -> [Value] {
        let vector = try kernel(rows)
        return (0..<rows.count).map { vector.value(at: $0) }
    }

    func truths(_ rows: ArraySlice<Int>) throws -> [Bool] { try kernel(rows).truths(count: rows.count) }
}

/// A batch of values, one per row of the batch, in the cheapest form that holds them.
private enum Vector {
    case scalar(Value)
    /// Whole numbers, exactly; `true` in `nulls` where the value is null.
    case ints([Int], nulls: [Bool])
    /// Amounts: decimals, or figures' amounts (comparison and arithmetic read only the amount).
    case numbers([Double], nulls: [Bool])
    /// Text as a column's dictionary codes (0 is null).
    case codes([UInt32], dictionary: [String])
    /// A condition's verdicts (null counts as false, as `where` reads it).
    case truths([Bool])
    case values([Value])

    func truths(count: Int) -> [Bool] {
        switch self {
        case .truths(let t): t
        case .scalar(let v): Array(repeating: v.isTrue, count: count)
        case .values(let vs): vs.map(\.isTrue)
        case .ints, .numbers, .codes: Array(repeating: false, count: count)  // never a bool
        }
    }

    /// Whole numbers, exactly (a column of them, one, or null), or nil when it holds others.
    func wholeNumbers(count: Int) -> (values: [Int], nulls: [Bool])? {
        switch self {
        case .ints(let v, let n): (v, n)
        case .scalar(.int(let i)): (Array(repeating: i, count: count), Array(repeating: false, count: count))
        case .scalar(.null): (Array(repeating: 0, count: count), Array(repeating: true, count: count))
        default: nil
        }
    }

    /// The numbers of a numeric vector as amounts, or nil when it is not numeric.
    func amounts(count: Int) -> (values: [Double], nulls: [Bool])? {
        switch self {
        case .numbers(let v, let n): (v, n)
        case .ints(let v, let n): (v.map(Double.init), n)
        case .scalar(.null): (Array(repeating: 0, count: count), Array(repeating: true, count: count))
        case .scalar(let value): value.number.map { (Array(repeating: $0, count: count), Array(repeating: false, count: count)) }
        default: nil
        }
    }

    func value(at index: Int) -> Value {
        switch self {
        case .scalar(let v): v
        case .ints(let v, let n): n[index] ? .null : .int(v[index])
        case .numbers(let v, let n): n[index] ? .null : .decimal(v[index])
        case .codes(let c, let d): c[index] == 0 ? .null : .string(d[Int(c[index]) - 1])
        case .truths(let t): .bool(t[index])
        case .values(let vs): vs[index]
        }
    }
}

private typealias Kernel = (ArraySlice<Int>) throws -> Vector

/// Turns a bound expression over the scanned row (slot 0) into kernels, once per query.
private struct KernelCompiler {
    let evaluator: Evaluator
    var store: Store { evaluator.store }

    func compile(_ expression: BoundExpression) -> Kernel {
        switch expression {
        case .constant(let value):
            return { _ in .scalar(value) }
        case .parameter(let name):
            let value = evaluator.parameters[name] ?? .null
            return { _ in .scalar(value) }
        case .column(.slot(0), let table, let column):
            return columnKernel(store.tables[table].columns[column].storage)
        case .exactFigure(let number):
            return amounts(compile(number))
        case .function(.amount, let arguments, _) where arguments.count == 1:
            return amounts(compile(arguments[0]))
        case .function(.length, let arguments, _) where arguments.count == 1:
            if case .column(.slot(0), let table, let column) = arguments[0],
               case .codes(let codes, let dictionary) = store.tables[table].columns[column].storage {
                // Each distinct string's length once, then by code.
                var lengths = [Int?](repeating: nil, count: dictionary.count + 1)
                return { rows in
                    var values: [Int] = [], nulls: [Bool] = []
                    values.reserveCapacity(rows.count)
                    nulls.reserveCapacity(rows.count)
                    for row in rows {
                        let code = Int(codes[row])
                        if code == 0 { values.append(0); nulls.append(true); continue }
                        if lengths[code] == nil { lengths[code] = dictionary[code - 1].count }
                        values.append(lengths[code]!)
                        nulls.append(false)
                    }
                    return .ints(values, nulls: nulls)
                }
            }
        case .binary(.coalesce, let left, let right, _):
            let (l, r) = (compile(left), compile(right))
            return { rows in
                let (a, b) = (try l(rows), try r(rows))
                if let (x, xn) = a.wholeNumbers(count: rows.count), let (y, yn) = b.wholeNumbers(count: rows.count) {
                    return .ints(x.indices.map { xn[$0] ? y[$0] : x[$0] }, nulls: x.indices.map { xn[$0] && yn[$0] })
                }
                if let (x, xn) = a.amounts(count: rows.count), let (y, yn) = b.amounts(count: rows.count) {
                    return .numbers(x.indices.map { xn[$0] ? y[$0] : x[$0] }, nulls: x.indices.map { xn[$0] && yn[$0] })
                }
                return .values(rows.indices.map { i in let v = a.value(at: i - rows.startIndex); return v.isNull ? b.value(at: i - rows.startIndex) : v })
            }
        case .binary(.divide, let left, let right, _):
            let (l, r) = (compile(left), compile(right))
            return { rows in
                let (a, b) = (try l(rows), try r(rows))
                guard let (x, xn) = a.amounts(count: rows.count), let (y, yn) = b.amounts(count: rows.count) else {
                    return .values(Array(repeating: .null, count: rows.count))
                }
                // Division by zero is null, as in the evaluator's arithmetic.
                return .numbers(x.indices.map { y[$0] == 0 ? 0 : x[$0] / y[$0] }, nulls: x.indices.map { xn[$0] || yn[$0] || y[$0] == 0 })
            }
        case .binary(let op, let left, let right, _) where op.isComparison:
            return comparison(op, compile(left), compile(right))
        case .binary(.and, let left, let right, _), .binary(.or, let left, let right, _):
            let isAnd: Bool = if case .binary(.and, _, _, _) = expression { true } else { false }
            let (l, r) = (compile(left), compile(right))
            return { rows in
                let (a, b) = (try l(rows).truths(count: rows.count), try r(rows).truths(count: rows.count))
                return .truths(zip(a, b).map { isAnd ? $0 && $1 : $0 || $1 })
            }
        case .not(let operand):
            let inner = compile(operand)
            return { rows in .truths(try inner(rows).truths(count: rows.count).map { !$0 }) }
        case .binary(let op, let text, let part, let range) where op == .contains || op == .startsWith || op == .endsWith:
            if case .column(.slot(0), let table, let column) = text,
               case .codes(let codes, let dictionary) = store.tables[table].columns[column].storage {
                let partKernel = compile(part)
                return Self.perDistinctString(codes, dictionary, cached: part.referencedSlots.isEmpty) { string, row in
                    guard case .string(let p) = try partKernel(row).value(at: 0) else { return false }
                    return try ScalarFunctions.textPredicate(op, string, p, range: range).isTrue
                }
            }
        default:
            break
        }
        return rowByRow(expression)
    }

    /// A number's amount (a figure's without its qualifier; null stays null).
    private func amounts(_ operand: @escaping Kernel) -> Kernel {
        { rows in
            guard let (values, nulls) = try operand(rows).amounts(count: rows.count) else { return .values(Array(repeating: .null, count: rows.count)) }
            return .numbers(values, nulls: nulls)
        }
    }

    /// What no kernel covers: the evaluator, one row of the batch at a time.
    private func rowByRow(_ expression: BoundExpression) -> Kernel {
        let evaluator = self.evaluator
        return { rows in
            var buffer: [Value] = [.int(0)]
            return .values(try rows.map { row in
                buffer[0] = .int(row)
                return try evaluator.evaluate(expression, buffer)
            })
        }
    }

    private func columnKernel(_ storage: Column.Storage) -> Kernel {
        switch storage {
        case .ints(let values, let nulls):
            return { rows in .ints(rows.map { values[$0] }, nulls: rows.map { nulls.isNull($0) }) }
        case .doubles(let values, let nulls):
            return { rows in .numbers(rows.map { values[$0] }, nulls: rows.map { nulls.isNull($0) }) }
        case .amounts(let values, let qualifiers):
            return { rows in .numbers(rows.map { values[$0] }, nulls: rows.map { qualifiers[$0] == Column.nullQualifier }) }
        case .codes(let codes, let dictionary):
            return { rows in .codes(rows.map { codes[$0] }, dictionary: dictionary) }
        case .bools(let bytes):
            return { rows in .values(rows.map { bytes[$0] == 2 ? .null : .bool(bytes[$0] == 1) }) }
        }
    }

    /// A condition on one text column, decided once per distinct string (cached across batches)
    /// unless its other side reads the row.
    private static func perDistinctString(_ codes: [UInt32], _ dictionary: [String], cached: Bool,
                                          _ verdict: @escaping (String, ArraySlice<Int>) throws -> Bool) -> Kernel {
        var known = [UInt8](repeating: 0, count: dictionary.count + 1)  // 0 not yet known, 1 false, 2 true
        return { rows in
            .truths(try rows.map { row in
                let code = Int(codes[row])
                if code == 0 { return false }  // a text predicate on null is false
                if !cached { return try verdict(dictionary[code - 1], [row]) }
                if known[code] == 0 { known[code] = try verdict(dictionary[code - 1], [row]) ? 2 : 1 }
                return known[code] == 2
            })
        }
    }

    /// `==`, `!=`, `<`, `<=`, `>`, `>=` as the evaluator decides them: numbers by value (whole
    /// numbers exactly), text by code point once per distinct string, null equal only to null and
    /// never ordered.
    private func comparison(_ op: BinaryOperator, _ l: @escaping Kernel, _ r: @escaping Kernel) -> Kernel {
        return { rows in
            let (a, b) = (try l(rows), try r(rows))
            let n = rows.count
            var result = [Bool](repeating: false, count: n)
            if let (x, xn) = a.wholeNumbers(count: n), let (y, yn) = b.wholeNumbers(count: n) {
                for i in 0..<n {
                    result[i] = op.decides(order: xn[i] || yn[i] ? nil : (x[i] < y[i] ? -1 : (x[i] == y[i] ? 0 : 1)), bothNull: xn[i] && yn[i])
                }
                return .truths(result)
            }
            switch (a, b) {
            case (.codes(let codes, let dictionary), .scalar(let value)), (.scalar(let value), .codes(let codes, let dictionary)):
                let flipped: Bool = if case .scalar = a { true } else { false }
                var known = [UInt8](repeating: 0, count: dictionary.count + 1)
                for i in 0..<n {
                    let code = Int(codes[i])
                    if known[code] == 0 {
                        let text: Value = code == 0 ? .null : .string(dictionary[code - 1])
                        let (lhs, rhs) = flipped ? (value, text) : (text, value)
                        known[code] = Value.compares(op, lhs, rhs) ? 2 : 1
                    }
                    result[i] = known[code] == 2
                }
                return .truths(result)
            default:
                break
            }
            if let (x, xn) = a.amounts(count: n), let (y, yn) = b.amounts(count: n) {
                for i in 0..<n {
                    result[i] = op.decides(order: xn[i] || yn[i] ? nil : (x[i] < y[i] ? -1 : (x[i] == y[i] ? 0 : 1)), bothNull: xn[i] && yn[i])
                }
                return .truths(result)
            }
            for i in 0..<n { result[i] = Value.compares(op, a.value(at: i), b.value(at: i)) }
            return .truths(result)
        }
    }
}
