import CentreQLSQLite
import CentreQLPostgres
import Foundation
import Testing
@testable import CentreQL

/// SQLite as an oracle no one here wrote: every example and evaluator-corpus query is compiled to
/// SQL, run on the same data in SQLite, and must give the same rows in the same order as the
/// in-memory engine. A query the compiler refuses (E601) is counted, not compared.
@Suite struct SQLDifferentialTests {
    static let scripts = EvaluatorTests.corpus + ExamplesTests.files.map { String($0.dropFirst(Repository.root.path.count + 1)) }

    /// Compiles and runs each query of a script on both engines; returns the count compared and the
    /// codes of the queries the compiler refused.
    static func compare(_ path: String, on oracle: Oracle, data: DataSet) -> (compared: Int, refused: [String]) {
        let source = SourceText(Repository.read(path), name: path)
        var compiling = Engine(store: data.store), running = Engine(store: data.store)
        var answers: [SourceRange: StatementOutcome] = [:]
        running.run(source) { answers[$0.extent] = $0.outcome }
        var compared = 0
        var refused: [String] = []
        compiling.compileSQL(source, dialect: oracle.dialect) { extent, outcome in
            guard case .rows(let expected)? = answers[extent] else { return }
            switch outcome {
            case .sql(let query, let parameters):
                do {
                    let actual = try oracle.run(query, parameters: parameters, on: data)
                    #expect(actual.map { $0.map(\.description) } == expected.rows.map { $0.map(\.description) },
                            "\(path): \(source.text(of: extent))\n\(query.sql)")
                    compared += 1
                } catch {
                    Issue.record("\(path): \(source.text(of: extent)) failed in \(oracle.engine): \(error)")
                }
            case .failed(let diagnostics):
                refused.append(diagnostics.map(\.code).joined(separator: ","))
            case .defined:
                break
            }
        }
        return (compared, refused)
    }

    @Test(arguments: Oracle.all, scripts)
    func theOracleAgreesOnTheBuiltInData(_ oracle: Oracle, _ path: String) {
        let (compared, refused) = Self.compare(path, on: oracle, data: .builtIn)
        #expect(refused.allSatisfy { $0 == "E601" }, "\(refused)")  // only constructs SQL cannot say
        #expect(compared + refused.count > 0)
    }

    /// On a server whose collation orders text otherwise than by code point, every query still
    /// gives the in-memory rows: the compiler orders text by code point where the type says text.
    @Test(arguments: scripts)
    func aServersCollationChangesNoAnswer(_ path: String) {
        let (compared, refused) = Self.compare(path, on: Oracle(engine: .postgres), data: .collated)
        #expect(refused.allSatisfy { $0 == "E601" }, "\(refused)")
        #expect(compared + refused.count > 0)
    }

    @Test(arguments: Oracle.all)
    func mostQueriesCompile(_ oracle: Oracle) {
        var compared = 0, refused = 0
        for path in Self.scripts {
            let result = Self.compare(path, on: oracle, data: .builtIn)
            compared += result.compared
            refused += result.refused.count
        }
        // Today `matches`, lists as values, a derive that shadows a column, min/max and text of a figure, a
        // figure's qualifier over a window, a pipeline per group (`group … (…)`), split and explode are refused; SQLite also
        // median, percentile and string_agg (no percentile, no ordered group_concat before 3.44); PostgreSQL
        // also length, upper, lower and slice (it counts and maps case otherwise); `trace` is the engine's own.
        // (Lesson 23 adds two traces, trace.cql four, and lesson 23 on PostgreSQL a length.)
        let (least, most) = oracle.engine == .sqlite ? (230, 43) : (230, 44)
        #expect(compared >= least && refused <= most, "compared \(compared), refused \(refused)")
    }

    /// The command as a user runs it: `export --sqlite` (or `--postgres`), then every example through
    /// `--engine`, printing what the in-memory engine prints (files with a statement SQL cannot say are left out).
    @Test(arguments: Oracle.all)
    func theEngineOptionPrintsWhatTheInMemoryEnginePrints(_ oracle: Oracle) throws {
        let engine: String
        let path = NSTemporaryDirectory() + "centreql-engine-\(UUID().uuidString).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let command = CommandTests()
        switch oracle.engine {
        case .sqlite:
            #expect(try command.run(["export", "--sqlite", path]).status == 0)
            engine = "sqlite:" + path
        case .postgres:
            let server = try #require(PostgresServer.conninfo, "no PostgreSQL server: run `make test`")
            let admin = try PostgresDatabase(server)
            try admin.execute("DROP DATABASE IF EXISTS centreql_command")
            try admin.execute("CREATE DATABASE centreql_command")
            let conninfo = server.replacingOccurrences(of: "dbname=postgres", with: "dbname=centreql_command")
            #expect(try command.run(["export", "--postgres", conninfo]).status == 0)
            engine = "postgres:" + conninfo
        }
        var compared = 0
        for file in ExamplesTests.files {
            let onEngine = try command.run(["--engine", engine, file])
            guard !onEngine.stderr.contains("E601") else { continue }
            let inMemory = try command.run([file])
            #expect(onEngine.stdout == inMemory.stdout, "\(file)")
            #expect(onEngine.status == inMemory.status, "\(file): \(onEngine.stderr)")
            compared += 1
        }
        #expect(compared >= 12)
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

    @Test(arguments: Oracle.all)
    func parametersStayParameters(_ oracle: Oracle) throws {
        let hostile = "'; DROP TABLE centres; -- \\ \" \u{1B}[2J"
        var engine = Engine(parameters: ["x": hostile])
        var compiled: CompiledQuery?
        engine.compileSQL(SourceText("centres | where name == $x or name starts_with $x | select n = id, v = $x | take 1"),
                          dialect: oracle.dialect) { _, outcome in
            if case .sql(let query, _) = outcome { compiled = query }
        }
        let query = try #require(compiled)
        #expect(!query.sql.contains("DROP"))
        #expect(query.parameters == ["x"])
        #expect(try oracle.run(query, parameters: ["x": .string(hostile)], on: .builtIn).isEmpty)
        #expect(try oracle.run(query, parameters: ["x": .string("闵行区吴泾镇社区志愿服务中心")], on: .builtIn)
            == [[.int(try #require(try rows("centres | where name == \"闵行区吴泾镇社区志愿服务中心\" | select id").first.flatMap { Int($0[0]) })),
                 .string("闵行区吴泾镇社区志愿服务中心")]])
    }
}
