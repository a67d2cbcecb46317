/// `explode NAME = LIST`: each row once for each element of its list, in the list's order, the
/// element in the named slot; a row whose list is empty or null is not kept.
extension Executor {
    func explode(_ relation: Relation, _ list: BoundExpression, replacing: Int?) throws -> Relation {
        let lists = try column(list, over: relation)
        var positions: [Int] = []
        var elements: [Value] = []
        for position in relation.positions {
            try interruption.checkpoint(position)
            guard case .list(let items) = lists[position] else { continue }
            for item in items {
                positions.append(position)
                elements.append(item)
            }
        }
        var result = relation.gathering(positions)
        if let replacing { result.slots[replacing] = .values(elements) } else { result.slots.append(.values(elements)) }
        return result
    }
}
