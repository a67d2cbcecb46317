import Foundation

/// Buffered CSV output, written to a temporary file and renamed into place when closed.
struct CSVWriter {
    let path: String
    private var buffer: [UInt8] = []
    private let handle: FileHandle?

    init(path: String, header: [String]) {
        self.path = path
        _ = FileManager.default.createFile(atPath: path + ".tmp", contents: nil)  // a failure shows as no handle
        handle = FileHandle(forWritingAtPath: path + ".tmp")
        buffer.reserveCapacity(1 << 20)
        buffer += Array((header.map(CSVFormatter.field).joined(separator: ",") + "\r\n").utf8)
    }

    mutating func write(_ fields: [String]) throws {
        buffer += Array((fields.map(CSVFormatter.field).joined(separator: ",") + "\r\n").utf8)
        if buffer.count > 1 << 20 { try flush() }
    }

    private mutating func flush() throws {
        guard let handle else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        try flush()
        try handle?.close()
        guard rename(path + ".tmp", path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }
}
