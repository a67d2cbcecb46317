/// `join … on` with equality conditions between the two sides: the joined table's rows are hashed
/// once by their side of the equalities, and each row looks up the few that can match, in table
/// order. A candidate is confirmed with `==` on the key values (keys may collide, as whole numbers
/// past 2^53 do) and with the rest of the condition. The same rows in the same order as the nested
/// loop, in time proportional to the rows read and produced instead of their product.
extension Executor {
    func hashJoin(_ rows: [[Value]], table: Int, probe: [BoundExpression], build: [BoundExpression],
                  residual: BoundExpression?) throws -> [[Value]] {
        guard let width = rows.first?.count else { return [] }
        // The joined row's side of each equality reads only the joined slot: evaluate it on a row
        // holding nothing else.
        var alone = [Value](repeating: .null, count: width + 1)
        let count = store.tables[table].rowCount
        var built: [[Value]] = []
        built.reserveCapacity(count)
        var buckets: [EqualityKey: [Int]] = [:]
        for other in 0..<count {
            try interruption.checkpoint(other)
            alone[width] = .int(other)
            let values = try build.map { try evaluator.evaluate($0, alone) }
            built.append(values)
            buckets[EqualityKey(values), default: []].append(other)
        }
        var result: [[Value]] = []
        for (index, row) in rows.enumerated() {
            try interruption.checkpoint(index)
            let values = try probe.map { try evaluator.evaluate($0, row) }
            for other in buckets[EqualityKey(values)] ?? [] {
                guard zip(values, built[other]).allSatisfy({ Value.queryEquals($0, $1) }) else { continue }
                let joined = row + [.int(other)]
                if let residual, !(try evaluator.isTrue(residual, joined)) { continue }
                guard result.count < joinRowLimit else { throw Diagnostic.tooManyRows(joinRowLimit, range: interruption.range) }
                result.append(joined)
            }
        }
        return result
    }
}

extension EqualityKey {
    /// The key of several values (one key is the value's own, with no array around it).
    init(_ values: [Value]) {
        self = values.count == 1 ? EqualityKey(values[0]) : .list(values.map(EqualityKey.init))
    }
}
