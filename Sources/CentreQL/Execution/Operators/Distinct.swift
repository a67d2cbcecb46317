/// `distinct`: the first of each set of rows that are one by the engine's value identity (`RowKey`),
/// in order, found the way the planner chose (`DistinctStrategy`).
extension Executor {
    func distinct(_ relation: Relation, _ strategy: DistinctStrategy) throws -> Relation {
        switch strategy {
        case .tableRows:
            return relation  // each row is a different row of the table
        case .codes(let lookup):
            return try firstOfEachKey(relation, lookup)
        case .valueHash:
            return relation.gathering(try firstOfEachRow(relation))
        case .shownValues(let scope):
            return relation.gathering(try firstOfEachRow(relation.shown(scope, store: store)))
        }
    }

    /// The position of the first of each set of rows that are one (`RowKey`), in order.
    private func firstOfEachRow(_ relation: Relation) throws -> [Int] {
        var seen = Set<RowKey>()
        var kept: [Int] = []
        for position in relation.positions {
            try interruption.checkpoint(position)
            if seen.insert(relation.key(at: position)).inserted { kept.append(position) }
        }
        return kept
    }

    /// The first row of each combined code of `lookup`'s columns, in order (`select` of coded
    /// columns then `distinct`: the distinct rows are found before any value is selected).
    func firstOfEachKey(_ relation: Relation, _ lookup: CodeLookup) throws -> Relation {
        var found = (numbering: CodeNumbering(lookup), firsts: [Int]())
        try forEachBatch(relation, into: &found, compute: lookup.keys.kernel(kernels), consume: { found, range, keys in
            for (position, key) in zip(range, keys!) {  // (the kernel cannot throw)
                let met = found.numbering.count
                _ = found.numbering.number(of: key)
                if found.numbering.count > met { found.firsts.append(position) }
            }
        })
        return relation.gathering(found.firsts)
    }
}
