/// `append`, `except` and `intersect`: the rows so far and another pipeline's, both as rows of
/// values (a table's row as its columns). `append` keeps every row of both, these first; `except`
/// and `intersect` keep the rows of these that the other pipeline has not (or has), rows told apart
/// by the one value identity of `group` and `distinct` (`RowKey`). The planner puts a `distinct`
/// before them, so each row comes once, in order.
extension Executor {
    func combine(_ operation: SetOperation, _ relation: Relation, scope: Scope, with plan: Plan) throws -> Relation {
        let mine = relation.shown(scope, store: store)
        let theirs = try self.relation(of: plan).shown(plan.scope, store: store)
        switch operation {
        case .append:
            return Relation(concatenating: [mine, theirs])
        case .except, .intersect:
            let other = Set(theirs.positions.map(theirs.key(at:)))
            var kept: [Int] = []
            for position in mine.positions {
                try interruption.checkpoint(position)
                if other.contains(mine.key(at: position)) == (operation == .intersect) { kept.append(position) }
            }
            return mine.gathering(kept)
        }
    }
}


