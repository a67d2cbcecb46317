import CentreQL
import Foundation

/// The REPL's history on disk: one entry per line (line breaks inside a statement escaped), saved
/// as soon as each entry is entered, so a crash loses nothing, and bounded to the newest entries.
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

    /// Adds an entry by writing the whole file anew (the newest `limit` entries) to a temporary file
    /// renamed into place, so a kill mid-write never leaves a torn history. Reading the file first
    /// keeps what another session added in the meantime, and an exclusive lock on `FILE.lock` held
    /// from that read to the rename keeps two sessions from each writing over the other's entry.
    func append(_ entry: String) throws(AtomicFile.WriteError) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if lock >= 0 { flock(lock, LOCK_EX) }
        defer { if lock >= 0 { close(lock) } }  // closing releases the lock
        let entries = (load() + [entry]).suffix(limit)
        // Not flushed to disk each time: the prompt must not wait for the disk after every statement.
        try AtomicFile.write(entries.map(Self.encode).joined(separator: "\n") + "\n", to: path, permissions: 0o600, durably: false)
    }

    /// Whether `other` names this history file (through any link), which `.output` must not replace.
    func isSameFile(as other: String) -> Bool {
        var a = stat(), b = stat()
        return stat(path, &a) == 0 && stat(other, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino
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
