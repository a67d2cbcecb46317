/// `sort`, and `sort` then `take` as top-N. Both are stable: rows with equal keys keep their order,
/// so results are repeatable.
extension Executor {
    /// The positions of the relation's rows in sort order.
    func sortOrder(_ relation: Relation, _ keys: [BoundSortKey]) throws -> [Int] {
        // Keys that are stored columns are ranked from the columns themselves: no value made per row.
        if let (levels, descending) = storedLevels(keys, over: relation) {
            return try Self.radixOrder(levels, descending: descending, count: relation.count, interruption: interruption)
        }
        let columns: [Relation.Slot]
        if let computed = try? keys.map({ try column($0.expression, over: relation) }) {
            columns = computed
        } else {
            // The plain order: row by row, each row's keys in order.
            var values = [[Value]](repeating: [], count: keys.count)
            try rowByRow(relation, relation.positions) { _, row in
                for (k, key) in keys.enumerated() { values[k].append(try evaluator.evaluate(key.expression, row)) }
            }
            columns = values.map { .values($0) }
        }
        return try Self.stableOrder(columns, keys, interruption: interruption)
    }

    /// Positions in stable sort order by the keys' values (`columns[k]` holds key `k` of every row).
    static func stableOrder(_ columns: [Relation.Slot], _ keys: [BoundSortKey], interruption: Interruption) throws -> [Int] {
        let count = columns.first?.count ?? 0
        // Each key as whole numbers that sort as its values do, when it has one kind of value:
        // the comparisons are then of integers, not of values.
        let ranked = columns.map { SortRanks($0, count: count) }
        if ranked.allSatisfy({ $0 != nil }) {
            let ranks = ranked.map { $0!.ranks }
            let descending = keys.map(\.isDescending)
            if count <= Int(Int32.max) { return try radixOrder(ranks, descending: descending, count: count, interruption: interruption) }
            return try (0..<count).sorted { i, j in
                try interruption.tick()
                for k in ranks.indices where ranks[k][i] != ranks[k][j] {
                    return descending[k] ? ranks[k][i] > ranks[k][j] : ranks[k][i] < ranks[k][j]
                }
                return i < j
            }
        }
        return try (0..<count).sorted { i, j in
            try interruption.tick()  // a sort of many rows is many comparisons: the limits bind inside it
            for (k, key) in keys.enumerated() {
                let c = Value.compare(columns[k][i], columns[k][j])
                if c != 0 { return key.isDescending ? c > 0 : c < 0 }
            }
            return i < j
        }
    }

    /// Positions in stable order by integer ranks (`ranks[k]`: key k of every row; Int.max, null,
    /// last): a radix sort, the last key first, each pass keeping the order of the keys after it and
    /// rows of equal keys in their order. Integers are moved, never compared.
    static func radixOrder(_ ranks: [[Int]], descending: [Bool], count: Int, interruption: Interruption) throws -> [Int] {
        // Rows often come in key order already (a sort by id): then their order is the answer.
        if (1..<max(1, count)).allSatisfy({ !precedes($0, $0 - 1, ranks, descending) }) { return Array(0..<count) }
        var order = (0..<Int32(count)).map { $0 }
        for k in ranks.indices.reversed() {
            try interruption.checkpoint()
            // A rank as an unsigned integer in its order; descending, inverted.
            let keys = ranks[k].map { rank in
                let ascending = UInt64(bitPattern: Int64(rank)) ^ (1 << 63)
                return descending[k] ? ~ascending : ascending
            }
            order = Index.radixSorted(order, by: keys)
        }
        return order.map(Int.init)
    }

    /// Every key's ranks (`storedRanks`), level by level with each level's direction, when every
    /// key is a stored column; nil otherwise.
    func storedLevels(_ keys: [BoundSortKey], over relation: Relation) -> (levels: [[Int]], descending: [Bool])? {
        var levels: [[Int]] = [], descending: [Bool] = []
        for key in keys {
            guard let ranks = storedRanks(key.expression, over: relation) else { return nil }
            levels += ranks
            descending += Array(repeating: key.isDescending, count: ranks.count)
        }
        return (levels, descending)
    }

    /// A key that is a stored column (through links too), ranked as `SortRanks` ranks its values,
    /// from the column itself, most significant level first: whole numbers as they are; decimals by
    /// the bits of their amount, a figure then by its wording (as `Value.compare` orders them); text by
    /// each distinct string's place in code-point order, worked out once for the column's dictionary.
    /// Null (or no row) is Int.max, after every value. Nil for booleans and where a value would tie with null.
    func storedRanks(_ expression: BoundExpression, over relation: Relation) -> [[Int]]? {
        guard usesKernels, relation.count <= Int(Int32.max), case .column(let reference, let table, let column) = expression.node else { return nil }
        let storage = store.tables[table].columns[column].storage
        if case .bools = storage { return nil }
        let rows = kernels.rows(reference)(Batch(relation: relation, positions: Array(relation.positions)))
        var ranks = [Int](repeating: Int.max, count: rows.count)
        let rank = SortRanks.rank
        switch storage {
        case .ints(let values, let nulls):
            for (i, row) in rows.enumerated() where row >= 0 && !nulls.isNull(row) {
                if values[row] == Int.max { return nil }
                ranks[i] = values[row]
            }
        case .doubles(let values, let nulls):
            for (i, row) in rows.enumerated() where row >= 0 && !nulls.isNull(row) {
                ranks[i] = rank(values[row])
                if ranks[i] == Int.max { return nil }
            }
        case .amounts(let values, let qualifiers):
            var wording = [Int](repeating: 0, count: rows.count)
            for (i, row) in rows.enumerated() where row >= 0 && qualifiers[row] != Column.nullQualifier {
                ranks[i] = rank(values[row])
                if ranks[i] == Int.max { return nil }
                wording[i] = Column.qualifier(qualifiers[row]).order
            }
            return [ranks, wording]
        case .codes(let codes, let dictionary):
            var place = [Int](repeating: Int.max, count: dictionary.count + 1)  // code 0: null
            for (code, rank) in Column.codeRanks(dictionary).enumerated().dropFirst() { place[code] = rank }
            for (i, row) in rows.enumerated() where row >= 0 { ranks[i] = place[Int(codes[row])] }
        case .bools:
            return nil
        }
        return [ranks]
    }

    /// The first `n` positions in sort order, keeping only `n` candidates while reading: the same
    /// rows, in the same order, as a stable sort followed by `take`. Keys that cannot fail are read
    /// through kernels; one that can is computed only for the rows that need it, as the plain order does.
    func topOrder(_ n: Int, _ relation: Relation, _ keys: [BoundSortKey]) throws -> [Int] {
        guard n < relation.count / 4 else { return Array(try sortOrder(relation, keys).prefix(n)) }
        if let (levels, descending) = storedLevels(keys, over: relation) {
            return try Self.topOrder(n, levels: levels, descending: descending, count: relation.count, interruption: interruption)
        }
        let columns = try keys.map { $0.expression.canFail ? nil : try column($0.expression, over: relation) }
        var buffer = relation.rowBuffer
        return try Self.topOrder(n, count: relation.count, keys: keys) { index, position in
            if position == 0 { try interruption.checkpoint(index) }
            if let column = columns[position] { return column[index] }
            relation.fill(&buffer, at: index)
            return try evaluator.evaluate(keys[position].expression, buffer)
        }
    }

    /// The first `n` positions in stable order by integer ranks (`levels[k]`: level k of every row),
    /// keeping `n` candidates: a row that does not come before the last candidate costs a comparison
    /// of integers, usually one.
    static func topOrder(_ n: Int, levels: [[Int]], descending: [Bool], count: Int, interruption: Interruption) throws -> [Int] {
        guard n > 0 else { return [] }
        func precedes(_ i: Int, _ j: Int) -> Bool { Self.precedes(i, j, levels, descending) }
        var best: [Int] = []
        best.reserveCapacity(n + 1)
        for index in 0..<count {
            try interruption.checkpoint(index)
            if best.count == n, !precedes(index, best[n - 1]) { continue }
            var low = 0, high = best.count
            while low < high {
                let mid = (low + high) / 2
                if precedes(best[mid], index) { low = mid + 1 } else { high = mid }
            }
            best.insert(index, at: low)
            if best.count > n { best.removeLast() }
        }
        return best
    }

    /// Whether row `i` comes before row `j` by their ranks, then by position.
    static func precedes(_ i: Int, _ j: Int, _ levels: [[Int]], _ descending: [Bool]) -> Bool {
        for k in levels.indices where levels[k][i] != levels[k][j] {
            return descending[k] ? levels[k][i] > levels[k][j] : levels[k][i] < levels[k][j]
        }
        return i < j
    }

    /// The positions of the first `n` of `count` items in stable sort order, keeping `n` candidates.
    /// `key(item, k)` is item's k-th key, asked for in order from k = 0; an item whose first key
    /// already sorts after the last candidate's is passed over without asking for the others.
    static func topOrder(_ n: Int, count: Int, keys: [BoundSortKey], key: (Int, Int) throws -> Value) rethrows -> [Int] {
        guard n > 0 else { return [] }
        var best: [(keys: [Value], index: Int)] = []
        best.reserveCapacity(n + 1)
        for index in 0..<count {
            let first = try key(index, 0)
            if best.count == n {
                let c = Value.compare(first, best[n - 1].keys[0])
                if keys[0].isDescending ? c < 0 : c > 0 { continue }
            }
            var candidate = [first]
            for position in keys.indices.dropFirst() { candidate.append(try key(index, position)) }
            if best.count == n, !precedes(candidate, index, best[n - 1].keys, best[n - 1].index, keys) { continue }
            var low = 0, high = best.count
            while low < high {
                let mid = (low + high) / 2
                if precedes(best[mid].keys, best[mid].index, candidate, index, keys) { low = mid + 1 } else { high = mid }
            }
            best.insert((candidate, index), at: low)
            if best.count > n { best.removeLast() }
        }
        return best.map(\.index)
    }

    /// Whether `a` (at position `i`) comes before `b` (at `j`): by the keys, then by position.
    static func precedes(_ a: [Value], _ i: Int, _ b: [Value], _ j: Int, _ keys: [BoundSortKey]) -> Bool {
        for (position, key) in keys.enumerated() {
            let c = Value.compare(a[position], b[position])
            if c != 0 { return key.isDescending ? c > 0 : c < 0 }
        }
        return i < j
    }
}

/// A sort key's values as integers in the order `Value.compare` puts them (null after every
/// value): whole numbers as they are, decimals and figures by the bits of their amount, text by its
/// place among the distinct texts, booleans as 0 and 1. Nil for a key whose values are of more than
/// one kind (whole numbers mixed with decimals compare by amount), which is compared value by value.
struct SortRanks {
    let ranks: [Int]

    init?(_ column: Relation.Slot, count: Int) {
        guard case .values(let values) = column else {
            if case .rows(let rows) = column { ranks = rows; return }  // row numbers: as whole numbers
            return nil
        }
        enum Kind { case none, int, number, string, bool, date }
        var kind = Kind.none
        for value in values {
            let this: Kind
            switch value {
            case .null: continue
            case .int: this = .int
            case .decimal, .figure: this = .number
            case .string: this = .string
            case .bool: this = .bool
            case .date: this = .date
            case .list: return nil
            }
            if kind == .none { kind = this } else if kind != this { return nil }
        }
        var ranks = [Int](repeating: Int.max, count: count)  // null: after every value
        switch kind {
        case .none: break
        case .int:
            for (i, value) in values.enumerated() {
                guard case .int(let n) = value else { continue }
                if n == Int.max { return nil }  // it would tie with null: compared value by value
                ranks[i] = n
            }
        case .number where values.contains(where: { $0.wording != .exact }):
            // Figures of one amount and several wordings: each distinct value's place among them.
            var places: [RowKey: Int] = [:]
            let distinct = values.filter { !$0.isNull && places.updateValue(0, forKey: RowKey($0)) == nil }
            for (place, value) in distinct.sorted(by: { Value.compare($0, $1) < 0 }).enumerated() { places[RowKey(value)] = place }
            for (i, value) in values.enumerated() where !value.isNull { ranks[i] = places[RowKey(value)]! }
        case .number:
            for (i, value) in values.enumerated() {
                guard let amount = value.number else { continue }
                let rank = Self.rank(amount)
                if rank == Int.max { return nil }
                ranks[i] = rank
            }
        case .string:
            var places: [TextKey: Int] = [:]
            for value in values { if case .string(let s) = value { places[TextKey(s)] = 0 } }
            let order = places.keys.sorted { $0.text.codePointOrder($1.text) < 0 }
            for (place, text) in order.enumerated() { places[text] = place }
            for (i, value) in values.enumerated() { if case .string(let s) = value { ranks[i] = places[TextKey(s)]! } }
        case .bool:
            for (i, value) in values.enumerated() { if case .bool(let b) = value { ranks[i] = b ? 1 : 0 } }
        case .date:
            for (i, value) in values.enumerated() { if case .date(let days) = value { ranks[i] = days } }
        }
        self.ranks = ranks
    }

    /// An amount as an integer in its order: the bits of a double sort as it does once a negative
    /// one's are flipped (-0 is 0).
    static func rank(_ amount: Double) -> Int {
        let bits = Int64(bitPattern: (amount == 0 ? 0.0 : amount).bitPattern)
        return bits < 0 ? Int(Int64.min - bits) - 1 : Int(bits)
    }
}
