/// Expressions over a relation a batch of rows at a time. Each expression is compiled once per
/// operator into kernels over the columns' own arrays (whole numbers as `[Int]`, amounts as
/// `[Double]`, text by its dictionary codes with each distinct string looked at once, links
/// followed for the whole batch), instead of walking the expression tree for every row. What no
/// kernel covers is computed by the evaluator, one row of the batch at a time.
///
/// A kernel may throw where the evaluator would not have reached that row or that part (a whole
/// number's overflow in a row a condition drops): an operator whose batch throws runs that batch
/// again row by row with the evaluator, in the plain order (`Executor.rowByRow`), so the error a
/// query reports is the one the evaluator, taking each row alone, meets first.
struct Batch {
    let relation: Relation
    /// Positions of rows in the relation.
    let positions: [Int]
    var count: Int { positions.count }
}

/// A batch of values, one per row of the batch, in the cheapest form that holds them.
enum Vector {
    case scalar(Value)
    /// Whole numbers, exactly; `true` in `nulls` where the value is null.
    case ints([Int], nulls: [Bool])
    /// Decimals.
    case numbers([Double], nulls: [Bool])
    /// Figures: amounts and their qualifiers' bytes (`Column.nullQualifier` for null).
    case figures([Double], nulls: [Bool], qualifiers: [UInt8])
    /// Text as a column's dictionary codes (0 is null).
    case codes([UInt32], dictionary: [String])
    /// A condition's verdicts (null counts as false, as `where` reads it).
    case truths([Bool])
    case values([Value])

    /// Values of one type in that type's vector (nulls marked), or as values when one is of another
    /// kind (`-x` of the smallest whole number is a decimal) or the type has no vector of its own.
    static func typed(_ values: [Value], as type: ValueType) -> Vector {
        let n = values.count
        var nulls = [Bool](repeating: false, count: n)
        switch type {
        case .int:
            var numbers = [Int](repeating: 0, count: n)
            for i in 0..<n {
                switch values[i] {
                case .int(let v): numbers[i] = v
                case .null: nulls[i] = true
                default: return .values(values)
                }
            }
            return .ints(numbers, nulls: nulls)
        case .decimal:
            var numbers = [Double](repeating: 0, count: n)
            for i in 0..<n {
                switch values[i] {
                case .decimal(let v): numbers[i] = v
                case .null: nulls[i] = true
                default: return .values(values)
                }
            }
            return .numbers(numbers, nulls: nulls)
        case .figure:
            var amounts = [Double](repeating: 0, count: n)
            var qualifiers = [UInt8](repeating: Column.nullQualifier, count: n)
            for i in 0..<n {
                switch values[i] {
                case .figure(let f): (amounts[i], qualifiers[i]) = (f.amount, Column.byte(f.qualifier))
                case .null: nulls[i] = true
                default: return .values(values)
                }
            }
            return .figures(amounts, nulls: nulls, qualifiers: qualifiers)
        default:
            return .values(values)
        }
    }

    func truths(count: Int) -> [Bool] {
        switch self {
        case .truths(let t): t
        case .scalar(let v): Array(repeating: v.isTrue, count: count)
        case .values(let vs): vs.map(\.isTrue)
        case .ints, .numbers, .figures, .codes: Array(repeating: false, count: count)  // never a bool
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

    /// The numbers as amounts (a figure's without its qualifier), or nil when it is not numeric.
    func amounts(count: Int) -> (values: [Double], nulls: [Bool])? {
        switch self {
        case .numbers(let v, let n): (v, n)
        case .ints(let v, let n): (v.map(Double.init), n)
        case .figures(let v, let n, _): (v, n)
        case .scalar(.null): (Array(repeating: 0, count: count), Array(repeating: true, count: count))
        case .scalar(let value): value.number.map { (Array(repeating: $0, count: count), Array(repeating: false, count: count)) }
        default: nil
        }
    }

    /// Each value's amount, null where it is not a number (`amount(x)`, a number made a figure).
    func numbers(count: Int) -> (values: [Double], nulls: [Bool]) {
        if let amounts = amounts(count: count) { return amounts }
        let numbers = (0..<count).map { value(at: $0).number }
        return (numbers.map { $0 ?? 0 }, numbers.map { $0 == nil })
    }

    /// Which rows hold null (a condition's verdicts never do: null counts as false there).
    func nulls(count: Int) -> [Bool] {
        switch self {
        case .ints(_, let n), .numbers(_, let n), .figures(_, let n, _): n
        case .codes(let c, _): c.map { $0 == 0 }
        case .truths: Array(repeating: false, count: count)
        case .scalar(let v): Array(repeating: v.isNull, count: count)
        case .values(let vs): vs.map(\.isNull)
        }
    }

    /// Whether it holds values of no one kind (which the number kernels leave to the evaluator).
    var isMixed: Bool {
        if case .values = self { true } else { false }
    }

    /// A figure vector's qualifier bytes (a figure scalar's, repeated), nil for anything else.
    func qualifiers(count: Int) -> [UInt8]? {
        switch self {
        case .figures(_, _, let q): q
        case .scalar(.figure(let f)): Array(repeating: Column.byte(f.qualifier), count: count)
        default: nil
        }
    }

    /// Each figure's `Qualifier.order` (exact for a null), or nil when it holds no figures.
    func wordingOrders(count: Int) -> [UInt8]? {
        guard let bytes = qualifiers(count: count) else { return nil }
        let orders = Qualifier.allCases.reduce(into: [UInt8](repeating: UInt8(Qualifier.exact.order), count: 256)) {
            $0[Int(Column.byte($1))] = UInt8($1.order)
        }
        return bytes.map { orders[Int($0)] }
    }

    func value(at index: Int) -> Value {
        switch self {
        case .scalar(let v): v
        case .ints(let v, let n): n[index] ? .null : .int(v[index])
        case .numbers(let v, let n): n[index] ? .null : .decimal(v[index])
        case .figures(let v, let n, let q): n[index] ? .null : .figure(Figure(v[index], Column.qualifier(q[index])))
        case .codes(let c, let d): c[index] == 0 ? .null : .string(d[Int(c[index]) - 1])
        case .truths(let t): .bool(t[index])
        case .values(let vs): vs[index]
        }
    }

    func values(count: Int) -> [Value] {
        if case .values(let vs) = self { return vs }
        return (0..<count).map(value(at:))
    }

    /// Row `i` from `a` where `picks[i]`, else from `b`, in a typed form when both share one.
    static func picking(_ picks: [Bool], _ a: Vector, _ b: Vector, count n: Int) -> Vector {
        if let (x, xn) = a.wholeNumbers(count: n), let (y, yn) = b.wholeNumbers(count: n) {
            return .ints((0..<n).map { picks[$0] ? x[$0] : y[$0] }, nulls: (0..<n).map { picks[$0] ? xn[$0] : yn[$0] })
        }
        if case .codes(let x, let dictionary) = a, case .codes(let y, let other) = b, dictionary == other {
            return .codes((0..<n).map { picks[$0] ? x[$0] : y[$0] }, dictionary: dictionary)
        }
        return .values((0..<n).map { picks[$0] ? a.value(at: $0) : b.value(at: $0) })
    }

    /// Appends the values to `values` (no array of the batch's own in between).
    func append(to values: inout [Value], count: Int) {
        if case .values(let vs) = self { values += vs; return }
        for i in 0..<count { values.append(value(at: i)) }
    }
}

typealias Kernel = (Batch) throws -> Vector
/// A row reference for each row of a batch: a table's row number, or -1 where there is none.
typealias RowsKernel = (Batch) -> [Int]

/// Turns a bound expression into kernels, once per operator.
struct KernelCompiler {
    let evaluator: Evaluator
    /// Off, every expression is the evaluator's, row by row (the tests compare the two).
    var usesKernels = true
    var store: Store { evaluator.store }

    func compile(_ expression: BoundExpression) -> Kernel {
        guard usesKernels else { return rowByRow(expression) }
        switch expression.node {
        case .constant(let value):
            return { _ in .scalar(value) }
        case .parameter(let name):
            let value = evaluator.parameters[name] ?? .null
            return { _ in .scalar(value) }
        case .slot(let slot):
            // A computed column, in the typed form its type promises (so `x / sum(x)` stays in kernels).
            let type = expression.type
            return { batch in
                let column = batch.relation.slots[slot]
                guard case .values(let all) = column else { return .values(batch.positions.map { column[$0] }) }
                return Vector.typed(all.withUnsafeBufferPointer { all in batch.positions.map { all[$0] } }, as: type)
            }
        case .column(let reference, let table, let column):
            return columnKernel(rows(reference), store.tables[table].columns[column].storage)
        case .exactFigure(let number):
            let inner = compile(number)
            return { batch in
                let (values, nulls) = try inner(batch).numbers(count: batch.count)
                return .figures(values, nulls: nulls, qualifiers: nulls.map { $0 ? Column.nullQualifier : Column.byte(.exact) })
            }
        case .function(.amount, let arguments, _) where arguments.count == 1:
            let inner = compile(arguments[0])
            return { batch in
                let (values, nulls) = try inner(batch).numbers(count: batch.count)
                return .numbers(values, nulls: nulls)
            }
        case .function(.length, let arguments, _) where arguments.count == 1:
            if case .column(let reference, let table, let column) = arguments[0].node,
               case .codes(let codes, let dictionary) = store.tables[table].columns[column].storage {
                // Each distinct string's length once, then by code.
                let rowsOf = rows(reference)
                var lengths = [Int?](repeating: nil, count: dictionary.count + 1)
                return { batch in
                    var values: [Int] = [], nulls: [Bool] = []
                    values.reserveCapacity(batch.count)
                    nulls.reserveCapacity(batch.count)
                    for row in rowsOf(batch) {
                        let code = row < 0 ? 0 : Int(codes[row])
                        if code == 0 { values.append(0); nulls.append(true); continue }
                        if lengths[code] == nil { lengths[code] = dictionary[code - 1].count }
                        values.append(lengths[code]!)
                        nulls.append(false)
                    }
                    return .ints(values, nulls: nulls)
                }
            }
        case .linkAggregate(let function, let from, let link, nil, let filter, _) where function == .count || function == .exists:
            // Counting the rows a link reaches, all of them or those a marked condition holds for
            // (worked out before the query ran): the link index's rows, no row made for each.
            let marks: [Bool]?
            switch filter?.node {
            case nil: marks = nil
            case .marked(let m)?: marks = evaluator.marks[m]
            default: return rowByRow(expression)
            }
            let rowsOf = rows(from)
            return { batch in
                let counts = rowsOf(batch).map { row -> Int in
                    guard row >= 0 else { return 0 }
                    let linked = store.rows(link, from: row)
                    guard let marks else { return linked.count }
                    return linked.reduce(0) { $0 + (marks[$1] ? 1 : 0) }
                }
                if function == .exists { return .truths(counts.map { $0 > 0 }) }
                return .ints(counts, nulls: [Bool](repeating: false, count: counts.count))
            }
        case .binary(.coalesce, let left, let right, _):
            let (l, r) = (compile(left), compile(right))
            return { batch in
                let (a, b) = (try l(batch), try r(batch))
                let n = batch.count
                if let (x, xn) = a.wholeNumbers(count: n), let (y, yn) = b.wholeNumbers(count: n) {
                    return .ints((0..<n).map { xn[$0] ? y[$0] : x[$0] }, nulls: (0..<n).map { xn[$0] && yn[$0] })
                }
                if let xq = a.qualifiers(count: n), let yq = b.qualifiers(count: n), let (x, xn) = a.amounts(count: n), let (y, _) = b.amounts(count: n) {
                    let qualifiers = (0..<n).map { xn[$0] ? yq[$0] : xq[$0] }
                    return .figures((0..<n).map { xn[$0] ? y[$0] : x[$0] }, nulls: qualifiers.map { $0 == Column.nullQualifier }, qualifiers: qualifiers)
                }
                if a.qualifiers(count: n) == nil, b.qualifiers(count: n) == nil, !a.isMixed, !b.isMixed, let (x, xn) = a.amounts(count: n), let (y, yn) = b.amounts(count: n) {
                    return .numbers((0..<n).map { xn[$0] ? y[$0] : x[$0] }, nulls: (0..<n).map { xn[$0] && yn[$0] })
                }
                return .values((0..<n).map { i in let v = a.value(at: i); return v.isNull ? b.value(at: i) : v })
            }
        case .binary(let op, let left, let right, let range) where op == .add || op == .subtract || op == .multiply || op == .divide:
            return arithmetic(op, compile(left), compile(right), range: range, fallback: rowByRow(expression))
        case .binary(.in, let left, let right, _) where right.subqueryIndex != nil:
            let index = right.subqueryIndex!
            // A pipeline's list: whole numbers looked up in a set of integers, anything else hashed as `==` sees it.
            let list = evaluator.lists[index]
            let numbers = list.wholeNumbers
            let inner = compile(left)
            return { batch in
                let values = try inner(batch)
                let n = batch.count
                if let numbers, let (x, xn) = values.wholeNumbers(count: n) {
                    return .truths((0..<n).map { xn[$0] ? numbers.hasNull : numbers.numbers.contains(x[$0]) })
                }
                return .truths((0..<n).map { list.contains(values.value(at: $0)) })
            }
        case .binary(let op, let left, let right, _) where op.isComparison:
            return comparison(op, compile(left), compile(right))
        case .binary(.and, let left, let right, _), .binary(.or, let left, let right, _):
            let isAnd: Bool = if case .binary(.and, _, _, _) = expression.node { true } else { false }
            let (l, r) = (compile(left), compile(right))
            return { batch in
                let (a, b) = (try l(batch).truths(count: batch.count), try r(batch).truths(count: batch.count))
                return .truths(zip(a, b).map { isAnd ? $0 && $1 : $0 || $1 })
            }
        case .conditional(let condition, let then, let otherwise):
            // Both branches for the whole batch, then each row's pick. A branch may fail on a row the
            // condition does not send to it: the batch is then taken row by row, as for `and`.
            let (c, a, b) = (compile(condition), compile(then), compile(otherwise))
            return { batch in
                let n = batch.count
                let picks = try c(batch).truths(count: n)
                return Vector.picking(picks, try a(batch), try b(batch), count: n)
            }
        case .not(let operand):
            let inner = compile(operand)
            return { batch in .truths(try inner(batch).truths(count: batch.count).map { !$0 }) }
        case .binary(let op, let text, let part, let range) where op == .contains || op == .startsWith || op == .endsWith:
            if case .column(let reference, let table, let column) = text.node,
               case .codes(let codes, let dictionary) = store.tables[table].columns[column].storage {
                let partKernel = compile(part)
                return Self.perDistinctString(rows(reference), codes, dictionary, cached: part.referencedSlots.isEmpty) { string, batch, i in
                    guard case .string(let p) = try partKernel(batch).value(at: i) else { return false }
                    return try ScalarFunctions.textPredicate(op, string, p, range: range).isTrue
                }
            }
        default:
            break
        }
        return rowByRow(expression)
    }

    /// The rows a reference reaches for each row of a batch (-1 where a link reaches none).
    func rows(_ reference: RowReference) -> RowsKernel {
        switch reference {
        case .slot(let slot):
            return { batch in
                switch batch.relation.slots[slot] {
                case .rows(let rows): return rows.withUnsafeBufferPointer { rows in batch.positions.map { rows[$0] } }
                case .values(let values): return batch.positions.map { if case .int(let row) = values[$0] { row } else { -1 } }
                }
            }
        case .follow(let base, let link):
            let from = rows(base)
            let target = store.tables[link.target]
            guard let column = link.foreignKey, case .ints(let ids, let nulls) = store.tables[link.table].columns[column].storage else {
                return { batch in from(batch).map { row in row < 0 ? -1 : (store.follow(link, from: row) ?? -1) } }
            }
            return { batch in from(batch).map { row in row < 0 || nulls.isNull(row) ? -1 : (target.row(withID: ids[row]) ?? -1) } }
        }
    }

    /// What no kernel covers: the evaluator, one row of the batch at a time.
    private func rowByRow(_ expression: BoundExpression) -> Kernel {
        let evaluator = self.evaluator
        let slots = Array(expression.referencedSlots)
        return { batch in
            var buffer = batch.relation.rowBuffer
            return .values(try batch.positions.map { position in
                for slot in slots where slot < buffer.count { buffer[slot] = batch.relation.slots[slot][position] }
                return try evaluator.evaluate(expression, buffer)
            })
        }
    }

    private func columnKernel(_ rowsOf: @escaping RowsKernel, _ storage: Column.Storage) -> Kernel {
        switch storage {
        case .ints(let values, let nulls):
            let mask = nulls.firstNull == nil ? nil : nulls  // a column without nulls need not be asked
            return { batch in let (read, isNull) = Self.gather(values, mask, rowsOf(batch)); return .ints(read, nulls: isNull) }
        case .doubles(let values, let nulls):
            let mask = nulls.firstNull == nil ? nil : nulls
            return { batch in let (read, isNull) = Self.gather(values, mask, rowsOf(batch)); return .numbers(read, nulls: isNull) }
        case .amounts(let values, let qualifiers):
            return { batch in
                let rows = rowsOf(batch)
                let (amounts, _) = Self.gather(values, nil, rows)
                let q = qualifiers.withUnsafeBufferPointer { q in rows.map { $0 < 0 ? Column.nullQualifier : q[$0] } }
                return .figures(amounts, nulls: q.map { $0 == Column.nullQualifier }, qualifiers: q)
            }
        case .codes(let codes, let dictionary):
            return { batch in .codes(codes.withUnsafeBufferPointer { codes in rowsOf(batch).map { $0 < 0 ? 0 : codes[$0] } }, dictionary: dictionary) }
        case .bools(let bytes):
            return { batch in .values(rowsOf(batch).map { $0 < 0 || bytes[$0] == 2 ? .null : .bool(bytes[$0] == 1) }) }
        }
    }

    /// A column's values at `rows` (-1: no row, null), in one pass over raw buffers: a column is read
    /// for every batch of most queries.
    private static func gather<T: Numeric>(_ values: [T], _ nulls: NullMask?, _ rows: [Int]) -> ([T], [Bool]) {
        let n = rows.count
        var read = [T](repeating: 0, count: n), isNull = [Bool](repeating: false, count: n)
        values.withUnsafeBufferPointer { values in
            read.withUnsafeMutableBufferPointer { read in
                isNull.withUnsafeMutableBufferPointer { isNull in
                    for i in 0..<n {
                        let row = rows[i]
                        if row < 0 { isNull[i] = true; continue }
                        read[i] = values[row]
                        if let nulls { isNull[i] = nulls.isNull(row) }
                    }
                }
            }
        }
        return (read, isNull)
    }

    /// `+`, `-`, `*` and `/` as `Arithmetic` does them: whole numbers exactly (an overflow throws, and
    /// the batch is taken again row by row, where the evaluator reports it if the plain order reaches
    /// it), other numbers as decimals, a figure keeping its qualifier. Anything else is the evaluator's.
    private func arithmetic(_ op: BinaryOperator, _ l: @escaping Kernel, _ r: @escaping Kernel, range: SourceRange,
                            fallback: @escaping Kernel) -> Kernel {
        return { batch in
            let (a, b) = (try l(batch), try r(batch))
            let n = batch.count
            if a.isMixed || b.isMixed { return try fallback(batch) }
            if op != .divide, let (x, xn) = a.wholeNumbers(count: n), let (y, yn) = b.wholeNumbers(count: n) {
                var values = [Int](repeating: 0, count: n), nulls = [Bool](repeating: false, count: n)
                for i in 0..<n {
                    if xn[i] || yn[i] { nulls[i] = true; continue }
                    let (value, overflow) = switch op {
                    case .add: x[i].addingReportingOverflow(y[i])
                    case .subtract: x[i].subtractingReportingOverflow(y[i])
                    default: x[i].multipliedReportingOverflow(by: y[i])
                    }
                    if overflow { throw Diagnostic.overflow(range: range) }
                    values[i] = value
                }
                return .ints(values, nulls: nulls)
            }
            guard let (x, xn) = a.amounts(count: n), let (y, yn) = b.amounts(count: n) else { return try fallback(batch) }
            var values = [Double](repeating: 0, count: n), nulls = [Bool](repeating: false, count: n)
            values.withUnsafeMutableBufferPointer { v in
                nulls.withUnsafeMutableBufferPointer { z in
                    for i in 0..<n { z[i] = xn[i] || yn[i] }
                    switch op {  // one loop per operator: the compiler vectorises each
                    case .add: for i in 0..<n { v[i] = x[i] + y[i] }
                    case .subtract: for i in 0..<n { v[i] = x[i] - y[i] }
                    case .multiply: for i in 0..<n { v[i] = x[i] * y[i] }
                    default:
                        // Division by zero is null, as in the evaluator's arithmetic.
                        for i in 0..<n { if y[i] == 0 { z[i] = true } else { v[i] = x[i] / y[i] } }
                    }
                }
            }
            // A figure keeps its qualifier through arithmetic (two figures' combine), as in `Arithmetic`.
            let (qa, qb) = (a.qualifiers(count: n), b.qualifiers(count: n))
            guard qa != nil || qb != nil else { return .numbers(values, nulls: nulls) }
            var qualifiers = [UInt8](repeating: Column.nullQualifier, count: n)
            switch (qa, qb) {
            case (let p?, let q?):
                for i in 0..<n where !nulls[i] { qualifiers[i] = p[i] == q[i] ? p[i] : Column.byte(Column.qualifier(p[i]).combined(with: Column.qualifier(q[i]))) }
            case (let p?, nil), (nil, let p?):
                for i in 0..<n where !nulls[i] { qualifiers[i] = p[i] }
            case (nil, nil):
                break
            }
            return .figures(values, nulls: nulls, qualifiers: qualifiers)
        }
    }

    /// A condition on one text column, decided once per distinct string (cached across batches)
    /// unless its other side reads the row.
    private static func perDistinctString(_ rowsOf: @escaping RowsKernel, _ codes: [UInt32], _ dictionary: [String], cached: Bool,
                                          _ verdict: @escaping (String, Batch, Int) throws -> Bool) -> Kernel {
        var known = [UInt8](repeating: 0, count: dictionary.count + 1)  // 0 not yet known, 1 false, 2 true
        return { batch in
            .truths(try rowsOf(batch).enumerated().map { i, row in
                let code = row < 0 ? 0 : Int(codes[row])
                if code == 0 { return false }  // a text predicate on null is false
                if !cached { return try verdict(dictionary[code - 1], batch, i) }
                if known[code] == 0 { known[code] = try verdict(dictionary[code - 1], batch, i) ? 2 : 1 }
                return known[code] == 2
            })
        }
    }

    /// `==`, `!=`, `<`, `<=`, `>`, `>=` as the evaluator decides them: numbers by value (whole
    /// numbers exactly), text by code point once per distinct string, null equal only to null and
    /// never ordered.
    private func comparison(_ op: BinaryOperator, _ l: @escaping Kernel, _ r: @escaping Kernel) -> Kernel {
        return { batch in
            let (a, b) = (try l(batch), try r(batch))
            let n = batch.count
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
                // On an equal amount a figure's wording decides, as in `Value.compare`.
                let (p, q) = (a.wordingOrders(count: n), b.wordingOrders(count: n))
                for i in 0..<n {
                    let order = x[i] != y[i] ? (x[i] < y[i] ? -1 : 1) : (p.map { Int($0[i]) } ?? 3) - (q.map { Int($0[i]) } ?? 3)
                    result[i] = op.decides(order: xn[i] || yn[i] ? nil : order, bothNull: xn[i] && yn[i])
                }
                return .truths(result)
            }
            for i in 0..<n { result[i] = Value.compares(op, a.value(at: i), b.value(at: i)) }
            return .truths(result)
        }
    }
}
