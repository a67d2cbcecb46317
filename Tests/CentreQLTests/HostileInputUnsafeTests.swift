import CentreQLPostgres
import CentreQLSQLite
import Foundation
import Testing
@testable import CentreQL

/// Hostile input, round two, "Unsafe": no query writes through SQL, no export destroys what it
/// replaces, no write follows a planted link or replaces a special file. Each test failed before its fix.
extension HostileInputTests {

    // MARK: Unsafe: queries never write through SQL

    static func compiled(_ query: String, _ dialect: SQLDialect = .sqlite, parameters: [String: String] = [:]) throws -> CompiledQuery {
        var engine = Engine(parameters: parameters)
        var result: CompiledQuery?
        var failure: [Diagnostic] = []
        engine.compileSQL(SourceText(query), dialect: dialect) { _, outcome in
            switch outcome {
            case .sql(let query, _): result = query
            case .failed(let diagnostics): failure += diagnostics
            case .defined: break
            }
        }
        return try #require(result, "\(failure.map(\.message))")
    }

    /// Stage text (with brackets, tabs, quotes and SQL in it) never becomes an identifier of the SQL:
    /// `where(id == 1)` once named a CTE `s1_where(id` and broke the statement.
    @Test(arguments: [
        "centres | where(id == 1) | count",
        "centres | where\tname\t!=\t\"AS(SELECT\t1)DELETE\tFROM\tcentres;--\" | count",
        "centres | select\tn=name,m=\"--\" | take 2",
        "centres | where\t(true\t# a comment inside the stage\n  and\tid\t>\t3) | count",
        "centres | where(id>0)and(id<5) | sort(id) | take(2) | select(name)",
    ] as [String])
    func stageTextNeverBecomesAnIdentifier(_ query: String) throws {
        for dialect in SQLDialect.allCases {
            let sql = try Self.compiled(query, dialect).sql
            let names = sql.split(separator: "\n").filter { $0.hasSuffix(" AS (") }.map { $0.dropLast(5).trimmingCharacters(in: CharacterSet(charactersIn: ", ")) }
            #expect(!names.isEmpty)
            for name in names { #expect(name.wholeMatch(of: /s\d+_[a-z]+/) != nil, "a CTE named \(name)") }
        }
        var engine = Engine()
        let expected = try engine.query(query).rows
        #expect(try DataSet.builtIn.sqlite.run(try Self.compiled(query), parameters: [:]).rows == expected)
    }

    /// Whatever SQL reaches SQLite, it can only read: writing, ATTACH, PRAGMA and a second statement are refused.
    @Test(arguments: [
        "DELETE FROM centres",
        "WITH x AS (SELECT 1) DELETE FROM centres",
        "SELECT 1; DELETE FROM centres",
        "SELECT 1;\nDROP TABLE centres",
        "ATTACH DATABASE '\(NSTemporaryDirectory())centreql-attached.db' AS other",
        "PRAGMA writable_schema = 1",
        "CREATE TABLE evil (x)",
        "SELECT load_extension('/tmp/x')",
        "UPDATE centres SET name = 'x'",
    ])
    func sqliteRunsNothingButReading(_ sql: String) throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.load(.builtIn)
        let query = CompiledQuery(sql: sql, parameters: [], columns: [ResultColumn(name: "x", type: .int)])
        #expect(throws: SQLiteDatabase.Failure.self) { try database.run(query, parameters: [:]) }
        let count = CompiledQuery(sql: "SELECT COUNT(*) FROM centres", parameters: [], columns: [ResultColumn(name: "n", type: .int)])
        #expect(try database.run(count, parameters: [:]).rows == [[.int(40)]])
        #expect(!FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "centreql-attached.db"))
    }

    /// `--engine sqlite:FILE` opens the database read-only: even SQL that slipped past every other
    /// check could not change the file.
    @Test func theSQLiteEngineOpensTheDatabaseReadOnly() throws {
        let path = NSTemporaryDirectory() + "centreql-readonly-\(UUID().uuidString).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SQLiteDatabase.write(.builtIn, to: path)
        let database = try SQLiteDatabase(path: path, readOnly: true)
        #expect(throws: (any Error).self) { try database.execute("DELETE FROM centres") }
        let count = CompiledQuery(sql: "SELECT COUNT(*) FROM centres", parameters: [], columns: [ResultColumn(name: "n", type: .int)])
        #expect(try database.run(count, parameters: [:]).rows == [[.int(40)]])
        #expect(throws: (any Error).self) { try SQLiteDatabase(path: path + ".missing", readOnly: true) }
        #expect(!FileManager.default.fileExists(atPath: path + ".missing"))
    }

    /// PostgreSQL runs each query in a read-only transaction, one statement only.
    @Test func postgresRunsNothingButReading() throws {
        let server = try #require(PostgresServer.conninfo, "no PostgreSQL server: run `make test`")
        let conninfo = try DataSet.builtIn.postgres.get()
        _ = server
        let database = try PostgresDatabase(conninfo)
        for sql in ["DELETE FROM centres", "WITH x AS (DELETE FROM centres RETURNING 1) SELECT 1", "SELECT 1; DELETE FROM centres",
                    "CREATE TABLE evil (x int)", "COPY centres TO '/tmp/centreql-copied'", "  copy (SELECT 1) TO '/tmp/centreql-copied'"] {
            let query = CompiledQuery(sql: sql, parameters: [], columns: [ResultColumn(name: "x", type: .int)])
            #expect(throws: PostgresDatabase.Failure.self, "\(sql)") { try database.run(query, parameters: [:]) }
        }
        let count = CompiledQuery(sql: "SELECT COUNT(*) FROM centres", parameters: [], columns: [ResultColumn(name: "n", type: .int)])
        #expect(try database.run(count, parameters: [:]).rows == [[.int(40)]])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/centreql-copied"))
    }

    /// A text literal means the same text whether `standard_conforming_strings` is on or off: with it
    /// off, a backslash before the closing quote once let the rest of the literal run as SQL.
    @Test(arguments: ["on", "off"])
    func postgresLiteralsHoldWhateverTheServerSettings(_ setting: String) throws {
        let database = try PostgresDatabase(try DataSet.builtIn.postgres.get())
        try database.execute("SET standard_conforming_strings = \(setting)")
        for text in [#"\"#, #"\' OR TRUE OR '"#, #"a\\b'c"#, #"\'); DELETE FROM centres; --"#] {
            let literal = "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            let query = try Self.compiled("centres | where name != \(literal) | take 1 | select v = \(literal), w = \(literal) + \"!\"", .postgres)
            #expect(try database.run(query, parameters: [:]).rows == [[.string(text), .string(text + "!")]], "\(query.sql)")
        }
        let count = CompiledQuery(sql: "SELECT COUNT(*) FROM centres", parameters: [], columns: [ResultColumn(name: "n", type: .int)])
        #expect(try database.run(count, parameters: [:]).rows == [[.int(40)]])
    }

    /// A NUL in a literal or a parameter reaches SQLite whole (it once cut the statement or the value);
    /// PostgreSQL's text cannot hold one, so it is refused by name.
    @Test func nulInTextIsKeptOrRefusedNeverCut() throws {
        let text = "a\u{0}b"
        let query = try Self.compiled("centres | take 1 | select v = \"a\\u{0}b\", p = $x, n = length($x)", parameters: ["x": text])
        #expect(try DataSet.builtIn.sqlite.run(query, parameters: ["x": .string(text)]).rows.first?.prefix(2) == [.string(text), .string(text)])
        var engine = Engine()
        var codes: [String] = []
        engine.compileSQL(SourceText("centres | select v = \"a\\u{0}b\""), dialect: .postgres) { _, outcome in
            if case .failed(let diagnostics) = outcome { codes += diagnostics.map(\.code) }
        }
        #expect(codes == ["E601"])
    }

    /// A failed connection reports "cannot connect"; it once freed the connection twice and crashed.
    @Test func aFailedPostgresConnectionIsAnErrorNotACrash() throws {
        let outcome = try CommandTests().run(["--engine", "postgres:host=127.0.0.1 port=1 connect_timeout=2", "-c", "centres | count"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("cannot connect"), "\(outcome.stderr)")
    }

    // MARK: Unsafe: export never destroys what it replaces

    private func temporaryFolder() throws -> String {
        let directory = NSTemporaryDirectory() + "centreql-unsafe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// `export --sqlite PATH` once deleted PATH first, recursively, whatever it was.
    @Test func exportToSQLiteReplacesOnlyADatabase() throws {
        let directory = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let command = CommandTests()
        // A folder tree survives, with its files.
        let tree = directory + "/tree"
        try FileManager.default.createDirectory(atPath: tree + "/inner", withIntermediateDirectories: true)
        try "keep".write(toFile: tree + "/inner/file.txt", atomically: false, encoding: .utf8)
        let refused = try command.run(["export", "--sqlite", tree])
        #expect(refused.status == 1 && refused.stderr.contains("folder"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: tree + "/inner/file.txt", encoding: .utf8) == "keep")
        // A file that is not a database is not replaced.
        try "notes".write(toFile: directory + "/notes.txt", atomically: false, encoding: .utf8)
        #expect(try command.run(["export", "--sqlite", directory + "/notes.txt"]).status == 1)
        #expect(try String(contentsOfFile: directory + "/notes.txt", encoding: .utf8) == "notes")
        // A device is not replaced (nor written).
        #expect(try command.run(["export", "--sqlite", "/dev/null"]).status == 1)
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)
        // A database is replaced, keeping its mode; no temporary is left beside it.
        let db = directory + "/data.db"
        #expect(try command.run(["export", "--sqlite", db]).status == 0)
        chmod(db, 0o600)
        #expect(try command.run(["export", "--sqlite", db]).status == 0)
        #expect(stat(db, &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(try command.run(["--engine", "sqlite:" + db, "-c", "centres | count"]).stdout.contains("40"))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory)) == ["tree", "notes.txt", "data.db"])
    }

    /// Runs the command and sends it SIGTERM after `delay` seconds (or when it has finished).
    static func terminate(_ arguments: [String], after delay: Double) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandTests.binary)
        process.arguments = arguments
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        process.terminate()
        process.waitUntilExit()
    }

    /// SIGTERM in the middle of an export leaves the old database (once: gone, and the new one empty).
    @Test func aKilledExportLeavesTheOldDatabase() throws {
        let directory = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/big"
        _ = try Generator(centres: 8_000, seed: 3).write(to: data)
        let db = directory + "/data.db"
        #expect(try CommandTests().run(["export", "--sqlite", db]).status == 0)
        for delay in [0.05, 0.3, 0.8] {
            try Self.terminate(["export", "--data", data, "--sqlite", db], after: delay)
            let count = try CommandTests().run(["--engine", "sqlite:" + db, "-c", "centres | count"]).stdout
            #expect(count.contains("40") || count.contains("8000"), "after \(delay) s: \(count)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["big", "data.db"], "after \(delay) s")
        }
    }

    /// A folder export commits its files together: SIGTERM leaves all old files or all new, never a mix.
    @Test func aKilledFolderExportLeavesNoMix() throws {
        let directory = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/big"
        _ = try Generator(centres: 8_000, seed: 3).write(to: data)
        let out = directory + "/out"
        #expect(try CommandTests().run(["export", out]).status == 0)
        for delay in [0.05, 0.3, 0.6] {
            try Self.terminate(["export", "--data", data, out], after: delay)
            let store = try CSVLoader.load(directory: out)
            let counts = store.tables.map(\.rowCount)
            let old = Store.builtIn.tables.map(\.rowCount)
            #expect(counts == old || counts[0] == 8_000, "after \(delay) s: \(counts)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).allSatisfy { !$0.hasPrefix(".") }, "a temporary was left")
        }
    }

    // MARK: Unsafe: the writer follows no planted link and replaces no special file

    @Test func aPlantedLinkAtTheTemporaryNameIsNeverFollowed() throws {
        let directory = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let victim = directory + "/victim.txt"
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        // The old writer's temporary was `.NAME.PID.tmp`: plant links at every name it could use, and at ours.
        for pid in 1...4096 { symlink(victim, directory + "/.out.csv.\(pid).tmp") }
        let file = try AtomicFile(path: directory + "/out.csv")
        try file.write("new")
        try file.commit()
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try String(contentsOfFile: directory + "/out.csv", encoding: .utf8) == "new")
    }

    @Test func aRewrittenFileKeepsItsModeAndALinkStaysALink() throws {
        let directory = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let secret = directory + "/secret.txt"
        try "old".write(toFile: secret, atomically: false, encoding: .utf8)
        chmod(secret, 0o600)
        try AtomicFile.write("new", to: secret)
        var status = stat()
        #expect(stat(secret, &status) == 0 && status.st_mode & 0o777 == 0o600)
        // A link is followed to the file it names: the file changes, the link stays.
        let real = directory + "/real.cql"
        try "centres | count\n".write(toFile: real, atomically: false, encoding: .utf8)
        let link = directory + "/link.cql"
        symlink(real, link)
        #expect(try CommandTests().run(["check", "--update", link]).status == 0)
        #expect(try String(contentsOfFile: real, encoding: .utf8).contains("40"))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == real)
        // A link to nothing is refused, and creates nothing.
        symlink(directory + "/nowhere.txt", directory + "/dangling")
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile(path: directory + "/dangling") }
        #expect(!FileManager.default.fileExists(atPath: directory + "/nowhere.txt"))
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile(path: directory) }  // a folder
    }

    /// A device, terminal or pipe is written to, never replaced: `.output /dev/null` once replaced
    /// the system's /dev/null (for root) with a regular file.
    @Test func specialFilesAreWrittenToNotReplaced() throws {
        let directory = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try AtomicFile.write("discarded", to: "/dev/null")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)
        // A named pipe gets the bytes.
        let fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        // The reader reads to the end (a reader that stopped early would leave the writer a broken pipe).
        let reader = Thread {
            let descriptor = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 256)
            while read(descriptor, &buffer, buffer.count) > 0 {}
            close(descriptor)
        }
        reader.start()
        try AtomicFile.write("through the pipe", to: fifo)
        #expect(stat(fifo, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO)
        // /dev/stdout (a link into /proc) names the process's standard output: written to, not replaced.
        try AtomicFile.write("", to: "/dev/stdout")
        #expect(lstat("/dev/stdout", &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK)
    }
}

extension HostileInputTests {

    // MARK: Unsafe: control and format characters never reach the terminal

    static let invisible = ["\u{202E}", "\u{2066}", "\u{200B}", "\u{FEFF}", "\u{2028}", "\u{85}", "\u{9B}", "\u{1B}", "\u{7}"]

    /// Bidi overrides, zero-width characters and C1 controls are shown as escapes in every format a
    /// person reads, and as \u escapes in JSON (which stays valid, with the same text).
    @Test func invisibleCharactersAreShownInEveryMode() throws {
        for character in Self.invisible {
            let text = "abc" + character + "def"
            var engine = Engine(parameters: ["x": text])
            let result = try engine.query("centres | take 1 | select v = $x")
            for format in [OutputFormat.table, .line, .markdown] {
                #expect(!format.render(result).contains(character), "\(format) \(character.unicodeScalars.first!.value)")
            }
            #expect(!OutputFormat.csv.render(result, options: TableOptions(toTerminal: true)).contains(character))
            let json = OutputFormat.json.render(result)
            #expect(!json.unicodeScalars.contains { String($0) == character }, "json \(character.unicodeScalars.first!.value)")
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]]
            #expect(parsed?.first?["v"] == text)
        }
        // An emoji built with a zero-width joiner is still one picture.
        #expect(TerminalText.escapingControlCharacters("👩\u{200D}💻") == "👩\u{200D}💻")
    }

    /// Messages quote what the user typed or the file held: E003 (a curly string), E323 and E404
    /// (a pattern), E402 (a --param), a CSV header; none may carry a control or format character.
    @Test func messagesNeverCarryControlCharacters() throws {
        for character in Self.invisible {
            var rendered: [String] = []
            for query in ["centres | where name == “a\(character)b”", "centres | where name matches \"(a\(character)\"",
                          "param n: int\ncentres | take $n"] {
                var engine = Engine(parameters: ["n": "1\(character)"])
                let source = SourceText(query)
                engine.run(source) { result in
                    if case .failed(let diagnostics) = result.outcome {
                        rendered += diagnostics.map { DiagnosticRenderer(source: source, useColor: true).render($0) }
                    }
                }
            }
            #expect(rendered.count >= 3, "\(rendered)")
            for text in rendered {
                let withoutColour = text.replacing(/\x1B\[[0-9;]*m/, with: "")
                #expect(!withoutColour.contains(character), "\(text)")
            }
        }
        // A CSV header, through the command (which writes every message through one escaping path).
        let directory = NSTemporaryDirectory() + "centreql-header-\(UUID().uuidString)"
        try CSVLoader.export(.builtIn, to: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csv = try String(contentsOfFile: directory + "/centres.csv", encoding: .utf8)
        try ("evil\u{1B}[2J\u{202E}," + csv).write(toFile: directory + "/centres.csv", atomically: false, encoding: .utf8)
        let outcome = try CommandTests().run(["--data", directory, "-c", "centres | count"])
        #expect(outcome.status == 2 && outcome.stderr.contains("evil"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("\u{1B}") && !outcome.stderr.contains("\u{202E}"), "\(outcome.stderr)")
    }

    /// Figure arithmetic that overflows to infinity is null in JSON, which stays valid.
    @Test func jsonStaysValidWhenAFigureOverflows() throws {
        var engine = Engine()
        let big = "1" + String(repeating: "0", count: 300) + ".0"
        let result = try engine.query("centres | where volunteers != null | take 1 | select v = volunteers * \(big) * \(big)")
        let json = OutputFormat.json.render(result)
        #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "\(json)")
    }
}
