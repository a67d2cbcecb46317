/// Runs a plan over the store: the access path's rows, then each operator in turn, every one taking
/// a `Relation` (the rows column by column) and giving the next. The operators are in
/// `Execution/Operators/`, one per file; each reads its expressions through kernels a batch of rows
/// at a time (`Kernels.swift`) and keeps to one rule for errors: the error a query reports is the
/// one the evaluator meets first when it takes the rows one at a time, in order, each stage of a
/// row before the next row (a batch whose kernels throw is taken again that way: `rowByRow`).
struct Executor: Sendable {
    var evaluator: Evaluator
    var interruption: Interruption
    var store: Store { evaluator.store }
    /// The most rows a join may produce (see `Engine.joinRowLimit`).
    var joinRowLimit = Engine.defaultJoinRowLimit
    /// Off, every expression is computed by the evaluator row by row (the tests compare the two).
    var usesKernels = true

    /// Rows per batch: large enough that a kernel's loop dominates, small enough that its vectors stay in cache.
    static let batchSize = 1024
    /// Up to this many rows, `column` asks the evaluator instead of compiling kernels.
    static let fewRows = 8

    var kernels: KernelCompiler { KernelCompiler(evaluator: evaluator, usesKernels: usesKernels) }

    func run(_ plan: Plan) throws -> [[Value]] {
        try relation(of: plan).rows
    }

    /// A plan's rows (its own lists and marks made first; the lists so far stay readable).
    func relation(of plan: Plan) throws -> Relation {
        if plan.subplans.isEmpty, plan.markedConditions.isEmpty { return try relation(plan) }  // nothing to add: no copy
        var executor = self
        // Pipelines read as lists first, in order (a later one may read an earlier one's list).
        for subplan in plan.subplans {
            // The list is the first column, read from the relation without making a row for each value.
            let rows = try executor.relation(of: subplan)
            let values: [Value] = switch rows.slots.first {
            case .values(let values)?: values
            case let slot?: (0..<rows.count).map { slot[$0] }
            case nil: [Value](repeating: .null, count: rows.count)
            }
            executor.evaluator.lists.append(ValueList(values))
        }
        executor.evaluator.marks = try plan.markedConditions.map(executor.verdicts)
        return try executor.relation(plan)
    }

    private func relation(_ plan: Plan) throws -> Relation {
        let table = store.tables[plan.table]
        var relation: Relation
        switch plan.access {
        case .fullScan: relation = Relation(tableRows: Array(0..<table.rowCount))
        case .index(let lookup): relation = Relation(tableRows: lookup.rows(in: table))
        }
        return try run(plan.operators, on: relation)
    }

    /// The operators, each over the relation the one before gave.
    func run(_ operators: [Plan.Operator], on relation: Relation) throws -> Relation {
        var relation = relation
        var position = 0
        while position < operators.count {
            try interruption.checkpoint()
            if case .select(let fields) = operators[position], position + 1 < operators.count,
               case .distinct(.codes(let lookup)) = operators[position + 1] {
                // The distinct rows found by the selected columns' codes; only those are selected.
                relation = try select(fields, from: firstOfEachKey(relation, lookup))
                position += 2
                continue
            }
            relation = try apply(operators[position], to: relation)
            position += 1
        }
        return relation
    }

    private func apply(_ op: Plan.Operator, to relation: Relation) throws -> Relation {
        switch op {
        case .where(let condition): return try filter(relation, condition)
        case .select(let fields): return try select(fields, from: relation)
        case .derive(let fields, let replacing): return try derive(fields, replacing: replacing, on: relation)
        case .window(let parts, let fields, let replacing): return try window(relation, parts: parts, fields: fields, replacing: replacing)
        case .groupEach(let keys, let plan, let kept, let together, let strategy):
            return try groupEach(relation, keys: keys, operators: plan.operators, keptKeys: kept, together: together, strategy: strategy,
                                                                                            width: plan.scope.fields.count)
        case .combine(let operation, let plan, let scope): return try combine(operation, relation, scope: scope, with: plan)
        case .explode(let field, let replacing): return try explode(relation, field.expression, replacing: replacing)
        case .unpivot(let kept, let columns, let names, let type, let scope):
            return try unpivot(relation, scope: scope, kept: kept, columns: columns, names: names, type: type)
        case .group(let keys, let aggregates, let strategy): return try aggregate(relation, keys: keys, aggregates: aggregates, strategy: strategy)
        case .sort(let keys): return relation.gathering(try sortOrder(relation, keys))
        case .topN(let keys, let count): return relation.gathering(try topOrder(try limitCount(count), relation, keys))
        case .take(let count): return relation.prefix(try limitCount(count))
        case .count: return Relation(slots: [.values([.int(relation.count)])], count: 1)
        case .distinct(let strategy): return try distinct(relation, strategy)
        case .hashJoin(let table, let probe, let build, let condition, let residual, let idKey, let keepsUnmatched):
            return try hashJoin(relation, table: table, probe: probe, build: build, condition: condition, residual: residual, idKey: idKey,
                                keepsUnmatched: keepsUnmatched)
        case .nestedLoopJoin(let table, let condition, let keepsUnmatched):
            return try nestedLoopJoin(relation, table: table, condition: condition, keepsUnmatched: keepsUnmatched)
        }
    }

    /// A link's condition for every row of its table, a batch at a time (what `.marked(i)` reads).
    private func verdicts(_ marked: MarkedCondition) throws -> [Bool] {
        let rows = store.tables[marked.table].rowCount
        var verdicts = [Bool](repeating: false, count: rows)
        let kept = try filter(Relation(tableRows: Array(0..<rows)), marked.condition)
        if case .rows(let numbers) = kept.slots[0] { for row in numbers { verdicts[row] = true } }
        return verdicts
    }

    /// Each batch of the relation's rows: what `compute` makes of it through kernels, handed to
    /// `consume` with the batch's positions; nil when `compute` threw, and `consume` then takes the
    /// batch row by row with the evaluator (`rowByRow`), so an error is the one the plain order meets.
    /// `compute` must change nothing; what the batches build up is `state`, passed to `consume`
    /// (not captured: a closure's captured variable costs a dynamic exclusivity check per access).
    func forEachBatch<State, T>(_ relation: Relation, into state: inout State, compute: (Batch) throws -> T,
                                consume: (inout State, Range<Int>, T?) throws -> Void) throws {
        for range in relation.batches(of: Self.batchSize) {
            try interruption.checkpoint(range.lowerBound)
            try consume(&state, range, try? compute(Batch(relation: relation, positions: Array(range))))
        }
    }

    /// The rows at `positions` one at a time, each written into a reused row for the evaluator.
    func rowByRow(_ relation: Relation, _ positions: Range<Int>, _ body: (Int, [Value]) throws -> Void) throws {
        var buffer = relation.rowBuffer
        for position in positions {
            try interruption.checkpoint(position)
            relation.fill(&buffer, at: position)
            try body(position, buffer)
        }
    }

    /// The values of `expression` for every row of the relation, as one slot.
    func column(_ expression: BoundExpression, over relation: Relation) throws -> Relation.Slot {
        if case .slot(let slot) = expression.node { return relation.slots[slot] }
        var values: [Value] = []
        values.reserveCapacity(relation.count)
        // A few rows (a lookup by id) cost less to evaluate than to compile kernels for.
        if relation.count <= Self.fewRows {
            // Only the slots it reads are filled (a join's build side holds nothing in the others).
            let slots = expression.referencedSlots
            var row = relation.rowBuffer
            for position in relation.positions {
                for slot in slots { row[slot] = relation.slots[slot][position] }
                values.append(try evaluator.evaluate(expression, row))
            }
            return .values(values)
        }
        let kernel = kernels.compile(expression)
        for range in relation.batches(of: Self.batchSize) {
            try interruption.checkpoint(range.lowerBound)
            try kernel(Batch(relation: relation, positions: Array(range))).append(to: &values, count: range.count)
        }
        return .values(values)
    }

    /// The values of a whole-number expression for every row, as integers (nil for null), read
    /// through kernels; nil when its type is not a whole number or a batch holds other values.
    func wholeNumbers(_ expression: BoundExpression, over relation: Relation) throws -> [Int?]? {
        guard expression.type == .int else { return nil }
        if relation.count <= Self.fewRows { return try column(expression, over: relation).wholeNumbers }
        let kernel = kernels.compile(expression)
        var numbers: [Int?] = []
        numbers.reserveCapacity(relation.count)
        for range in relation.batches(of: Self.batchSize) {
            try interruption.checkpoint(range.lowerBound)
            let count = range.count
            guard let (values, nulls) = try kernel(Batch(relation: relation, positions: Array(range))).wholeNumbers(count: count) else { return nil }
            for i in 0..<count { numbers.append(nulls[i] ? nil : values[i]) }
        }
        return numbers
    }

    func limitCount(_ expression: BoundExpression) throws -> Int {
        if case .int(let n) = try evaluator.evaluate(expression, []) { return max(0, n) }
        return 0
    }
}
