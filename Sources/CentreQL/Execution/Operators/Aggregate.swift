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
            if case .groupAggregate(let function, let argument, let filter, let option) = field.expression.node { (position, Aggregator(function, option: option), argument, filter) } else { nil }
        }
        let folded = plain.map(\.0), arguments = plain.map(\.2), filters = plain.map(\.3)
        var groups = GroupTable(strategy: strategy, aggregators: plain.map(\.1), keepsMembers: folded.count < aggregates.count)
        let byValue = strategy.lookup == nil && !keys.isEmpty
        let keyKernels = keys.map { compiler.compile($0.expression) }
        let codeKernel = strategy.lookup.map { $0.keys.kernel(compiler) }
        let argumentKernels = arguments.map { $0.map(compiler.compile) }
        let filterKernels = filters.map { $0.map(compiler.compile) }

        try forEachBatch(relation, into: &groups, compute: { batch in
            // Everything a kernel reads for the batch, before any group changes.
            (codes: codeKernel?(batch),
             keys: byValue ? try keyKernels.map { try $0(batch).values(count: batch.count) } : nil,
             arguments: try argumentKernels.map { try $0?(batch).values(count: batch.count) },
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
            for (i, position) in range.enumerated() {
                let key = computed.keys.map { columns in columns.map { $0[i] } }
                let group = groups.number(code: computed.codes?[i], key: key)
                if group == groups.count {
                    if let key { try groups.open(label: key) } else {
                        // A group's first row: its key values, read once (codes said which group).
                        let row = relation.row(position)
                        try groups.open(label: keys.map { try evaluator.evaluate($0.expression, row) })
                    }
                }
                try groups.fold(group, position) { p in
                    computed.filters[p]?[i] == false ? nil : (computed.arguments[p]?[i] ?? .bool(true))
                }
            }
        })
        if keys.isEmpty && groups.count == 0 { try groups.open(label: []) }  // `group` with no keys over no rows still gives one row of totals
        let rows = try (0..<groups.count).map { group in
            let rows = groups.members.isEmpty ? [] : groups.members[group].map(relation.row)
            return try groups.keyRows[group] + aggregates.indices.map { position in
                if let slot = folded.firstIndex(of: position) { return groups.folds[group * groups.width + slot].result }
                return try evaluator.evaluate(aggregates[position].expression, rows.first ?? [], group: rows[...])
            }
        }
        return Relation(rows: rows, width: keys.count + aggregates.count)
    }
}

/// The groups met so far: their key values, their plain aggregates' folds (one Aggregator per group
/// and aggregate, in one flat array: group × width + position) and, when an aggregate is not a plain
/// `f(x)`, their rows' positions.
private struct GroupTable {
    let strategy: GroupStrategy
    /// Each plain aggregate's fold before any row: a new group starts with copies.
    let aggregators: [Aggregator]
    let keepsMembers: Bool
    var width: Int { aggregators.count }
    private var numbering: CodeNumbering
    private var byValue: [RowKey: Int] = [:]
    private(set) var keyRows: [[Value]] = []
    private(set) var folds: [Aggregator] = []
    private(set) var members: [[Int]] = []

    init(strategy: GroupStrategy, aggregators: [Aggregator], keepsMembers: Bool) {
        self.strategy = strategy
        self.aggregators = aggregators
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

    mutating func open(label: @autoclosure () throws -> [Value]) throws {
        keyRows.append(try label())
        folds += aggregators
        if keepsMembers { members.append([]) }
    }

    /// Folds the row at `position` into `group`: `value(p)` is aggregate p's value for it, nil when
    /// its condition leaves the row out (asked only while the aggregate is undecided).
    mutating func fold(_ group: Int, _ position: Int, _ value: (Int) throws -> Value?) throws {
        // Each fold changed where it lies: reading one out (for `isDecided`) copied it for every row.
        for p in 0..<width { try folds[group * width + p].add { try value(p) } }
        if keepsMembers { members[group].append(position) }
    }
}
