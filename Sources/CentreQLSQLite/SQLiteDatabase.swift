import CSQLite
import CentreQL
import Foundation

/// An SQLite database (a file, or `:memory:`) in the tables `SQLSchema` describes, through the
/// system's libsqlite3 in-process: `centreql --engine sqlite:FILE.db` runs compiled queries on it,
/// `centreql export --sqlite FILE.db` fills one from a store, and the tests use it as an oracle.
///
/// Queries can only read: `run` prepares exactly one statement under an authorizer that allows
/// nothing but reading tables and calling functions, and a database opened with `readOnly` is
/// opened read-only as well, so no query text, however crafted, writes, attaches or creates a file.
public final class SQLiteDatabase {
    private var db: OpaquePointer?
    private let readingLock = NSLock()
    /// Asked every few thousand SQLite instructions whether to stop (Ctrl-C, a time limit).
    public var shouldStop: (@Sendable () -> Bool)?

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Opens (with `readOnly`, only opens; otherwise creates) the database at `path`. A path is
    /// never read as a `file:` URI, whose options could ask for write access.
    public init(path: String, readOnly: Bool = false) throws {
        let name = path.hasPrefix("file:") ? "./" + path : path
        let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        guard sqlite3_open_v2(name, &db, flags, nil) == SQLITE_OK else { throw failure("cannot open \(path)") }
        // A database made elsewhere may hold views and triggers: they may not call functions with side effects.
        try execute("PRAGMA trusted_schema = OFF")
        registerCentreQLFunctions()
        if readOnly { try execute("PRAGMA query_only = ON") }
    }

    deinit { sqlite3_close(db) }

    /// Creates the tables and indexes and inserts every row of `store`, in one transaction.
    public func load(_ store: Store) throws {
        try execute(SQLSchema.statements(.sqlite, catalog: store.catalog))
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

    /// Writes `store` as a new SQLite database at `path`, atomically: it is built in a temporary file
    /// beside the target and renamed over it only when complete, so an interrupted export leaves the
    /// old database. Only a database (or an empty file) is ever replaced: a folder, a device or any
    /// other file is refused, and a link is followed to the file it names.
    public static func write(_ store: Store, to path: String) throws {
        let file = try AtomicFile(path: path)
        guard let temporary = file.temporaryPath else {
            throw Failure(description: "cannot write \(path): it is not a regular file (a device, pipe or terminal)")
        }
        if let existing = file.existingTarget, let handle = FileHandle(forReadingAtPath: existing) {
            let header = try handle.read(upToCount: 16) ?? Data()
            try? handle.close()
            guard header.isEmpty || header == Data("SQLite format 3\0".utf8) else {
                throw Failure(description: "cannot write \(path): it is not an SQLite database, so it is not replaced (remove it first, or choose another name)")
            }
        }
        do {
            let database = try SQLiteDatabase(path: temporary)
            try database.execute("PRAGMA journal_mode = OFF")  // no journal beside it: the rename is what makes it atomic
            try database.load(store)
        }
        try file.commit()
    }

    /// Runs a compiled query, binding its parameters, and reads the rows back as values of the
    /// query's column types, so they print exactly as the in-memory engine's do.
    public func run(_ query: CompiledQuery, parameters: [String: Value]) throws -> ResultSet {
        let statement = try prepareReading(query.sql)
        defer { sqlite3_finalize(statement); sqlite3_progress_handler(db, 0, nil, nil) }
        if shouldStop != nil {
            let context = Unmanaged.passUnretained(self).toOpaque()
            sqlite3_progress_handler(db, 4096, { context in
                Unmanaged<SQLiteDatabase>.fromOpaque(context!).takeUnretainedValue().shouldStop?() == true ? 1 : 0
            }, context)
        }
        var position: Int32 = 1
        for name in query.parameters { bind(parameters[name] ?? .null, to: statement, at: &position) }
        var rows: [[Value]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                if step == SQLITE_INTERRUPT { throw Interrupted() }
                throw failure("running the query")
            }
            rows.append(try query.row { index, type in
                guard sqlite3_column_type(statement, index) != SQLITE_NULL else { return .null }
                switch type {
                case .int: return .int(Int(sqlite3_column_int64(statement, index)))
                case .decimal: return .decimal(sqlite3_column_double(statement, index))
                case .bool: return .bool(sqlite3_column_int64(statement, index) != 0)
                case .string:
                    // By length, not to the first NUL: text may hold one.
                    let bytes = UnsafeRawBufferPointer(start: sqlite3_column_text(statement, index), count: Int(sqlite3_column_bytes(statement, index)))
                    return .string(String(decoding: bytes, as: UTF8.self))
                case .date: return try Value(sqlDate: String(cString: sqlite3_column_text(statement, index)))
                default: return .null
                }
            })
        }
        return ResultSet(columns: query.columns, rows: rows)
    }

    public func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
    }

    /// Checks, before any query runs, that the database holds CentreQL's tables as `export --sqlite`
    /// makes them: real tables (not views, which could run anything), the columns by name and
    /// declared type, and values of the right kind (no 'lots' in a count, no BLOB in a name, only
    /// CentreQL's qualifiers). What does not fit is refused, naming the table and column.
    public func verifySchema(_ catalog: Catalog) throws {
        for table in catalog.tables {
            let kinds = try strings("SELECT type FROM sqlite_master WHERE name = '\(table.name)' COLLATE NOCASE")
            guard kinds == ["table"] else {
                throw Failure(description: "SQLite: this database has no table \(table.name)"
                              + (kinds.isEmpty ? "" : " (it is a \(kinds.joined(separator: ", ")))") + "; make one with centreql export --sqlite FILE")
            }
            var expected: [(name: String, declared: String, kinds: [String])] = []
            for column in table.columns {
                switch column.type {
                case .int: expected.append((column.name, "INTEGER", ["integer"]))
                case .decimal: expected.append((column.name, "REAL", ["real", "integer"]))
                case .figure:
                    expected.append((column.name, "REAL", ["real", "integer"]))
                    expected.append((column.name + "_qualifier", "TEXT", ["text"]))
                case .bool: expected.append((column.name, "BOOLEAN", ["integer"]))
                default: expected.append((column.name, "TEXT", ["text"]))
                }
            }
            let found = try strings("SELECT name || ' ' || type FROM pragma_table_info('\(table.name)')")
            let wanted = expected.map { "\($0.name) \($0.declared)" }
            guard found == wanted else {
                let difference = zip(found + Array(repeating: "(none)", count: max(0, wanted.count - found.count)), wanted).first { $0 != $1 }
                throw Failure(description: "SQLite: table \(table.name) does not have CentreQL's columns"
                              + (difference.map { " (found \($0.0), expected \($0.1))" } ?? " (it has more columns)"))
            }
            for column in expected {
                let kinds = column.kinds.map { "'\($0)'" }.joined(separator: ", ")
                var wrong = "typeof(\(column.name)) NOT IN ('null', \(kinds))"
                if column.declared == "BOOLEAN" { wrong += " OR \(column.name) NOT IN (0, 1)" }
                if column.name.hasSuffix("_qualifier") {
                    wrong += " OR \(column.name) NOT IN (" + Qualifier.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
                }
                let bad = try strings("SELECT quote(\(column.name)) FROM \(table.name) WHERE \(wrong) LIMIT 1")
                if let value = bad.first {
                    throw Failure(description: "SQLite: table \(table.name), column \(column.name) holds \(value.prefix(60)), which is not "
                                  + (column.name.hasSuffix("_qualifier") ? "a qualifier ('', 近, 余, 约 or 近余)" : "of type \(column.declared)"))
                }
            }
        }
    }

    /// The first column of every row of a statement CentreQL wrote itself.
    private func strings(_ sql: String) throws -> [String] {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        var result: [String] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            result.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
        }
        return result
    }

    /// `length`, `upper` and `lower` as CentreQL means them (characters as a reader counts them,
    /// Unicode's case mapping), in place of SQLite's (bytes of code points, ASCII only), so that
    /// `length("e\u{301}")` is 1 and `upper("straße")` is "STRASSE" here too.
    private func registerCentreQLFunctions() {
        let functions: [(String, @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void)] = [
            ("length", { context, _, arguments in
                guard let text = SQLiteDatabase.text(arguments?[0]) else { return sqlite3_result_null(context) }
                sqlite3_result_int64(context, Int64(text.count))
            }),
            ("upper", { context, _, arguments in
                guard let text = SQLiteDatabase.text(arguments?[0]) else { return sqlite3_result_null(context) }
                SQLiteDatabase.result(text.uppercased(), context)
            }),
            ("lower", { context, _, arguments in
                guard let text = SQLiteDatabase.text(arguments?[0]) else { return sqlite3_result_null(context) }
                SQLiteDatabase.result(text.lowercased(), context)
            }),
        ]
        for (name, function) in functions {
            sqlite3_create_function_v2(db, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, function, nil, nil, nil)
        }
        // `slice` counts characters as `length` does; SQLite has no function of its own for it.
        let slice: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, count, arguments in
            guard let text = SQLiteDatabase.text(arguments?[0]),
                  let start = SQLiteDatabase.integer(arguments?[1]) else { return sqlite3_result_null(context) }
            var end = Int.max
            if count > 2 {
                guard let e = SQLiteDatabase.integer(arguments?[2]) else { return sqlite3_result_null(context) }
                end = e
            }
            SQLiteDatabase.result(ScalarFunctions.slice(text, from: start, to: end), context)
        }
        for arity: Int32 in [2, 3] {
            sqlite3_create_function_v2(db, "centreql_slice", arity, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, slice, nil, nil, nil)
        }
    }

    private static func text(_ value: OpaquePointer?) -> String? {
        guard let value, sqlite3_value_type(value) != SQLITE_NULL, let bytes = sqlite3_value_text(value) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_value_bytes(value))), as: UTF8.self)
    }

    private static func integer(_ value: OpaquePointer?) -> Int? {
        guard let value, sqlite3_value_type(value) != SQLITE_NULL else { return nil }
        return Int(sqlite3_value_int64(value))
    }

    private static func result(_ text: String, _ context: OpaquePointer?) {
        sqlite3_result_text(context, text, Int32(text.utf8.count), cql_sqlite_transient())
    }

    /// Stopped by `shouldStop`.
    public struct Interrupted: Error {}

    /// One statement that can only read: anything after it, or any action but reading a table and
    /// calling a function (writing, ATTACH, PRAGMA, creating anything), is refused before it runs.
    private func prepareReading(_ sql: String) throws -> OpaquePointer? {
        // Threads sharing the connection take turns, so none prepares while another has taken the
        // authorizer off (it is consulted only while preparing).
        readingLock.lock()
        defer { readingLock.unlock() }
        sqlite3_set_authorizer(db, { _, action, name, _, _, _ in
            switch action {
            case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE: return SQLITE_OK
            case SQLITE_FUNCTION:
                let function = name.map { String(cString: $0).lowercased() } ?? ""
                return function == "load_extension" ? SQLITE_DENY : SQLITE_OK
            default: return SQLITE_DENY
            }
        }, nil)
        defer { sqlite3_set_authorizer(db, nil, nil) }
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let utf8 = Array(sql.utf8)
        let status = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                let status = sqlite3_prepare_v2(db, chars.baseAddress, Int32(chars.count), &statement, &tail)
                if status == SQLITE_OK, let tail, let base = chars.baseAddress {
                    let rest = chars[(tail - base)...]
                    if rest.contains(where: { !($0 == 32 || (9...13).contains($0)) }) { return SQLITE_MISUSE }
                }
                return status
            }
        }
        guard status == SQLITE_OK, let statement, sqlite3_stmt_readonly(statement) != 0 else {
            let reason = status == SQLITE_MISUSE ? "more than one statement" : String(cString: sqlite3_errmsg(db))
            sqlite3_finalize(statement)
            throw Failure(description: "SQLite: refused: \(reason) (\(sql.prefix(200)))")
        }
        return statement
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
        case .date: bind(.string(value.description), to: statement, at: &position); return
        case .string(let s):  // by length, so a NUL inside is kept
            sqlite3_bind_text(statement, position, s, Int32(s.utf8.count), cql_sqlite_transient())
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

extension SQLiteDatabase: SQLDatabase {
    public var dialect: SQLDialect { .sqlite }
}
