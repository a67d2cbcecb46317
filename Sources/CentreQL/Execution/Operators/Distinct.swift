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
            var seen = Set<RowKey>()
            var kept: [Int] = []
            for position in relation.positions {
                try interruption.checkpoint(position)
                if seen.insert(RowKey(values: relation.row(position))).inserted { kept.append(position) }
            }
            return relation.gathering(kept)
        }
    }

    /// The first row of each combined code of `lookup`'s columns, in order (`select` of coded
    /// columns then `distinct`: the distinct rows are found before any value is selected).
    func firstOfEachKey(_ relation: Relation, _ lookup: CodeLookup) throws -> Relation {
        var numbering = CodeNumbering(lookup)
        var firsts: [Int] = []
        let kernel = lookup.keys.kernel(kernels)
        try forEachBatch(relation, compute: kernel, consume: { range, keys in
            for (position, key) in zip(range, keys!) {
                let met = numbering.count
                _ = numbering.number(of: key)
                if numbering.count > met { firsts.append(position) }
            }
        })
        return relation.gathering(firsts)
    }
}
