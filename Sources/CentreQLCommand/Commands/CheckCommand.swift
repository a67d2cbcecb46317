import ArgumentParser
import CentreQL
import Foundation

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
            let report = ScriptCheck.check(source, engine: try data.engine())
            if update {
                // Inserting blocks moves later lines, and error messages quote line numbers:
                // re-run until the blocks agree with the file they are in.
                var current = text
                var updated = ScriptCheck.updated(source, report: report)
                for _ in 0..<5 where updated != current {
                    current = updated
                    let next = SourceText(current, name: file)
                    updated = ScriptCheck.updated(next, report: ScriptCheck.check(next, engine: try data.engine()))
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
