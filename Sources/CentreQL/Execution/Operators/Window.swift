/// A `select` or `derive` that reads window parts: window functions (`row_number()`, `lag(x)`,
/// `running_sum(x)`) and aggregates over all the rows (`n / sum(n)`). Each part is computed for
/// every row at once, in the rows' order, into a slot of its own; the fields then read those slots
/// as any column, through kernels, and the slots are dropped.
extension Executor {
    func window(_ relation: Relation, parts: [BoundExpression], fields: [BoundField], replacing: [Int?]?) throws -> Relation {
        let width = relation.slots.count
        var extended = relation
        for part in parts { extended.slots.append(.values(try windowValues(part, over: relation))) }
        guard let replacing else { return try select(fields, from: extended) }
        var result = try derive(fields, replacing: replacing, on: extended)
        result.slots.removeSubrange(width..<(width + parts.count))
        return result
    }

    /// One part's value for each row of the relation, all of its rows being one partition.
    private func windowValues(_ part: BoundExpression, over relation: Relation) throws -> [Value] {
        let n = relation.count
        switch part.node {
        case .groupAggregate(let function, let argument, let filter, let option):
            var accumulator = Aggregator(function, option: option)
            try fold(&accumulator, argument: argument, filter: filter, over: relation) { _, _ in }
            return Array(repeating: accumulator.result, count: n)
        case .window(let function, let argument, let offset, let keys, _):
            switch function {
            case .row_number:
                return (0..<n).map { .int($0 + 1) }
            case .rank, .dense_rank:
                // A key's ranks where it has them (integers, as the sort compared them), else its values.
                let stored = keys.map { storedRanks($0.expression, over: relation) }
                let columns = try keys.indices.map { stored[$0] != nil ? Relation.Slot.values([]) : try column(keys[$0].expression, over: relation) }
                let ranks = keys.indices.map { stored[$0] ?? SortRanks(columns[$0], count: n).map { [$0.ranks] } }
                func tie(_ k: Int, _ i: Int) -> Bool {
                    if let levels = ranks[k] { return levels.allSatisfy { $0[i] == $0[i - 1] } }
                    return Value.compare(columns[k][i], columns[k][i - 1]) == 0
                }
                var values: [Value] = []
                values.reserveCapacity(n)
                var rank = 0, dense = 0
                for i in 0..<n {
                    // A row ties with the one before when every key compares equal (as the sort ordered them).
                    let ties = i > 0 && !columns.isEmpty && columns.indices.allSatisfy { tie($0, i) }
                    if !ties { rank = i + 1; dense += 1 }
                    values.append(.int(function == .rank ? rank : dense))
                }
                return values
            case .lag, .lead:
                guard let argument else { return Array(repeating: .null, count: n) }
                let values = try column(argument, over: relation)
                return (0..<n).map { i in
                    let other = function == .lag ? i - offset : i + offset
                    return other >= 0 && other < n ? values[other] : .null
                }
            case .running_sum, .running_count, .running_avg, .running_min, .running_max:
                let aggregate: AggregateFunction = switch function {
                case .running_sum: .sum
                case .running_count: .count
                case .running_avg: .avg
                case .running_min: .min
                default: .max
                }
                var accumulator = Aggregator(aggregate)
                var values: [Value] = []
                values.reserveCapacity(n)
                try fold(&accumulator, argument: argument, filter: nil, over: relation) { _, accumulator in
                    values.append(accumulator.result)
                }
                return values
            }
        default:
            return try column(part, over: relation).values(count: n)
        }
    }

    /// Folds an aggregate over the relation's rows in order (its argument and condition read a
    /// column at a time), calling `step` after each row.
    private func fold(_ accumulator: inout Aggregator, argument: BoundExpression?, filter: BoundExpression?, over relation: Relation,
                      step: (Int, Aggregator) -> Void) throws {
        let values = try argument.map { try column($0, over: relation) }
        let kept = try filter.map { try column($0, over: relation) }
        for i in relation.positions {
            if kept?[i].isTrue ?? true { try accumulator.add(values?[i] ?? .bool(true)) }
            step(i, accumulator)
        }
    }
}

extension Relation.Slot {
    func values(count: Int) -> [Value] {
        switch self {
        case .values(let values): values
        case .rows(let rows): rows.map { .int($0) }
        }
    }
}
