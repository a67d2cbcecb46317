import Foundation
import Testing
@testable import CentreQL
import CentreQLSQLite
import CentreQLPostgres

/// Paths inside the repository, found from this file's location so tests run from any directory.
enum Repository {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func files(in folder: String, ending suffix: String) -> [String] {
        let directory = path(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { directory + "/" + $0 }
    }

    /// The files of a corpus folder, relative to the repository: one file per feature, so each runs
    /// and fails on its own (and `centreql check FILE` runs one by hand).
    static func corpus(_ folder: String) -> [String] {
        files(in: "Tests/CentreQLTests/Corpus/" + folder, ending: ".cql").map { String($0.dropFirst(root.path.count + 1)) }
    }

    static func read(_ relative: String) -> String {
        (try? String(contentsOfFile: path(relative), encoding: .utf8)) ?? ""
    }
}

/// A test case from a corpus file: a header line after `===` and the input that follows.
struct CorpusCase: CustomTestStringConvertible, Sendable {
    let header: [String]
    let input: String
    let line: Int
    var testDescription: String { "line \(line): \(input.prefix(60))" }

    /// Splits a file of `=== HEADER` blocks; lines starting with `#` before the first block are comments.
    static func load(_ relative: String) -> [CorpusCase] {
        var cases: [CorpusCase] = []
        var header: [String]?
        var lines: [String] = []
        var start = 0
        func flush() {
            if let header { cases.append(CorpusCase(header: header, input: lines.joined(separator: "\n"), line: start)) }
        }
        for (number, line) in Repository.read(relative).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("=== ") {
                flush()
                header = line.dropFirst(4).split(separator: " ").map(String.init)
                lines = []
                start = number + 1
            } else if header != nil {
                lines.append(String(line))
            }
        }
        flush()
        return cases.map { CorpusCase(header: $0.header, input: $0.input.trimmingCharacters(in: .newlines), line: $0.line) }
    }
}

/// Runs a script on the built-in data and returns every diagnostic code, in order.
func diagnosticCodes(_ script: String, parameters: [String: String] = [:]) -> [String] {
    var engine = Engine(parameters: parameters)
    var codes: [String] = []
    engine.run(SourceText(script)) { result in
        if case .failed(let diagnostics) = result.outcome { codes += diagnostics.map(\.code) }
    }
    return codes
}

/// Runs a query on the built-in data and returns its rows as text.
func rows(_ script: String) throws -> [[String]] {
    var engine = Engine()
    return try engine.query(script).rows.map { $0.map(\.description) }
}

/// An SQL engine no one here wrote, holding the same data as a store: SQLite in-process, or the
/// PostgreSQL server that `scripts/test-postgres` starts on the loopback address (the test command
/// starts it; the tests start it themselves when run on their own).
struct Oracle: CustomTestStringConvertible, Sendable {
    enum Engine: String, Sendable { case sqlite, postgres }
    let engine: Engine
    var dialect: SQLDialect { engine == .sqlite ? .sqlite : .postgres }
    var testDescription: String { engine.rawValue }

    static let all = [Oracle(engine: .sqlite), Oracle(engine: .postgres)]

    /// Runs a compiled query on this engine over `store` (which must be `.builtIn` or `generated`).
    func run(_ query: CompiledQuery, parameters: [String: Value], on store: DataSet) throws -> [[Value]] {
        let database: any SQLDatabase = engine == .sqlite ? store.sqlite : try PostgresDatabase(try store.postgres.get())
        return try database.run(query, parameters: parameters).rows
    }
}

/// The data sets the SQL tests compare on, each loaded once into SQLite and into its own PostgreSQL database.
final class DataSet: Sendable {
    let name: String
    let store: Store
    private let sqliteDatabase: SQLiteDatabaseBox
    /// The connection string of a database holding the data (or why there is none).
    let postgres: Result<String, PostgresDatabase.Failure>

    static let builtIn = DataSet(name: "builtin", store: .builtIn)
    /// The built-in data in a PostgreSQL database whose collation is ICU's en-US, which orders text
    /// otherwise than by code point ("a" before "B"); SQLite has only its own order.
    static let collated = DataSet(name: "collated", store: .builtIn,
                                  creation: "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'")
    static let generated: DataSet = {
        let directory = NSTemporaryDirectory() + "centreql-sql-oracle"
        _ = try? Generator(centres: 300, seed: 8).write(to: directory)
        return DataSet(name: "generated", store: try! CSVLoader.load(directory: directory))
    }()

    var sqlite: SQLiteDatabase { sqliteDatabase.database }

    private init(name: String, store: Store, creation: String = "") {
        self.name = name
        self.store = store
        let database = try! SQLiteDatabase(path: ":memory:")
        try! database.load(store)
        sqliteDatabase = SQLiteDatabaseBox(database: database)
        postgres = Result {
            guard let server = PostgresServer.conninfo else { throw PostgresDatabase.Failure(description: "no PostgreSQL server: run `make test`, which installs and starts one") }
            let admin = try PostgresDatabase(server)
            try admin.execute("DROP DATABASE IF EXISTS centreql_\(name)")
            try admin.execute("CREATE DATABASE centreql_\(name) \(creation)")
            let conninfo = server.replacingOccurrences(of: "dbname=postgres", with: "dbname=centreql_\(name)")
            try PostgresDatabase(conninfo).load(store)
            return conninfo
        }.mapError { $0 as? PostgresDatabase.Failure ?? PostgresDatabase.Failure(description: "\($0)") }
    }
}

/// One SQLite connection shared by the tests: Debian's libsqlite3 is built serialized (thread-safe).
final class SQLiteDatabaseBox: @unchecked Sendable {
    let database: SQLiteDatabase
    init(database: SQLiteDatabase) { self.database = database }
}

enum PostgresServer {
    /// `$CENTREQL_TEST_POSTGRES`, or the server `scripts/test-postgres start` starts (nil if it cannot).
    static let conninfo: String? = {
        if let given = ProcessInfo.processInfo.environment["CENTREQL_TEST_POSTGRES"], !given.isEmpty { return given }
        // The server outlives the script, so Foundation's Process (which waits on it) is not used:
        // the shell returns when the script does, and the connection string is read from its file.
        guard system("'\(Repository.path("scripts/test-postgres"))' start >/dev/null 2>&1 </dev/null") == 0 else { return nil }
        return (try? String(contentsOfFile: Repository.path(".build/postgres/conninfo"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }()
}
