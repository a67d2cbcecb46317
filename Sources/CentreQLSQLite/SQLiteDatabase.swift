import CSQLite
import CentreQL
import Foundation

/// An SQLite database (a file, or `:memory:`) in the tables `SQLSchema` describes, through the
/// system's libsqlite3 in-process: `centreql --engine sqlite:FILE.db` runs compiled queries on it,
/// `centreql export --sqlite FILE.db` fills one from a store, and the tests use it as an oracle.
public final class SQLiteDatabase {
    private var db: OpaquePointer?

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public init(path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw failure("cannot open \(path)") }
    }

    deinit { sqlite3_close(db) }

    /// Creates the tables and indexes and inserts every row of `store`, in one transaction.
    public func load(_ store: Store) throws {
        try execute(SQLSchema.statements(.sqlite))
        try execute("BEGIN")
        for table in store.tables {
            let names = table.schema.columns.flatMap { $0.type == .figure ? [$0.name, $0.name + "_qualifier"] : [$0.name] }
            let sql = "INSERT INTO \(table.schema.name) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))"
            let statement = try prepare(sql)
            defer { sqlite3_finalize(statement) }
            for row in 0..<table.rowCount {
                var position: Int32 = 1
                for column in table.schema.columns {
                    bind(table.value(row: row, column: column.name) ?? .null, to: statement, at: &position, isFigure: column.type == .figure)
                }
                guard sqlite3_step(statement) == SQLITE_DONE else { throw failure(sql) }
                sqlite3_reset(statement)
            }
        }
        try execute("COMMIT")
    }

    /// Runs a compiled query, binding its parameters, and reads the rows back as values of the
    /// query's column types, so they print exactly as the in-memory engine's do.
    public func run(_ query: CompiledQuery, parameters: [String: Value]) throws -> ResultSet {
        let statement = try prepare(query.sql)
        defer { sqlite3_finalize(statement) }
        var position: Int32 = 1
        for name in query.parameters { bind(parameters[name] ?? .null, to: statement, at: &position) }
        var rows: [[Value]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw failure("running the query") }
            rows.append(query.row { index, type in
                guard sqlite3_column_type(statement, index) != SQLITE_NULL else { return .null }
                switch type {
                case .int: return .int(Int(sqlite3_column_int64(statement, index)))
                case .decimal: return .decimal(sqlite3_column_double(statement, index))
                case .bool: return .bool(sqlite3_column_int64(statement, index) != 0)
                case .string: return .string(String(cString: sqlite3_column_text(statement, index)))
                default: return .null
                }
            })
        }
        return ResultSet(columns: query.columns, rows: rows)
    }

    public func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure(sql) }
        return statement
    }

    private func failure(_ context: String) -> Failure {
        Failure(description: "SQLite: " + String(cString: sqlite3_errmsg(db)) + " (\(context.prefix(200)))")
    }

    private func bind(_ value: Value, to statement: OpaquePointer?, at position: inout Int32, isFigure: Bool = false) {
        switch value {
        case .int(let i): sqlite3_bind_int64(statement, position, Int64(i))
        case .decimal(let d): sqlite3_bind_double(statement, position, d)
        case .bool(let b): sqlite3_bind_int64(statement, position, b ? 1 : 0)
        case .string(let s): sqlite3_bind_text(statement, position, s, -1, cql_sqlite_transient())
        case .figure(let f):
            sqlite3_bind_double(statement, position, f.amount)
            position += 1
            sqlite3_bind_text(statement, position, f.qualifier.rawValue, -1, cql_sqlite_transient())
        default:
            sqlite3_bind_null(statement, position)
            if isFigure { position += 1; sqlite3_bind_null(statement, position) }
        }
        position += 1
    }
}
