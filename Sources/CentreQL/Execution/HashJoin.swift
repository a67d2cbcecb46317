/// `join … on` with equality conditions between the two sides: the joined table's rows are hashed
/// once by their side of the equalities, and each row tries only the rows whose keys match, in
/// table order, with the whole condition (keys may collide, as whole numbers past 2^53 do). The same
/// rows in the same order as the nested loop, in time proportional to the rows read and produced
/// instead of their product; the same errors too: a row whose key could not be computed (an
/// overflow) is tried the nested loop's way, so its error comes where the nested loop's would.
extension Executor {
    func hashJoin(_ rows: [[Value]], table: Int, probe: [BoundExpression], build: [BoundExpression],
                  condition: BoundExpression) throws -> [[Value]] {
        guard let width = rows.first?.count else { return [] }
        // The joined row's side of each equality reads only the joined slot: evaluate it on a row
        // holding nothing else.
        var alone = [Value](repeating: .null, count: width + 1)
        let count = store.tables[table].rowCount
        var buckets: [EqualityKey: [Int]] = [:]
        var unkeyed: [Int] = []  // joined rows whose key failed: tried with every row
        for other in 0..<count {
            try interruption.checkpoint(other)
            alone[width] = .int(other)
            do {
                buckets[EqualityKey(try build.map { try evaluator.evaluate($0, alone) }), default: []].append(other)
            } catch {
                unkeyed.append(other)
            }
        }
        var result: [[Value]] = []
        func tryPair(_ row: [Value], _ other: Int) throws {
            let joined = row + [.int(other)]
            guard try evaluator.isTrue(condition, joined) else { return }
            guard result.count < joinRowLimit else { throw Diagnostic.tooManyRows(joinRowLimit, range: interruption.range) }
            result.append(joined)
        }
        let everyRow = Array(0..<count)
        for (index, row) in rows.enumerated() {
            try interruption.checkpoint(index)
            let candidates: [Int]
            if let key = try? probe.map({ try evaluator.evaluate($0, row) }) {
                candidates = Self.merged(buckets[EqualityKey(key)] ?? [], unkeyed)
            } else {
                candidates = everyRow  // this row's key failed: every pair, as the nested loop tries them
            }
            for other in candidates { try tryPair(row, other) }
        }
        return result
    }

    /// Two ascending lists of row numbers as one.
    private static func merged(_ a: [Int], _ b: [Int]) -> [Int] {
        guard !b.isEmpty else { return a }
        var result: [Int] = [], i = 0, j = 0
        result.reserveCapacity(a.count + b.count)
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) { result.append(a[i]); i += 1 } else { result.append(b[j]); j += 1 }
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
