import CentreQLPostgres
import CentreQLSQLite
import Foundation
import Testing
@testable import CentreQL

/// Hostile input, round two: crashes, limits that did not bind, and silent wrong answers. Each test
/// failed (or, for the quadratic paths, did not finish) before its fix.
extension HostileInputTests {

    /// Runs the command through bash, so a test can close a descriptor or set a limit first.
    static func shell(_ script: String) throws -> CommandTests.Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, CommandTests.binary]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandTests.Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                    stderr: String(decoding: stderr, as: UTF8.self))
    }

    // MARK: Crashes

    /// A closed or full standard error once trapped every command; a full standard output was ignored with exit 0.
    @Test func failingStandardStreamsAreReportedNotFatal() throws {
        let closed = try Self.shell(#"exec 2>&-; "$0" -c 'centres | nope'; echo "status $?""#)
        #expect(closed.stdout.contains("status 1"), "\(closed)")
        let full = try Self.shell(#""$0" -c 'centres | count' >/dev/full; echo "status $?" >&2"#)
        #expect(full.stderr.contains("cannot write standard output") && full.stderr.contains("status 1"), "\(full.stderr)")
    }

    @Test func anEnormousTimeoutIsNoLimitNotATrap() throws {
        let outcome = try CommandTests().run(["--timeout", "1e16", "-c", "centres | count"])
        #expect(outcome.status == 0 && outcome.stdout.contains("40"), "\(outcome.stderr)")
    }

    /// Standard input is read up to the script limit, not to the end of an endless stream.
    @Test func endlessStandardInputIsRefused() throws {
        let outcome = try Self.shell(#"yes 'centres | count' | head -c 70000000 | "$0"; echo "status $?" >&2"#)
        #expect(outcome.stderr.contains("more than 64 MiB") && outcome.stderr.contains("status 2"), "\(outcome.stderr.suffix(300))")
    }

    /// A CSV of empty lines once reserved room for a row per line, gigabytes, and aborted under a memory limit.
    @Test func aFileOfEmptyLinesLoadsUnderAMemoryLimit() throws {
        let directory = NSTemporaryDirectory() + "centreql-lines-\(UUID().uuidString)"
        try CSVLoader.export(.builtIn, to: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csv = try String(contentsOfFile: directory + "/centres.csv", encoding: .utf8)
        try (csv + String(repeating: "\n", count: 30_000_000)).write(toFile: directory + "/centres.csv", atomically: false, encoding: .utf8)
        let outcome = try Self.shell(#"ulimit -v 4000000; "$0" --data "$1" -c 'centres | count'; echo "status $?" >&2"#.replacingOccurrences(of: "$1", with: "'\(directory)'"))
        #expect(outcome.stderr.contains("status 0") || outcome.stderr.contains("status 2"), "\(outcome.stderr.suffix(400))")
        #expect(!outcome.stderr.contains("Fatal") && !outcome.stderr.contains("Crash"), "\(outcome.stderr.suffix(400))")
    }

    /// A PostgreSQL sum past 64 bits is an error, not a trap.
    @Test func aPostgresSumPast64BitsIsAnError() throws {
        let database = try PostgresDatabase(try DataSet.builtIn.postgres.get())
        let query = try Self.compiled("centres | group agg s = sum(9000000000000000000)", .postgres)
        #expect(throws: PostgresDatabase.Failure.self) { try database.run(query, parameters: [:]) }
    }

    // MARK: Limits that bind

    /// Text built up by `+` once ran for 90 s and took 4.5 GB under `--timeout 1`: now each value
    /// and each query has a limit (E408).
    @Test func textThatDoublesStopsAtItsLimit() throws {
        let doubling = "centres | take 1 | derive a = name" + String(repeating: " | derive a = a + a", count: 30) + " | count"
        #expect(diagnosticCodes(doubling) == ["E408"])
        // All the text of one query: 103 values of 10 MiB pass 1 GiB.
        let interruption = Interruption(cancellation: nil, timeLimit: nil, range: SourceRange(0, 0))
        #expect(throws: Diagnostic.self) { for _ in 0..<103 { try interruption.charge(text: 10 << 20) } }
        #expect(throws: Never.self) { for _ in 0..<100 { try Interruption(cancellation: nil, timeLimit: nil, range: SourceRange(0, 0)).charge(text: 10 << 20) } }
        #expect(diagnosticCodes("centres | derive a = upper(name) + lower(name) | count") == [])
    }

    /// A regular expression over one long text is stopped inside the match (before, only between rows).
    @Test func aLongPatternMatchStopsAtTheTimeLimit() throws {
        var engine = Engine(parameters: ["t": String(repeating: "ab", count: 3_000_000)])
        engine.timeLimit = .milliseconds(200)
        var codes: [String] = []
        engine.run(SourceText("centres | take 1 | select m = $t matches \"(a|b|ab|ba)*c\"")) { result in
            if case .failed(let diagnostics) = result.outcome { codes += diagnostics.map(\.code) }
        }
        #expect(codes == ["E406"])
    }

    /// A sort stops inside its comparisons, not only while reading its keys.
    @Test func aSortStopsWhenCancelled() throws {
        let cancellation = Cancellation()
        cancellation.cancel()
        let interruption = Interruption(cancellation: cancellation, timeLimit: nil, range: SourceRange(0, 0))
        let values = (0..<5000).map { Value.int($0 % 7) }
        #expect(throws: Diagnostic.self) {
            try Executor.stableOrder([.values(values)], [BoundSortKey(expression: BoundExpression(.slot(0), .int), isDescending: false)], interruption: interruption)
        }
    }

    /// `--engine sqlite:` stops a query through SQLite's progress handler; PostgreSQL through its statement timeout.
    @Test func theSQLEnginesStopAtTheTimeLimit() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let start = ContinuousClock.now
        database.shouldStop = { ContinuousClock.now - start > .milliseconds(200) }
        let endless = CompiledQuery(sql: "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT COUNT(*) FROM r",
                                    parameters: [], columns: [ResultColumn(name: "n", type: .int)])
        #expect(throws: SQLiteDatabase.Interrupted.self) { try database.run(endless, parameters: [:]) }
        let postgres = try PostgresDatabase(try DataSet.builtIn.postgres.get())
        postgres.timeLimit = .milliseconds(200)
        let sleep = CompiledQuery(sql: "SELECT 1 FROM pg_sleep(30)", parameters: [], columns: [ResultColumn(name: "n", type: .int)])
        #expect { try postgres.run(sleep, parameters: [:]) } throws: { "\($0)".contains("statement timeout") }
        // The command says so as the in-memory engine does.
        let path = NSTemporaryDirectory() + "centreql-slow-\(UUID().uuidString).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try Generator(centres: 3000, seed: 1).write(to: path + ".data")
        defer { try? FileManager.default.removeItem(atPath: path + ".data") }
        #expect(try CommandTests().run(["export", "--data", path + ".data", "--sqlite", path]).status == 0)
        let slow = try CommandTests().run(["--engine", "sqlite:" + path, "--timeout", "0.5", "-c",
                                           "centres | join awards as a on true | join projects as p on true | count"])
        #expect(slow.status == 1 && slow.stderr.contains("E406"), "\(slow.stderr)")
    }

    // MARK: Quadratic paths

    /// One 10 MB cell fitted to a terminal's width (the table once narrowed it one column at a time).
    @Test func aHugeCellIsFittedAtOnce() throws {
        var engine = Engine(parameters: ["x": String(repeating: "长", count: 5_000_000)])
        let result = try engine.query("centres | take 1 | select id, v = $x")
        let table = OutputFormat.table.render(result, options: TableOptions(maxLineWidth: 80))
        #expect(table.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 80 })
        #expect(TableFormatter.fitting([10_000_000, 5, 40], into: 80).reduce(0, +) + 8 == 80)
        #expect(TableFormatter.fitting([10, 5], into: 80) == [10, 5])
    }

    /// `explain` of 5,000 fields (its one long line was trimmed of spaces one at a time: 33 s).
    @Test func explainOfManyFieldsFinishes() throws {
        let query = "explain centres | select " + (0..<5000).map { "f\($0) = id + \($0)" }.joined(separator: ", ")
        var engine = Engine()
        let result = try engine.query(query)
        #expect(OutputFormat.table.render(result).hasSuffix("(2 rows)"))
    }

    /// Trailing spaces in a field (trimmed one at a time: 100 s for 205 KB) and a long unknown header
    /// (compared by edit distance at full length).
    @Test func longFieldsAndHeadersLoadAtOnce() throws {
        let directory = NSTemporaryDirectory() + "centreql-spaces-\(UUID().uuidString)"
        try CSVLoader.export(.builtIn, to: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/centres.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n")
        var fields = lines[1].components(separatedBy: ",")
        let teams = try #require(lines[0].components(separatedBy: ",").firstIndex(of: "teams"))
        fields[teams] = "30" + String(repeating: " ", count: 205_000)
        lines[1] = fields.joined(separator: ",")
        try lines.joined(separator: "\r\n").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try CSVLoader.load(directory: directory).tables[0].rowCount == 40)
        lines[0] = String(repeating: "x", count: 200_000) + "," + lines[0]
        try lines.joined(separator: "\r\n").write(toFile: path, atomically: false, encoding: .utf8)
        #expect { try CSVLoader.load(directory: directory) } throws: { "\($0)".contains("has no column") && "\($0)".count < 400 }
    }

    // MARK: Silent wrong answers

    /// The same answer in memory and on SQLite (and PostgreSQL where it can say it).
    static func agree(_ query: String, parameters: [String: String] = [:], dialects: [Oracle] = Oracle.all) throws {
        var engine = Engine(parameters: parameters)
        let expected = try engine.query(query).rows
        for oracle in dialects {
            let compiled = try Self.compiled(query, oracle.dialect, parameters: parameters)
            let values = Dictionary(uniqueKeysWithValues: parameters.map { ($0.key, Engine.inferredParameter($0.value).value ?? .null) })
            #expect(try oracle.run(compiled, parameters: values, on: .builtIn) == expected, "\(oracle.engine): \(query)")
        }
    }

    @Test(arguments: [
        "centres | select _ord = 100 - id, name | take 3",
        "centres | select volunteers_qualifier = \"x\", volunteers | where volunteers != null",
        "centres | derive volunteers_qualifier = 7 | select name, volunteers_qualifier | take 2",
        "centres | select _f_ord = id, _ord = 1 - id | sort _f_ord desc | take 2",
        // Found by the fuzzer's SQL path: SQLite reads "true" as the boolean even quoted.
        "centres | take 2 | select true, false, True = id > 1",
        // SQLite compares names without case; CentreQL does not.
        "centres | take 2 | select a = 1, A = 2, Name = name",
        "centres | join awards as W on W.centre_id == id | select n = W.rank, w = id | take 3",
    ])
    func columnsNamedLikeTheCompilersOwnAgree(_ query: String) throws {
        try Self.agree(query)
    }

    @Test func aNegativeOrNullTakeTakesNothingEverywhere() throws {
        try Self.agree("centres | take $n | count", parameters: ["n": "-1"])
    }

    /// CentreQL's length, upper and lower on SQLite; refused by name on PostgreSQL, whose differ.
    @Test func textFunctionsAgreeOutsideASCII() throws {
        try Self.agree("centres | take 1 | select a = length($x), b = upper($x), c = lower($x), d = length(name)",
                       parameters: ["x": "e\u{301}straße ǅ 志愿"], dialects: [Oracle(engine: .sqlite)])
        var engine = Engine()
        var codes: [String] = []
        engine.compileSQL(SourceText("centres | select n = length(name)"), dialect: .postgres) { _, outcome in
            if case .failed(let diagnostics) = outcome { codes += diagnostics.map(\.code) }
        }
        #expect(codes == ["E601"])
    }

    /// A database given to `--engine sqlite:` is checked when opened: what does not fit is refused by name.
    @Test(arguments: [
        ("UPDATE centres SET teams = 'lots' WHERE id = 1", "teams holds 'lots'"),
        ("UPDATE centres SET volunteers_qualifier = '很多' WHERE id = 1", "not a qualifier"),
        ("UPDATE centres SET name = X'41004200' WHERE id = 1", "column name"),
        ("DROP TABLE projects; CREATE VIEW projects AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT * FROM r", "no table projects (it is a view)"),
        ("ALTER TABLE awards RENAME COLUMN rank TO place", "does not have CentreQL's columns"),
    ])
    func aForeignDatabaseIsCheckedOnOpen(_ change: String, _ message: String) throws {
        let path = NSTemporaryDirectory() + "centreql-foreign-\(UUID().uuidString).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SQLiteDatabase.write(.builtIn, to: path)
        try SQLiteDatabase(path: path).execute(change)
        let outcome = try CommandTests().run(["--engine", "sqlite:" + path, "-c", "centres | count"])
        #expect(outcome.status == 2 && outcome.stderr.contains(message), "\(outcome.stderr)")
    }

    /// Numbers are read strictly: no hexadecimal, no exponent, no silent loss of digits, no underflow to 0.
    @Test(arguments: ["0x10", "0x1p3", "9007199254740993", "1e-400", "inf", "nan", "1e5", "+3", "1.", ".5",
                      "0." + String(repeating: "0", count: 400) + "1"])
    func numbersAreReadStrictly(_ text: String) throws {
        #expect(Value.decimal(reading: Substring(text)) == nil)
        #expect(Figure(parsing: text) == nil)
        #expect(diagnosticCodes("param x: decimal\ncentres | take 1 | select v = $x", parameters: ["x": text]).first == "E402")
    }

    @Test func numbersThatAreNumbersStillRead() {
        for (text, value) in [("18000", 18000.0), ("-2.5", -2.5), ("0.0001", 0.0001), ("1.000000000000000000", 1.0), ("123456789012345", 123456789012345)] {
            #expect(Value.decimal(reading: Substring(text)) == value, "\(text)")
        }
        #expect(Figure(parsing: "近6.2")?.amount == 6.2)
    }

    @Test func aRepetitionCountTooLargeForAnIntIsAnError() {
        #expect(diagnosticCodes("centres | where name matches \"a{99999999999999999999}\" | count") == ["E323"])
        #expect(diagnosticCodes("centres | where name matches \"a{2,99999999999999999999}\" | count") == ["E323"])
        #expect(diagnosticCodes("centres | where name matches \"a{x}\" | count") == [])  // not a count: literal text
    }

    // MARK: Smaller

    @Test func smallerFilesystemAndEncodingMessagesSayWhatIsWrong() throws {
        let directory = NSTemporaryDirectory() + "centreql-smaller-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A 250-character name: the temporary name is short whatever the target's.
        let long = directory + "/" + String(repeating: "n", count: 250)
        try AtomicFile.write("x", to: long)
        #expect(FileManager.default.fileExists(atPath: long))
        // Export under a file: why it cannot.
        try "x".write(toFile: directory + "/file", atomically: false, encoding: .utf8)
        let under = try CommandTests().run(["export", directory + "/file/sub"])
        #expect(under.status == 1 && under.stderr.contains("is not a folder"), "\(under.stderr)")
        // --data on a missing folder names the folder, not centres.csv.
        let missing = try CommandTests().run(["--data", directory + "/nowhere", "-c", "centres | count"])
        #expect(missing.stderr.contains("there is no folder"), "\(missing.stderr)")
        // UTF-32 is named UTF-32; UTF-16 without a byte-order mark is one error, not one per character.
        let utf32 = directory + "/u32.cql", utf16 = directory + "/u16.cql", mac = directory + "/mac.cql"
        try "centres | count\n".data(using: .utf32)!.write(to: URL(fileURLWithPath: utf32))
        try "centres | count\n".data(using: .utf16LittleEndian)!.write(to: URL(fileURLWithPath: utf16))
        #expect(try CommandTests().run([utf32]).stderr.contains("UTF-32"))
        let sixteen = try CommandTests().run([utf16]).stderr
        #expect(sixteen.contains("UTF-16 (little-endian) without a byte-order mark") && sixteen.components(separatedBy: "error").count == 2, "\(sixteen)")
        // Old Mac line ends are lines.
        try "centres | count\rawards | count\r".write(toFile: mac, atomically: false, encoding: .utf8)
        #expect(try CommandTests().run([mac]).stdout.components(separatedBy: "(1 row)").count == 3)
    }
}

extension HostileInputTests {

    // MARK: From our own attack (new inputs beyond the issue's)

    /// A chain of 2,000 lets each adding a `where` overflowed the stack (one `and` per condition, as
    /// deep as they were many); past 1,000 stages a pipeline is refused (E111) instead of costing the square.
    @Test func longChainsOfLetsAreBoundedNotFatal() throws {
        let chain = { (n: Int) in
            (["let a0 = centres"] + (1..<n).map { "let a\($0) = a\($0 - 1) | where id > \($0 % 7)" } + ["a\(n - 1) | count"]).joined(separator: "\n")
        }
        var engine = Engine()
        var outcomes: [String] = []
        engine.run(SourceText(chain(999))) { result in
            if case .rows(let rows) = result.outcome { outcomes.append(rows.rows.description) }
        }
        #expect(outcomes == ["[[34]]"])
        #expect(diagnosticCodes(chain(1200)).first == "E111")
        let many = (0..<3000).map { _ in Conjunct(expression: .constant(.bool(true)), text: "true") }
        var depth = 0
        var expression = BoundExpression.all(many)
        while case .binary(_, let left, _, _) = expression.node { depth += 1; expression = left }
        #expect(depth <= 12)
    }

    /// A script may be any file that reads as text, a pipe included (`<(…)`, /dev/stdin); /dev/zero
    /// and a folder are refused, never read without end.
    @Test func scriptsFromPipesAndDevices() throws {
        let piped = try Self.shell(#"echo 'centres | count' | "$0" /dev/stdin"#)
        #expect(piped.stdout.contains("40"), "\(piped.stderr)")
        #expect(try CommandTests().run(["/dev/zero"]).stderr.contains("more than 64 MiB"))
        #expect(try CommandTests().run(["/tmp"]).stderr.contains("is a folder"))
    }

    @Test func parameterNamesAreNames() throws {
        let outcome = try CommandTests().run(["--param", "a b=1", "-c", "centres | count"])
        #expect(outcome.status != 0 && outcome.stderr.contains("is not a parameter name"), "\(outcome.stderr)")
    }

    /// Rounding to a power of ten past 1e308 is 0 on SQLite too (it was null: 0 × infinity).
    @Test func roundingFarLeftAgrees() throws {
        try Self.agree("centres | take 1 | select a = round(1.5, -400), b = round(123456.5, -3)", dialects: [Oracle(engine: .sqlite)])
    }
}

extension HostileInputTests {
    /// Found by the fuzzer's SQL path: `volunteers ?? 0 / 1` printed 0.0 in memory and 0 on SQLite,
    /// because a figure column held a decimal. A number where a figure is expected is an exact figure,
    /// so every value of the column is one (in JSON, an object in every row).
    @Test func aNumberWhereAFigureIsExpectedIsAFigure() throws {
        try Self.agree("centres | select v = volunteers ?? 0 / 1, w = volunteers ?? teams * 1, x = coalesce(volunteers, 2.5) | take 5")
        var engine = Engine()
        let result = try engine.query("centres | select v = volunteers ?? 0, w = volunteers ?? id")
        #expect(result.rows.allSatisfy { row in row.allSatisfy { if case .figure = $0 { true } else { false } } })
    }
}

extension HostileInputTests {
    /// A NUL in a data value reaches SQLite whole; PostgreSQL, whose text cannot hold one, refuses the
    /// export by row and column (libpq once cut the value there without a word).
    @Test func aNulInDataIsKeptOrRefusedByExport() throws {
        let directory = NSTemporaryDirectory() + "centreql-nul-\(UUID().uuidString)"
        try CSVLoader.export(.builtIn, to: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csv = try String(contentsOfFile: directory + "/centres.csv", encoding: .utf8)
        try csv.replacingOccurrences(of: "嘉定区菊园新区", with: "嘉定区\u{0}菊园新区").write(toFile: directory + "/centres.csv", atomically: false, encoding: .utf8)
        let database = directory + "/nul.db"
        #expect(try CommandTests().run(["export", "--data", directory, "--sqlite", database]).status == 0)
        let query = ["-c", "centres | where name contains \"菊园\" | select n = length(name)"]
        #expect(try CommandTests().run(["--engine", "sqlite:" + database] + query).stdout == (try CommandTests().run(["--data", directory] + query).stdout))
        let server = try #require(PostgresServer.conninfo)
        let admin = try PostgresDatabase(server)
        try admin.execute("DROP DATABASE IF EXISTS centreql_nul")
        try admin.execute("CREATE DATABASE centreql_nul")
        let refused = try CommandTests().run(["export", "--data", directory, "--postgres", server.replacingOccurrences(of: "dbname=postgres", with: "dbname=centreql_nul")])
        #expect(refused.status == 1 && refused.stderr.contains("column name holds the NUL character"), "\(refused.stderr)")
    }
}

/// Statements written in SQL (issue 12, fault 11): recognised, and a plain SELECT shown as the same
/// question in CentreQL, whose answer is SQLite's answer to the SQL.
@Suite struct SQLHabitTests {
    @Test(arguments: [
        ("SELECT name, town FROM centres WHERE district = '闵行区' AND teams IS NOT NULL ORDER BY town DESC LIMIT 2",
         "centres | where district == \"闵行区\" and teams != null | sort town desc | select name, town | take 2"),
        ("select * from awards where rank <> 1 and category = '制度创新示范中心' limit 3",
         "awards | where rank != 1 and category == \"制度创新示范中心\" | take 3"),
        ("select id from centres order by id desc limit 4", "centres | sort id desc | select id | take 4"),
    ])
    func aPlainSelectIsTranslated(_ sql: String, _ pipeline: String) throws {
        var codes: [Diagnostic] = []
        var engine = Engine()
        engine.run(SourceText(sql)) { if case .failed(let d) = $0.outcome { codes += d } }
        #expect(codes.map(\.code) == ["E112"])
        #expect(codes.first?.fixIt == pipeline, "\(codes.first?.fixIt ?? "none")")
        let ours = try engine.query(pipeline)
        let theirs = try DataSet.builtIn.sqlite.run(CompiledQuery(sql: sql, parameters: [], columns: ours.columns), parameters: [:])
        #expect(ours.rows.map { $0.map(\.description) } == theirs.rows.map { $0.map(\.description) })
    }
}
