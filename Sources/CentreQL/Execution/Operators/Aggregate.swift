/// `group … agg`: each row's group found the way the planner chose (`GroupStrategy`), groups in the
/// order their first row appears. An aggregate that is a plain `f(x)` folds as the rows are read,
/// its argument and condition read a batch at a time through kernels; any other aggregate
/// expression (`sum(x) / count()`) is evaluated over its group's rows at the end.
///
/// The plain order, which decides which error a query reports: row by row, the keys, then each
/// aggregate's condition and argument.
extension Executor {
    func aggregate(_ relation: Relation, keys: [BoundField], aggregates: [BoundField], strategy: GroupStrategy) throws -> Relation {
        let compiler = kernels
        let plain = aggregates.enumerated().compactMap { position, field in
            if case .groupAggregate(let function, let argument, let filter, let option) = field.expression.node {
                (position, AggregateColumn(function, option: option, argument: argument?.type), argument, filter)
            } else { nil }
        }
        let folded = plain.map(\.0), arguments = plain.map(\.2), filters = plain.map(\.3)
        var groups = GroupTable(strategy: strategy, columns: plain.map(\.1), keepsMembers: folded.count < aggregates.count)
        let byValue = strategy.lookup == nil && !keys.isEmpty
        let keyKernels = keys.map { compiler.compile($0.expression) }
        let codeKernel = strategy.lookup.map { $0.keys.kernel(compiler) }
        let argumentKernels = arguments.map { $0.map(compiler.compile) }
        let filterKernels = filters.map { $0.map(compiler.compile) }

        try forEachBatch(relation, into: &groups, compute: { batch in
            // Everything a kernel reads for the batch, before any group changes.
            (codes: codeKernel?(batch),
             keys: byValue ? try keyKernels.map { try $0(batch).values(count: batch.count) } : nil,
             arguments: try argumentKernels.map { try $0?(batch) },
             filters: try filterKernels.map { try $0?(batch).truths(count: batch.count) })
        }, consume: { groups, range, computed in
            guard let computed else {
                try rowByRow(relation, range) { position, row in
                    let group = groups.number(code: strategy.lookup?.keys.key(row, evaluator: evaluator),
                                              key: byValue ? try keys.map { try evaluator.evaluate($0.expression, row) } : nil)
                    if group == groups.count { try groups.open(label: keys.map { try evaluator.evaluate($0.expression, row) }) }
                    try groups.fold(group, position) { p in
                        guard try filters[p].map({ try evaluator.evaluate($0, row).isTrue }) ?? true else { return nil }
                        return try arguments[p].map { try evaluator.evaluate($0, row) } ?? .bool(true)
                    }
                }
                return
            }
            // Each row's group first (opening new ones in the rows' order), then each aggregate
            // over the whole batch.
            let numbers: [Int]
            if let codes = computed.codes {
                numbers = groups.numbers(codes: codes)
                // Groups are numbered in the order their first rows come: each new one opens at its first row.
                for (i, position) in range.enumerated() where numbers[i] == groups.count {
                    let row = relation.row(position)  // its key values, read once (codes said which group)
                    try groups.open(label: keys.map { try evaluator.evaluate($0.expression, row) })
                }
            } else {
                var found: [Int] = []
                found.reserveCapacity(range.count)
                for i in 0..<range.count {
                    let key = computed.keys.map { columns in columns.map { $0[i] } }
                    let group = groups.number(code: nil, key: key)
                    if group == groups.count { try groups.open(label: key ?? []) }
                    found.append(group)
                }
                numbers = found
            }
            for (i, position) in range.enumerated() { groups.remember(position, in: numbers[i]) }
            try groups.fold(numbers, arguments: computed.arguments, filters: computed.filters)
        })
        if keys.isEmpty && groups.count == 0 { try groups.open(label: []) }  // `group` with no keys over no rows still gives one row of totals
        let rows = try (0..<groups.count).map { group in
            let rows = groups.members.isEmpty ? [] : groups.members[group].map(relation.row)
            return try groups.keyRows[group] + aggregates.indices.map { position in
                if let slot = folded.firstIndex(of: position) { return groups.columns[slot].result(group) }
                return try evaluator.evaluate(aggregates[position].expression, rows.first ?? [], group: rows[...])
            }
        }
        return Relation(rows: rows, width: keys.count + aggregates.count)
    }
}

/// The groups met so far: their key values, their plain aggregates' states (an `AggregateColumn`
/// per aggregate, with a place per group) and, when an aggregate is not a plain `f(x)`, their
/// rows' positions.
private struct GroupTable {
    let strategy: GroupStrategy
    let keepsMembers: Bool
    private(set) var columns: [AggregateColumn]
    private var numbering: CodeNumbering
    private var byValue: [RowKey: Int] = [:]
    private(set) var keyRows: [[Value]] = []
    private(set) var members: [[Int]] = []

    init(strategy: GroupStrategy, columns: [AggregateColumn], keepsMembers: Bool) {
        self.strategy = strategy
        self.columns = columns
        self.keepsMembers = keepsMembers
        self.numbering = CodeNumbering(strategy.lookup)
    }

    var count: Int { keyRows.count }

    /// The group of a row with this combined code or these key values; `count` when it is a new one
    /// (`open` it next).
    mutating func number(code: Int?, key: [Value]?) -> Int {
        switch strategy {
        case .ungrouped: return 0
        case .codes: return numbering.number(of: code!)
        case .valueHash:
            let key = RowKey(values: key!)
            if let found = byValue[key] { return found }
            byValue[key] = count
            return count
        }
    }

    /// The groups of a batch's combined codes (`.codes` only); numbers from `count` up are new.
    mutating func numbers(codes: [Int]) -> [Int] { numbering.numbers(of: codes) }

    mutating func open(label: @autoclosure () throws -> [Value]) throws {
        keyRows.append(try label())
        for i in columns.indices { columns[i].addGroup() }
        if keepsMembers { members.append([]) }
    }

    @inline(__always)
    mutating func remember(_ position: Int, in group: Int) {
        if keepsMembers { members[group].append(position) }
    }

    /// Folds the row at `position` into `group`: `value(p)` is aggregate p's value for it, nil when
    /// its condition leaves the row out.
    mutating func fold(_ group: Int, _ position: Int, _ value: (Int) throws -> Value?) throws {
        for p in columns.indices { try columns[p].fold(group) { try value(p) } }
        remember(position, in: group)
    }

    /// Folds a batch whose row `i` is in group `groups[i]`, aggregate by aggregate. When folds fail,
    /// the error is the one a fold row by row, each row's aggregates in order, meets first.
    mutating func fold(_ groups: [Int], arguments: [Vector?], filters: [[Bool]?]) throws {
        var first: (row: Int, error: any Error)?
        for p in columns.indices {
            do {
                try columns[p].fold(groups, values: arguments[p], included: filters[p])
            } catch let failure as FoldFailure {
                if first == nil || failure.row < first!.row { first = (failure.row, failure.error) }
            }
        }
        if let first { throw first.error }
    }
}
