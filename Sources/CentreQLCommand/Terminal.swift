import CentreQL
import Foundation

/// What the command needs to know about where it runs.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    static var colorOnStandardError: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Writes a message to standard error with every control and format character it quotes
    /// (file names, SQLite's errors, CSV headers) shown as an escape, never sent to the terminal.
    static func printError(_ text: String) {
        printPainted(TerminalText.escapingControlCharacters(text, keepingLineBreaks: true))
    }

    /// Writes text whose only escapes are the colours CentreQL painted (rendered diagnostics, which
    /// escape what they quote themselves).
    static func printPainted(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func readStandardInput() -> String? {
        decode(FileHandle.standardInput.readDataToEndOfFile(), name: "<stdin>")
    }

    /// A script's text, or nil after saying why it cannot be read.
    static func readFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("centreql: cannot read '\(path)': no such file, or not readable")
            return nil
        }
        return decode(data, name: path)
    }

    /// Scripts are UTF-8; anything else is refused at the first bad byte, with its line and column.
    private static func decode(_ data: Data, name: String) -> String? {
        do {
            return try TextDecoding.decode(data, as: .utf8)
        } catch {
            printError("\(name):\(error.line):\(error.column): error: \(error.description)")
            return nil
        }
    }
}
