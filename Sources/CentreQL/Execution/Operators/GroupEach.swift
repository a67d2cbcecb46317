/// `group KEYS (STAGES)`: the rows split into groups by the keys' values (the one identity of
/// `group` and `distinct`, `RowKey`), the groups in the order their first row appears; each group's
/// rows, in their order, go through the stages on their own (so `take 2` keeps two of each, and
/// window functions see only the group), and the results follow one another, each row with the
/// keys that the stages' rows do not already hold.
extension Executor {
    func groupEach(_ relation: Relation, keys: [BoundField], operators: [Plan.Operator], keptKeys: [Int], width: Int) throws -> Relation {
        let columns = try keys.map { try column($0.expression, over: relation) }
        var numbers: [RowKey: Int] = [:]
        var members: [[Int]] = []
        var labels: [[Value]] = []
        for position in relation.positions {
            try interruption.checkpoint(position)
            let label = columns.map { $0[position] }
            let key = RowKey(values: label)
            if let group = numbers[key] {
                members[group].append(position)
            } else {
                numbers[key] = members.count
                members.append([position])
                labels.append(label)
            }
        }
        var parts: [Relation] = []
        for (group, positions) in members.enumerated() {
            let rows = try run(operators, on: relation.gathering(positions))
            let keySlots = keptKeys.map { Relation.Slot.values(Array(repeating: labels[group][$0], count: rows.count)) }
            parts.append(Relation(slots: keySlots + rows.slots, count: rows.count))
        }
        // No groups: no rows, in the slots the stages would have made.
        guard !parts.isEmpty else { return Relation(slots: Array(repeating: .values([]), count: keptKeys.count + width), count: 0) }
        return Relation(concatenating: parts)
    }
}

extension Relation {
    /// The relations' rows one after another (all have the same slots): a slot of row numbers in
    /// every part stays one.
    init(concatenating parts: [Relation]) {
        guard let first = parts.first else {
            self.init(slots: [], count: 0)
            return
        }
        let slots = first.slots.indices.map { slot -> Slot in
            if parts.allSatisfy({ if case .rows = $0.slots[slot] { true } else { false } }) {
                return .rows(parts.flatMap { part -> [Int] in
                    if case .rows(let r) = part.slots[slot] { return r }
                    return []
                })
            }
            return .values(parts.flatMap { $0.slots[slot].values(count: $0.count) })
        }
        self.init(slots: slots, count: parts.reduce(0) { $0 + $1.count })
    }
}
