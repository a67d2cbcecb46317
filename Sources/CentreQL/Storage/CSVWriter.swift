/// Buffered CSV output into an `AtomicFile`: the file appears whole when closed, or not at all.
struct CSVWriter {
    private let file: AtomicFile
    private var buffer: [UInt8] = []

    init(path: String, header: [String]) throws(AtomicFile.WriteError) {
        file = try AtomicFile(path: path)
        buffer.reserveCapacity(1 << 20)
        buffer += Array((header.map(CSVFormatter.field).joined(separator: ",") + "\r\n").utf8)
    }

    mutating func write(_ fields: [String]) throws(AtomicFile.WriteError) {
        buffer += Array((fields.map(CSVFormatter.field).joined(separator: ",") + "\r\n").utf8)
        if buffer.count > 1 << 20 { try flush() }
    }

    private mutating func flush() throws(AtomicFile.WriteError) {
        try file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws(AtomicFile.WriteError) {
        try AtomicFile.commit([finish()])
    }

    /// Writes what is buffered and hands over the file, to be committed together with others.
    mutating func finish() throws(AtomicFile.WriteError) -> AtomicFile {
        try flush()
        return file
    }
}
