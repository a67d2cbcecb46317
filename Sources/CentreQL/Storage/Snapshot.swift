import Foundation

/// The whole store in one file (`centreql save FILE`, `.save FILE`), opened by `--data FILE` and
/// `.load FILE` without reading any CSV: the schema, then each table's columns as they are in memory
/// (arrays of numbers, text as dictionary codes and its distinct strings) and each ordered index's
/// order. Hash indexes and link indexes are built again when it opens, from the columns.
///
/// Layout: `CENTREQL-SNAPSHOT\n`, the format version (UInt32), the payload's length (UInt64) and its
/// FNV-1a checksum (UInt64), all little-endian, then the payload. A file that is not one, is cut
/// short, fails its checksum or comes from a newer version is refused with a message saying which.
public enum Snapshot {
    static let magic = Array("CENTREQL-SNAPSHOT\n".utf8)
    public static let version: UInt32 = 1
    static let headerLength = magic.count + 4 + 8 + 8

    /// Writes the store to `path`, atomically: the file is whole or not there.
    public static func write(_ store: Store, to path: String) throws(AtomicFile.WriteError) {
        var payload = SnapshotWriter()
        let schema = (try? JSONEncoder().encode(store.catalog.tables)) ?? Data()
        payload.array(Array(schema))
        for table in store.tables {
            payload.integer(table.rowCount)
            for column in table.columns { column.write(to: &payload) }
            // Ordered indexes keep their order, so opening does not sort again.
            let sorted = table.indexList.compactMap { index in index.sortedRows.map { (index.schema.name, $0) } }
            payload.integer(sorted.count)
            for (name, rows) in sorted {
                payload.text(name)
                payload.array(rows)
            }
        }
        var header = SnapshotWriter()
        header.bytes.append(contentsOf: magic)
        header.scalar(version)
        header.integer(payload.bytes.count)
        header.scalar(payload.bytes.withUnsafeBytes { checksum($0) })
        let file = try AtomicFile(path: path)
        try file.write(header.bytes)
        try file.write(payload.bytes)
        try file.commit()
    }

    /// Whether the file at `path` starts as a snapshot does (so `--data` and `.load` know it from a folder).
    public static func isSnapshot(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: magic.count)).map { Array($0) == magic } ?? false
    }

    /// Told the bytes read so far and the payload's size after each column; false stops the open.
    public typealias Progress = (_ read: Int, _ total: Int) -> Bool

    /// Opens a snapshot; `progress` can follow it and stop it (the REPL's progress line and Ctrl-C).
    public static func read(_ path: String, progress: Progress? = nil) throws(SnapshotError) -> Store {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw SnapshotError(reason: "cannot read it: \(error.localizedDescription)")
        }
        // Read in place from the mapped file: each array is copied once, into its column.
        do { return try data.withUnsafeBytes { raw in try read(raw: raw, progress: progress) } } catch let error as SnapshotError { throw error } catch {
            throw SnapshotError(reason: "cannot read it: \(error)")
        }
    }

    static func read(bytes: [UInt8]) throws(SnapshotError) -> Store {
        do { return try bytes.withUnsafeBytes { raw in try read(raw: raw) } } catch let error as SnapshotError { throw error } catch {
            throw SnapshotError(reason: "cannot read it: \(error)")
        }
    }

    private static func read(raw bytes: UnsafeRawBufferPointer, progress: Progress? = nil) throws(SnapshotError) -> Store {
        guard bytes.count >= magic.count, Array(bytes[..<magic.count]) == magic else {
            throw SnapshotError(reason: "not a CentreQL snapshot (a snapshot starts with CENTREQL-SNAPSHOT; a folder of CSV files is loaded with --data DIR)")
        }
        var header = SnapshotReader(UnsafeRawBufferPointer(rebasing: bytes[magic.count...]))
        let version: UInt32 = try header.scalar()
        guard version <= Self.version else {
            throw SnapshotError(reason: "written by a newer CentreQL (snapshot format \(version); this one reads format \(Self.version) and older)")
        }
        guard version >= 1 else { throw SnapshotError(reason: "corrupted: format version 0") }
        let length = try header.integer()
        let sum: UInt64 = try header.scalar()
        let start = headerLength
        guard bytes.count - start >= length else {
            throw SnapshotError(reason: "truncated: the file ends \(length - (bytes.count - start)) bytes early (was it copied whole?)")
        }
        guard bytes.count - start == length else { throw SnapshotError(reason: "corrupted: \(bytes.count - start - length) bytes after its end") }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[start...])
        // The checksum is worked out on the other core while the columns are read (the reader checks
        // every length, code and rule itself, so reading a damaged payload is safe); a payload whose
        // sum does not match is refused whatever reading it found.
        let summing = Summing(payload)
        defer { _ = summing.result() }  // however this ends, the other thread has stopped reading the payload's memory
        let mismatch = SnapshotError(reason: "corrupted: its checksum does not match its contents")
        let store: Store
        do { store = try read(payload: payload, progress: progress) } catch {
            if error == .cancelled { throw error }
            throw summing.result() == sum ? error : mismatch
        }
        guard summing.result() == sum else { throw mismatch }
        return store
    }

    /// The checksum of a payload, worked out on another thread; `result()` waits for it.
    private final class Summing: @unchecked Sendable {
        private var sum: UInt64 = 0
        private let done = DispatchGroup()

        init(_ payload: UnsafeRawBufferPointer) {
            let (address, count) = (UInt(bitPattern: payload.baseAddress), payload.count)
            DispatchQueue.global().async(group: done) { [self] in
                sum = Snapshot.checksum(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address), count: count))
            }
        }

        func result() -> UInt64 {
            done.wait()
            return sum
        }
    }

    private static func read(payload: UnsafeRawBufferPointer, progress: Progress?) throws(SnapshotError) -> Store {
        var input = SnapshotReader(payload)
        let schemaBytes: [UInt8] = try input.array()
        let catalog: Catalog
        do {
            catalog = try Catalog(try JSONDecoder().decode([TableSchema].self, from: Data(schemaBytes)))
        } catch {
            throw input.invalid("its schema cannot be read (\(error))")
        }
        var tables: [Table] = []
        for schema in catalog.tables {
            let rows = try input.integer()
            var columns: [Column] = []
            for column in schema.columns {
                columns.append(try Column(reading: &input, rows: rows, type: column.type))
                if let progress, !progress(payload.count - input.remaining, payload.count) { throw .cancelled }
            }
            var sorted: [String: [Int32]] = [:]
            for _ in 0..<(try input.integer()) {
                let name = try input.text()
                let order: [Int32] = try input.array()
                guard let index = schema.indexes.first(where: { $0.name == name }), index.kind == .ordered,
                      order.count <= rows, order.allSatisfy({ $0 >= 0 && Int($0) < rows }) else {
                    throw input.invalid("an ordered index does not fit its table")
                }
                sorted[name] = order
            }
            do { tables.append(try Table(schema: schema, columns: columns, lines: [], sortedIndexes: sorted)) } catch {
                throw input.invalid("its rows break the schema: \(error)")
            }
        }
        guard input.remaining == 0 else { throw input.invalid("\(input.remaining) bytes are left over") }
        do { return try Store(tables: tables, catalog: catalog) } catch { throw input.invalid("its links do not hold: \(error)") }
    }

    /// FNV-1a over the payload's 8-byte words, then its last bytes: cheap (a word at a time, so
    /// a gigabyte takes a fraction of a second), and any changed byte changes it.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let words = bytes.count / 8
        for i in 0..<words {
            hash ^= UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
            hash &*= 0x100_0000_01b3
        }
        for byte in bytes[(words * 8)...] {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}

/// Why a snapshot was not opened.
public struct SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }

    /// The open was stopped (Ctrl-C) before it finished.
    public static let cancelled = SnapshotError(reason: "the open was cancelled")
}

/// Appends values to a snapshot's bytes, little-endian.
struct SnapshotWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func scalar<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func integer(_ value: Int) { scalar(UInt64(value)) }
    /// A count, then the elements' bytes as they are in memory (the machines that read it are little-endian).
    mutating func array<T: BitwiseCopyable>(_ values: [T]) {
        integer(values.count)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
    mutating func text(_ value: String) {
        let utf8 = Array(value.utf8)
        scalar(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

/// Reads a snapshot's bytes, every length checked against what is left.
struct SnapshotReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    func truncated() -> SnapshotError { SnapshotError(reason: "corrupted: a length runs past the end of the file") }
    func invalid(_ what: String) -> SnapshotError { SnapshotError(reason: "corrupted: \(what)") }

    mutating func byte() throws(SnapshotError) -> UInt8 {
        guard remaining >= 1 else { throw truncated() }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func scalar<T: FixedWidthInteger & BitwiseCopyable>() throws(SnapshotError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw truncated() }
        defer { position += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    mutating func integer() throws(SnapshotError) -> Int {
        let value: UInt64 = try scalar()
        guard value <= UInt64(Int32.max) * 64 else { throw invalid("a count of \(value)") }
        return Int(value)
    }

    mutating func array<T: BitwiseCopyable>() throws(SnapshotError) -> [T] {
        let count = try integer()
        let (size, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow, size <= remaining else { throw truncated() }
        let source = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + size)])
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            Self.copy(source, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
        position += size
        return values
    }

    /// Copies `source` into fresh memory, a large array in parts on every core: the copy's cost is
    /// mostly the new pages' first writes (page faults), which the cores take in parallel.
    static func copy(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) {
        let parts = source.count >= 8 << 20 ? ProcessInfo.processInfo.activeProcessorCount : 1
        guard parts > 1, let from = source.baseAddress, let to = destination.baseAddress else {
            return destination.copyMemory(from: source)
        }
        let (fromAddress, toAddress, count) = (UInt(bitPattern: from), UInt(bitPattern: to), source.count)
        let step = (count + parts - 1) / parts
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let start = part * step, length = Swift.min(step, count - start)
            guard length > 0 else { return }
            UnsafeMutableRawPointer(bitPattern: toAddress + UInt(start))!
                .copyMemory(from: UnsafeRawPointer(bitPattern: fromAddress + UInt(start))!, byteCount: length)
        }
    }

    mutating func text() throws(SnapshotError) -> String {
        let length = Int(try scalar() as UInt32)
        guard length <= remaining else { throw truncated() }
        defer { position += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)]), as: UTF8.self)
    }
}
