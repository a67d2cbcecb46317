import CLibPQ
import CentreQL
import Foundation

/// A PostgreSQL database through libpq, in the tables `SQLSchema` describes for PostgreSQL:
/// `centreql --engine postgres:CONNINFO` runs compiled queries on it, and the tests use it as an oracle.
/// Values travel as text in both directions and are read back by the query's column types, so the
/// rows print exactly as the in-memory engine prints them.
public final class PostgresDatabase {
    private let connection: OpaquePointer?
    /// How long one query may run (PostgreSQL's statement_timeout, for the query's transaction only).
    public var timeLimit: Duration?

    /// Whether Ctrl-C may cancel this connection's queries (`cancelRunningQuery`). Only a program
    /// with one connection at a time turns it on (the command does): the handle a signal handler
    /// reads is one for the process.
    public var cancelsOnInterrupt = false

    /// The cancel handle of the query now running on the connection that cancels on interrupt, for
    /// a signal handler (PQcancel may be called there).
    nonisolated(unsafe) private static var interruptible: OpaquePointer?
    nonisolated(unsafe) private static let cancelErrors = UnsafeMutablePointer<CChar>.allocate(capacity: 256)

    /// Asks the server to cancel the query now running, if any (safe in a signal handler).
    public static func cancelRunningQuery() {
        if let interruptible { _ = PQcancel(interruptible, cancelErrors, 256) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public init(_ conninfo: String) throws {
        connection = PQconnectdb(conninfo)
        guard PQstatus(connection) == CONNECTION_OK else {
            // deinit finishes the connection: finishing it here too freed it twice.
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "PostgreSQL: cannot connect (\(message))")
        }
        try execute("SET client_min_messages TO warning")  // no NOTICE lines among the results
        try execute("SET DateStyle TO ISO")  // dates come back as YYYY-MM-DD whatever the server's setting
    }

    deinit { PQfinish(connection) }

    /// Creates the tables and indexes (dropping any earlier ones) and inserts every row of `store`.
    public func load(_ store: Store) throws {
        try execute("DROP TABLE IF EXISTS " + store.catalog.tableNames.reversed().joined(separator: ", ") + " CASCADE")
        try execute(SQLSchema.statements(.postgres, catalog: store.catalog))
        try execute("BEGIN")
        for table in store.tables {
            let names = table.schema.columns.flatMap { $0.type == .figure ? [$0.name, $0.name + "_qualifier"] : [$0.name] }
            let sql = "INSERT INTO \(table.schema.name) (\(names.joined(separator: ", "))) VALUES ("
                + names.indices.map { "$\($0 + 1)" }.joined(separator: ", ") + ")"
            for row in 0..<table.rowCount {
                var values: [String?] = []
                for column in table.schema.columns {
                    let value = table.value(row: row, column: column.name) ?? .null
                    if case .string(let text) = value, text.utf8.contains(0) {  // libpq would cut it there
                        throw Failure(description: "PostgreSQL: \(table.schema.name) row \(row + 1), column \(column.name) holds the NUL character (U+0000), which PostgreSQL's text cannot hold")
                    }
                    if case .figure(let f) = value {
                        values += [Self.text(.decimal(f.amount)), f.qualifier.rawValue]
                    } else {
                        values.append(Self.text(value))
                        if column.type == .figure { values.append(nil) }
                    }
                }
                PQclear(try run(sql, values))
            }
        }
        try execute("COMMIT")
    }

    /// Runs a compiled query with its parameters and reads the rows back as values. It runs alone
    /// (the extended protocol takes one statement) inside a read-only transaction that is rolled
    /// back, so no query text can change the database. Only a query (SELECT or WITH … SELECT) is
    /// sent: a read-only transaction still lets a superuser's COPY write a file on the server.
    public func run(_ query: CompiledQuery, parameters: [String: Value]) throws -> ResultSet {
        let first = query.sql.prefix { !$0.isWhitespace && $0 != "(" }.uppercased()
        guard first == "WITH" || first == "SELECT" else {
            throw Failure(description: "PostgreSQL: refused: only a query is run, not \(first.prefix(40))")
        }
        var values: [String?] = []
        for name in query.parameters {
            let value = parameters[name] ?? .null
            if case .string(let s) = value, s.utf8.contains(0) {
                throw Failure(description: "PostgreSQL: text cannot hold the NUL character (U+0000), as $\(name) does")
            }
            values.append(Self.text(value))
        }
        try execute("BEGIN TRANSACTION READ ONLY")
        defer { try? execute("ROLLBACK") }
        if let timeLimit {
            let (seconds, attoseconds) = timeLimit.components
            let milliseconds = min(Int64(Int32.max), seconds * 1000 + attoseconds / 1_000_000_000_000_000)
            try execute("SET LOCAL statement_timeout = \(max(1, milliseconds))")
        }
        if cancelsOnInterrupt {
            Self.interruptible = PQgetCancel(connection)
        }
        defer {
            if cancelsOnInterrupt {
                let handle = Self.interruptible
                Self.interruptible = nil
                PQfreeCancel(handle)
            }
        }
        let result = try run(query.sql, values)
        defer { PQclear(result) }
        var rows: [[Value]] = []
        for row in 0..<PQntuples(result) {
            rows.append(try query.row { index, type in
                guard PQgetisnull(result, row, index) == 0 else { return .null }
                let text = String(cString: PQgetvalue(result, row, index))
                switch type {
                case .int:
                    // SUM of bigints is numeric in PostgreSQL: a total past 64 bits is CentreQL's overflow (E403), not a crash.
                    if let whole = Int(text) ?? Double(text).flatMap({ Int(exactly: $0.rounded(.towardZero)) }) { return .int(whole) }
                    throw Failure(description: "PostgreSQL: the whole number \(text.prefix(40)) is beyond CentreQL's integers (±9223372036854775807)")
                case .decimal: return Double(text).map { .decimal($0) } ?? .null
                case .bool: return .bool(text == "t" || text == "true")
                case .string: return .string(text)
                case .date: return try Value(sqlDate: text)
                default: return .null
                }
            })
        }
        return ResultSet(columns: query.columns, rows: rows)
    }

    /// Statements without parameters (several may be separated by `;`).
    public func execute(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw Failure(description: "PostgreSQL: " + String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// One statement with text parameters (nil is NULL); the server infers their types from the
    /// casts the compiler writes.
    private func run(_ sql: String, _ values: [String?]) throws -> OpaquePointer? {
        let copies = values.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let result = copies.map { UnsafePointer($0) }.withUnsafeBufferPointer { pointers in
            PQexecParams(connection, sql, Int32(values.count), nil, pointers.baseAddress, nil, nil, 0)
        }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQclear(result)
            throw Failure(description: "PostgreSQL: \(message)")
        }
        return result
    }

    /// A value as PostgreSQL reads it from text.
    static func text(_ value: Value) -> String? {
        switch value {
        case .null: nil
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .decimal(let d): "\(d)"
        case .string(let s): s
        case .figure(let f): "\(f.amount)"
        case .date: value.description
        case .list: nil
        }
    }
}

extension PostgresDatabase: SQLDatabase {
    public var dialect: SQLDialect { .postgres }
}
