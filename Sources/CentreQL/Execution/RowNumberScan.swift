/// The first stages of most queries see one table row at a time (`where`, `sort`, `take`, `count`,
/// and the `select` or `group` that ends the prefix). While that holds, the rows are kept as row
/// numbers, and each expression reads the current row through one reused buffer: no array is
/// made per row, and grouping folds each aggregate as it reads instead of gathering each group's rows.
///
/// It gives exactly the rows the general operators give, in the same order (the tests run every
/// query both ways); it only stops earlier, handing over to them, at the first stage it does not cover.
extension Executor {
    /// Runs the operators it covers from the start of `operators`; returns the rows so far (row numbers
    /// wrapped as one-slot rows if nothing materialised them) and how many operators it ran.
    func runOnRowNumbers(_ selection: [Int], _ operators: [Plan.Operator]) throws -> (rows: [[Value]], done: Int) {
        var selection = selection
        var buffer: [Value] = [.int(0)]
        var done = 0
        while done < operators.count {
            try interruption.checkpoint()
            switch operators[done] {
            case .where(let whole):
                // The leading conjuncts that cannot fail a batch at a time; the rest row by row.
                let (batched, rest) = VectorFilter.split(whole)
                if !batched.isEmpty {
                    selection = try VectorFilter(batched, evaluator: evaluator).filter(selection, interruption: interruption)
                }
                guard !rest.isEmpty else { break }
                let condition = BoundExpression.all(rest.map { Conjunct(expression: $0, text: "") })
                var kept: [Int] = []
                if let codes = textColumnCodes(condition) {
                    // The condition reads one text column: its verdict is the same for every row holding
                    // the same string, so it is worked out once per distinct string.
                    var verdicts = [UInt8](repeating: 0, count: codes.distinct + 1)  // 0 not yet known, 1 false, 2 true
                    for (index, row) in selection.enumerated() {
                        try interruption.checkpoint(index)
                        let code = Int(codes.codes[row])
                        if verdicts[code] == 0 {
                            buffer[0] = .int(row)
                            verdicts[code] = try evaluator.isTrue(condition, buffer) ? 2 : 1
                        }
                        if verdicts[code] == 2 { kept.append(row) }
                    }
                } else {
                    for (index, row) in selection.enumerated() {
                        try interruption.checkpoint(index)
                        buffer[0] = .int(row)
                        if try evaluator.isTrue(condition, buffer) { kept.append(row) }
                    }
                }
                selection = kept

            case .sort(let keys):
                selection = try sorted(selection, by: keys, buffer: &buffer)

            case .topN(let keys, let count):
                let n = try limitCount(count)
                selection = n < selection.count / 4 ? try top(n, of: selection, by: keys, buffer: &buffer)
                                                    : Array(try sorted(selection, by: keys, buffer: &buffer).prefix(n))

            case .take(let count):
                selection = Array(selection.prefix(try limitCount(count)))

            case .distinct:
                break  // each row is a different table row: already distinct

            case .count:
                return ([[.int(selection.count)]], done + 1)

            case .select(let fields):
                // `select` of text columns then `distinct`: find the distinct rows by their codes, then read only those.
                if done + 1 < operators.count, case .distinct(let strategy) = operators[done + 1], let lookup = strategy.lookup {
                    var numbering = CodeNumbering(lookup)
                    var firsts: [Int] = []
                    for (index, row) in selection.enumerated() {
                        try interruption.checkpoint(index)
                        buffer[0] = .int(row)
                        let met = numbering.count
                        _ = numbering.number(of: lookup.keys.key(ofRow: row, in: buffer, evaluator: evaluator))
                        if numbering.count > met { firsts.append(row) }
                    }
                    return (try project(firsts, fields, buffer: &buffer), done + 2)
                }
                return (try project(selection, fields, buffer: &buffer), done + 1)

            case .group(let keys, let aggregates, let strategy):
                return (try aggregate(selection, keys: keys, aggregates: aggregates, strategy: strategy, buffer: &buffer), done + 1)

            case .hashJoin(let table, let probe, let build, let condition, let residual, let idKey):
                // The pairs as row numbers of the two tables: a `select` or `count` right after reads
                // them through a two-slot buffer, so the only rows made are the answer's.
                let kept = selection
                let pairs = try hashJoinPairs(count: kept.count, width: 1, fill: { index, row in row[0] = .int(kept[index]) }, table: table,
                                              probe: probe, build: build, condition: condition, residual: residual, idKey: idKey)
                let lefts = pairs.left.map { kept[$0] }
                // (The planner's explanation says which stages read the pairs: `readsJoinPairs`.)
                switch done + 1 < operators.count ? operators[done + 1] : nil {
                case .count?:
                    return ([[.int(lefts.count)]], done + 2)
                case .select(let fields)?:
                    var pair: [Value] = [.null, .null]
                    var rows: [[Value]] = []
                    rows.reserveCapacity(lefts.count)
                    for (index, (left, right)) in zip(lefts, pairs.right).enumerated() {
                        try interruption.checkpoint(index)
                        pair[0] = .int(left)
                        pair[1] = .int(right)
                        rows.append(try fields.map { try evaluator.evaluate($0.expression, pair) })
                    }
                    return (rows, done + 2)
                default:
                    return (zip(lefts, pairs.right).map { [.int($0), .int($1)] }, done + 1)
                }

            case .derive, .nestedLoopJoin:
                return (selection.map { [Value.int($0)] }, done)
            }
            done += 1
        }
        return (selection.map { [Value.int($0)] }, done)
    }

    /// The codes of the one text column of the scanned row that `condition` depends on, if it depends
    /// on nothing else of the row (constants and parameters are fine; links and other columns are not).
    private func textColumnCodes(_ condition: BoundExpression) -> (codes: [UInt32], distinct: Int)? {
        var found: (table: Int, column: Int)?
        func onlyOneTextColumn(_ expression: BoundExpression) -> Bool {
            switch expression {
            case .constant, .parameter: return true
            case .marked: return false
            case .column(.slot(0), let table, let column):
                if let found { return found == (table, column) }
                found = (table, column)
                return true
            case .column, .slot, .linkAggregate, .groupAggregate: return false
            case .list(let items): return items.allSatisfy(onlyOneTextColumn)
            case .negate(let operand), .not(let operand), .matches(let operand, _), .exactFigure(let operand): return onlyOneTextColumn(operand)
            case .binary(_, let left, let right, _): return onlyOneTextColumn(left) && onlyOneTextColumn(right)
            case .function(_, let arguments, _): return arguments.allSatisfy(onlyOneTextColumn)
            }
        }
        guard onlyOneTextColumn(condition), let found,
              let (codes, dictionary) = store.tables[found.table].columns[found.column].stringCodes else { return nil }
        return (codes, dictionary.count)
    }

    /// The select's rows. Fields that cannot fail (figures aside, which a batch reads as amounts) are
    /// read a batch at a time with the filter's kernels; the others row by row, in order, so an error
    /// comes from the row that makes it.
    private func project(_ selection: [Int], _ fields: [BoundField], buffer: inout [Value]) throws -> [[Value]] {
        let batched = fields.map { BatchExpression.reading($0.expression, type: $0.type, evaluator: evaluator) }
        guard batched.contains(where: { $0 != nil }) else { return try values(of: fields.map(\.expression), for: selection, buffer: &buffer) }
        var result: [[Value]] = []
        result.reserveCapacity(selection.count)
        var start = 0
        while start < selection.count {
            let rows = selection[start..<min(start + VectorFilter.batchSize, selection.count)]
            let columns = try batched.map { try $0?.values(rows) }
            for (offset, row) in rows.enumerated() {
                try interruption.checkpoint(start + offset)
                buffer[0] = .int(row)
                result.append(try fields.indices.map { position in
                    try columns[position]?[offset] ?? evaluator.evaluate(fields[position].expression, buffer)
                })
            }
            start += VectorFilter.batchSize
        }
        return result
    }

    /// The expressions' values for each row: one row of values per row number (`select`, and sort keys).
    private func values(of expressions: [BoundExpression], for selection: [Int], buffer: inout [Value]) throws -> [[Value]] {
        var result: [[Value]] = []
        result.reserveCapacity(selection.count)
        for (index, row) in selection.enumerated() {
            try interruption.checkpoint(index)
            buffer[0] = .int(row)
            result.append(try expressions.map { try evaluator.evaluate($0, buffer) })
        }
        return result
    }

    /// A stable sort by the keys (ties keep their order).
    private func sorted(_ selection: [Int], by keys: [BoundSortKey], buffer: inout [Value]) throws -> [Int] {
        try Self.stableOrder(try values(of: keys.map(\.expression), for: selection, buffer: &buffer), keys, interruption: interruption).map { selection[$0] }
    }

    /// The first `n` in sort order, keeping `n` candidates: the same as a stable sort, then `take n`.
    private func top(_ n: Int, of selection: [Int], by keys: [BoundSortKey], buffer: inout [Value]) throws -> [Int] {
        // A key that is a column of the row itself is read straight from the column.
        let columns = keys.map { key -> Column? in
            if case .column(.slot(0), let table, let column) = key.expression { store.tables[table].columns[column] } else { nil }
        }
        return try Self.topOrder(n, count: selection.count, keys: keys) { index, position in
            if position == 0 { try interruption.checkpoint(index) }
            if let column = columns[position] { return column[selection[index]] }
            buffer[0] = .int(selection[index])
            return try evaluator.evaluate(keys[position].expression, buffer)
        }.map { selection[$0] }
    }

    /// Groups in order of first appearance; each aggregate that is a plain `f(x)` folds as rows are
    /// read, and any other aggregate expression is evaluated over the group's rows at the end.
    private func aggregate(_ selection: [Int], keys: [BoundField], aggregates: [BoundField], strategy: GroupStrategy,
                           buffer: inout [Value]) throws -> [[Value]] {
        var numbering = CodeNumbering(strategy.lookup)
        var valueGroups: [[Value]: Int] = [:]
        var keyRows: [[Value]] = []
        var members: [[Int]] = []
        // The aggregates that are a plain `f(x)` fold as rows are read: one Aggregator per group and
        // such aggregate, in one flat array (group × width + position).
        let plain = aggregates.enumerated().compactMap { position, field in
            if case .groupAggregate(let function, let argument, let filter) = field.expression { (position, function, argument, filter) } else { nil }
        }
        // Kept apart, so the loop below reads each without copying the others.
        let folded = plain.map(\.0), functions = plain.map(\.1), arguments = plain.map(\.2), filters = plain.map(\.3)
        let width = folded.count
        var folds: [Aggregator] = []
        let needsMembers = folded.count < aggregates.count
        // Arguments and conditions that cannot fail are read a batch at a time, by the filter's kernels
        // (not a figure's value, which they would read as its amount); the folds still go in row order.
        let batchedArguments = folded.indices.map { BatchExpression.reading(arguments[$0], type: aggregates[folded[$0]].type, evaluator: evaluator) }
        let batchedFilters = filters.map { BatchExpression.reading($0, type: .bool, evaluator: evaluator) }
        var argumentValues = [[Value]](repeating: [], count: width), filterTruths = [[Bool]](repeating: [], count: width)
        for (index, row) in selection.enumerated() {
            try interruption.checkpoint(index)
            let inBatch = index % VectorFilter.batchSize
            if inBatch == 0 {
                let rows = selection[index..<min(index + VectorFilter.batchSize, selection.count)]
                for position in 0..<width {
                    if let batch = batchedArguments[position] { argumentValues[position] = try batch.values(rows) }
                    if let batch = batchedFilters[position] { filterTruths[position] = try batch.truths(rows) }
                }
            }
            buffer[0] = .int(row)
            let group: Int
            switch strategy {
            case .ungrouped:
                group = 0
            case .codes(let lookup):
                group = numbering.number(of: lookup.keys.key(ofRow: row, in: buffer, evaluator: evaluator))
            case .valueHash:
                let key = try keys.map { try evaluator.evaluate($0.expression, buffer) }
                if let found = valueGroups[key] { group = found } else {
                    group = keyRows.count
                    valueGroups[key] = group
                }
            }
            if group == keyRows.count {
                keyRows.append(try keys.map { try evaluator.evaluate($0.expression, buffer) })
                folds += functions.map(Aggregator.init)
                members.append([])
            }
            for position in 0..<width where !folds[group * width + position].isDecided {
                if batchedFilters[position] != nil {
                    if !filterTruths[position][inBatch] { continue }
                } else if let filter = filters[position], !(try evaluator.evaluate(filter, buffer).isTrue) { continue }
                let value = batchedArguments[position] != nil ? argumentValues[position][inBatch]
                    : try arguments[position].map { try evaluator.evaluate($0, buffer) } ?? .bool(true)
                try folds[group * width + position].add(value)
            }
            if needsMembers { members[group].append(row) }
        }
        if keys.isEmpty && keyRows.isEmpty {  // `group` with no keys over no rows still gives one row of totals
            keyRows.append([])
            folds += functions.map(Aggregator.init)
            members.append([])
        }
        return try keyRows.indices.map { group in
            let rows = needsMembers ? members[group].map { [Value.int($0)] } : []
            return try keyRows[group] + aggregates.indices.map { position in
                if let slot = folded.firstIndex(of: position) { return folds[group * width + slot].result }
                return try evaluator.evaluate(aggregates[position].expression, rows.first ?? [], group: rows[...])
            }
        }
    }
}
