import ArgumentParser
import CentreQL
import CentreQLPostgres
import CentreQLSQLite
import Foundation

@main
struct CentreQLCommand: ParsableCommand {
    static func main() {
        // Past a file-size limit a write fails with EFBIG, reported like a full disk, instead of killing the process.
        signal(SIGXFSZ, SIG_IGN)
        PendingFiles.removeOnTermination()  // a killed export or .output leaves no temporary file behind
        Terminal.reportFailedOutputAtExit()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "centreql",
        abstract: "Ask questions of Shanghai's 2019 community volunteer service demonstration centres.",
        discussion: """
            With no FILE and no -c, reads queries from standard input, or opens an interactive \
            session when standard input is a terminal.
            Examples:
              centreql -c 'centres | where district_en == "Minhang" | select name'
              centreql lesson.cql --param district=闵行区 --format csv
              centreql check Examples/*.cql
            """,
        version: "0.1.0",
        subcommands: [Run.self, Check.self, Export.self, Schema.self, Generate.self],
        defaultSubcommand: Run.self
    )
}

/// Options every command that runs queries shares.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("Load the data from a folder of CSV files instead of the built-in set.", valueName: "DIR"))
    var directory: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("Give a parameter a value (repeatable).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("The encoding of the --data CSV files: utf-8 (the default) or gb18030 (also gbk, gb2312).", valueName: "NAME"))
    var encoding: String = "utf-8"

    @Option(help: ArgumentHelp("Stop any query that runs longer than this (error E406), and go on with the next.", valueName: "SECONDS"))
    var timeout: Double?

    func validate() throws {
        if TextEncoding(name: encoding) == nil {
            throw ValidationError("unknown encoding '\(encoding)'; CentreQL reads utf-8 and gb18030 (also called gbk or gb2312)")
        }
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            throw ValidationError("--timeout needs a number of seconds above 0, as in --timeout 5 (got \(timeout))")
        }
    }

    /// Past a century is "no limit" in practice; Duration's milliseconds would overflow near 1e16 s.
    var timeLimit: Duration? { timeout.map { .milliseconds(Int((min($0, 3.2e9) * 1000).rounded(.up))) } }

    func engine() throws -> Engine {
        var values: [String: String] = [:]
        for assignment in parameters {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--param needs NAME=VALUE, as in --param district=闵行区 (got '\(assignment)')")
            }
            let name = String(assignment[..<equals])
            // A name the language can write as $name: letters, digits and _, not starting with a digit.
            guard Engine.isParameterName(name) else {
                throw ValidationError("--param \(TerminalText.escapingControlCharacters(name)) is not a parameter name (letters, digits and _, as in --param district=闵行区)")
            }
            values[name] = String(assignment[assignment.index(after: equals)...])
        }
        let store: Store
        if let directory {
            do {
                store = try CSVLoader.load(directory: directory, encoding: TextEncoding(name: encoding) ?? .utf8)
            } catch {
                Terminal.printError(error.description)
                throw ExitCode(2)
            }
        } else {
            store = .builtIn
        }
        var engine = Engine(store: store, parameters: values)
        engine.timeLimit = timeLimit
        return engine
    }
}

extension OutputFormat: ExpressibleByArgument {}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run scripts, a query, or an interactive session (the default).")

    @Argument(help: ArgumentHelp("Scripts to run, in order.", valueName: "FILE"))
    var files: [String] = []

    @Option(name: .customShort("c"), help: ArgumentHelp("Run this query text (before any files given).", valueName: "QUERY"))
    var command: String?

    @Option(help: "Output format: table, csv, json, jsonl, markdown or line.")
    var format: OutputFormat = .table

    @Flag(help: "Print the SQL each query means instead of running it.")
    var emitSQL = false

    @Option(help: "The SQL dialect for --emit-sql: sqlite or postgres.")
    var dialect: SQLDialect = .sqlite

    @Option(help: ArgumentHelp("Run the queries compiled to SQL on a database instead: sqlite:FILE.db (make one with `centreql export --sqlite FILE.db`) or postgres:CONNINFO (load it with `centreql export --postgres CONNINFO`).", valueName: "ENGINE"))
    var engine: String?

    @OptionGroup var data: DataOptions

    func run() throws {
        if emitSQL { return try printSQL() }
        if let engine { return try runOnDatabase(engine) }
        var engine = try data.engine()
        let runner = ScriptRunner(format: format, tableOptions: TableOptions(toTerminal: isatty(STDOUT_FILENO) == 1),
                                  useColor: Terminal.colorOnStandardError)
        var succeeded = true
        var printedAny = false
        func emit(_ output: ScriptRunner.Output) {
            switch output {
            case .result(let text):
                if printedAny && format != .jsonl { print() }
                print(text)
                printedAny = true
            case .error(let text):
                Terminal.printPainted(text)  // a rendered diagnostic, perhaps in colour
            }
        }
        if command == nil, files.isEmpty, Terminal.isInteractive, let repl = REPL(engine: engine, format: format, dataSource: data.directory) {
            repl.run()
            return
        }
        let sources = try sources()
        // A script with dot-commands (`.mode csv`, `.param set …`, a session copied from `.history`)
        // runs as a session without a terminal would, as sqlite3 runs such scripts.
        if sources.contains(where: { REPL.hasDotCommands($0.text) }) {
            let session = REPL(script: engine, format: format, dataSource: data.directory)
            for source in sources where !session.shouldQuit { session.runScript(source.text, name: source.name) }
            session.finishOutput()
            if session.anyFailed { throw ExitCode(1) }
            return
        }
        for source in sources {
            succeeded = runner.run(source, in: &engine, emit: emit) && succeeded
        }
        if !succeeded { throw ExitCode(1) }
    }
}

extension Run {
    /// `--emit-sql`: each query's SQL, ending in `;`, after the query as a comment and its parameters.
    func printSQL() throws {
        try compileEach(dialect: dialect) { source, extent, query, _ in
            let text = source.text(of: extent).trimmingCharacters(in: .whitespacesAndNewlines)
            print("-- " + text.replacingOccurrences(of: "\n", with: "\n-- "))
            if !query.parameters.isEmpty {
                print("-- parameters: " + query.parameters.enumerated().map { "\(dialect.placeholder($0.offset + 1)) = $\($0.element)" }.joined(separator: ", "))
            }
            print(query.sql + ";\n")
        }
    }

    /// `--engine sqlite:FILE.db` or `postgres:CONNINFO`: each query compiled to SQL and run there,
    /// printed as the in-memory engine prints it.
    func runOnDatabase(_ engine: String) throws {
        let database: any SQLDatabase
        let run: (CompiledQuery, [String: Value]) throws -> ResultSet
        // --timeout and Ctrl-C bind there too: SQLite is asked through its progress handler,
        // PostgreSQL gets a statement timeout and, on Ctrl-C, a cancel request.
        let limit = data.timeLimit
        let clock = QueryClock()
        Terminal.cancelOnInterrupt()
        if engine.hasPrefix("sqlite:"), engine.count > "sqlite:".count {
            let path = String(engine.dropFirst("sqlite:".count))
            guard FileManager.default.fileExists(atPath: path) else {
                Terminal.printError("centreql: no database at \(path); make one with: centreql export --sqlite \(path)")
                throw ExitCode(2)
            }
            let sqlite: SQLiteDatabase
            do {
                sqlite = try SQLiteDatabase(path: path, readOnly: true)
                try sqlite.verifySchema()
            } catch {
                Terminal.printError("centreql: \(path): \(error)")
                throw ExitCode(2)
            }
            sqlite.shouldStop = { interruptCancellation.isCancelled || clock.isPast }
            database = sqlite
            run = { query, parameters in
                clock.start(limit)
                do {
                    return try sqlite.run(query, parameters: parameters)
                } catch is SQLiteDatabase.Interrupted {
                    throw QueryClock.Stopped(limit: interruptCancellation.isCancelled ? nil : limit)
                }
            }
        } else if engine.hasPrefix("postgres:") {
            let postgres: PostgresDatabase
            do {
                postgres = try PostgresDatabase(String(engine.dropFirst("postgres:".count)))
            } catch {
                Terminal.printError("centreql: \(error)")
                throw ExitCode(2)
            }
            postgres.timeLimit = limit
            postgres.cancelsOnInterrupt = true
            database = postgres
            run = postgres.run
        } else {
            throw ValidationError("--engine takes sqlite:FILE.db or postgres:CONNINFO (as in postgres:'host=localhost dbname=centres')")
        }
        var printedAny = false
        try compileEach(dialect: database.dialect) { _, _, query, parameters in
            let result = try run(query, parameters)
            if printedAny && format != .jsonl { print() }
            print(format.render(result, options: TableOptions(toTerminal: isatty(STDOUT_FILENO) == 1)))
            printedAny = true
        }
    }

    /// What a run reads, the same for every mode (running, `--emit-sql`, `--engine`): the `-c` text
    /// first, then the files in the order given (as psql runs `-c` and `-f`), sharing one session's
    /// `let`s and parameters; standard input when there is neither.
    func sources() throws -> [SourceText] {
        var sources: [SourceText] = []
        if let command { sources.append(SourceText(command, name: "<command line>")) }
        for file in files {
            guard let text = Terminal.readFile(file) else { throw ExitCode(2) }
            sources.append(SourceText(text, name: file))
        }
        if sources.isEmpty {
            guard let text = Terminal.readStandardInput() else { throw ExitCode(2) }
            sources.append(SourceText(text, name: "<stdin>"))
        }
        return sources
    }

    /// Compiles every query of the scripts (or -c, or standard input) and hands each to `body`;
    /// errors are printed where they are, and make the exit status 1.
    private func compileEach(dialect: SQLDialect, _ body: (SourceText, SourceRange, CompiledQuery, [String: Value]) throws -> Void) throws {
        var engine = try data.engine()
        var succeeded = true
        for source in try sources() {
            let renderer = DiagnosticRenderer(source: source, useColor: Terminal.colorOnStandardError)
            var compiled: [(SourceRange, CompiledQuery, [String: Value])] = []
            engine.compileSQL(source, dialect: dialect) { extent, outcome in
                switch outcome {
                case .sql(let query, let parameters):
                    compiled.append((extent, query, parameters))
                case .defined: break
                case .failed(let diagnostics):
                    succeeded = false
                    for diagnostic in diagnostics { Terminal.printPainted(renderer.render(diagnostic)) }
                }
            }
            for (extent, query, parameters) in compiled {
                do {
                    try body(source, extent, query, parameters)
                } catch {
                    succeeded = false
                    let location = source.location(of: extent.start)
                    Terminal.printError("\(source.name):\(location.line):\(location.column): error: \(error)")
                }
            }
        }
        if !succeeded { throw ExitCode(1) }
    }
}

extension SQLDialect: ExpressibleByArgument {}

/// When the query running on a database must stop (`--timeout`), read from SQLite's progress handler.
final class QueryClock: @unchecked Sendable {
    private var deadline: ContinuousClock.Instant?

    func start(_ limit: Duration?) { deadline = limit.map { ContinuousClock.now.advanced(by: $0) } }
    var isPast: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }

    /// Said as the in-memory engine says it (E405, E406).
    struct Stopped: Error, CustomStringConvertible {
        let limit: Duration?
        var description: String {
            let diagnostic = limit.map { Diagnostic.timedOut($0, range: SourceRange(0, 0)) } ?? Diagnostic.cancelled(range: SourceRange(0, 0))
            return "\(diagnostic.message) (\(diagnostic.code))"
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run saved scripts and compare each statement's output with the `# ----` block after it.")

    @Argument(help: ArgumentHelp("Scripts to check.", valueName: "FILE"))
    var files: [String]

    @Flag(help: "Rewrite the expected blocks with the actual output instead of comparing.")
    var update = false

    @OptionGroup var data: DataOptions

    func run() throws {
        var failed = 0, total = 0
        for file in files {
            guard let text = Terminal.readFile(file) else { throw ExitCode(2) }
            let source = SourceText(text, name: file)
            let name = (file as NSString).lastPathComponent
            let report = ScriptCheck.check(source, engine: try data.engine(), displayName: name)
            if update {
                // Inserting blocks moves later lines, and error messages quote line numbers:
                // re-run until the blocks agree with the file they are in.
                var current = text
                var updated = ScriptCheck.updated(source, report: report)
                for _ in 0..<5 where updated != current {
                    current = updated
                    let next = SourceText(current, name: file)
                    updated = ScriptCheck.updated(next, report: ScriptCheck.check(next, engine: try data.engine(), displayName: name))
                }
                if updated != text {
                    do {
                        try AtomicFile.write(updated, to: file)  // keeps the mode, and a linked script stays linked
                    } catch {
                        Terminal.printError("centreql: \(error)")
                        throw ExitCode(1)
                    }
                    print("updated \(file)")
                }
                continue
            }
            for item in report.cases where !(item.expected == nil && item.actual.isEmpty) {
                total += 1
                guard !item.passed else { continue }
                failed += 1
                if let expected = item.expected {
                    print("\(file):\(item.line): output differs from the expected block (- expected, + actual):")
                    print(ScriptCheck.diff(expected: expected, actual: item.actual))
                } else {
                    print("\(file):\(item.line): no expected block; this statement printed:")
                    print(item.actual.map { "+ " + $0 }.joined(separator: "\n"))
                    print("(run `centreql check --update \(file)` to record it)")
                }
            }
        }
        if !update {
            print("\(total - failed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the data as CSV files (one per table) into a folder.")

    @Argument(help: ArgumentHelp("The folder to write.", valueName: "DIR"))
    var directory: String?

    @Option(help: ArgumentHelp("Write an SQLite database instead (the tables of `centreql schema --sql`), for --engine sqlite:FILE.", valueName: "FILE"))
    var sqlite: String?

    @Option(help: ArgumentHelp("Load the data into a PostgreSQL database instead (replacing its CentreQL tables), for --engine postgres:CONNINFO.", valueName: "CONNINFO"))
    var postgres: String?

    @OptionGroup var data: DataOptions

    func validate() throws {
        if [directory, sqlite, postgres].compactMap({ $0 }).count != 1 {
            throw ValidationError("give one of: a folder for CSV files, --sqlite FILE.db, --postgres CONNINFO")
        }
    }

    func run() throws {
        let engine = try data.engine()
        if let sqlite {
            do {
                try SQLiteDatabase.write(engine.store, to: sqlite)
            } catch {
                Terminal.printError("centreql: \(error)")
                throw ExitCode(1)
            }
            for table in engine.store.tables { print("\(table.schema.name): \(table.rowCount) rows") }
            return
        }
        if let postgres {
            do {
                try PostgresDatabase(postgres).load(engine.store)
            } catch {
                Terminal.printError("centreql: \(error)")
                throw ExitCode(1)
            }
            for table in engine.store.tables { print("\(table.schema.name): \(table.rowCount) rows") }
            return
        }
        guard let directory else { return }
        do {
            try CSVLoader.export(engine.store, to: directory)
        } catch {
            Terminal.printError("centreql: \(error)")
            throw ExitCode(1)
        }
        for table in engine.store.tables {
            print("\(table.schema.name).csv: \(table.rowCount) rows")
        }
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Describe the tables: columns, types and links.")

    @Argument(help: ArgumentHelp("Only these tables.", valueName: "TABLE"))
    var tables: [String] = []

    @Flag(help: "Print CREATE TABLE and CREATE INDEX statements instead (load `centreql export` files into them).")
    var sql = false

    @Option(help: "The SQL dialect for --sql: sqlite or postgres.")
    var dialect: SQLDialect = .sqlite

    @OptionGroup var data: DataOptions

    func run() throws {
        if sql { return print(SQLSchema.statements(dialect)) }
        var chosen: [TableSchema] = []
        for name in tables {
            guard let table = Catalog.table(named: name) else {
                throw ValidationError("unknown table '\(name)'; the tables are " + Catalog.tables.map(\.name).joined(separator: ", "))
            }
            chosen.append(table)
        }
        print(SchemaDescription.text(for: chosen.isEmpty ? Catalog.tables : chosen, store: try data.engine().store))
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic data set with the built-in schema (load it with --data DIR).")

    @Option(help: "How many centres (about 2 awards and 5 projects each).")
    var centres: Int

    @Option(help: "The random seed: the same seed always gives the same files.")
    var seed: UInt64 = 2019

    @Argument(help: ArgumentHelp("The folder to write.", valueName: "DIR"))
    var directory: String

    func validate() throws {
        guard centres > 0 else { throw ValidationError("--centres must be at least 1") }
    }

    func run() throws {
        let start = ContinuousClock.now
        let counts: Generator.Counts
        do {
            counts = try Generator(centres: centres, seed: seed).write(to: directory)
        } catch {
            Terminal.printError("centreql: \(error)")
            throw ExitCode(1)
        }
        print("wrote \(counts.centres) centres, \(counts.awards) awards, \(counts.projects) projects to \(directory) in \(String(format: "%.1f", (ContinuousClock.now - start).inSeconds)) s")
    }
}
