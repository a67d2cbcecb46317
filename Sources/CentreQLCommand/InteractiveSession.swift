import CentreQL
@preconcurrency import Foundation

/// A plain interactive loop on `readLine`: a prompt, multi-line statements decided by the engine's
/// own lexer, and errors that never end the session. (Line editing on libedit comes with the REPL.)
struct InteractiveSession {
    var engine: Engine
    var format: OutputFormat

    mutating func run() {
        print("CentreQL 0.1 on the built-in data (\(engine.store.tables.map { "\($0.schema.name) \($0.rowCount)" }.joined(separator: ", "))).")
        print("Type a query such as: centres | where district_en == \"Minhang\" | select name. Ctrl-D leaves.")
        let runner = ScriptRunner(format: format, useColor: Terminal.colorOnStandardError)
        var pending = ""
        while true {
            print(pending.isEmpty ? "centreql> " : "     ...> ", terminator: "")
            fflush(stdout)
            guard let line = readLine() else { print(); return }
            pending += pending.isEmpty ? line : "\n" + line
            if pending.trimmingCharacters(in: .whitespaces).isEmpty { pending = ""; continue }
            if Lexer.isIncomplete(pending) { continue }
            if [".quit", ".exit"].contains(pending.trimmingCharacters(in: .whitespaces)) { return }
            runner.run(SourceText(pending, name: "<input>"), in: &engine) { output in
                switch output {
                case .result(let text): print(text)
                case .error(let text): Terminal.printError(text)
                }
            }
            pending = ""
        }
    }
}
