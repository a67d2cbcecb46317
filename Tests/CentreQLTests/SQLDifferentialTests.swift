import CSQLite
import Foundation
import Testing
@testable import CentreQL

/// SQLite as an oracle no one here wrote: every example and evaluator-corpus query is compiled to
/// SQL, run on the same data in SQLite, and must give the same rows in the same order as the
/// in-memory engine. A query the compiler refuses (E601) is counted, not compared.
@Suite struct SQLDifferentialTests {
    /// An in-memory SQLite database holding a store, in the tables `SQLSchema` describes.
    final class Database {
        private(set) var db: OpaquePointer?

        init(_ store: Store) throws {
            sqlite3_open(":memory:", &db)
            try execute(SQLSchema.statements(.sqlite))
            try execute("BEGIN")
            for table in store.tables {
                let names = table.schema.columns.flatMap { $0.type == .figure ? [$0.name, $0.name + "_qualifier"] : [$0.name] }
                let sql = "INSERT INTO \(table.schema.name) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))"
                let statement = try prepare(sql)
                for row in 0..<table.rowCount {
                    var position: Int32 = 1
                    for column in table.schema.columns {
                        let value = table.value(row: row, column: column.name) ?? .null
                        bind(value, to: statement, at: &position, isFigure: column.type == .figure)
                    }
                    guard sqlite3_step(statement) == SQLITE_DONE else { throw failure(sql) }
                    sqlite3_reset(statement)
                }
                sqlite3_finalize(statement)
            }
            try execute("COMMIT")
        }

        deinit { sqlite3_close(db) }

        func execute(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
        }

        func prepare(_ sql: String) throws -> OpaquePointer? {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure(sql) }
            return statement
        }

        private func failure(_ sql: String) -> Error {
            NSError(domain: "SQLite", code: 1, userInfo: [NSLocalizedDescriptionKey: String(cString: sqlite3_errmsg(db)) + " in\n" + sql])
        }

        func bind(_ value: Value, to statement: OpaquePointer?, at position: inout Int32, isFigure: Bool = false) {
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

        /// Runs a compiled query and reads its rows back as values of the query's column types.
        func rows(_ query: CompiledQuery, parameters: [String: Value]) throws -> [[Value]] {
            let statement = try prepare(query.sql)
            defer { sqlite3_finalize(statement) }
            var position: Int32 = 1
            for name in query.parameters { bind(parameters[name] ?? .null, to: statement, at: &position) }
            var rows: [[Value]] = []
            while sqlite3_step(statement) == SQLITE_ROW {
                var index: Int32 = 0
                var row: [Value] = []
                for column in query.columns {
                    let isNull = sqlite3_column_type(statement, index) == SQLITE_NULL
                    switch column.type {
                    case .int: row.append(isNull ? .null : .int(Int(sqlite3_column_int64(statement, index))))
                    case .decimal: row.append(isNull ? .null : .decimal(sqlite3_column_double(statement, index)))
                    case .bool: row.append(isNull ? .null : .bool(sqlite3_column_int64(statement, index) != 0))
                    case .string: row.append(isNull ? .null : .string(String(cString: sqlite3_column_text(statement, index))))
                    case .figure:
                        let qualifier = sqlite3_column_text(statement, index + 1).map { String(cString: $0) } ?? ""
                        row.append(isNull ? .null : .figure(Figure(sqlite3_column_double(statement, index), Qualifier(rawValue: qualifier) ?? .about)))
                        index += 1
                    default: row.append(.null)
                    }
                    index += 1
                }
                rows.append(row)
            }
            return rows
        }
    }

    static let scripts = ["Tests/CentreQLTests/Corpus/queries.cql"] + ExamplesTests.files.map { String($0.dropFirst(Repository.root.path.count + 1)) }

    /// Compiles and runs each query of a script on both engines; returns (compared, refused) counts.
    static func compare(_ path: String, store: Store, database: Database) throws -> (compared: Int, refused: [String]) {
        let source = SourceText(Repository.read(path), name: path)
        var compiling = Engine(store: store), running = Engine(store: store)
        var answers: [SourceRange: StatementOutcome] = [:]
        running.run(source) { answers[$0.extent] = $0.outcome }
        var compared = 0
        var refused: [String] = []
        var failure: Error?
        let parameters = Dictionary(uniqueKeysWithValues: running.parameters.compactMap { p in p.value.map { (p.name, $0) } })
        compiling.compileSQL(source, dialect: .sqlite) { extent, outcome in
            guard failure == nil, case .rows(let expected)? = answers[extent] else { return }
            switch outcome {
            case .sql(let query):
                do {
                    let actual = try database.rows(query, parameters: parameters)
                    #expect(actual.map { $0.map(\.description) } == expected.rows.map { $0.map(\.description) },
                            "\(path): \(source.text(of: extent))\n\(query.sql)")
                    compared += 1
                } catch {
                    failure = error
                    Issue.record("\(path): \(source.text(of: extent)) failed in SQLite: \(error)")
                }
            case .failed(let diagnostics):
                refused.append(diagnostics.map(\.code).joined(separator: ","))
            case .defined:
                break
            }
        }
        return (compared, refused)
    }

    @Test(arguments: scripts)
    func sqliteAgreesOnTheBuiltInData(_ path: String) throws {
        let database = try Database(.builtIn)
        let (compared, refused) = try Self.compare(path, store: .builtIn, database: database)
        #expect(refused.allSatisfy { $0 == "E601" }, "\(refused)")  // only constructs SQL cannot say
        #expect(compared + refused.count > 0)
    }

    @Test func mostQueriesCompile() throws {
        let database = try Database(.builtIn)
        var compared = 0, refused = 0
        for path in Self.scripts {
            let result = try Self.compare(path, store: .builtIn, database: database)
            compared += result.compared
            refused += result.refused.count
        }
        // Today `matches` and min/max of a figure are refused; everything else compiles.
        #expect(compared >= 4 * refused, "compared \(compared), refused \(refused)")
    }

    /// What SQL cannot say is refused by name, never compiled into something else.
    @Test(arguments: [
        ("centres | where name matches \"^上海\" | count", "a regular expression (matches)"),
        ("centres | select l = [1, 2]", "a list value outside `in`"),
        ("centres | derive town = upper(town_en) | select town", "a derived column named like a column of centres"),
        ("centres | group district agg m = max(volunteers)", "min or max of a figure"),
    ])
    func constructsSQLCannotSayAreRefusedByName(_ query: String, _ construct: String) {
        var engine = Engine()
        var diagnostics: [Diagnostic] = []
        engine.compileSQL(SourceText(query), dialect: .sqlite) { _, outcome in
            if case .failed(let found) = outcome { diagnostics += found }
        }
        #expect(diagnostics.map(\.code) == ["E601"])
        #expect(diagnostics.first?.message.hasPrefix(construct) == true, "\(diagnostics)")
    }

    @Test func theSchemaLoadsAndParametersStayParameters() throws {
        let database = try Database(.builtIn)
        var engine = Engine(parameters: ["x": "'; DROP TABLE centres; --"])
        var compiled: CompiledQuery?
        engine.compileSQL(SourceText("centres | where name == $x | count"), dialect: .sqlite) { _, outcome in
            if case .sql(let query) = outcome { compiled = query }
        }
        let query = try #require(compiled)
        #expect(!query.sql.contains("DROP"))
        #expect(query.parameters == ["x"])
        #expect(try database.rows(query, parameters: ["x": .string("'; DROP TABLE centres; --")]) == [[.int(0)]])
        #expect(try database.rows(query, parameters: ["x": .string("闵行区吴泾镇社区志愿服务中心")]) == [[.int(1)]])
    }
}
