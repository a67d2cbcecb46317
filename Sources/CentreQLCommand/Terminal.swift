import Foundation

/// What the command needs to know about where it runs.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    static var colorOnStandardError: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func readStandardInput() -> String {
        String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }

    /// A script's text, or nil after saying why it cannot be read.
    static func readFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("centreql: cannot read '\(path)': no such file, or not readable")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            printError("centreql: '\(path)' is not UTF-8 text")
            return nil
        }
        return text
    }
}
