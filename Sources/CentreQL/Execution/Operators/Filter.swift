/// `where`: each conjunct's kernel on the rows the ones before it kept, a batch at a time, so a
/// selective first part spares the others most rows.
extension Executor {
    func filter(_ relation: Relation, _ condition: BoundExpression) throws -> Relation {
        let kept = try filteredPositions(relation, condition)
        return kept.count == relation.count ? relation : relation.gathering(kept)  // (kept is in order: all kept is every row)
    }

    /// The positions of the rows for which the condition holds, in order.
    func filteredPositions(_ relation: Relation, _ condition: BoundExpression) throws -> [Int] {
        let compiler = kernels
        let conjuncts = condition.conjuncts.map(compiler.compile)
        var kept: [Int] = []
        try forEachBatch(relation, into: &kept, compute: { batch in
            var positions = batch.positions
            for kernel in conjuncts where !positions.isEmpty {
                let truths = try kernel(Batch(relation: relation, positions: positions)).truths(count: positions.count)
                positions = zip(positions, truths).compactMap { $1 ? $0 : nil }
            }
            return positions
        }, consume: { kept, range, positions in
            if let positions { kept += positions; return }
            try rowByRow(relation, range) { position, row in
                if try evaluator.isTrue(condition, row) { kept.append(position) }
            }
        })
        return kept
    }
}
