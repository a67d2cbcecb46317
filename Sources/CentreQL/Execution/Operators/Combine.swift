/// `append`, `except` and `intersect`: the rows so far and another pipeline's, both as rows of
/// values (a table's row as its columns). `append` keeps every row of both, these first; `except`
/// and `intersect` keep each distinct row of these once, in order, that the other pipeline has not
/// (or has), rows told apart by the one value identity of `group` and `distinct` (`RowKey`).
extension Executor {
    func combine(_ operation: SetOperation, _ relation: Relation, scope: Scope, with plan: Plan) throws -> Relation {
        let mine = values(of: relation, scope: scope)
        let theirs = values(of: try self.relation(of: plan), scope: plan.scope)
        switch operation {
        case .append:
            return Relation(concatenating: [mine, theirs])
        case .except, .intersect:
            let wanted = operation == .intersect
            var kept: [Int] = []
            if mine.slots.count == 1, case .values(let left) = mine.slots[0], case .values(let right) = theirs.slots[0] {
                // One column: its values themselves are the keys (no row made for each).
                let other = Set(right.map(OneValue.init))
                var seen = Set<OneValue>()
                for (position, value) in left.enumerated() {
                    try interruption.checkpoint(position)
                    let key = OneValue(value)
                    if other.contains(key) == wanted, seen.insert(key).inserted { kept.append(position) }
                }
                return mine.gathering(kept)
            }
            let other = Set(theirs.positions.map { RowKey(values: theirs.row($0)) })
            var seen = Set<RowKey>()
            for position in mine.positions {
                try interruption.checkpoint(position)
                let key = RowKey(values: mine.row(position))
                if other.contains(key) == wanted, seen.insert(key).inserted { kept.append(position) }
            }
            return mine.gathering(kept)
        }
    }

    /// The relation's rows as the values a result shows: each table row as its columns (a left
    /// join's missing row as nulls).
    func values(of relation: Relation, scope: Scope) -> Relation {
        var slots: [Relation.Slot] = []
        for (slot, field) in scope.fields.enumerated() {
            guard case .entity(let table) = field.kind else { slots.append(relation.slots[slot]); continue }
            let rows: [Int] = switch relation.slots[slot] {
            case .rows(let rows): rows
            case .values(let values): values.map { if case .int(let row) = $0 { row } else { -1 } }
            }
            for column in store.tables[table].columns {
                slots.append(.values(rows.map { $0 < 0 ? .null : column[$0] }))
            }
        }
        return Relation(slots: slots, count: relation.count)
    }
}


/// One value under the identity of `RowKey`, without an array around it.
private struct OneValue: Hashable {
    let value: Value
    init(_ value: Value) { self.value = value }
    func hash(into hasher: inout Hasher) { hasher.combine(EqualityKey(value)) }
    static func == (a: OneValue, b: OneValue) -> Bool { Value.isSame(a.value, b.value) }
}
