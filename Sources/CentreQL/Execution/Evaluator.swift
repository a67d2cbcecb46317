/// Computes the value of a bound expression for one row (and, inside `group … agg`, its group).
struct Evaluator: Sendable {
    let store: Store
    let parameters: [String: Value]
    /// Checked inside expressions too: one row's value may be slow to make (a long pattern match,
    /// text built up by `+`), and the limits must bind there as well as between rows.
    var interruption: Interruption? = nil
    /// The verdicts of the plan's marked conditions, one per row of each one's table (see `.marked`).
    var marks: [[Bool]] = []
    /// The values of the plan's subplans, for `.subqueryList(i)`.
    var lists: [ValueList] = []

    func evaluate(_ expression: BoundExpression, _ row: [Value], group: ArraySlice<[Value]>? = nil) throws -> Value {
        switch expression.node {
        case .constant(let value):
            return value
        case .slot(let slot):
            return row[slot]
        case .column(let reference, let table, let column):
            guard let index = rowIndex(reference, row) else { return .null }
            return store.tables[table].columns[column][index]
        case .parameter(let name):
            return parameters[name] ?? .null
        case .list(let items):
            return .list(try items.map { try evaluate($0, row, group: group) })
        case .negate(let operand):
            return try Arithmetic.negate(try evaluate(operand, row, group: group))
        case .not(let operand):
            return .bool(!(try evaluate(operand, row, group: group)).isTrue)
        case .binary(let op, let left, let right, let range):
            return try binary(op, left, right, range: range, row, group: group)
        case .function(let function, let arguments, let range):
            if arguments.count == 1 {  // most calls: no array for one argument
                let result = try ScalarFunctions.apply(function, CollectionOfOne(try evaluate(arguments[0], row, group: group)), range: range)
                if function == .upper || function == .lower, case .string(let text) = result { try interruption?.charge(text: text.utf8.count) }
                return result
            }
            let values = try arguments.map { try evaluate($0, row, group: group) }
            let result = try ScalarFunctions.apply(function, values, range: range)
            if function == .replace, case .string(let text) = result { try interruption?.charge(text: text.utf8.count) }
            return result
        case .matches(let text, let pattern):
            guard case .string(let value) = try evaluate(text, row, group: group) else { return .bool(false) }
            return .bool(try pattern.matches(value, interruption: interruption))
        case .linkAggregate(let function, let from, let link, let argument, let filter, let option):
            return try linkAggregate(Aggregator(function, option: option), from: from, link: link, argument: argument, filter: filter, row)
        case .groupAggregate(let function, let argument, let filter, let option):
            return try aggregate(Aggregator(function, option: option), over: group ?? [row][...], argument: argument, filter: filter) { $0 }
        case .exactFigure(let number):
            return try evaluate(number, row, group: group).number.map { .figure(Figure($0, .exact)) } ?? .null
        case .marked(let condition):
            guard case .int(let linked) = row[0] else { return .bool(false) }
            return .bool(marks[condition][linked])
        case .conditional(let condition, let then, let otherwise):
            return try evaluate(try evaluate(condition, row, group: group).isTrue ? then : otherwise, row, group: group)
        case .subqueryList(let index):
            return .list(lists[index].values)
        case .subquery:
            // The planner makes every pipeline used as a list a subplan before the query runs.
            throw Diagnostic(code: "E499", message: "a pipeline used as a list was not planned", range: SourceRange(0, 0))
        case .window(let function, _, _, _, let range):
            // The planner computes every window function for all rows before the stage reads it.
            throw Diagnostic.windowOutsideProjection(function, range: range)
        }
    }

    func isTrue(_ expression: BoundExpression, _ row: [Value]) throws -> Bool {
        try evaluate(expression, row).isTrue
    }

    func rowIndex(_ reference: RowReference, _ row: [Value]) -> Int? {
        switch reference {
        case .slot(let slot):
            if case .int(let index) = row[slot], index >= 0 { return index }  // -1: a left join's missing row
            return nil
        case .follow(let base, let link):
            return rowIndex(base, row).flatMap { store.follow(link, from: $0) }
        }
    }

    private func binary(_ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression, range: SourceRange,
                        _ row: [Value], group: ArraySlice<[Value]>?) throws -> Value {
        // `and`, `or` and `??` look at the right side only when they need it.
        switch op {
        case .and:
            return .bool(try evaluate(left, row, group: group).isTrue && (try evaluate(right, row, group: group)).isTrue)
        case .or:
            return .bool(try evaluate(left, row, group: group).isTrue || (try evaluate(right, row, group: group)).isTrue)
        case .coalesce:
            let value = try evaluate(left, row, group: group)
            return value.isNull ? try evaluate(right, row, group: group) : value
        default:
            break
        }
        let l = try evaluate(left, row, group: group)
        if op == .in, case .subqueryList(let index) = right.node { return .bool(lists[index].contains(l)) }
        let r = try evaluate(right, row, group: group)
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return .bool(Value.compares(op, l, r))
        case .in:
            guard case .list(let items) = r else { return .bool(false) }
            return .bool(items.contains { Value.queryEquals(l, $0) })
        case .contains, .startsWith, .endsWith, .matches:
            guard case .string(let text) = l, case .string(let part) = r else { return .bool(false) }
            return try ScalarFunctions.textPredicate(op, text, part, range: range)
        case .add, .subtract, .multiply, .divide, .remainder, .addDays, .subtractDays, .daysBetween:
            return try Arithmetic.apply(op, l, r, range: range)
        case .concatenate:
            guard case .string(let a) = l, case .string(let b) = r else { return .null }
            try interruption?.charge(text: a.utf8.count + b.utf8.count)
            return .string(a + b)
        case .and, .or, .coalesce:
            fatalError("handled above")
        }
    }

    /// An aggregate over the rows a to-many link reaches (kept out of `evaluate`, which every row runs).
    private func linkAggregate(_ accumulator: Aggregator, from: RowReference, link: LinkPath, argument: BoundExpression?,
                               filter: BoundExpression?, _ row: [Value]) throws -> Value {
        let function = accumulator.function
        guard let source = rowIndex(from, row) else { return accumulator.result }
        let linked = store.rows(link, from: source)
        // Counting every linked row needs none of them read.
        if argument == nil, filter == nil, function == .count || function == .exists {
            return function == .count ? .int(linked.count) : .bool(!linked.isEmpty)
        }
        // One reused row holds each linked row in turn (an array per linked row was most of the cost).
        var buffer: [Value] = [.int(0)]
        return try aggregate(accumulator, over: linked, argument: argument, filter: filter) { other in
            buffer[0] = .int(other)
            return buffer
        }
    }

    /// Folds an aggregate over rows (a group's, or the rows a link reaches, each made a row by `asRow`).
    private func aggregate<Rows: Sequence>(_ accumulator: Aggregator, over rows: Rows, argument: BoundExpression?,
                                           filter: BoundExpression?, asRow: (Rows.Element) -> [Value]) throws -> Value {
        var accumulator = accumulator
        for element in rows {
            let row = asRow(element)
            if let filter, !(try evaluate(filter, row).isTrue) { continue }
            if let argument {
                try accumulator.add(try evaluate(argument, row))
            } else {
                try accumulator.add(.bool(true))
            }
            if accumulator.isDecided { break }
        }
        return accumulator.result
    }
}

/// Folds values into an aggregate, in the rows' order. Nulls are skipped; `count` and
/// `count_distinct` of no values are 0, every other aggregate of no values is null.
struct Aggregator {
    let function: AggregateFunction
    /// `percentile`'s fraction, `string_agg`'s separator.
    let option: Value
    private var count = 0
    private var sum = Value.null
    private var extreme = Value.null
    /// What an aggregate that needs every value keeps (the numbers of a percentile, the texts of
    /// `string_agg`, the distinct values of `count_distinct`), made at its first value: the common
    /// aggregates stay a few words, as a group's table holds one per group and aggregate.
    private var kept: Kept?

    private final class Kept {
        var numbers: [Double] = []
        var texts: [String] = []
        var textBytes = 0
        var distinct: Set<RowKey> = []
    }

    init(_ function: AggregateFunction, option: Value = .null) {
        self.function = function
        self.option = option
    }

    /// One that has folded `count` values into `sum` or `extreme` already (a typed fold handing over).
    init(_ function: AggregateFunction, option: Value, count: Int, sum: Value = .null, extreme: Value = .null) {
        self.init(function, option: option)
        self.count = count
        self.sum = sum
        self.extreme = extreme
    }

    /// `exists` is decided by its first row.
    var isDecided: Bool { function == .exists && count > 0 }

    /// Adds the value `value()` gives (nil: none), asked for only while the aggregate is undecided.
    mutating func add(_ value: () throws -> Value?) throws {
        guard !isDecided, let v = try value() else { return }
        try add(v)
    }

    mutating func add(_ value: Value) throws {
        guard !value.isNull else { return }
        count += 1
        switch function {
        case .count_distinct, .median, .percentile, .string_agg:
            try keep(value)
        case .count, .exists: break
        case .sum, .avg:
            // The common sums first, without the general arithmetic's checks.
            switch (sum, value) {
            case (.null, _): sum = value
            case (.decimal(let a), .decimal(let b)): sum = .decimal(a + b)
            case (.int(let a), .int(let b)) where !a.addingReportingOverflow(b).overflow: sum = .int(a + b)
            default: sum = try Arithmetic.apply(.add, sum, value, range: SourceRange(0, 0))
            }
        case .min: if extreme.isNull || Value.compare(value, extreme) < 0 { extreme = value }
        case .max: if extreme.isNull || Value.compare(value, extreme) > 0 { extreme = value }
        }
    }

    /// The values an aggregate over every value keeps (kept out of `add`, which every row runs).
    @inline(never)
    private mutating func keep(_ value: Value) throws {
        // A copy of an aggregator that has kept values would share them: only fresh ones are copied.
        if kept == nil { kept = Kept() }
        let kept = kept!
        switch function {
        case .count_distinct: kept.distinct.insert(RowKey(value))
        case .string_agg:
            guard case .string(let text) = value else { return }
            kept.textBytes += text.utf8.count + (kept.texts.isEmpty ? 0 : Self.separator(option).utf8.count)
            guard kept.textBytes <= Interruption.maximumTextBytes else {
                throw Diagnostic.tooMuchText(Interruption.maximumTextBytes, inAll: false, range: SourceRange(0, 0))
            }
            kept.texts.append(text)
        default: kept.numbers.append(value.number ?? 0)
        }
    }

    var result: Value {
        switch function {
        case .count: return .int(count)
        case .exists: return .bool(count > 0)
        case .sum: return sum
        case .min, .max: return extreme
        case .avg:
            guard count > 0 else { return .null }
            if case .figure(let f) = sum { return .figure(Figure(f.amount / Double(count), f.qualifier)) }
            return .decimal((sum.number ?? 0) / Double(count))
        case .count_distinct: return .int(kept?.distinct.count ?? 0)
        case .median: return Self.percentile(kept?.numbers ?? [], 0.5)
        case .percentile: return Self.percentile(kept?.numbers ?? [], option.number ?? 0.5)
        case .string_agg:
            guard let texts = kept?.texts, !texts.isEmpty else { return .null }
            return .string(texts.joined(separator: Self.separator(option)))
        }
    }

    private static func separator(_ option: Value) -> String {
        if case .string(let s) = option { s } else { "" }
    }

    /// The continuous percentile (as SQL's `percentile_cont`): between the two nearest values,
    /// interpolated by where the fraction falls; null of no values.
    static func percentile(_ values: [Double], _ fraction: Double) -> Value {
        guard !values.isEmpty else { return .null }
        let sorted = values.sorted()
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return .decimal(sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower)))
    }
}
