import Foundation

/// A file written whole or not at all: bytes go to a temporary file beside the target, which is
/// flushed to disk and renamed over the target only when `commit` is called. A full disk, a kill or
/// a crash mid-write leaves the old file (or no file) in place, never half of a new one; and every
/// failed write is reported, with the system's reason.
public final class AtomicFile {
    public let path: String
    private let temporaryPath: String
    private var descriptor: Int32

    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    public init(path: String, permissions: mode_t = 0o644) throws(WriteError) {
        self.path = path
        let name = (path as NSString).lastPathComponent
        temporaryPath = ((path as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent(".\(name).\(getpid()).tmp")
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions)
        if descriptor < 0 { throw WriteError(path: path, reason: Self.systemReason()) }
    }

    deinit { discard() }

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
        guard descriptor >= 0 else { throw WriteError(path: path, reason: "the file is already closed") }
        let synced = !durably || fsync(descriptor) == 0
        let reason = synced ? "" : Self.systemReason()
        let closed = close(descriptor) == 0
        descriptor = -1
        guard synced, closed, rename(temporaryPath, path) == 0 else {
            let error = WriteError(path: path, reason: synced && closed ? Self.systemReason() : (reason.isEmpty ? Self.systemReason() : reason))
            unlink(temporaryPath)
            throw error
        }
    }

    /// Abandons the new contents; the target stays as it was.
    public func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    /// Writes a whole file at once.
    public static func write(_ text: String, to path: String, permissions: mode_t = 0o644, durably: Bool = true) throws(WriteError) {
        let file = try AtomicFile(path: path, permissions: permissions)
        try file.write(text)
        try file.commit(durably: durably)
    }

    /// Creates a folder (and its parents) for files to be written into.
    public static func createDirectory(_ path: String) throws(WriteError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            throw WriteError(path: path, reason: underlying.map { String(cString: strerror(Int32($0.code))) } ?? "cannot create the folder")
        }
    }

    private static func systemReason() -> String { String(cString: strerror(errno)) }
}
