import ArgumentParser
import CentreQL
import CentreQLPostgres
import CentreQLSQLite
import Foundation

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
                // `export --sqlite` writes the tables of the built-in schema, which every `--data` folder follows too.
                try sqlite.verifySchema(.builtIn)
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
                    for note in query.notes { Terminal.printPainted(renderer.render(note)) }
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
