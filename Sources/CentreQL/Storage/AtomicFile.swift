import Foundation
import Synchronization

/// A file written whole or not at all, and never somewhere it should not be.
///
/// The contract, for every file CentreQL writes (`.output`, `.once`, `export`, `check --update`,
/// the history):
/// - A regular file (new or old) is written to a temporary file beside it, created exclusively
///   (`O_EXCL | O_NOFOLLOW`, a random name: a planted file or link is never opened), and renamed over
///   the target only by `commit`. A full disk, a kill or a crash leaves the old file (or no file).
/// - A rewritten file keeps its mode and, where the system allows, its owner.
/// - A link is followed, on purpose, to the file it names, which is rewritten; the link stays a
///   link. A link to nothing is refused.
/// - A terminal, pipe, socket or device (and anything under /dev or /proc, as /dev/stdout) is
///   written to directly, never replaced; a folder is refused.
/// - With `streaming` (`.output`), a regular file is written in place as results come.
public final class AtomicFile {
    /// The path as it was given (messages name it).
    public let path: String
    private let destination: Destination
    private var descriptor: Int32

    private enum Destination {
        /// Renamed over `target` (the real path) on commit; `mode`/`owner` are put on it first.
        case replacing(target: String, temporary: String, mode: mode_t?, owner: (uid_t, gid_t)?)
        /// Written to as it is.
        case direct
    }

    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public init(path: String, reason: String) { self.path = path; self.reason = reason }
        public var description: String { "cannot write \(TerminalText.escapingControlCharacters(path)): \(reason)" }
    }

    /// Opens `path` for writing: `permissions` is the mode of a new file (less the umask). With
    /// `streaming`, a regular file is written in place as the bytes come, not replaced on commit
    /// (the REPL's `.output`, which a reader may follow and a closed terminal must not lose); the
    /// rules about links, special files and modes are the same.
    public init(path: String, permissions: mode_t = 0o644, streaming: Bool = false) throws(WriteError) {
        self.path = path
        var status = stat()
        var linkStatus = stat()
        let exists = stat(path, &status) == 0
        let isLink = lstat(path, &linkStatus) == 0 && (linkStatus.st_mode & S_IFMT) == S_IFLNK
        let kind = status.st_mode & S_IFMT
        if isLink && !exists {
            throw WriteError(path: path, reason: "it is a link to a file that does not exist (\(Self.linkTarget(path) ?? "?"))")
        }
        if exists && kind == S_IFDIR { throw WriteError(path: path, reason: "it is a folder") }
        let real = exists ? Self.realPath(path) : nil
        let isDevicePath = [path, real ?? ""].contains { $0.hasPrefix("/dev/") || $0.hasPrefix("/proc/") }
        if exists && (kind != S_IFREG || isDevicePath || real == nil) {
            descriptor = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (kind == S_IFREG ? O_TRUNC : 0))
            if descriptor < 0 { throw WriteError(path: path, reason: Self.systemReason()) }
            destination = .direct
            return
        }
        let target = real ?? path
        if streaming {
            // The real path, or a new name that must not turn out to be a link by the time it is opened.
            descriptor = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, permissions)
            if descriptor < 0 { throw WriteError(path: path, reason: Self.systemReason()) }
            destination = .direct
            return
        }
        let folder = (target as NSString).deletingLastPathComponent
        var temporary = ""
        var created: Int32 = -1
        for _ in 0..<100 {
            temporary = (folder.isEmpty ? "" : folder + "/") + ".centreql-" + Self.randomName() + ".tmp"
            created = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, exists ? 0o600 : permissions)
            if created >= 0 || errno != EEXIST { break }
        }
        if created < 0 { throw WriteError(path: path, reason: Self.systemReason()) }
        descriptor = created
        PendingFiles.shared.add(temporary)
        destination = .replacing(target: target, temporary: temporary,
                                 mode: exists ? status.st_mode & 0o7777 : nil,
                                 owner: exists ? (status.st_uid, status.st_gid) : nil)
    }

    deinit { discard() }

    /// The temporary file's path, for a writer that must open the file by name (SQLite); nil when
    /// the target is written directly (a device or pipe).
    public var temporaryPath: String? {
        if case .replacing(_, let temporary, _, _) = destination { temporary } else { nil }
    }

    /// The file that `commit` replaces, if any: its real path (links followed).
    public var existingTarget: String? {
        if case .replacing(let target, _, let mode, _) = destination, mode != nil { target } else { nil }
    }

    public func write(_ bytes: some Collection<UInt8>) throws(WriteError) {
        let contiguous = Array(bytes)
        var written = 0
        while written < contiguous.count {
            guard descriptor >= 0 else { throw WriteError(path: path, reason: "the file is already closed") }
            let n = contiguous.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = WriteError(path: path, reason: Self.systemReason())
                discard()
                throw error
            }
            written += n
        }
    }

    public func write(_ text: String) throws(WriteError) { try write(text.utf8) }

    /// Puts the file in place of the target, after flushing it to disk when `durably` (a rename is
    /// atomic either way; the flush makes the new contents survive a power cut, at the disk's pace).
    public func commit(durably: Bool = true) throws(WriteError) {
        try prepareToCommit(durably: durably)
        try finishCommit()
    }

    /// Commits several files as one: all are flushed and closed first, then renamed in place with
    /// SIGINT, SIGTERM and SIGHUP held back, so an interrupted export leaves all old files or all new.
    public static func commit(_ files: [AtomicFile], durably: Bool = true) throws(WriteError) {
        for file in files { try file.prepareToCommit(durably: durably) }
        var held = sigset_t(), previous = sigset_t()
        sigemptyset(&held)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&held, signal) }
        pthread_sigmask(SIG_BLOCK, &held, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        for file in files { try file.finishCommit() }
    }

    private func prepareToCommit(durably: Bool) throws(WriteError) {
        guard descriptor >= 0 else { throw WriteError(path: path, reason: "the file is already closed") }
        guard case .replacing(_, _, let mode, let owner) = destination else { return }
        var failure: String?
        if let owner { _ = fchown(descriptor, owner.0, owner.1) }  // only root may give a file away; not an error
        if let mode, fchmod(descriptor, mode) != 0 { failure = Self.systemReason() }
        if failure == nil, durably, fsync(descriptor) != 0 { failure = Self.systemReason() }
        if let failure {
            discard()
            throw WriteError(path: path, reason: failure)
        }
    }

    private func finishCommit() throws(WriteError) {
        guard descriptor >= 0 else { throw WriteError(path: path, reason: "the file is already closed") }
        let closed = close(descriptor) == 0
        let reason = closed ? "" : Self.systemReason()
        descriptor = -1
        guard case .replacing(let target, let temporary, _, _) = destination else {
            if !closed { throw WriteError(path: path, reason: reason) }
            return
        }
        defer { PendingFiles.shared.remove(temporary) }
        guard closed, rename(temporary, target) == 0 else {
            let error = WriteError(path: path, reason: closed ? Self.systemReason() : reason)
            unlink(temporary)
            throw error
        }
    }

    /// Abandons the new contents; the target stays as it was.
    public func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        if case .replacing(_, let temporary, _, _) = destination {
            unlink(temporary)
            PendingFiles.shared.remove(temporary)
        }
    }

    /// Writes a whole file at once.
    public static func write(_ text: String, to path: String, permissions: mode_t = 0o644, durably: Bool = true) throws(WriteError) {
        let file = try AtomicFile(path: path, permissions: permissions)
        try file.write(text)
        try file.commit(durably: durably)
    }

    /// Creates a folder (and its parents) for files to be written into.
    public static func createDirectory(_ path: String) throws(WriteError) {
        var status = stat()
        if stat(path, &status) == 0 {
            if (status.st_mode & S_IFMT) == S_IFDIR { return }
            throw WriteError(path: path, reason: "it exists and is not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            // Foundation hides errno; find the first part of the path that could not be made, and why.
            var prefix = path.hasPrefix("/") ? "" : "."
            for part in path.split(separator: "/") {
                prefix += "/" + part
                if stat(prefix, &status) == 0 {
                    if (status.st_mode & S_IFMT) != S_IFDIR { throw WriteError(path: path, reason: "\(prefix) is not a folder") }
                } else if mkdir(prefix, 0o777) != 0 {
                    throw WriteError(path: path, reason: "cannot create \(prefix): \(systemReason())")
                }
            }
        }
    }

    /// Where the path really is, with every link followed (nil for what has no path, as a pipe).
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        return n < 0 ? nil : String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func randomName() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<10).map { _ in letters.randomElement()! })
    }

    static func systemReason() -> String { String(cString: strerror(errno)) }
}

/// The temporary files being written, so that SIGTERM or SIGHUP removes them before the process
/// ends. Paths live in fixed C buffers: the handler may only read memory and call `unlink`.
public final class PendingFiles: @unchecked Sendable {
    static let shared = PendingFiles()
    private static let capacity = 64
    private let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let lock = Mutex(())

    private init() {
        slots = .allocate(capacity: Self.capacity)
        slots.initialize(repeating: nil, count: Self.capacity)
    }

    func add(_ path: String) {
        lock.withLock { _ in
            guard let free = (0..<Self.capacity).first(where: { slots[$0] == nil }) else { return }
            slots[free] = strdup(path)
        }
    }

    func remove(_ path: String) {
        lock.withLock { _ in
            for i in 0..<Self.capacity where slots[i].map({ String(cString: $0) == path }) == true {
                let old = slots[i]
                slots[i] = nil
                free(old)
            }
        }
    }

    /// From a signal handler: unlink every pending file (the process is about to end).
    func unlinkAll() {
        for i in 0..<Self.capacity { if let path = slots[i] { unlink(path) } }
    }

    /// SIGTERM and SIGHUP remove the pending files, then end the process as the signal would have.
    public static func removeOnTermination() {
        _ = shared  // made now: the handler must not be the first to touch it
        for signal in [SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                PendingFiles.shared.unlinkAll()
                Foundation.signal(number, SIG_DFL)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }
}
