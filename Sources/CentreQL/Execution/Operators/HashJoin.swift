/// `join … on` with equality conditions between the two sides: the joined table's rows are hashed
/// once by their side of the equalities, and each row tries only the rows whose keys match, in
/// table order (keys may collide, as whole numbers past 2^53 do, so each is confirmed). The same
/// rows in the same order as the nested loop, in time proportional to the rows read and produced
/// instead of their product; the same errors too: a row whose key could not be computed (an
/// overflow) is tried the nested loop's way, so its error comes where the nested loop's would.
/// Both sides' keys are read through kernels, a batch at a time, when none can fail.
extension Executor {
    /// The joined rows: each row so far with its match's row number in a new slot.
    /// `idKey`: the position of a key that is the joined table's id (and no key can fail): the id
    /// index then gives each row its candidate, and nothing is hashed.
    func hashJoin(_ relation: Relation, table: Int, probe: [BoundExpression], build: [BoundExpression],
                  condition: BoundExpression, residual: BoundExpression?, idKey: Int?, keepsUnmatched: Bool) throws -> Relation {
        let width = relation.slots.count
        let joinedTable = store.tables[table]
        let count = joinedTable.rowCount
        var join = JoinState(width: width, keyCount: build.count, evaluator: evaluator, limit: joinRowLimit, range: interruption.range,
                             condition: condition, build: build,
                             // When no part of the condition can fail, the order its parts are checked in cannot show:
                             // a candidate from a chain then needs only its keys confirmed and the other parts checked.
                             rest: condition.canFail ? nil : (residual ?? .constant(.bool(true))), byID: idKey != nil)
        if idKey == nil, residual == nil, !condition.canFail, build.count == 1, build[0].type == .int, probe[0].type == .int,
           let builtNumbers = try? wholeNumbers(build[0], over: Relation(slots: Array(repeating: .values([]), count: width) + [.rows(Array(0..<count))], count: count)),
           let probedNumbers = try? wholeNumbers(probe[0], over: relation) {
            // One whole-number key on both sides (their types say so) is the whole condition: the
            // keys are read as integers through kernels, hashed in a table of integers, and the
            // pairs made from the two columns, with no value made for a row.
            join.hash(wholeNumbers: builtNumbers, keys: nil)
            try join.pairAll(probedNumbers, keepsUnmatched: keepsUnmatched, interruption: interruption)
            return relation.joining(join.lefts, join.rights)
        }
        if let idKey, build.count == 1, residual == nil, !condition.canFail,
           let probedNumbers = try? wholeNumbers(probe[idKey], over: relation) {
            // The id of the joined table equal to a whole number is the whole condition: each row's
            // match is the row the id index gives, read from the probe's integers with no value made.
            join.reserve(relation.count)
            for (index, id) in probedNumbers.enumerated() {
                try interruption.checkpoint(index)
                if let id, let other = joinedTable.row(withID: id) { try join.keep(index, other) } else if keepsUnmatched { try join.keep(index, -1) }
            }
            return relation.joining(join.lefts, join.rights)
        }
        let probeColumns = try? probe.map { try column($0, over: relation) }
        if idKey == nil {
            // The joined rows alone, in the slot the condition reads them from.
            let joinedRows = Relation(slots: Array(repeating: .values([]), count: width) + [.rows(Array(0..<count))], count: count)
            let columns = try? build.map { try column($0, over: joinedRows) }
            if let built = columns?.first, let probed = probeColumns?.first, build.count == 1,
               let builtNumbers = built.wholeNumbers, let probedNumbers = probed.wholeNumbers {
                // One key, whole numbers (or null) on both sides: an exact table of integers, no Value hashed.
                join.hash(wholeNumbers: builtNumbers, keys: built)
                if residual == nil, !condition.canFail {
                    // The key is the whole condition: a chain's rows are exactly the matches, so the
                    // pairs are made from the two columns of integers, with no row read as values.
                    try join.pairAll(probedNumbers, keepsUnmatched: keepsUnmatched, interruption: interruption)
                    return relation.joining(join.lefts, join.rights)
                }
            } else {
                var alone = [Value](repeating: .null, count: width + 1)
                try join.hash(count: count, interruption: interruption) { other, keys in
                    if let columns { for i in keys.indices { keys[i] = columns[i][other] } } else {
                        alone[width] = .int(other)
                        for i in keys.indices { keys[i] = try evaluator.evaluate(build[i], alone) }
                    }
                }
            }
        }
        for index in relation.positions {
            try interruption.checkpoint(index)
            relation.fill(&join.joined, at: index)
            let before = join.lefts.count
            probing: do {
                do {
                    for i in probe.indices { join.key[i] = try probeColumns?[i][index] ?? evaluator.evaluate(probe[i], join.joined) }
                } catch {
                    for other in 0..<count { try join.tryPair(index, other, keyKnown: false) }  // this row's key failed: every pair, as the nested loop tries them
                    break probing
                }
                if let idKey {
                    // Only the row with this id can be equal to it (ids are whole numbers, unique).
                    if let id = Self.wholeNumber(join.key[idKey]), let other = joinedTable.row(withID: id) { try join.tryPair(index, other, keyKnown: true) }
                    break probing
                }
                try join.tryChain(index)
            }
            if keepsUnmatched && join.lefts.count == before { try join.keep(index, -1) }
        }
        return relation.joining(join.lefts, join.rights)
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

/// A hash join's table and the pairs it has made (a struct, so its loops mutate it without the
/// exclusivity checks a closure's captured variables cost).
private struct JoinState {
    let width: Int
    let keyCount: Int
    let evaluator: Evaluator
    let limit: Int
    let range: SourceRange
    let condition: BoundExpression
    let build: [BoundExpression]
    let rest: BoundExpression?
    let byID: Bool
    /// Each key's rows as a chain through `next` (built from the last row back, so a chain runs
    /// in table order), and every row's key values side by side: no array per key or per row.
    private var heads: [EqualityKey: Int] = [:]
    private var next: [Int] = []
    private var keys: [Value] = []
    private var keyed: [Bool] = []
    private var unkeyed: [Int] = []  // joined rows whose key failed: tried with every row
    /// Instead of `heads`, for one whole-number key.
    private var numberHeads: WholeNumberHeads?
    /// The row being probed, with a candidate in its last slot; its key values.
    var joined: [Value]
    var key: [Value]
    /// A row holding only a joined row: the joined side of each equality reads nothing else.
    private var lone: [Value]
    private(set) var lefts: [Int] = [], rights: [Int] = []

    init(width: Int, keyCount: Int, evaluator: Evaluator, limit: Int, range: SourceRange, condition: BoundExpression,
         build: [BoundExpression], rest: BoundExpression?, byID: Bool) {
        (self.width, self.keyCount, self.evaluator, self.limit, self.range) = (width, keyCount, evaluator, limit, range)
        (self.condition, self.build, self.rest, self.byID) = (condition, build, rest, byID)
        joined = [Value](repeating: .null, count: width + 1)
        lone = joined
        key = [Value](repeating: .null, count: keyCount)
    }

    /// Hashes the joined table's `count` rows by the keys `keysOf(row, &keys)` writes (a row whose
    /// keys throw is left unkeyed).
    mutating func hash(count: Int, interruption: Interruption, _ keysOf: (Int, inout [Value]) throws -> Void) throws {
        heads.reserveCapacity(count)
        next = [Int](repeating: -1, count: count)
        keys = [Value](repeating: .null, count: count * keyCount)
        keyed = [Bool](repeating: false, count: count)
        var row = [Value](repeating: .null, count: keyCount)
        for other in stride(from: count - 1, through: 0, by: -1) {
            try interruption.checkpoint(other)
            do {
                try keysOf(other, &row)
                for i in 0..<keyCount { keys[other * keyCount + i] = row[i] }
                let hashKey = keyCount == 1 ? EqualityKey(row[0]) : EqualityKey(row)
                next[other] = heads[hashKey] ?? -1
                heads[hashKey] = other
                keyed[other] = true
            } catch {
                unkeyed.append(other)
            }
        }
        unkeyed.reverse()
    }

    /// Hashes the joined table's rows by one whole-number key (nil for null), every row keyed.
    /// `keys`: the same keys as values, for rows confirmed one by one (nil when pairs are made by `pairAll`).
    mutating func hash(wholeNumbers: [Int?], keys column: Relation.Slot?) {
        let count = wholeNumbers.count
        var table = WholeNumberHeads(wholeNumbers)
        next = [Int](repeating: -1, count: count)
        keys = column.map { column in (0..<count).map { column[$0] } } ?? []
        keyed = [Bool](repeating: true, count: count)
        for other in stride(from: count - 1, through: 0, by: -1) {
            next[other] = table.replaceHead(of: wholeNumbers[other], with: other)
        }
        numberHeads = table
    }

    /// Every probe row (its whole-number key, nil for null) paired with every joined row of an equal
    /// key, in the nested loop's order, when the equality of one whole-number key is the whole condition.
    mutating func pairAll(_ probe: [Int?], keepsUnmatched: Bool, interruption: Interruption) throws {
        guard let numberHeads else { preconditionFailure("pairAll follows hash(wholeNumbers:keys:)") }
        reserve(probe.count)
        for (index, key) in probe.enumerated() {
            try interruption.checkpoint(index)
            var chain = numberHeads.head(of: key)
            if chain < 0 {
                if keepsUnmatched { try keep(index, -1) }
                continue
            }
            while chain >= 0 {
                try keep(index, chain)
                chain = next[chain]
            }
        }
    }

    /// Tries the rows whose keys hash as `key` and the unkeyed rows, merged in table order.
    mutating func tryChain(_ index: Int) throws {
        var chain: Int
        if let numberHeads {
            switch key[0] {
            case .int(let n): chain = numberHeads.head(of: n)
            case .null: chain = numberHeads.head(of: nil)
            default: chain = -1  // the probe side holds whole numbers or null only (checked before)
            }
        } else {
            chain = heads[EqualityKey(key)] ?? -1
        }
        var failed = unkeyed[...]
        while chain >= 0 || !failed.isEmpty {
            if chain >= 0, failed.first.map({ chain < $0 }) ?? true {
                try tryPair(index, chain, keyKnown: true)
                chain = next[chain]
            } else {
                try tryPair(index, failed.removeFirst(), keyKnown: true)
            }
        }
    }

    private mutating func keysMatch(_ other: Int) throws -> Bool {
        if !byID {
            for i in 0..<keyCount where !Value.queryEquals(key[i], keys[other * keyCount + i]) { return false }
            return true
        }
        lone[width] = .int(other)
        for i in 0..<keyCount where !Value.queryEquals(key[i], try evaluator.evaluate(build[i], lone)) { return false }
        return true
    }

    mutating func tryPair(_ index: Int, _ other: Int, keyKnown: Bool) throws {
        joined[width] = .int(other)
        if let rest, keyKnown, byID || keyed[other] {
            guard try keysMatch(other), try evaluator.isTrue(rest, joined) else { return }
        } else {
            guard try evaluator.isTrue(condition, joined) else { return }
        }
        try keep(index, other)
    }

    /// Room for `count` pairs (most joins make about one per row): grown by doubling from nothing,
    /// millions of pairs were copied and their pages faulted in again at each step.
    mutating func reserve(_ count: Int) {
        let room = min(count, limit)
        lefts.reserveCapacity(room)
        rights.reserveCapacity(room)
    }

    /// A pair made (`other` -1 for a row kept without a match).
    mutating func keep(_ index: Int, _ other: Int) throws {
        guard lefts.count < limit else { throw Diagnostic.tooManyRows(limit, range: range) }
        lefts.append(index)
        rights.append(other)
    }
}

/// The first row of each whole number's chain (and of null's): hashing a whole number needs no
/// `Hasher` and no `Value`. Keys of a compact range (ids, codes) index an array directly, which is a
/// quarter of an open-addressed table's size and never probes; others go in an open-addressed table.
private struct WholeNumberHeads {
    private var keys: [Int]
    private var heads: [Int]
    private let mask: Int
    /// For the direct layout: the smallest key (`heads[key - lowest]`); nil for the hashed one.
    private let lowest: Int?
    private var nullHead = -1

    /// A table for `keys` (nil for null), empty.
    init(_ keys: [Int?]) {
        var (low, high, count) = (Int.max, Int.min, 0)
        for case let key? in keys { low = min(low, key); high = max(high, key); count += 1 }
        let span = high.subtractingReportingOverflow(low)
        if count > 0, !span.overflow, span.partialValue < max(1024, count * 2) {
            lowest = low
            self.keys = []
            heads = [Int](repeating: -1, count: span.partialValue + 1)
            mask = 0
            return
        }
        lowest = nil
        var size = 16
        while size < count * 2 { size <<= 1 }
        self.keys = [Int](repeating: 0, count: size)
        heads = [Int](repeating: -1, count: size)
        mask = size - 1
    }

    private func slot(of key: Int) -> Int {
        var slot = Int(truncatingIfNeeded: (UInt(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while heads[slot] >= 0 && keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    /// The direct layout's place for a key, nil outside its range.
    private func place(of key: Int, from lowest: Int) -> Int? {
        let (offset, overflow) = key.subtractingReportingOverflow(lowest)
        return !overflow && offset >= 0 && offset < heads.count ? offset : nil
    }

    func head(of key: Int?) -> Int {
        guard let key else { return nullHead }
        if let lowest { return place(of: key, from: lowest).map { heads[$0] } ?? -1 }
        return heads[slot(of: key)]
    }

    /// Makes `row` the head of `key`'s chain; returns the head it replaces (-1 for none).
    mutating func replaceHead(of key: Int?, with row: Int) -> Int {
        guard let key else { defer { nullHead = row }; return nullHead }
        if let lowest {
            guard let at = place(of: key, from: lowest) else { preconditionFailure("a key outside the range the table was made for") }
            defer { heads[at] = row }
            return heads[at]
        }
        let at = slot(of: key)
        let previous = heads[at]
        keys[at] = key
        heads[at] = row
        return previous
    }
}

extension Relation.Slot {
    /// Every value as a whole number (nil for null), when each is one or null; nil otherwise.
    var wholeNumbers: [Int?]? {
        switch self {
        case .rows: return nil
        case .values(let values):
            var numbers: [Int?] = []
            numbers.reserveCapacity(values.count)
            for value in values {
                switch value {
                case .int(let n): numbers.append(n)
                case .null: numbers.append(nil)
                default: return nil
                }
            }
            return numbers
        }
    }
}

extension EqualityKey {
    /// The key of several values (one key is the value's own, with no array around it).
    init(_ values: [Value]) {
        self = values.count == 1 ? EqualityKey(values[0]) : .list(values.map(EqualityKey.init))
    }
}
