/// An index over one table's column (or columns), built when the data is loaded.
///
/// Both kinds answer with row numbers in ascending order, so a scan through an index yields rows in
/// table order, exactly as a full scan would: using an index never changes an answer, only its cost.
struct Index: Sendable {
    let schema: IndexSchema
    let columns: [Int]
    private let storage: Storage

    private enum Storage: Sendable {
        /// Key → rows holding it.
        case hash([[Value]: [Int]])
        /// Rows sorted by key (nulls left out), with the keys alongside for binary search.
        case ordered(keys: [[Value]], rows: [Int])
    }

    init(_ schema: IndexSchema, table: TableSchema, columns data: [[Value]], rowCount: Int) {
        self.schema = schema
        let columns = schema.columns.map { table.columnIndex($0)! }
        self.columns = columns
        let key = { (row: Int) in columns.map { data[$0][row] } }
        switch schema.kind {
        case .hash:
            var map: [[Value]: [Int]] = [:]
            for row in 0..<rowCount { map[key(row), default: []].append(row) }
            storage = .hash(map)
        case .ordered:
            var entries = (0..<rowCount).compactMap { row -> (key: [Value], row: Int)? in
                let k = key(row)
                return k.contains(where: \.isNull) ? nil : (k, row)
            }
            entries.sort { a, b in
                let c = Self.compare(a.key, b.key)
                return c != 0 ? c < 0 : a.row < b.row
            }
            storage = .ordered(keys: entries.map(\.key), rows: entries.map(\.row))
        }
    }

    var isOrdered: Bool { if case .ordered = storage { true } else { false } }

    /// Rows whose key equals `key` (all of the index's columns).
    func rows(equalTo key: [Value]) -> [Int] {
        switch storage {
        case .hash(let map): return map[key] ?? []
        case .ordered: return rows(prefix: key, lower: nil, upper: nil)
        }
    }

    /// How many rows `rows(equalTo:)` would give, without building the list.
    func count(equalTo key: [Value]) -> Int {
        switch storage {
        case .hash(let map): return map[key]?.count ?? 0
        case .ordered: return count(prefix: key, lower: nil, upper: nil)
        }
    }

    /// For an ordered index: rows whose first key columns equal `prefix` and whose next column lies
    /// within the bounds (each bound: value and whether it is included). Ascending row order.
    func rows(prefix: [Value], lower: (Value, Bool)?, upper: (Value, Bool)?) -> [Int] {
        guard case .ordered(_, let rows) = storage else { return [] }
        return rows[positions(prefix: prefix, lower: lower, upper: upper)].sorted()
    }

    func count(prefix: [Value], lower: (Value, Bool)?, upper: (Value, Bool)?) -> Int {
        positions(prefix: prefix, lower: lower, upper: upper).count
    }

    /// Where the matching keys lie in the sorted order: two binary searches.
    private func positions(prefix: [Value], lower: (Value, Bool)?, upper: (Value, Bool)?) -> Range<Int> {
        guard case .ordered(let keys, _) = storage else { return 0..<0 }
        let start = partition(keys) { key in
            let c = Self.compare(Array(key.prefix(prefix.count)), prefix)
            if c != 0 { return c < 0 }
            guard let (value, inclusive) = lower, key.count > prefix.count else { return false }
            let d = Value.compare(key[prefix.count], value)
            return inclusive ? d < 0 : d <= 0
        }
        let end = partition(keys) { key in
            let c = Self.compare(Array(key.prefix(prefix.count)), prefix)
            if c != 0 { return c < 0 }
            guard let (value, inclusive) = upper, key.count > prefix.count else { return true }
            let d = Value.compare(key[prefix.count], value)
            return inclusive ? d <= 0 : d < 0
        }
        return start < end ? start..<end : start..<start
    }

    /// The first position whose key does not satisfy `isBefore` (keys are sorted).
    private func partition(_ keys: [[Value]], _ isBefore: ([Value]) -> Bool) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if isBefore(keys[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func compare(_ a: [Value], _ b: [Value]) -> Int {
        for (x, y) in zip(a, b) {
            let c = Value.compare(x, y)
            if c != 0 { return c }
        }
        return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
    }
}
