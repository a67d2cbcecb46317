/// `join … on` with no equality the planner can hash: every row with every row of the joined table,
/// in order, each pair kept when the condition holds (with `keepsUnmatched`, a row with none once,
/// its joined row -1: missing).
extension Executor {
    func nestedLoopJoin(_ relation: Relation, table: Int, condition: BoundExpression, keepsUnmatched: Bool) throws -> Relation {
        let width = relation.slots.count
        var joined = [Value](repeating: .null, count: width + 1)
        var lefts: [Int] = [], rights: [Int] = []
        for position in relation.positions {
            let before = lefts.count
            defer {
                if keepsUnmatched && lefts.count == before { lefts.append(position); rights.append(-1) }
            }
            relation.fill(&joined, at: position)
            for other in 0..<store.tables[table].rowCount {
                try interruption.checkpoint(other)
                joined[width] = .int(other)
                guard try evaluator.isTrue(condition, joined) else { continue }
                guard lefts.count < joinRowLimit else { throw Diagnostic.tooManyRows(joinRowLimit, range: interruption.range) }
                lefts.append(position)
                rights.append(other)
            }
        }
        return relation.joining(lefts, rights)
    }
}
