import Foundation

/// The REPL's history on disk: one entry per line (line breaks inside a statement escaped), each
/// appended with a single write as soon as it is entered, so a crash loses nothing and two sessions
/// writing at once interleave whole entries. When the file grows past twice its bound it is
/// rewritten, through a temporary file renamed into place, with the newest entries only.
struct HistoryFile {
    let path: String
    var limit = 1000

    /// `$CENTREQL_HISTORY`, else `$XDG_STATE_HOME/centreql/history`, else `~/.local/state/centreql/history`.
    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["CENTREQL_HISTORY"], !path.isEmpty { return path }
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return state + "/centreql/history"
    }

    func load() -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let entries = text.split(separator: "\n").map { Self.decode(String($0)) }
        return Array(entries.suffix(limit))
    }

    func append(_ entry: String) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard descriptor >= 0 else { return }
        let bytes = Array((Self.encode(entry) + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        var info = stat()
        let size = fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
        close(descriptor)
        if size > 200 * limit { compact() }
    }

    /// Keeps the newest `limit` entries.
    private func compact() {
        let entries = load()
        guard entries.count >= limit else { return }
        let temporary = path + ".\(getpid()).tmp"
        let text = entries.map(Self.encode).joined(separator: "\n") + "\n"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else { return }
        rename(temporary, path)
    }

    static func encode(_ entry: String) -> String {
        entry.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func decode(_ line: String) -> String {
        var result = ""
        var escaping = false
        for c in line {
            if escaping {
                result.append(c == "n" ? "\n" : c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                result.append(c)
            }
        }
        return result
    }
}
