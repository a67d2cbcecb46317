/// `join … on` with equality conditions between the two sides: the joined table's rows are hashed
/// once by their side of the equalities, and each row looks up the few that can match, in table
/// order, confirming each with the whole condition. The same rows in the same order as the nested
/// loop, in time proportional to the rows read and produced instead of their product.
extension Executor {
    func hashJoin(_ rows: [[Value]], table: Int, probe: [BoundExpression], build: [BoundExpression],
                  condition: BoundExpression) throws -> [[Value]] {
        guard let width = rows.first?.count else { return [] }
        // The joined row's side of each equality reads only the joined slot: evaluate it on a row
        // holding nothing else.
        var alone = [Value](repeating: .null, count: width + 1)
        var buckets: [[EqualityKey]: [Int]] = [:]
        for other in 0..<store.tables[table].rowCount {
            try interruption.checkpoint(other)
            alone[width] = .int(other)
            let key = try build.map { EqualityKey(try evaluator.evaluate($0, alone)) }
            buckets[key, default: []].append(other)
        }
        var result: [[Value]] = []
        for (index, row) in rows.enumerated() {
            try interruption.checkpoint(index)
            let key = try probe.map { EqualityKey(try evaluator.evaluate($0, row)) }
            for other in buckets[key] ?? [] {
                let joined = row + [.int(other)]
                guard try evaluator.isTrue(condition, joined) else { continue }
                guard result.count < joinRowLimit else { throw Diagnostic.tooManyRows(joinRowLimit, range: interruption.range) }
                result.append(joined)
            }
        }
        return result
    }
}
