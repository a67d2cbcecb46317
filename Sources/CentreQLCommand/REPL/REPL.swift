@preconcurrency import CEditLine
import CentreQL
import Foundation

/// Set by SIGINT while a query runs (outside line editing, where ^C is a key binding instead).
let interruptCancellation = Cancellation()

/// The interactive session: statements over several lines, meta-commands, history, completion,
/// paging and colour. Errors never end it; Ctrl-C cancels the line or the running query.
final class REPL {
    var engine: Engine
    var format: OutputFormat
    var maxRows: Int? = 1000
    /// Where the data came from: nil for the built-in data set, else the folder loaded.
    var dataSource: String?
    /// sqlite3's settings: `.headers`, `.nullvalue`, `.bail`, `.echo`, `.prompt`.
    var showsHeaders = true
    var nullText = "null"
    var bails = false
    var echoes = false
    var mainPrompt = "centreql> "
    var continuationPrompt = "     ...> "
    /// The last result shown, for `.last`; the file `.output` writes to, for `.show`.
    var lastResult: ResultSet?
    var outputPath: String?
    /// Whether the last statements run had an error (`.bail` stops a `.read` there).
    var lastRunFailed = false

    /// What `.help shortcuts` lists.
    static let shortcuts = """
        Keys (libedit's emacs bindings, and these):
          Tab                 complete (stages, columns, values in strings, files after .read)
          Ctrl-C              discard the line, or cancel the running query, .read or .load
          Ctrl-D              leave (on an empty line)
          Ctrl-Z              suspend; fg resumes
          Ctrl-R              search the history
          Up / Down           the previous / next statement
          Ctrl-A, Ctrl-E      start / end of the line (also Home, End)
          Alt-B, Alt-F        a word back / forward (also Ctrl-← Ctrl-→, Alt-← Alt-→)
          Ctrl-K, Ctrl-U      delete to the end / start of the line
          Ctrl-W              delete the word before the cursor
          Ctrl-X Ctrl-F       the last error's fixed statement replaces the line (as .fix)
          Paste               pasted text is text: tabs are not completion, lines are one statement
          a line starting |   continues the last query
        As you type, keywords, strings, numbers and comments are coloured, and what cannot stand
        (an unclosed string or bracket) is red; .highlight off turns it off.
        """
    var maxColumnWidth: Int?
    var showsTimer = false
    var usesPager = true
    /// Where results go: standard output, or a file from `.output` / `.once`, which takes the
    /// target's place whole when output returns to the screen (or the session ends).
    var output: AtomicFile?
    var outputOnce = false
    let useColor: Bool
    /// The line editor; nil when the session runs a script (`centreql FILE` or standard input with
    /// dot-commands in it), which keeps no history.
    let editor: LineEditor?
    let historyFile: HistoryFile
    var history: [String]
    var lastQuery: String?
    var shouldQuit = false
    var historyFailed = false

    init?(engine: Engine, format: OutputFormat, dataSource: String? = nil) {
        self.dataSource = dataSource
        guard let editor = LineEditor(programName: "centreql") else { return nil }
        var engine = engine
        engine.cancellation = interruptCancellation
        self.engine = engine
        self.format = format
        self.editor = editor
        self.useColor = Terminal.wantsColour
        self.historyFile = HistoryFile(path: HistoryFile.defaultPath())
        self.history = historyFile.load()
        for entry in history { editor.addHistory(entry) }
        editor.completer = { [unowned self] text in self.complete(text) }
        editor.fixProvider = { [unowned self] in self.lastFix }
        if useColor { editor.highlighter = REPL.highlight(context:line:) }
    }

    /// A session without a terminal, for scripts whose lines include dot-commands (as sqlite3 runs
    /// them): the same commands and settings, no line editing, no history, no start-up file.
    init(script engine: Engine, format: OutputFormat, dataSource: String?) {
        var engine = engine
        engine.cancellation = interruptCancellation
        self.engine = engine
        self.format = format
        self.dataSource = dataSource
        self.editor = nil
        self.useColor = Terminal.wantsColour && isatty(STDERR_FILENO) == 1
        self.historyFile = HistoryFile(path: "/dev/null")
        self.history = []
        self.usesPager = false
    }

    /// Whether a script has dot-commands (lines starting with `.`), which only a session runs.
    static func hasDotCommands(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0.drop { $0 == " " || $0 == "\t" }.hasPrefix(".") }
    }

    /// Whether any statement or dot-command of this session failed (a script's exit status).
    var anyFailed = false
    /// The last run's first statement with a fix-it (an error's or a note's), corrected: what `.fix`
    /// and Ctrl-X Ctrl-F put on the line.
    var lastFix: String?
    /// The lesson under way (`.lesson N`): each query's rows are checked against its question.
    var lesson: LessonSession?

    func run() {
        guard let editor else { return }
        installInterruptHandler()
        signal(SIGPIPE, SIG_IGN)  // a pager that quits early must not end the session
        let counts = engine.store.tables.map { "\($0.schema.name) (\($0.rowCount))" }.joined(separator: ", ")
        print("CentreQL 0.1 · 2019 Shanghai community volunteer service demonstration centres")
        print("Tables: \(counts). Type .help for help, Tab to complete, Ctrl-D to leave.")
        runStartupFile()
        var pending = ""
        defer { finishOutput() }
        while !shouldQuit {
            let prompt = pending.isEmpty ? mainPrompt : continuationPrompt
            editor.continuationPrompt = continuationPrompt
            editor.context = pending.isEmpty ? "" : pending + "\n"
            switch editor.readLine(prompt: paint(prompt, "1;32", prompt: true)) {
            case .endOfFile:
                print()
                // Ctrl-D in the middle of a statement leaves, but says what is not run (sqlite3 says "incomplete").
                if !pending.isEmpty { Terminal.printError("(the unfinished statement was not run)") }
                return
            case .interrupted:
                print()  // the discarded line stays on screen; the fresh prompt goes below it
                pending = ""
            case .pasted(let lines):
                // Pasted whole lines: one statement goes on, whatever each line looks like alone.
                pending += pending.isEmpty ? lines : "\n" + lines
            case .line(let line):
                var trimmed = line.trimmingCharacters(in: .whitespaces)
                // Other shells' words for the same things (psql's \q and \d, help, quit, exit).
                if pending.isEmpty, let meta = Self.habits[trimmed.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ";"))] {
                    trimmed = meta
                }
                if pending.isEmpty && trimmed.hasPrefix(".") {
                    remember(trimmed)
                    runMetaCommand(trimmed)
                    continue
                }
                if pending.isEmpty, trimmed.hasPrefix("|"), let lastQuery {
                    pending = lastQuery  // a line starting with `|` continues the last query
                }
                pending += pending.isEmpty ? line : "\n" + line
                if pending.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { pending = ""; continue }
                if Lexer.isIncomplete(pending) { continue }
                remember(pending)
                runStatements(pending, name: "<input>")
                pending = ""
            }
        }
    }

    // MARK: Running

    /// What users of sqlite3, psql and DuckDB type to get help, look around or leave.
    static let habits = ["help": ".help", "?": ".help", "\\?": ".help", "\\h": ".help", "quit": ".quit", "exit": ".quit",
                         "\\q": ".quit", "\\d": ".tables", "\\dt": ".tables", "\\l": ".tables"]

    /// A script with dot-commands among its statements (a `.read` file, the start-up file, a session
    /// copied from `.history`): a line that starts with `.` outside an unfinished statement is a
    /// dot-command; the statements between run as a script (so `|` lines continue as they do there).
    func runScript(_ text: String, name: String) {
        var chunk: [String] = []
        var stopped = false
        func flush() {
            let statements = chunk.joined(separator: "\n")
            chunk = []
            guard !stopped, !statements.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
            runStatements(statements, name: name)
            if bails && lastRunFailed {
                stopped = true
                Terminal.printError("(.bail: the rest of \(name) was not run)")
            }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("."), !Lexer.isIncomplete(chunk.joined(separator: "\n")) || chunk.isEmpty {
                flush()
                guard !interruptCancellation.isCancelled, !shouldQuit, !stopped else { break }
                if echoes { print(trimmed) }
                runMetaCommand(trimmed)
            } else {
                chunk.append(line)
            }
        }
        flush()
    }

    /// `$CENTREQL_RC`, else `~/.centreqlrc`: dot-commands and statements run when the session starts.
    private func runStartupFile() {
        let environment = ProcessInfo.processInfo.environment
        let path = environment["CENTREQL_RC"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.centreqlrc"
        guard FileManager.default.fileExists(atPath: path), let text = Terminal.readFile(path) else { return }
        runScript(text, name: path)
    }

    func runStatements(_ text: String, name: String) {
        interruptCancellation.reset()
        let source = SourceText(text, name: name)
        var renderer = DiagnosticRenderer(source: source, useColor: useColor && isatty(STDERR_FILENO) == 1)
        let columns = Int(cql_terminal_columns(STDERR_FILENO))
        if columns > 0 { renderer.lineWidth = max(20, columns - 8) }  // "NNN | " and a little room
        var start = ContinuousClock.now
        var statements = 0
        var failed = false
        var fix: String?
        defer { lastFix = fix }
        let progress = ProgressLine(cancellation: interruptCancellation)
        progress.start()
        defer { progress.stop() }
        engine.run(source) { result in
            progress.stop()  // results and messages are never mixed with the progress line
            defer { progress.start() }
            statements += 1
            if echoes { print(source.text(of: result.extent).trimmingCharacters(in: .whitespacesAndNewlines)) }
            switch result.outcome {
            case .rows(let rows):
                show(rows)
                checkLessonAnswer(rows)
                // Each statement's own time (in a .read they once added up).
                if showsTimer { print("Run Time: \(Self.seconds(ContinuousClock.now - start)) s") }
                // Only a query (or its explain) gives rows, so this is what a line starting with `|` continues.
                lastQuery = source.text(of: result.extent).trimmingCharacters(in: .whitespacesAndNewlines)
            case .failed(let diagnostics):
                for diagnostic in diagnostics { Terminal.printPainted(renderer.render(diagnostic)) }
                failed = true
                fix = fix ?? source.applyingFixes(diagnostics, in: result.extent)
            case .defined:
                break
            }
            fix = fix ?? source.applyingFixes(result.notes, in: result.extent)
            for note in result.notes { Terminal.printPainted(renderer.render(note)) }
            start = ContinuousClock.now
        }
        lastRunFailed = failed
        if failed { anyFailed = true }
        if interruptCancellation.isCancelled, Parser.parse(source).count > statements {
            Terminal.printError("(cancelled: the rest of \(name) was not run)")
        }
        interruptCancellation.reset()
    }

    /// Shows a result where results go; `whole` (`.last`) shows every row, through the pager.
    func show(_ result: ResultSet, whole: Bool = false) {
        lastResult = result
        let toTerminal = output == nil && isatty(STDOUT_FILENO) == 1
        let columns = Int(cql_terminal_columns(STDOUT_FILENO))
        let maxRows = whole ? nil : self.maxRows
        var options = TableOptions(maxRows: maxRows, maxColumnWidth: maxColumnWidth,
                                   maxLineWidth: toTerminal && columns > 0 ? columns : nil,
                                   colorsNull: toTerminal && useColor, toTerminal: toTerminal)
        options.nullText = nullText
        options.showsHeaders = showsHeaders
        // One row wider than the screen reads better one field per line (psql's \x auto).
        var format = self.format
        if format == .table, toTerminal, columns > 0, result.rows.count == 1, result.chart == nil,
           DisplayWidth.of(OutputFormat.table.render(result).split(separator: "\n").first.map(String.init) ?? "") > columns {
            format = .line
        }
        // `.maxrows` holds in every mode on the screen (the table says so in its footer; the others on stderr).
        var result = result
        var notShown = 0
        if format != .table, toTerminal, let maxRows, result.rows.count > maxRows {
            notShown = result.rows.count - maxRows
            result = ResultSet(columns: result.columns, rows: Array(result.rows.prefix(maxRows)))
        }
        let text = format.render(result, options: options)
        defer { if notShown > 0 { Terminal.printError("(\(notShown) more rows not shown: .maxrows)") } }
        if output != nil { return emit(text) }
        let rows = Int(cql_terminal_rows(STDOUT_FILENO))
        // Lines counted by their line-feed bytes: CSV's "\r\n" is one Character, so splitting the
        // String on "\n" counted a whole CSV result as one line and never paged it.
        if toTerminal, usesPager || whole, rows > 0, text.utf8.reduce(0, { $1 == 0x0A ? $0 + 1 : $0 }) + 1 >= rows - 1 {
            Pager.show(text)
        } else {
            print(text)
        }
    }

    /// What a dot-command shows (`.tables`, `.schema`, `.sql`, `.history`): where results go, so
    /// `.once` and `.output` capture it too.
    func emit(_ text: String) {
        guard let output else { print(text); return }
        do {
            try output.write(text + "\n")
        } catch {
            Terminal.printError("\(error); output is back on the screen")
            self.output = nil
        }
        if outputOnce { finishOutput() }
    }

    /// Puts the `.output` / `.once` file in place and sends results to the screen again.
    func finishOutput() {
        defer { output = nil; outputOnce = false; outputPath = nil }
        do { try output?.commit() } catch { Terminal.printError("\(error)") }
    }

    // MARK: History and completion

    func remember(_ entry: String) {
        guard history.last != entry else { return }
        guard let editor else { return }  // a script keeps no history
        history.append(entry)
        editor.addHistory(entry)
        do {
            try historyFile.append(entry)
        } catch where !historyFailed {
            historyFailed = true  // said once: the session goes on without saving
            Terminal.printError("\(error); history will not be saved this session (set CENTREQL_HISTORY to another file)")
        } catch {}
    }

    private func complete(_ text: String) -> Completion {
        let trimmed = text.drop { $0 == " " }
        if trimmed.hasPrefix("."), !trimmed.contains("\n") {
            return MetaCommand.completions(for: String(trimmed), engine: engine)
        }
        // A line that starts with `|` continues the last query: complete it in that query's scope.
        let continued = trimmed.hasPrefix("|") && editor?.context.isEmpty != false ? (lastQuery.map { $0 + "\n" } ?? "") + text : text
        return engine.completions(before: continued)
    }

    /// Syntax colours for the line being typed, from the engine's lexer over the whole statement
    /// so far (a bracket opened on an earlier line is closed on this one). Dot-commands are plain.
    static func highlight(context: String, line: String) -> [(range: Range<Int>, sgr: String)] {
        let statement = context + line
        guard !statement.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(".") else { return [] }
        let offset = context.unicodeScalars.count
        return SyntaxHighlighting.spans(of: statement).compactMap { span in
            guard span.range.upperBound > offset else { return nil }
            let sgr: String
            switch span.kind {
            case .keyword: sgr = "1;34"
            case .function: sgr = "36"
            case .string: sgr = "33"
            case .number: sgr = "35"
            case .parameter: sgr = "1;35"
            case .comment: sgr = "2"
            case .problem: sgr = "1;31"
            }
            return (max(0, span.range.lowerBound - offset)..<(span.range.upperBound - offset), sgr)
        }
    }

    // MARK: Helpers

    func paint(_ text: String, _ sgr: String, prompt: Bool = false) -> String {
        guard useColor else { return text }
        // In a prompt, libedit must be told which characters take no room: they sit between \u{1}s.
        // libedit drops an invisible sequence at the very end of a prompt, so the reset goes before
        // the prompt's trailing spaces (else the typed text and the results stay bold green).
        guard prompt else { return "\u{1B}[\(sgr)m" + text + "\u{1B}[0m" }
        let body = String(text.reversed().drop { $0 == " " }.reversed())
        return "\u{1}\u{1B}[\(sgr)m\u{1}" + body + "\u{1}\u{1B}[0m\u{1}" + String(repeating: " ", count: text.count - body.count)
    }

    static func seconds(_ duration: Duration) -> String {
        let value = duration.inSeconds
        return String(format: "%.4f", value)
    }

    private func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptCancellation.cancel() }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
    }
}

/// Long output goes through `$PAGER` (default `less -FRX`, which quits at once if the text fits).
/// The pager is started directly, its words split on spaces, never through a shell: nothing the
/// session shows or reads can become a command. It runs in the session's own process group, the
/// terminal's foreground one, so it can read keys from the terminal (Foundation's Process starts a
/// new session, without a terminal: `less` then showed one screen and quit, losing the rest).
enum Pager {
    static func show(_ text: String) {
        let command = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -FRX"
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { print(text); return }
        let started = ForegroundProgram.run(command.split(separator: " ").map(String.init), input: pipe) {
            // A pager that quits early closes the pipe: the rest is dropped (EPIPE), never a crash.
            Terminal.write(Array((text + "\n").utf8), to: pipe[1])
        }
        if !started { print(text) }
        interruptCancellation.reset()  // a Ctrl-C meant for the pager
    }

    /// The program's path: as given when it has a slash, else the first match on `$PATH`.
    static func executable(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }
}

/// A program the session hands the terminal to (the pager, the editor): started directly, its
/// words as arguments (no shell), in the session's own process group so it reads the terminal.
enum ForegroundProgram {
    /// Runs it and waits; with `input` (a pipe), its standard input is the pipe's read end and
    /// `feed` writes to the other. False when it could not be started.
    @discardableResult
    static func run(_ words: [String], input pipe: [Int32]? = nil, feed: () -> Void = {}) -> Bool {
        guard let program = words.first.flatMap(Pager.executable) else {
            pipe.map { close($0[0]); close($0[1]) }
            return false
        }
        fflush(nil)  // what was printed before goes first
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        if let pipe {
            posix_spawn_file_actions_adddup2(&actions, pipe[0], STDIN_FILENO)
            posix_spawn_file_actions_addclose(&actions, pipe[0])
            posix_spawn_file_actions_addclose(&actions, pipe[1])
        }
        // The program gets the default handling of the signals the session ignores or catches.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGXFSZ] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The text is UTF-8 whatever the locale says (the session itself falls back to C.UTF-8):
        // tell less, which would otherwise show Chinese as <E9><97>… bytes in a C locale.
        var environment = ProcessInfo.processInfo.environment
        if environment["LESSCHARSET"] == nil { environment["LESSCHARSET"] = "utf-8" }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        if let pipe { close(pipe[0]) }
        guard spawned == 0 else {
            if let pipe { close(pipe[1]) }
            return false
        }
        if let pipe {
            feed()
            close(pipe[1])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return true
    }
}

/// A line on standard error (a terminal only) while a query runs longer than two seconds: the
/// elapsed time, the rows gone through and their rate, and how to stop it; cleared before anything
/// else is shown.
final class ProgressLine: @unchecked Sendable {
    private let cancellation: Cancellation
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private var shown = false
    private var started = ContinuousClock.now

    init(cancellation: Cancellation) { self.cancellation = cancellation }

    func start() {
        guard isatty(STDERR_FILENO) == 1 else { return }
        lock.lock()
        defer { lock.unlock() }
        started = ContinuousClock.now
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 2, repeating: 1)
        timer.setEventHandler { [weak self] in self?.draw() }
        self.timer = timer
        timer.resume()
    }

    func stop() {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        if shown { Terminal.write(Array("\r\u{1B}[K".utf8), to: STDERR_FILENO) }
        shown = false
    }

    private func draw() {
        lock.lock()
        defer { lock.unlock() }
        guard timer != nil else { return }
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.inSeconds
        let rows = cancellation.progress
        let text = "\r\u{1B}[Krunning: \(Int(seconds)) s, about \(rows) rows examined (\(Int(Double(rows) / max(seconds, 0.001))) a second); Ctrl-C cancels"
        Terminal.write(Array(text.utf8), to: STDERR_FILENO)
        shown = true
    }
}
