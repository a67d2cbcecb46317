/// The in-memory data: one `Table` per catalog table, stored column by column, with the indexes
/// that links need (id → row, and for each to-many link the rows each row reaches).
public struct Store: Sendable {
    public let tables: [Table]
    /// For each table and each of its to-many links (by position): the target rows of each row, in order.
    let manyLinks: [[[[Int]]?]]

    /// Builds a store from rows given per table name, checking types, ids and links.
    /// Either every row is accepted or a `DataError` says which row was not.
    public init(rows: [String: [DataRow]]) throws(DataError) {
        var tables: [Table] = []
        for schema in Catalog.tables {
            tables.append(try Table(schema: schema, rows: rows[schema.name] ?? []))
        }
        var manyLinks = Catalog.tables.map { [[[Int]]?](repeating: nil, count: $0.links.count) }
        for (index, schema) in Catalog.tables.enumerated() {
            for (position, link) in schema.links.enumerated() {
                guard let targetIndex = Catalog.tableIndex(link.target) else { continue }
                let target = tables[targetIndex]
                switch link.kind {
                case .toOne(let column):
                    // Every reference must name an existing row.
                    let table = tables[index]
                    let c = schema.columnIndex(column)!
                    for row in 0..<table.rowCount {
                        guard case .int(let id) = table.columns[c][row] else { continue }
                        if target.row(withID: id) == nil {
                            throw DataError(table: schema.name, line: table.lines[row], column: column,
                                            reason: "\(column) \(id) names no row of \(target.schema.name)")
                        }
                    }
                case .toMany(let column):
                    var reached = [[Int]](repeating: [], count: tables[index].rowCount)
                    let c = target.schema.columnIndex(column)!
                    for row in 0..<target.rowCount {
                        if case .int(let id) = target.columns[c][row], let source = tables[index].row(withID: id) {
                            reached[source].append(row)
                        }
                    }
                    manyLinks[index][position] = reached
                }
            }
        }
        self.tables = tables
        self.manyLinks = manyLinks
    }

    public func table(named name: String) -> Table? { tables.first { $0.schema.name == name } }

    /// The row a to-one link reaches from `row`, if any.
    func follow(_ link: LinkPath, from row: Int) -> Int? {
        guard let column = link.foreignKey, case .int(let id) = tables[link.table].columns[column][row] else { return nil }
        return tables[link.target].row(withID: id)
    }

    /// The rows a to-many link reaches from `row`.
    func rows(_ link: LinkPath, from row: Int) -> [Int] {
        manyLinks[link.table][link.position]?[row] ?? []
    }
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
        return "\(location): error[E501]: " + (column.map { "column \($0): " } ?? "") + reason
    }
}

public struct Table: Sendable {
    public let schema: TableSchema
    /// One array per column, each `rowCount` long.
    let columns: [[Value]]
    public let rowCount: Int
    /// The source line of each row, for error messages.
    let lines: [Int]
    private let idIndex: [Int: Int]
    /// The indexes the schema declares, by name.
    let indexes: [String: Index]

    init(schema: TableSchema, rows: [DataRow]) throws(DataError) {
        var columns = [[Value]](repeating: [], count: schema.columns.count)
        var idIndex: [Int: Int] = [:]
        let idColumn = schema.columnIndex("id")
        for (rowNumber, row) in rows.enumerated() {
            for name in row.values.keys where schema.columnIndex(name) == nil {
                throw DataError(table: schema.name, line: row.line, column: name,
                                reason: "\(schema.name) has no column '\(name)'")
            }
            for (c, column) in schema.columns.enumerated() {
                let value = row.values[column.name] ?? .null
                guard Table.value(value, fits: column.type) else {
                    throw DataError(table: schema.name, line: row.line, column: column.name,
                                    reason: "'\(value)' is not \(column.type.withArticle)")
                }
                guard column.domain.admits(value) else {
                    throw DataError(table: schema.name, line: row.line, column: column.name,
                                    reason: "'\(value)' is outside the column's values: \(column.name) must be \(column.domain.description)")
                }
                columns[c].append(value)
                if c == idColumn {
                    guard case .int(let id) = value else {
                        throw DataError(table: schema.name, line: row.line, column: "id", reason: "every row needs an id")
                    }
                    if idIndex[id] != nil {
                        throw DataError(table: schema.name, line: row.line, column: "id", reason: "id \(id) appears twice")
                    }
                    idIndex[id] = rowNumber
                }
            }
        }
        self.schema = schema
        self.columns = columns
        self.rowCount = rows.count
        self.lines = rows.map(\.line)
        self.idIndex = idIndex
        var indexes: [String: Index] = [:]
        for index in schema.indexes {
            indexes[index.name] = Index(index, table: schema, columns: columns, rowCount: rows.count)
        }
        self.indexes = indexes
    }

    func row(withID id: Int) -> Int? { idIndex[id] }

    public func value(row: Int, column: String) -> Value? {
        schema.columnIndex(column).map { columns[$0][row] }
    }

    private static func value(_ value: Value, fits type: ValueType) -> Bool {
        switch (value, type) {
        case (.null, _), (.int, .int), (.decimal, .decimal), (.string, .string), (.bool, .bool), (.figure, .figure): true
        default: false
        }
    }
}
