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
            if case .groupAggregate(let function, let argument, let filter) = field.expression { (position, function, argument, filter) } else { nil }
        }
        // Kept apart, so the loop below reads each without copying the others.
        let folded = plain.map(\.0), functions = plain.map(\.1), arguments = plain.map(\.2), filters = plain.map(\.3)
        let width = folded.count
        let needsMembers = folded.count < aggregates.count
        let keyKernels = keys.map { compiler.compile($0.expression) }
        let codeKernel = strategy.lookup.map { $0.keys.kernel(compiler) }
        let argumentKernels = arguments.map { $0.map(compiler.compile) }
        let filterKernels = filters.map { $0.map(compiler.compile) }

        var numbering = CodeNumbering(strategy.lookup)
        var valueGroups: [RowKey: Int] = [:]
        var keyRows: [[Value]] = []
        var members: [[Int]] = []
        // One Aggregator per group and plain aggregate, in one flat array (group × width + position).
        var folds: [Aggregator] = []

        /// Adds the row at `position` to its group; `label` gives the key values of a group's first row.
        func add(_ position: Int, code: Int?, keyValues: [Value]?, label: () throws -> [Value],
                 filter: (Int) throws -> Bool, argument: (Int) throws -> Value) throws {
            let group: Int
            switch strategy {
            case .ungrouped: group = 0
            case .codes: group = numbering.number(of: code!)
            case .valueHash:
                let key = RowKey(values: keyValues!)
                if let found = valueGroups[key] { group = found } else {
                    group = keyRows.count
                    valueGroups[key] = group
                }
            }
            if group == keyRows.count {
                keyRows.append(try keyValues ?? label())
                folds += functions.map(Aggregator.init)
                members.append([])
            }
            for p in 0..<width where !folds[group * width + p].isDecided {
                guard try filter(p) else { continue }
                try folds[group * width + p].add(try argument(p))
            }
            if needsMembers { members[group].append(position) }
        }

        var buffer = relation.rowBuffer
        try forEachBatch(relation, compute: { batch in
            (codes: codeKernel?(batch),
             keys: strategy.lookup == nil && !keys.isEmpty ? try keyKernels.map { try $0(batch).values(count: batch.count) } : nil,
             arguments: try argumentKernels.map { try $0?(batch).values(count: batch.count) },
             filters: try filterKernels.map { try $0?(batch).truths(count: batch.count) })
        }, consume: { range, computed in
            if let computed {
                for (i, position) in range.enumerated() {
                    try add(position, code: computed.codes?[i], keyValues: computed.keys.map { columns in columns.map { $0[i] } },
                            label: { relation.fill(&buffer, at: position); return try keys.map { try evaluator.evaluate($0.expression, buffer) } },
                            filter: { computed.filters[$0]?[i] ?? true },
                            argument: { computed.arguments[$0]?[i] ?? .bool(true) })
                }
                return
            }
            try rowByRow(relation, range) { position, row in
                let keyValues = strategy.lookup == nil && !keys.isEmpty ? try keys.map { try evaluator.evaluate($0.expression, row) } : nil
                try add(position, code: strategy.lookup?.keys.key(row, evaluator: evaluator), keyValues: keyValues,
                        label: { try keys.map { try evaluator.evaluate($0.expression, row) } },
                        filter: { p in try filters[p].map { try evaluator.evaluate($0, row).isTrue } ?? true },
                        argument: { p in try arguments[p].map { try evaluator.evaluate($0, row) } ?? .bool(true) })
            }
        })
        if keys.isEmpty && keyRows.isEmpty {  // `group` with no keys over no rows still gives one row of totals
            keyRows.append([])
            folds += functions.map(Aggregator.init)
            members.append([])
        }
        let rows = try keyRows.indices.map { group in
            let rows = needsMembers ? members[group].map(relation.row) : []
            return try keyRows[group] + aggregates.indices.map { position in
                if let slot = folded.firstIndex(of: position) { return folds[group * width + slot].result }
                return try evaluator.evaluate(aggregates[position].expression, rows.first ?? [], group: rows[...])
            }
        }
        return Relation(rows: rows, width: keys.count + aggregates.count)
    }
}
