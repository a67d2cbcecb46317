/// An index over one table's column (or columns), built when the data is loaded.
///
/// Both kinds answer with row numbers in ascending order, so a scan through an index yields rows in
/// table order, exactly as a full scan would: using an index never changes an answer, only its cost.
struct Index: Sendable {
    let schema: IndexSchema
    let columns: [Int]
    private let storage: Storage
    /// The table's columns the keys are read from (shared with the table, not copied).
    private let data: [Column]

    private enum Storage: Sendable {
        /// Key → rows holding it.
        case hash([[Value]: [Int32]])
        /// Rows sorted by key (nulls left out); keys are read from the columns during binary search,
        /// so the index costs four bytes a row.
        case ordered(rows: [Int32])
    }

    /// `sorted`: an ordered index's rows in key order, as a snapshot keeps them (not sorted again).
    init(_ schema: IndexSchema, table: TableSchema, columns data: [Column], rowCount: Int, sorted: [Int32]? = nil) {
        self.schema = schema
        let columns = schema.columns.map { table.columnIndex($0)! }
        self.columns = columns
        self.data = data
        let key = { (row: Int) in columns.map { data[$0][row] } }
        if schema.kind == .ordered, let sorted {
            storage = .ordered(rows: sorted)
            return
        }
        switch schema.kind {
        case .hash:
            var map: [[Value]: [Int32]] = [:]
            if columns.count == 1, case .codes(let codes, let dictionary) = data[columns[0]].storage {
                // A text column's rows by their dictionary codes: each row costs an integer, and only
                // each distinct text is hashed (loading and opening a snapshot spent most time here).
                var buckets = [[Int32]](repeating: [], count: dictionary.count + 1)
                for row in 0..<rowCount { buckets[Int(codes[row])].append(Int32(row)) }
                map.reserveCapacity(buckets.count)
                for (code, rows) in buckets.enumerated() where !rows.isEmpty {
                    map[[code == 0 ? .null : .string(dictionary[code - 1])]] = rows
                }
            } else {
                for row in 0..<rowCount { map[key(row), default: []].append(Int32(row)) }
            }
            storage = .hash(map)
        case .ordered:
            let keyColumns = columns.map { data[$0] }
            storage = .ordered(rows: Self.sortedByRadix(keyColumns, rowCount: rowCount) ?? Self.sortedByValues(keyColumns, rowCount: rowCount))
        }
    }

    /// The rows whose keys hold no null, in the order `compare` gives and ties in row order, by
    /// comparing the keys as values.
    static func sortedByValues(_ columns: [Column], rowCount: Int) -> [Int32] {
        var entries = (0..<rowCount).compactMap { row -> (key: [Value], row: Int32)? in
            let key = columns.map { $0[row] }
            return key.contains(where: \.isNull) ? nil : (key, Int32(row))
        }
        entries.sort { a, b in
            let c = Self.compare(a.key, b.key)
            return c != 0 ? c < 0 : a.row < b.row
        }
        return entries.map(\.row)
    }

    /// The same rows in the same order, by a stable radix sort on each column's keys as integers (last column first): no values are made
    /// and nothing is compared, where sorting a million keys of values took most of a load. Nil for
    /// a column of another kind (the general sort serves it).
    static func sortedByRadix(_ columns: [Column], rowCount: Int) -> [Int32]? {
        // Each column's levels, most significant first; a figure's amount, then its wording.
        var levels: [[UInt64]] = []
        var isNull = [Bool](repeating: false, count: rowCount)
        for column in columns {
            switch column.storage {
            case .ints(let values, let nulls):
                levels.append(values.map { UInt64(bitPattern: Int64($0)) ^ (1 << 63) })
                for row in 0..<rowCount where nulls.isNull(row) { isNull[row] = true }
            case .doubles(let values, let nulls):
                levels.append(values.map(Self.orderedBits))
                for row in 0..<rowCount where nulls.isNull(row) { isNull[row] = true }
            case .amounts(let values, let qualifiers):
                // On an equal amount the wording decides (Qualifier.order), as Value.compare does.
                let order = (0...255).map { UInt64(Column.qualifier(UInt8($0)).order) }
                levels.append(values.map(Self.orderedBits))
                levels.append(qualifiers.map { order[Int($0)] })
                for row in 0..<rowCount where qualifiers[row] == Column.nullQualifier { isNull[row] = true }
            case .codes(let codes, let dictionary):
                let rank = Column.codeRanks(dictionary).map { UInt64($0) }
                levels.append(codes.map { rank[Int($0)] })
                for row in 0..<rowCount where codes[row] == 0 { isNull[row] = true }
            case .bools:
                return nil
            }
        }
        var rows = (0..<rowCount).compactMap { isNull[$0] ? nil : Int32($0) }
        for keys in levels.reversed() { rows = radixSorted(rows, by: keys) }
        return rows
    }

    /// A double's bits as an unsigned integer in the same order (-0.0 as 0.0, which compares equal).
    private static func orderedBits(_ value: Double) -> UInt64 {
        let bits = (value + 0.0).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// `rows` stably sorted by `keys[row]`, a byte at a time from the lowest (a byte every key
    /// shares is skipped). The executor's sort uses it too.
    static func radixSorted(_ rows: [Int32], by keys: [UInt64]) -> [Int32] {
        var rows = rows, other = [Int32](repeating: 0, count: rows.count)
        keys.withUnsafeBufferPointer { keys in
            for shift in stride(from: 0, to: 64, by: 8) {
                var counts = [Int](repeating: 0, count: 257)
                for row in rows { counts[Int((keys[Int(row)] >> UInt64(shift)) & 0xFF) + 1] += 1 }
                if counts.contains(rows.count) { continue }  // every key has this byte alike
                for i in 1...256 { counts[i] += counts[i - 1] }
                for row in rows {
                    let byte = Int((keys[Int(row)] >> UInt64(shift)) & 0xFF)
                    other[counts[byte]] = row
                    counts[byte] += 1
                }
                swap(&rows, &other)
            }
        }
        return rows
    }

    private func key(_ row: Int32) -> [Value] { columns.map { data[$0][Int(row)] } }

    var byteCount: Int {
        switch storage {
        case .hash(let map): map.reduce(0) { $0 + 48 + $1.value.count * 4 }
        case .ordered(let rows): rows.count * 4
        }
    }

    var isOrdered: Bool { if case .ordered = storage { true } else { false } }

    /// An ordered index's rows in key order (what a snapshot stores); nil for a hash index.
    var sortedRows: [Int32]? { if case .ordered(let rows) = storage { rows } else { nil } }

    /// Rows whose key equals `key` (all of the index's columns).
    func rows(equalTo key: [Value]) -> [Int] {
        switch storage {
        case .hash(let map): return (map[key] ?? []).map(Int.init)
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
        guard case .ordered(let rows) = storage else { return [] }
        return rows[positions(prefix: prefix, lower: lower, upper: upper)].map(Int.init).sorted()
    }

    func count(prefix: [Value], lower: (Value, Bool)?, upper: (Value, Bool)?) -> Int {
        positions(prefix: prefix, lower: lower, upper: upper).count
    }

    /// Where the matching keys lie in the sorted order: two binary searches.
    private func positions(prefix: [Value], lower: (Value, Bool)?, upper: (Value, Bool)?) -> Range<Int> {
        guard case .ordered(let rows) = storage else { return 0..<0 }
        let start = partition(rows) { key in
            let c = Self.compare(Array(key.prefix(prefix.count)), prefix)
            if c != 0 { return c < 0 }
            guard let (value, inclusive) = lower, key.count > prefix.count else { return false }
            let d = Value.compare(key[prefix.count], value)
            return inclusive ? d < 0 : d <= 0
        }
        let end = partition(rows) { key in
            let c = Self.compare(Array(key.prefix(prefix.count)), prefix)
            if c != 0 { return c < 0 }
            guard let (value, inclusive) = upper, key.count > prefix.count else { return true }
            let d = Value.compare(key[prefix.count], value)
            return inclusive ? d <= 0 : d < 0
        }
        return start < end ? start..<end : start..<start
    }

    /// The first position whose key does not satisfy `isBefore` (rows are sorted by key).
    private func partition(_ rows: [Int32], _ isBefore: ([Value]) -> Bool) -> Int {
        var low = 0, high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if isBefore(key(rows[mid])) { low = mid + 1 } else { high = mid }
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
