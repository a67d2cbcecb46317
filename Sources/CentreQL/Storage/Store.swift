/// The in-memory data: one `Table` per catalog table, stored column by column (see `Column`), with
/// the indexes that links need (id → row, and for each to-many link the rows each row reaches).
/// It never changes once built, so it is shared by reference: the engine, the planner and every
/// evaluator hold the same one (a copy of a struct of arrays cost a retain per array each time).
public final class Store: Sendable {
    /// The schema the store's tables follow.
    public let catalog: Catalog
    public let tables: [Table]
    /// For each table and each of its to-many links (by position): the target rows of each row.
    let manyLinks: [[LinkIndex?]]

    /// Builds a store from rows given per table name, checking types, ids and links.
    /// Either every row is accepted or a `DataError` says which row was not.
    public convenience init(rows: [String: [DataRow]], catalog: Catalog = .builtIn) throws(DataError) {
        for name in rows.keys.sorted() where catalog.table(named: name) == nil {
            throw DataError(table: name, line: 0, reason: "the schema has no table \(name) (the tables are "
                            + catalog.tableNames.joined(separator: ", ") + ")")
        }
        var tables: [Table] = []
        for schema in catalog.tables {
            tables.append(try Table(schema: schema, rows: rows[schema.name] ?? []))
        }
        try self.init(tables: tables, catalog: catalog)
    }

    /// Links the tables, checking that every reference names an existing row. `tables` are the
    /// catalog's, in its order.
    init(tables: [Table], catalog: Catalog) throws(DataError) {
        precondition(tables.map(\.schema.name) == catalog.tableNames, "a store's tables follow its catalog")
        var manyLinks = catalog.tables.map { [LinkIndex?](repeating: nil, count: $0.links.count) }
        for (index, schema) in catalog.tables.enumerated() {
            for (position, link) in schema.links.enumerated() {
                guard let targetIndex = catalog.tableIndex(link.target) else { continue }
                let target = tables[targetIndex]
                switch link.kind {
                case .toOne(let column):
                    let table = tables[index]
                    let references = table.columns[schema.columnIndex(column)!]
                    for row in 0..<table.rowCount {
                        guard case .int(let id) = references[row] else { continue }
                        if target.row(withID: id) == nil {
                            throw DataError(table: schema.name, line: table.line(of: row), column: column,
                                            reason: "\(column) \(id) names no row of \(target.schema.name)")
                        }
                    }
                case .toMany(let column):
                    let references = target.columns[target.schema.columnIndex(column)!]
                    manyLinks[index][position] = LinkIndex(sources: tables[index].rowCount, targets: target.rowCount) { row in
                        guard case .int(let id) = references[row] else { return nil }
                        return tables[index].row(withID: id)
                    }
                }
            }
        }
        self.catalog = catalog
        self.tables = tables
        self.manyLinks = manyLinks
    }

    public func table(named name: String) -> Table? { tables.first { $0.schema.name == name } }

    /// The row a to-one link reaches from `row`, if any.
    func follow(_ link: LinkPath, from row: Int) -> Int? {
        guard let column = link.foreignKey, case .int(let id) = tables[link.table].columns[column][row] else { return nil }
        return tables[link.target].row(withID: id)
    }

    /// The rows a to-many link reaches from `row`, in table order.
    func rows(_ link: LinkPath, from row: Int) -> LazyMapSequence<ArraySlice<Int32>, Int> {
        (manyLinks[link.table][link.position]?.rows(from: row) ?? ArraySlice()).lazy.map(Int.init)
    }

    /// Bytes per table: the columns, the indexes and the link indexes, as laid out (not allocator overhead).
    public var byteCounts: [(table: String, rows: Int, bytes: Int)] {
        tables.enumerated().map { index, table in
            let links = manyLinks[index].reduce(0) { $0 + ($1?.byteCount ?? 0) }
            return (table.schema.name, table.rowCount, table.byteCount + links)
        }
    }
}

/// A to-many link's rows for every source row, in one array: the rows of source `s` are
/// `targets[offsets[s]..<offsets[s + 1]]` (compressed sparse rows: two arrays, not one per row).
struct LinkIndex: Sendable {
    private let offsets: [Int32]
    private let targets: [Int32]

    /// `source(row)` names the source row a target row belongs to, if any.
    init(sources: Int, targets count: Int, source: (Int) -> Int?) {
        var owners = [Int32](repeating: -1, count: count)
        var sizes = [Int32](repeating: 0, count: sources + 1)
        for row in 0..<count {
            guard let owner = source(row) else { continue }
            owners[row] = Int32(owner)
            sizes[owner + 1] += 1
        }
        for s in 0..<sources { sizes[s + 1] += sizes[s] }
        var next = sizes
        var targets = [Int32](repeating: 0, count: Int(sizes[sources]))
        for row in 0..<count where owners[row] >= 0 {
            let s = Int(owners[row])
            targets[Int(next[s])] = Int32(row)
            next[s] += 1
        }
        self.offsets = sizes
        self.targets = targets
    }

    func rows(from source: Int) -> ArraySlice<Int32> { targets[Int(offsets[source])..<Int(offsets[source + 1])] }

    var byteCount: Int { offsets.count * 4 + targets.count * 4 }
}

/// A row as loaded: values by column name, and where it came from (for error messages).
public struct DataRow: Sendable {
    public var values: [String: Value]
    public var line: Int

    public init(_ values: [String: Value], line: Int = 0) {
        self.values = values
        self.line = line
    }
}

/// Why data was refused: which table (or file), line and column, and the reason.
public struct DataError: Error, Sendable, CustomStringConvertible {
    public var table: String
    public var file: String?
    public var line: Int
    public var column: String?
    public var reason: String

    public init(table: String, file: String? = nil, line: Int, column: String? = nil, reason: String) {
        self.table = table
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        let place = file ?? table
        let location = line > 0 ? "\(place):\(line)" : place
        return "\(location): error[E501]: " + (column.map { "column \(TerminalText.excerpt($0)): " } ?? "") + reason
    }
}

/// A class, though immutable: the planner and executor read a table many times a query, and a
/// struct of this many arrays would be retained field by field at every read.
public final class Table: Sendable {
    public let schema: TableSchema
    /// One column per schema column, each `rowCount` long.
    let columns: [Column]
    public let rowCount: Int
    /// The source line of each row, for error messages while the store is built (empty afterwards is fine).
    let lines: [Int]
    private let ids: IDIndex
    /// The indexes the schema declares, by name, and in order of name (how the planner tries them).
    let indexes: [String: Index]
    let indexList: [Index]

    /// Builds a table from rows of named values, checking names and types.
    convenience init(schema: TableSchema, rows: [DataRow]) throws(DataError) {
        var builders = schema.columns.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
        for row in rows {
            for name in row.values.keys.sorted() where schema.columnIndex(name) == nil {
                throw DataError(table: schema.name, line: row.line, column: name,
                                reason: "\(schema.name) has no column '\(name)'")
            }
            for (c, column) in schema.columns.enumerated() {
                let value = row.values[column.name] ?? .null
                guard builders[c].append(value) else {
                    throw DataError(table: schema.name, line: row.line, column: column.name,
                                    reason: "'\(TerminalText.excerpt("\(value)"))' is not \(column.type.withArticle)")
                }
            }
        }
        try self.init(schema: schema, columns: builders.map { $0.build() }, lines: rows.map(\.line))
    }

    /// Builds a table from its columns, checking domains and ids and building the indexes.
    /// `sortedIndexes`: ordered indexes' rows in key order by index name, as a snapshot keeps them.
    init(schema: TableSchema, columns: [Column], lines: [Int], sortedIndexes: [String: [Int32]] = [:]) throws(DataError) {
        let rowCount = columns.first?.count ?? 0
        // Each column checked as a whole where its storage can say (a number's range, each distinct
        // text once); row by row only to find the row that breaks the rule.
        for (c, column) in schema.columns.enumerated() where !column.domainIsAny && !columns[c].allAdmitted(by: column.domain) {
            for row in 0..<rowCount where !column.domain.admits(columns[c][row]) {
                throw DataError(table: schema.name, line: lines.indices.contains(row) ? lines[row] : 0, column: column.name,
                                reason: "'\(columns[c][row])' is outside the column's values: \(column.name) must be \(column.domain.description)")
            }
        }
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
        self.lines = lines
        if let c = schema.columnIndex("id") {
            ids = try IDIndex(columns[c]) { row, reason in
                DataError(table: schema.name, line: lines.indices.contains(row) ? lines[row] : 0, column: "id", reason: reason)
            }
        } else {
            ids = .dense(first: 0, count: 0)
        }
        var indexes: [String: Index] = [:]
        for index in schema.indexes {
            indexes[index.name] = Index(index, table: schema, columns: columns, rowCount: rowCount, sorted: sortedIndexes[index.name])
        }
        self.indexes = indexes
        self.indexList = indexes.values.sorted { $0.schema.name < $1.schema.name }
    }

    func row(withID id: Int) -> Int? { ids.row(of: id) }

    /// The source line of a row, for messages; 0 when the table was not read from lines (a snapshot).
    func line(of row: Int) -> Int { lines.indices.contains(row) ? lines[row] : 0 }

    public func value(row: Int, column: String) -> Value? {
        schema.columnIndex(column).map { columns[$0][row] }
    }

    var byteCount: Int {
        columns.reduce(0) { $0 + $1.byteCount } + indexes.values.reduce(0) { $0 + $1.byteCount } + ids.byteCount
    }
}

/// id → row. Ids usually run 1, 2, 3 … in file order; then the row is arithmetic and the index
/// costs nothing. Otherwise it is a dictionary.
enum IDIndex: Sendable {
    case dense(first: Int, count: Int)
    case sparse([Int: Int])

    init(_ column: Column, error: (Int, String) -> DataError) throws(DataError) {
        // Read from the column's own array (a million rows made into values cost a tenth of a second).
        guard case .ints(let ids, let nulls) = column.storage else { throw error(0, "every row needs an id") }
        if let row = nulls.firstNull { throw error(row, "every row needs an id") }
        let first = ids.first ?? 0
        let dense = ids.withUnsafeBufferPointer { ids in
            var gaps = 0
            for row in 0..<ids.count { gaps |= ids[row] ^ (first &+ row) }  // branch-free: vectorised
            return gaps == 0
        }
        if dense {
            self = .dense(first: first, count: column.count)
            return
        }
        var map: [Int: Int] = [:]
        map.reserveCapacity(column.count)
        for (row, id) in ids.enumerated() where map.updateValue(row, forKey: id) != nil {
            throw error(row, "id \(id) appears twice")
        }
        self = .sparse(map)
    }

    func row(of id: Int) -> Int? {
        switch self {
        case .dense(let first, let count):
            let (row, overflow) = id.subtractingReportingOverflow(first)
            return !overflow && row >= 0 && row < count ? row : nil
        case .sparse(let map): return map[id]
        }
    }

    var byteCount: Int { if case .sparse(let map) = self { map.count * 16 } else { 0 } }
}
