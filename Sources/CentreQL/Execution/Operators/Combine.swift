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
            // The rows the other pipeline has (or has not), then each once, as `distinct` keeps them.
            let other = Set(theirs.positions.map { RowKey(values: theirs.row($0)) })
            var kept: [Int] = []
            for position in mine.positions {
                try interruption.checkpoint(position)
                if other.contains(RowKey(values: mine.row(position))) == (operation == .intersect) { kept.append(position) }
            }
            return try distinct(mine.gathering(kept), .valueHash)
        }
    }
}


