/// `join … on` with equality conditions between the two sides: the joined table's rows are hashed
/// once by their side of the equalities, and each row tries only the rows whose keys match, in
/// table order (keys may collide, as whole numbers past 2^53 do, so each is confirmed). The same
/// rows in the same order as the nested loop, in time proportional to the rows read and produced
/// instead of their product; the same errors too: a row whose key could not be computed (an
/// overflow) is tried the nested loop's way, so its error comes where the nested loop's would.
extension Executor {
    /// The joined rows: each row so far with its match's row number in a new slot.
    func hashJoin(_ relation: Relation, table: Int, probe: [BoundExpression], build: [BoundExpression],
                  condition: BoundExpression, residual: BoundExpression?, idKey: Int?) throws -> Relation {
        let pairs = try hashJoinPairs(count: relation.count, width: relation.slots.count, fill: { position, buffer in relation.fill(&buffer, at: position) },
                                      table: table, probe: probe, build: build, condition: condition, residual: residual, idKey: idKey)
        return relation.joining(pairs.left, pairs.right)
    }

    /// The pairs a hash join makes, as positions of the rows so far and row numbers of the joined
    /// table, in order: each row's matches in table order. `fill(i, &buffer)` writes row `i` into the
    /// first `width` slots of a buffer, so no row is made for a pair until it is kept.
    /// `idKey`: the position of a key that is the joined table's id (and no key can fail): the id
    /// index then gives each row its candidate, and nothing is hashed.
    func hashJoinPairs(count rowCount: Int, width: Int, fill: (Int, inout [Value]) -> Void, table: Int,
                       probe: [BoundExpression], build: [BoundExpression], condition: BoundExpression,
                       residual: BoundExpression?, idKey: Int?) throws -> (left: [Int], right: [Int]) {
        // The joined row's side of each equality reads only the joined slot: evaluate it on a row
        // holding nothing else.
        var alone = [Value](repeating: .null, count: width + 1)
        let joinedTable = store.tables[table]
        let count = joinedTable.rowCount
        let width2 = build.count
        // Each key's rows as a chain through `next` (built from the last row back, so a chain runs
        // in table order), and every row's key values side by side: no array per key or per row.
        var heads: [EqualityKey: Int] = [:]
        var next: [Int] = []
        var keys: [Value] = []
        var keyed: [Bool] = []
        var unkeyed: [Int] = []  // joined rows whose key failed: tried with every row
        if idKey == nil {
            heads.reserveCapacity(count)
            next = [Int](repeating: -1, count: count)
            keys = [Value](repeating: .null, count: count * width2)
            keyed = [Bool](repeating: false, count: count)
            for other in stride(from: count - 1, through: 0, by: -1) {
                try interruption.checkpoint(other)
                alone[width] = .int(other)
                do {
                    for (i, side) in build.enumerated() { keys[other * width2 + i] = try evaluator.evaluate(side, alone) }
                    let key = width2 == 1 ? EqualityKey(keys[other]) : EqualityKey(Array(keys[(other * width2)..<(other * width2 + width2)]))
                    next[other] = heads[key] ?? -1
                    heads[key] = other
                    keyed[other] = true
                } catch {
                    unkeyed.append(other)
                }
            }
            unkeyed.reverse()
        }
        var lefts: [Int] = [], rights: [Int] = []
        // When no part of the condition can fail, the order its parts are checked in cannot show:
        // a candidate from a chain then needs only its keys confirmed and the other parts checked.
        let rest: BoundExpression? = condition.canFail ? nil : (residual ?? .constant(.bool(true)))
        var joined = [Value](repeating: .null, count: width + 1)
        var key = [Value](repeating: .null, count: width2)
        func keysMatch(_ other: Int) throws -> Bool {
            if idKey == nil {
                for i in 0..<width2 where !Value.queryEquals(key[i], keys[other * width2 + i]) { return false }
                return true
            }
            alone[width] = .int(other)
            for i in 0..<width2 where !Value.queryEquals(key[i], try evaluator.evaluate(build[i], alone)) { return false }
            return true
        }
        func tryPair(_ index: Int, _ other: Int, keyKnown: Bool) throws {
            joined[width] = .int(other)
            if let rest, keyKnown, idKey != nil || keyed[other] {
                guard try keysMatch(other), try evaluator.isTrue(rest, joined) else { return }
            } else {
                guard try evaluator.isTrue(condition, joined) else { return }
            }
            guard lefts.count < joinRowLimit else { throw Diagnostic.tooManyRows(joinRowLimit, range: interruption.range) }
            lefts.append(index)
            rights.append(other)
        }
        for index in 0..<rowCount {
            try interruption.checkpoint(index)
            fill(index, &joined)
            do {
                for (i, side) in probe.enumerated() { key[i] = try evaluator.evaluate(side, joined) }
            } catch {
                for other in 0..<count { try tryPair(index, other, keyKnown: false) }  // this row's key failed: every pair, as the nested loop tries them
                continue
            }
            if let idKey {
                // Only the row with this id can be equal to it (ids are whole numbers, unique).
                if let id = Self.wholeNumber(key[idKey]), let other = joinedTable.row(withID: id) { try tryPair(index, other, keyKnown: true) }
                continue
            }
            var chain = heads[EqualityKey(key)] ?? -1
            var failed = unkeyed[...]
            // The chain and the unkeyed rows, merged in table order.
            while chain >= 0 || !failed.isEmpty {
                if chain >= 0, failed.first.map({ chain < $0 }) ?? true {
                    try tryPair(index, chain, keyKnown: true)
                    chain = next[chain]
                } else {
                    try tryPair(index, failed.removeFirst(), keyKnown: true)
                }
            }
        }
        return (lefts, rights)
    }

    /// The whole number a value equals, if it equals one (`2`, `2.0`, a figure of 2).
    private static func wholeNumber(_ value: Value) -> Int? {
        switch value {
        case .int(let i): return i
        case .decimal, .figure:
            guard let d = value.number, d.rounded() == d, abs(d) < 9.2e18 else { return nil }
            return Int(d)
        default: return nil
        }
    }
}

extension EqualityKey {
    /// The key of several values (one key is the value's own, with no array around it).
    init(_ values: [Value]) {
        self = values.count == 1 ? EqualityKey(values[0]) : .list(values.map(EqualityKey.init))
    }
}
