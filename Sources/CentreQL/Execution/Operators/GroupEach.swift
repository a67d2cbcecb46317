/// `group KEYS (STAGES)`: the rows split into groups by the keys' values (the one identity of
/// `group` and `distinct`, `RowKey`), the groups in the order their first row appears; each group's
/// rows, in their order, go through the stages on their own (so `take 2` keeps two of each, and
/// window functions see only the group), and the results follow one another, each row with the
/// keys that the stages' rows do not already hold.
extension Executor {
    func groupEach(_ relation: Relation, keys: [BoundField], operators: [Plan.Operator], keptKeys: [Int], together: Bool,
                   strategy: GroupStrategy, width: Int) throws -> Relation {
        // Each row's group, numbered in the order groups first appear, and each group's first row:
        // integers only, not an array of rows per group (a million groups of one or two rows each).
        var groupOf: [Int] = []
        groupOf.reserveCapacity(relation.count)
        var firsts: [Int] = []
        let labels: [Relation.Slot]  // each key's value for each group, read from the group's first row
        if let lookup = strategy.lookup {
            // By the keys' codes, a batch at a time.
            var numbering = CodeNumbering(lookup)
            let codes = lookup.keys.kernel(kernels)
            for range in relation.batches(of: Self.batchSize) {
                try interruption.checkpoint(range.lowerBound)
                let numbers = numbering.numbers(of: codes(Batch(relation: relation, positions: Array(range))))
                for (i, position) in range.enumerated() {
                    if numbers[i] == firsts.count { firsts.append(position) }
                    groupOf.append(numbers[i])
                }
            }
            let firstRows = relation.gathering(firsts)
            labels = try keys.map { try column($0.expression, over: firstRows) }
        } else {
            let columns = try keys.map { try column($0.expression, over: relation) }
            var numbers: [RowKey: Int] = [:]
            for position in relation.positions {
                try interruption.checkpoint(position)
                let key = RowKey(values: columns.map { $0[position] })
                if let group = numbers[key] {
                    groupOf.append(group)
                } else {
                    numbers[key] = firsts.count
                    groupOf.append(firsts.count)
                    firsts.append(position)
                }
            }
            labels = columns.map { $0.gathering(firsts) }
        }
        let groupCount = firsts.count
        // Every row's position, group by group, each group's in their order.
        let ordered = Self.byGroup(Array(relation.positions), groups: groupOf, count: groupCount)
        // (With kernels off, as the tests and the fuzzer compare, each group runs alone.)
        if together, kernels.usesKernels, groupCount > 1 {
            return try segmented(relation.gathering(ordered), groups: ordered.map { groupOf[$0] }, groupCount: groupCount,
                                 labels: labels, operators: operators, keptKeys: keptKeys)
        }
        var parts: [Relation] = []
        var start = 0
        for group in 0..<groupCount {
            var end = start
            while end < ordered.count, groupOf[ordered[end]] == group { end += 1 }
            let rows = try run(operators, on: relation.gathering(Array(ordered[start..<end])))
            start = end
            let keySlots = keptKeys.map { Relation.Slot.values(Array(repeating: labels[$0][group], count: rows.count)) }
            parts.append(Relation(slots: keySlots + rows.slots, count: rows.count))
        }
        // No groups: no rows, in the slots the stages would have made.
        guard !parts.isEmpty else { return Relation(slots: Array(repeating: .values([]), count: keptKeys.count + width), count: 0) }
        return Relation(concatenating: parts)
    }
}

/// The groups' rows one group after another, each row's group beside it: stages that keep groups
/// apart (`where`, `select`, `derive`, `sort`, `take`) run once over all the groups instead of once
/// per group, which for many small groups (the top row of each) cost more than their rows. The
/// planner chooses it (`keepsGroupsApart`) only when no part of the stages can fail, so that no
/// error could come in another order than group by group.
extension Executor {
    /// `rows`: the groups' rows one group after another; `groups`: each row's group.
    fileprivate func segmented(_ rows: Relation, groups: [Int], groupCount: Int, labels: [Relation.Slot], operators: [Plan.Operator],
                               keptKeys: [Int]) throws -> Relation {
        var (rows, groups) = (rows, groups)
        for op in operators {
            try interruption.checkpoint()
            switch op {
            case .where(let condition):
                let kept = try filteredPositions(rows, condition)
                (rows, groups) = (rows.gathering(kept), kept.map { groups[$0] })
            case .select(let fields): rows = try select(fields, from: rows)
            case .derive(let fields, let replacing): rows = try derive(fields, replacing: replacing, on: rows)
            case .sort(let keys):
                let order = Self.byGroup(try sortOrder(rows, keys), groups: groups, count: groupCount)
                (rows, groups) = (rows.gathering(order), order.map { groups[$0] })
            case .topN(let keys, let count):
                let n = try limitCount(count)
                let order: [Int]
                if n == 1, let (levels, descending) = storedLevels(keys, over: rows) {
                    // Each group's first row by the keys (the top row of each group, a common question):
                    // one pass, each row against its group's best so far, instead of sorting every row.
                    var best = [Int](repeating: -1, count: groupCount)
                    for position in 0..<rows.count {
                        try interruption.checkpoint(position)
                        let group = groups[position]
                        if best[group] < 0 || Self.precedes(position, best[group], levels, descending) { best[group] = position }
                    }
                    order = best.filter { $0 >= 0 }
                } else {
                    order = Self.firsts(n, of: Self.byGroup(try sortOrder(rows, keys), groups: groups, count: groupCount), groups: groups)
                }
                (rows, groups) = (rows.gathering(order), order.map { groups[$0] })
            case .take(let count):
                let order = Self.firsts(try limitCount(count), of: Array(0..<rows.count), groups: groups)
                (rows, groups) = (rows.gathering(order), order.map { groups[$0] })
            default:
                preconditionFailure("the planner chose all groups at once for \(op)")
            }
        }
        let keySlots = keptKeys.map { key in Relation.Slot.values(groups.map { labels[key][$0] }) }
        return Relation(slots: keySlots + rows.slots, count: rows.count)
    }

    /// `order` (positions sorted by the keys, ties in place) made group by group, each group's in
    /// that order: a stable counting sort by group.
    private static func byGroup(_ order: [Int], groups: [Int], count: Int) -> [Int] {
        var starts = [Int](repeating: 0, count: count + 1)
        for position in order { starts[groups[position] + 1] += 1 }
        for group in 0..<count { starts[group + 1] += starts[group] }
        var result = [Int](repeating: 0, count: order.count)
        for position in order {
            result[starts[groups[position]]] = position
            starts[groups[position]] += 1
        }
        return result
    }

    /// The first `n` positions of each group in `order` (whose groups come one after another).
    private static func firsts(_ n: Int, of order: [Int], groups: [Int]) -> [Int] {
        var result: [Int] = []
        var (current, taken) = (-1, 0)
        for position in order {
            if groups[position] != current { (current, taken) = (groups[position], 0) }
            if taken < n { result.append(position) }
            taken += 1
        }
        return result
    }
}

extension Plan.Operator {
    /// Whether the operator over all the groups at once gives each group's rows as it gives them
    /// over that group alone, and cannot fail.
    var keepsGroupsApart: Bool {
        switch self {
        case .where(let condition): !condition.canFail
        case .select(let fields), .derive(let fields, _): !fields.contains { $0.expression.canFail }
        case .sort(let keys): !keys.contains { $0.expression.canFail }
        case .topN(let keys, let count): !keys.contains { $0.expression.canFail } && !count.canFail
        case .take(let count): !count.canFail
        default: false
        }
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
