import CentreQL
import Foundation

/// The dot-commands, named as sqlite3's shell names them where it has one.
enum MetaCommand: String, CaseIterable {
    case help, tables, schema, mode, timer, read, output, once, param, load, save, maxrows, width, pager, history, sql
    case last, edit, fix, lesson, show, headers, nullvalue, bail, echo, prompt, highlight, quit, exit

    var usage: String {
        switch self {
        case .help: ".help [TOPIC]             help on a stage, function, topic or error code (.help where, .help E202)"
        case .tables: ".tables                    the tables and named results"
        case .schema: ".schema [TABLE]            columns, types, links and indexes"
        case .mode: ".mode table|csv|json|jsonl|markdown|line   how results are shown"
        case .timer: ".timer on|off              show how long each query took"
        case .read: ".read FILE                 run the statements in FILE"
        case .output: ".output [FILE]             send results to FILE, saved whole when .output (no FILE) returns them to the screen"
        case .once: ".once FILE                 send the next result to FILE"
        case .param: ".param set NAME VALUE | unset NAME | list | clear   parameters for $NAME"
        case .load: ".load DIR [gb18030] | FILE load CSV files from DIR (only if the whole folder loads), or a snapshot FILE"
        case .save: ".save FILE                 write the data as a snapshot FILE, which --data FILE and .load FILE open at once"
        case .maxrows: ".maxrows N|off             show at most N rows of a result"
        case .width: ".width N|off               cut cells wider than N columns"
        case .pager: ".pager on|off              page output longer than the screen ($PAGER or less -FRX)"
        case .history: ".history [N]               the statements entered (the last N)"
        case .sql: ".sql [postgres] QUERY       the SQL the query means (SQLite's, or PostgreSQL's)"
        case .last: ".last                      the previous result again, whole (every row, through the pager)"
        case .edit: ".edit                      edit the statement being typed, or the last one, in $EDITOR, then run it"
        case .fix: ".fix                       put the last error's fixed statement on the line, to edit or run with Enter (also Ctrl-X Ctrl-F)"
        case .lesson: ".lesson [N|skip|stop]       the lessons; .lesson N asks lesson N's questions, checking each query typed"
        case .show: ".show                      the current settings"
        case .headers: ".headers on|off            column names above tables and CSV"
        case .nullvalue: ".nullvalue TEXT            how null is shown in tables, line and markdown (CSV keeps it empty)"
        case .bail: ".bail on|off               stop a .read at its first error"
        case .echo: ".echo on|off               show each statement of a .read before its result"
        case .prompt: ".prompt MAIN [CONTINUE]    the prompts (\"centreql> \" and \"     ...> \")"
        case .highlight: ".highlight on|off          colour the statement as it is typed (off with NO_COLOR too)"
        case .quit, .exit: ".quit                      leave (Ctrl-D also leaves)"
        }
    }

    static func completions(for text: String, engine: Engine) -> Completion {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let typed = words.last ?? ""
        let options: [String]
        if words.count == 1 {
            options = allCases.map { "." + $0.rawValue }
        } else {
            switch MetaCommand(rawValue: String(words[0].dropFirst())) {
            case .help: options = HelpTopics.all.map(\.name) + allCases.map { "." + $0.rawValue }
            case .schema: options = engine.store.tables.map(\.schema.name)
            case .mode: options = OutputFormat.allCases.map(\.rawValue)
            case .timer, .pager, .headers, .bail, .echo, .highlight: options = ["on", "off"]
            case .param: options = words.count == 2 ? ["set", "unset", "list", "clear"] : engine.parameters.map(\.name)
            case .read, .output, .once, .load, .save: options = words.count == 2 ? fileNames(startingWith: typed, foldersOnly: false) : []
            default: options = []
            }
        }
        let found = Array(Set(options.filter { $0.hasPrefix(typed) })).sorted()
        return Completion(replacing: typed.unicodeScalars.count, candidates: found)
    }
}

extension MetaCommand {
    /// A dot-command's words as a shell would split them: `'…'` and `"…"` keep spaces (and are
    /// taken off), a backslash keeps the next character, and `~/` at the start of a word is the home
    /// folder, so `.read "my lesson.cql"` and `.output ~/out.csv` mean what they say.
    static func words(of line: String) -> [String] {
        var words: [String] = []
        var current = "", inWord = false, quote: Character?, escaped = false
        for character in line {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" && quote != "'" { escaped = true; inWord = true; continue }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" { quote = character; inWord = true; continue }
            if character == " " || character == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(character)
            inWord = true
        }
        if inWord { words.append(current) }
        return words.map { $0.hasPrefix("~/") ? NSHomeDirectory() + $0.dropFirst() : $0 }
    }

    /// Paths that complete `typed`: the entries of its folder (a folder ends in `/`), hidden ones
    /// only when a `.` was typed, `~/` read as the home folder.
    static func fileNames(startingWith typed: String, foldersOnly: Bool) -> [String] {
        let slash = typed.lastIndex(of: "/")
        let folder = slash.map { String(typed[...$0]) } ?? ""
        let base = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let listed = folder.isEmpty ? "." : (folder.hasPrefix("~/") ? NSHomeDirectory() + folder.dropFirst() : folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listed) else { return [] }
        var found: [String] = []
        for name in names where name.hasPrefix(base) && (base.hasPrefix(".") || !name.hasPrefix(".")) {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: (listed as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            if foldersOnly && !isFolder.boolValue { continue }
            found.append(folder + name + (isFolder.boolValue ? "/" : ""))
        }
        return found
    }
}

extension REPL {
    func runMetaCommand(_ line: String) {
        let words = MetaCommand.words(of: line)
        let name = String(words[0].dropFirst())
        let arguments = Array(words.dropFirst())
        // A unique prefix names a command, as in sqlite3 (`.tab`, `.mo`).
        let prefixed = MetaCommand.allCases.filter { $0.rawValue.hasPrefix(name) }
        guard let command = MetaCommand(rawValue: name) ?? (prefixed.count == 1 && !name.isEmpty ? prefixed[0] : nil) else {
            // Never suggest leaving for a command that does not exist (`.edit` is not `.exit`).
            let suggestion = Suggestions.closest(to: name, in: MetaCommand.allCases.filter { $0 != .exit && $0 != .quit }.map(\.rawValue))
            anyFailed = true
            Terminal.printPainted(paint("error", "1;31") + ": unknown command '.\(TerminalText.escapingControlCharacters(name))'"
                + (suggestion.map { "; did you mean '.\($0)'?" } ?? "") + " (.help lists them)")
            return
        }
        switch command {
        case .help: help(arguments.first)
        case .tables:
            // The summaries describe the built-in data set; after a load, the folder is named instead.
            var lines = engine.store.tables.map { "\($0.schema.name)  \($0.rowCount) rows" + (dataSource == nil ? "  \($0.schema.summary)" : "") }
            if let dataSource { lines.insert("(loaded from \(dataSource))", at: 0) }
            let lets = engine.environment.letNames
            if !lets.isEmpty { lines.append("named results (let): " + lets.joined(separator: ", ")) }
            emit(lines.joined(separator: "\n"))
        case .schema:
            for name in arguments where engine.store.catalog.table(named: name) == nil {
                let suggestion = Suggestions.closest(to: name, in: engine.store.catalog.tableNames)
                Terminal.printError("no table '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                                    + " (the tables are " + engine.store.catalog.tableNames.joined(separator: ", ") + ")")
            }
            let chosen = arguments.compactMap { engine.store.catalog.table(named: $0) }
            guard arguments.isEmpty || !chosen.isEmpty else { return }
            emit(SchemaDescription.text(for: arguments.isEmpty ? engine.store.catalog.tables : chosen, store: engine.store)
                 + "\n(every table also has an index on id, and every link an index of its rows)")
        case .mode:
            guard let word = arguments.first else { print("mode: \(format.rawValue)"); return }
            guard let mode = OutputFormat(rawValue: word) else {
                Terminal.printError("unknown mode '\(word)'; the modes are " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
                return
            }
            format = mode
        case .timer: showsTimer = onOff(arguments, current: showsTimer, name: "timer")
        case .pager: usesPager = onOff(arguments, current: usesPager, name: "pager")
        case .read:
            guard let path = arguments.first else { Terminal.printError("usage: .read FILE"); return }
            guard let text = Terminal.readFile(path) else { return }
            runScript(text, name: path)
        case .output, .once:
            if command == .once && arguments.isEmpty { Terminal.printError("usage: .once FILE"); return }
            finishOutput()
            guard let path = arguments.first else { return }  // `.output` alone: back to the screen
            if historyFile.isSameFile(as: path) {
                Terminal.printError("\(path) is the history file; results are not written over it")
                return
            }
            do {
                // Results go into the file as they come (as sqlite3's .output), so a closed terminal
                // loses none; the file is still never a planted link or a special file replaced.
                output = try AtomicFile(path: path, streaming: true)
                outputOnce = command == .once
                outputPath = path
            } catch {
                Terminal.printError("\(error)")
            }
        case .param: param(arguments)
        case .save:
            guard let path = arguments.first, arguments.count == 1 else { Terminal.printError("usage: .save FILE"); return }
            do {
                try Snapshot.write(engine.store, to: path)
                print("saved " + engine.store.tables.map { "\($0.schema.name) \($0.rowCount)" }.joined(separator: ", ") + " to \(path)")
            } catch {
                Terminal.printError(error.description)
                lastRunFailed = true
            }
        case .load:
            guard let directory = arguments.first, arguments.count <= 2 else { Terminal.printError("usage: .load DIR [ENCODING] | .load FILE"); return }
            // A progress line after two seconds (on a terminal); Ctrl-C stops the load or the
            // open and leaves the data as it was.
            var shown = false
            let start = ContinuousClock.now
            let report = isatty(STDERR_FILENO) == 1
            func progress(_ line: (Double) -> String) -> Bool {
                let elapsed = ContinuousClock.now - start
                if report, elapsed > .seconds(2) {
                    FileHandle.standardError.write(Data(("\r\u{1B}[K" + line(elapsed.inSeconds)).utf8))
                    shown = true
                }
                return !interruptCancellation.isCancelled
            }
            // Results and messages never share a line with the progress line.
            func clearProgress() {
                if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                shown = false
            }
            interruptCancellation.reset()
            defer { interruptCancellation.reset() }
            do {
                if Snapshot.isSnapshot(directory) {
                    engine.store = try Snapshot.read(directory) { read, total in
                        progress { "opening \(directory): \(read * 100 / max(total, 1))%, \(Int($0)) s" }
                    }
                } else {
                    guard let encoding = TextEncoding(name: arguments.count == 2 ? arguments[1] : "utf-8") else {
                        Terminal.printError("unknown encoding '\(arguments[1])'; CentreQL reads utf-8 and gb18030 (also called gbk or gb2312)")
                        return
                    }
                    engine.store = try CSVLoader.load(directory: directory, encoding: encoding) { file, rows in
                        progress { "loading \(file): \(rows) rows, \(Int(Double(rows) / $0)) rows/s, \(Int($0)) s" }
                    }
                }
                clearProgress()
                dataSource = directory
                print("loaded " + engine.store.tables.map { "\($0.schema.name) \($0.rowCount)" }.joined(separator: ", "))
            } catch {
                clearProgress()
                // A data file's error names its file and line; a snapshot's is about the one file.
                Terminal.printError((error is SnapshotError ? "\(directory): " : "") + "\(error)\n(the data already loaded is unchanged)")
                lastRunFailed = true
            }
        case .maxrows: maxRows = count(arguments, current: maxRows, name: "maxrows")
        case .width: maxColumnWidth = count(arguments, current: maxColumnWidth, name: "width")
        case .history:
            let shown = arguments.first.flatMap(Int.init).map { Array(history.suffix($0)) } ?? history
            let first = history.count - shown.count + 1
            emit(shown.enumerated().map { offset, entry in
                let text = TerminalText.escapingControlCharacters(entry, keepingLineBreaks: true)
                return String(format: "%5d  ", first + offset) + text.replacingOccurrences(of: "\n", with: "\n       ")
            }.joined(separator: "\n"))
        case .sql:
            let dialect: SQLDialect = arguments.first == "postgres" ? .postgres : .sqlite
            // The query as typed (its quotes are the query's): the line after `.sql` and the dialect.
            var query = Substring(line.drop { $0 != " " }).drop { $0 == " " }
            if arguments.first == "postgres" || arguments.first == "sqlite" { query = query.dropFirst(arguments[0].count).drop { $0 == " " } }
            guard !query.isEmpty else { Terminal.printError("usage: .sql [postgres] QUERY"); return }
            let source = SourceText(String(query), name: "<input>")
            let renderer = DiagnosticRenderer(source: source, useColor: useColor && isatty(STDERR_FILENO) == 1)
            engine.compileSQL(source, dialect: dialect) { _, outcome in
                switch outcome {
                case .sql(let compiled, _): emit(TerminalText.escapingControlCharacters(compiled.sql + ";", keepingLineBreaks: true))
                case .failed(let diagnostics): for diagnostic in diagnostics { Terminal.printPainted(renderer.render(diagnostic)) }
                case .defined: break
                }
            }
        case .last:
            guard let lastResult else { Terminal.printError("no result yet"); return }
            show(lastResult, whole: true)
        case .edit: edit()
        case .lesson: lessonCommand(arguments)
        case .fix:
            guard let lastFix else {
                Terminal.printError("no fix to take: the last statement had no error or note with a fix")
                lastRunFailed = true
                return
            }
            editor?.prefill(lastFix.replacingOccurrences(of: "\n", with: " "))
        case .show:
            func onOff(_ on: Bool) -> String { on ? "on" : "off" }
            let settings: [(String, String)] = [
                ("mode", format.rawValue), ("headers", onOff(showsHeaders)), ("nullvalue", "\"\(nullText)\""),
                ("maxrows", maxRows.map(String.init) ?? "off"), ("width", maxColumnWidth.map(String.init) ?? "off"),
                ("pager", onOff(usesPager)), ("highlight", onOff(editor?.highlighter != nil)), ("timer", onOff(showsTimer)), ("bail", onOff(bails)), ("echo", onOff(echoes)),
                ("prompt", "\"\(mainPrompt)\" \"\(continuationPrompt)\""), ("output", outputPath ?? "the screen"),
                ("data", dataSource ?? "the built-in data"), ("history", historyFile.path),
            ]
            emit(settings.map { DisplayWidth.pad($0.0, to: 10, alignRight: true) + ": " + $0.1 }.joined(separator: "\n"))
        case .headers: showsHeaders = onOff(arguments, current: showsHeaders, name: "headers")
        case .nullvalue:
            guard arguments.count <= 1 else { Terminal.printError("usage: .nullvalue TEXT (quote it to include spaces)"); return }
            if let text = arguments.first { nullText = text } else { print("nullvalue: \"\(nullText)\"") }
        case .bail: bails = onOff(arguments, current: bails, name: "bail")
        case .echo: echoes = onOff(arguments, current: echoes, name: "echo")
        case .prompt:
            guard let main = arguments.first, arguments.count <= 2 else { Terminal.printError("usage: .prompt MAIN [CONTINUE]"); return }
            mainPrompt = main
            if arguments.count == 2 { continuationPrompt = arguments[1] }
        case .highlight:
            guard let editor else { return }
            let on = onOff(arguments, current: editor.highlighter != nil, name: "highlight")
            if on && !useColor {
                Terminal.printError("highlighting needs colour, which NO_COLOR or TERM=dumb turned off")
            } else if on {
                editor.highlighter = { REPL.highlight(context: $0, line: $1) }
            } else {
                editor.highlighter = nil
            }
        case .quit, .exit: shouldQuit = true
        }
    }

    /// `.edit`: the last statement in `$VISUAL` or `$EDITOR` (else vi), in the terminal's foreground;
    /// what is saved runs (statements and dot-commands) and goes into the history.
    private func edit() {
        let environment = ProcessInfo.processInfo.environment
        let command = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let path = NSTemporaryDirectory() + "centreql-edit-\(getpid()).cql"
        defer { unlink(path) }
        do {
            // The last statement, not a dot-command (the `.edit` just typed is the newest entry).
            let statement = history.last { !$0.trimmingCharacters(in: .whitespaces).hasPrefix(".") } ?? ""
            try AtomicFile.write(statement + "\n", to: path, permissions: 0o600, durably: false)
        } catch {
            Terminal.printError("\(error)")
            return
        }
        guard ForegroundProgram.run(command.split(separator: " ").map(String.init) + [path]) else {
            Terminal.printError("cannot start the editor '\(command)' (set $EDITOR)")
            return
        }
        guard let text = Terminal.readFile(path)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return }
        print(text)
        remember(text)
        // What the editor saved runs, but a `.edit` in it would edit again without end: not that.
        runScript(text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix(".edit") }.joined(separator: "\n"), name: "<edit>")
    }

    private func help(_ topic: String?) {
        guard let topic else {
            print("Statements: a table, then stages joined by |, e.g.  centres | where district_en == \"Minhang\" | select name")
            print("Help topics: " + HelpTopics.all.map(\.name).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: " "))
            print("Commands:")
            for command in MetaCommand.allCases where command != .exit { print("  " + command.usage) }
            print("Keys: .help shortcuts")
            return
        }
        if topic == "shortcuts" || topic == "keys" {
            print(REPL.shortcuts)
            return
        }
        // An error's code, as the error printed it: its long explanation.
        if let explanation = ErrorExplanation.named(topic) {
            print(explanation.text)
            return
        }
        if topic.lowercased() == "errors" {
            print(ErrorExplanation.list)
            return
        }
        if let command = MetaCommand(rawValue: topic.hasPrefix(".") ? String(topic.dropFirst()) : "~"), topic.hasPrefix(".") {
            print(command.usage)
            return
        }
        let topics = HelpTopics.topics(named: topic)
        guard !topics.isEmpty else {
            let suggestion = Suggestions.closest(to: topic, in: HelpTopics.all.map(\.name))
            Terminal.printError("no help on '\(topic)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "") + " (.help lists the topics)")
            return
        }
        for item in topics {
            print(paint(item.usage, "1"))
            print("  " + item.summary)
            print("  example:")
            for line in item.example.split(separator: "\n") { print("    " + line) }
        }
    }

    private func param(_ arguments: [String]) {
        switch arguments.first {
        case "set":
            guard arguments.count >= 3 else { Terminal.printError("usage: .param set NAME VALUE"); return }
            // `$w` names w; a value in quotes is the text inside them (as the query would write it).
            let name = arguments[1].hasPrefix("$") ? String(arguments[1].dropFirst()) : arguments[1]
            guard Engine.isParameterName(name) else {
                Terminal.printError("'\(arguments[1])' is not a parameter name (letters, digits and _)")
                return
            }
            let value = arguments[2...].joined(separator: " ")  // quotes were taken off by `words(of:)`
            if !engine.setParameter(name, text: value) {
                Terminal.printError("'\(value)' does not fit the declared type of $\(name)")
            }
        case "unset":
            guard arguments.count == 2 else { Terminal.printError("usage: .param unset NAME"); return }
            let name = arguments[1].hasPrefix("$") ? String(arguments[1].dropFirst()) : arguments[1]
            if !engine.unsetParameter(name) { Terminal.printError("there is no parameter $\(name)") }
        case "list", nil:
            for parameter in engine.parameters {
                print(TerminalText.escapingControlCharacters("$\(parameter.name): \(parameter.type) = " + (parameter.value.map { $0.description } ?? "(no value)")))
            }
        case "clear":
            engine.clearParameters()
        default:
            Terminal.printError("usage: .param set NAME VALUE | unset NAME | list | clear")
        }
    }

    private func onOff(_ arguments: [String], current: Bool, name: String) -> Bool {
        switch arguments.first {
        case "on": return true
        case "off": return false
        case nil: print("\(name): \(current ? "on" : "off")"); return current
        default: Terminal.printError("usage: .\(name) on|off"); return current
        }
    }

    private func count(_ arguments: [String], current: Int?, name: String) -> Int? {
        guard let word = arguments.first else { print("\(name): " + (current.map(String.init) ?? "off")); return current }
        if word == "off" { return nil }
        guard let n = Int(word), n > 0 else { Terminal.printError("usage: .\(name) N|off"); return current }
        return n
    }
}
