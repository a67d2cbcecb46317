/// `append`, `except` and `intersect`: the rows so far and another pipeline's, both as rows of
/// values (a table's row as its columns). `append` keeps every row of both, these first; `except`
/// and `intersect` keep each distinct row of these once, in order, that the other pipeline has not
/// (or has), rows told apart by the one value identity of `group` and `distinct` (`RowKey`).
extension Executor {
    func combine(_ operation: SetOperation, _ relation: Relation, scope: Scope, with plan: Plan) throws -> Relation {
        let mine = relation.shown(scope, store: store)
        let theirs = try self.relation(of: plan).shown(plan.scope, store: store)
        switch operation {
        case .append:
            return Relation(concatenating: [mine, theirs])
        case .except, .intersect:
            // The rows the other pipeline has (or has not), each once: one key per row for both tests.
            let other = Set(theirs.positions.map(theirs.key(at:)))
            var seen = Set<RowKey>()
            var kept: [Int] = []
            for position in mine.positions {
                try interruption.checkpoint(position)
                let key = mine.key(at: position)
                if other.contains(key) == (operation == .intersect), seen.insert(key).inserted { kept.append(position) }
            }
            return mine.gathering(kept)
        }
    }
}


