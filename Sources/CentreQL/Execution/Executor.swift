/// Runs a plan over the store and returns its rows. Rows are arrays of values laid out by the
/// checker's scope; a table row is carried as its index until the result is shown.
struct Executor: Sendable {
    var evaluator: Evaluator
    var interruption: Interruption
    var store: Store { evaluator.store }
    /// The most rows a join may produce (see `Engine.joinRowLimit`).
    var joinRowLimit = Engine.defaultJoinRowLimit
    /// Whether the first stages may run on row numbers (`RowNumberScan`); off, every stage runs on
    /// rows of values, which the tests use to show both give the same answers.
    var usesRowNumbers = true

    func run(_ plan: Plan) throws -> [[Value]] {
        var executor = self
        executor.evaluator.marks = try plan.markedConditions.map(verdicts)
        return try executor.runOperators(plan)
    }

    /// A link's condition for every row of its table, a batch at a time (what `.marked(i)` reads).
    private func verdicts(_ marked: MarkedCondition) throws -> [Bool] {
        let rows = store.tables[marked.table].rowCount
        var verdicts = [Bool](repeating: false, count: rows)
        for row in try VectorFilter(marked.condition.conjuncts, evaluator: evaluator).filter(Array(0..<rows), interruption: interruption) {
            verdicts[row] = true
        }
        return verdicts
    }

    private func runOperators(_ plan: Plan) throws -> [[Value]] {
        let table = store.tables[plan.table]
        let selection: [Int]
        switch plan.access {
        case .fullScan: selection = Array(0..<table.rowCount)
        case .index(let lookup): selection = lookup.rows(in: table)
        }
        var (rows, done) = usesRowNumbers ? try runOnRowNumbers(selection, plan.operators) : (selection.map { [Value.int($0)] }, 0)
        for op in plan.operators[done...] {
            try interruption.checkpoint()
            rows = try apply(op, to: rows)
        }
        return rows
    }

    private func apply(_ op: Plan.Operator, to rows: [[Value]]) throws -> [[Value]] {
        switch op {
        case .where(let condition):
            return try rows.enumerated().filter { index, row in
                try interruption.checkpoint(index)
                return try evaluator.isTrue(condition, row)
            }.map(\.element)

        case .select(let fields):
            return try rows.enumerated().map { index, row in
                try interruption.checkpoint(index)
                return try fields.map { try evaluator.evaluate($0.expression, row) }
            }

        case .derive(let fields, let replacing):
            return try rows.enumerated().map { index, row in
                try interruption.checkpoint(index)
                var row = row
                for (field, slot) in zip(fields, replacing) {
                    let value = try evaluator.evaluate(field.expression, row)
                    if let slot { row[slot] = value } else { row.append(value) }
                }
                return row
            }

        case .group(let keys, let aggregates, let strategy):
            // Groups appear in the order their first row appears.
            var keyRows: [[Value]] = []
            var members: [[[Value]]] = []
            var numbering = CodeNumbering(strategy.lookup)
            var valueGroups: [[Value]: Int] = [:]
            for (index, row) in rows.enumerated() {
                try interruption.checkpoint(index)
                let group: Int
                switch strategy {
                case .ungrouped:
                    group = 0
                case .codes(let lookup):
                    // Text keys by their dictionary codes: the key values are read once per group.
                    group = numbering.number(of: lookup.keys.key(row, evaluator: evaluator))
                case .valueHash:
                    let key = try keys.map { try evaluator.evaluate($0.expression, row) }
                    if let found = valueGroups[key] { group = found } else {
                        group = keyRows.count
                        valueGroups[key] = group
                    }
                }
                if group == keyRows.count {
                    keyRows.append(try keys.map { try evaluator.evaluate($0.expression, row) })
                    members.append([])
                }
                members[group].append(row)
            }
            if keys.isEmpty && keyRows.isEmpty {  // `group` with no keys over no rows still gives one row of totals
                keyRows.append([])
                members.append([])
            }
            return try zip(keyRows, members).map { key, group in
                try key + aggregates.map { try evaluator.evaluate($0.expression, group.first ?? [], group: group[...]) }
            }

        case .sort(let keys):
            return try sorted(rows, by: keys)

        case .topN(let keys, let count):
            return try top(try limitCount(count), of: rows, by: keys)

        case .take(let count):
            return Array(rows.prefix(try limitCount(count)))

        case .count:
            return [[.int(rows.count)]]

        case .distinct:
            // On rows of values every strategy comes to hashing them (the planner's others are for
            // rows still held as row numbers, which `runOnRowNumbers` takes).
            var seen = Set<[Value]>()
            return rows.filter { seen.insert($0).inserted }

        case .hashJoin(let table, let probe, let build, let condition, let residual, let idKey):
            return try hashJoin(rows, table: table, probe: probe, build: build, condition: condition, residual: residual, idKey: idKey)

        case .nestedLoopJoin(let table, let condition):
            var result: [[Value]] = []
            for row in rows {
                for other in 0..<store.tables[table].rowCount {
                    try interruption.checkpoint(other)
                    let joined = row + [.int(other)]
                    if try evaluator.isTrue(condition, joined) {
                        guard result.count < joinRowLimit else {
                            throw Diagnostic.tooManyRows(joinRowLimit, range: interruption.range)
                        }
                        result.append(joined)
                    }
                }
            }
            return result
        }
    }

    /// A stable sort: rows with equal keys keep their order, so results are repeatable.
    private func sorted(_ rows: [[Value]], by keys: [BoundSortKey]) throws -> [[Value]] {
        let values = try rows.enumerated().map { index, row in
            try interruption.checkpoint(index)
            return try keys.map { try evaluator.evaluate($0.expression, row) }
        }
        return try Self.stableOrder(values, keys, interruption: interruption).map { rows[$0] }
    }

    /// The first `n` rows in sort order, keeping only `n` candidates while reading: the same rows, in
    /// the same order, as a stable sort followed by `take`.
    private func top(_ n: Int, of rows: [[Value]], by keys: [BoundSortKey]) throws -> [[Value]] {
        guard n < rows.count / 4 else { return Array(try sorted(rows, by: keys).prefix(n)) }
        return try Self.topOrder(n, count: rows.count, keys: keys) { index, position in
            if position == 0 { try interruption.checkpoint(index) }
            return try evaluator.evaluate(keys[position].expression, rows[index])
        }.map { rows[$0] }
    }

    /// Positions in stable sort order by the key values.
    static func stableOrder(_ values: [[Value]], _ keys: [BoundSortKey], interruption: Interruption) throws -> [Int] {
        try values.indices.sorted {
            try interruption.tick()  // a sort of many rows is many comparisons: the limits bind inside it
            return precedes(values[$0], $0, values[$1], $1, keys)
        }
    }

    /// The positions of the first `n` of `count` items in stable sort order, keeping `n` candidates.
    /// `key(item, k)` is item's k-th key, asked for in order from k = 0; an item whose first key
    /// already sorts after the last candidate's is passed over without asking for the others.
    static func topOrder(_ n: Int, count: Int, keys: [BoundSortKey], key: (Int, Int) throws -> Value) rethrows -> [Int] {
        guard n > 0 else { return [] }
        var best: [(keys: [Value], index: Int)] = []
        best.reserveCapacity(n + 1)
        for index in 0..<count {
            let first = try key(index, 0)
            if best.count == n {
                let c = Value.compare(first, best[n - 1].keys[0])
                if keys[0].isDescending ? c < 0 : c > 0 { continue }
            }
            var candidate = [first]
            for position in keys.indices.dropFirst() { candidate.append(try key(index, position)) }
            if best.count == n, !precedes(candidate, index, best[n - 1].keys, best[n - 1].index, keys) { continue }
            var low = 0, high = best.count
            while low < high {
                let mid = (low + high) / 2
                if precedes(best[mid].keys, best[mid].index, candidate, index, keys) { low = mid + 1 } else { high = mid }
            }
            best.insert((candidate, index), at: low)
            if best.count > n { best.removeLast() }
        }
        return best.map(\.index)
    }

    /// Whether `a` (at position `i`) comes before `b` (at `j`): by the keys, then by position.
    static func precedes(_ a: [Value], _ i: Int, _ b: [Value], _ j: Int, _ keys: [BoundSortKey]) -> Bool {
        for (position, key) in keys.enumerated() {
            let c = Value.compare(a[position], b[position])
            if c != 0 { return key.isDescending ? c > 0 : c < 0 }
        }
        return i < j
    }

    func limitCount(_ expression: BoundExpression) throws -> Int {
        if case .int(let n) = try evaluator.evaluate(expression, []) { return max(0, n) }
        return 0
    }
}
