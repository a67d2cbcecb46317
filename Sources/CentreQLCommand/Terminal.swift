import CentreQL
import CentreQLPostgres
import Foundation
@preconcurrency import Glibc
import CEditLine

/// What the command needs to know about where it runs.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    static var colorOnStandardError: Bool { isatty(STDERR_FILENO) == 1 && wantsColour }

    /// Colour unless NO_COLOR is set or the terminal says it has none (TERM=dumb), as other tools do.
    static var wantsColour: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    /// Writes a message to standard error with every control and format character it quotes
    /// (file names, SQLite's errors, CSV headers) shown as an escape, never sent to the terminal.
    static func printError(_ text: String) {
        printPainted(TerminalText.escapingControlCharacters(text, keepingLineBreaks: true))
    }

    /// Writes text whose only escapes are the colours CentreQL painted (rendered diagnostics, which
    /// escape what they quote themselves).
    static func printPainted(_ text: String) {
        write(Array((text + "\n").utf8), to: STDERR_FILENO)
    }

    /// Writes all of `bytes` to a descriptor; false when it cannot (a closed pipe, a full disk).
    /// Never traps, as Foundation's FileHandle does on EPIPE and EBADF.
    @discardableResult
    static func write(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            written += n
        }
        return true
    }

    /// Ctrl-C stops the running query (the flag the engines look at) instead of ending the process
    /// at once; PostgreSQL is asked to cancel what it runs.
    static func cancelOnInterrupt() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            interruptCancellation.cancel()
            PostgresDatabase.cancelRunningQuery()
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
    }

    /// The most a script (a file or standard input) may hold: reading stops there, so an endless
    /// input is refused instead of filling memory.
    static let maximumScriptBytes = 64 << 20

    static func readStandardInput() -> String? {
        guard let data = readBounded(STDIN_FILENO, name: "<stdin>") else { return nil }
        return decode(data, name: "<stdin>")
    }

    /// Reads a descriptor to its end, or refuses past `maximumScriptBytes` (so /dev/zero or an
    /// endless pipe is an error, not a process that fills memory).
    private static func readBounded(_ descriptor: Int32, name: String) -> Data? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while data.count <= maximumScriptBytes {
            let n = read(descriptor, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                printError("centreql: cannot read '\(name)': \(String(cString: strerror(errno)))")
                return nil
            }
            if n == 0 { break }
            data.append(contentsOf: buffer[..<n])
        }
        guard data.count <= maximumScriptBytes else {
            printError("centreql: \(name) holds more than \(maximumScriptBytes >> 20) MiB; a script may hold at most that")
            return nil
        }
        return data
    }

    /// At exit, standard output is flushed; if that, or any earlier write, failed (a full disk, a
    /// closed descriptor) the command says so and exits with 1 instead of 0.
    static func reportFailedOutputAtExit() {
        atexit {
            if cql_stdout_failed() != 0 {
                let reason = String(cString: strerror(errno == 0 ? EIO : errno))
                Terminal.printError("centreql: cannot write standard output: \(reason)")
                _exit(1)
            }
        }
    }

    /// A script's text, or nil after saying why it cannot be read.
    static func readFile(_ path: String) -> String? {
        // Any file that reads as text: a regular file, or a pipe (`<(…)`, /dev/stdin); never a folder.
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            printError("centreql: '\(path)' is a folder, not a script")
            return nil
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else {
            printError("centreql: cannot read '\(path)': \(String(cString: strerror(errno)))")
            return nil
        }
        defer { close(descriptor) }
        guard let data = readBounded(descriptor, name: "'\(path)'") else { return nil }
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
