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
            // A key's first row is where it is numbered: numbers are given in the order keys are first met.
            var next = found.numbering.count
            for (i, number) in found.numbering.numbers(of: keys!).enumerated() where number == next {  // (the kernel cannot throw)
                found.firsts.append(range.lowerBound + i)
                next += 1
            }
        })
        return relation.gathering(found.firsts)
    }
}
