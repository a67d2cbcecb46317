import Foundation
import Synchronization

/// Loads a store from a folder of CSV files, one per table of the catalog (for the built-in schema
/// `centres.csv`, `awards.csv`, `projects.csv`, and optionally `provenance.csv`), each with a header
/// naming the table's columns. A table the catalog marks optional may be left out.
/// The load is all or nothing: the first problem refuses the whole folder, naming file, line and column.
public enum CSVLoader {
    /// What a long load reports: the file being read and the rows read so far (every 16,384 rows
    /// and at each file's end). Returning false stops the load (Ctrl-C), which then changes nothing.
    public typealias Progress = (_ file: String, _ rows: Int) -> Bool

    public static func load(directory: String, catalog: Catalog = .builtIn, encoding: TextEncoding = .utf8,
                            progress: Progress? = nil) throws(DataError) -> Store {
        var status = stat()
        if stat(directory, &status) != 0 || (status.st_mode & S_IFMT) != S_IFDIR {
            let reason = stat(directory, &status) != 0 ? "there is no folder \(directory)" : "\(directory) is not a folder"
            throw DataError(table: catalog.tableNames.first ?? "", file: directory, line: 0, reason: reason + " (--data and .load take a folder of CSV files, or a snapshot file that centreql save wrote)")
        }
        let paths = catalog.tables.map { (directory as NSString).appendingPathComponent($0.name + ".csv") }
        for (schema, path) in zip(catalog.tables, paths) where !schema.isOptional && !FileManager.default.fileExists(atPath: path) {
            throw DataError(table: schema.name, file: path, line: 0, reason: "the file is missing (every folder needs \(schema.name).csv)")
        }
        // The files are read on every core at once, the largest first (so that the others fill the
        // other cores meanwhile); progress is reported by one file at a time, and a refusal is the
        // first table's in the catalog's order, as when they were read one after another.
        let results = Mutex([Result<Table, DataError>?](repeating: nil, count: paths.count))
        let serial = progress.map(SerialProgress.init)
        let sizes = paths.map { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0 }
        let order = paths.indices.sorted { sizes[$0] > sizes[$1] }
        DispatchQueue.concurrentPerform(iterations: order.count) { step in
            let i = order[step], schema = catalog.tables[i]
            let result = Result { () throws(DataError) -> Table in
                guard FileManager.default.fileExists(atPath: paths[i]) else { return try Table(schema: schema, rows: []) }  // optional, left out
                return try readTable(schema, path: paths[i], encoding: encoding, progress: serial.map { serial in serial.report })
            }
            results.withLock { $0[i] = result }
        }
        let tables = try results.withLock { results throws(DataError) in try results.map { result throws(DataError) in try result!.get() } }
        do {
            return try Store(tables: tables, catalog: catalog)
        } catch {
            var located = error
            located.file = (directory as NSString).appendingPathComponent(error.table + ".csv")
            throw located
        }
    }

    /// The caller's progress, called by one loading thread at a time; once it says stop, every
    /// thread is told to stop.
    private final class SerialProgress: @unchecked Sendable {
        private let progress: Progress
        private let going = Mutex(true)

        init(_ progress: @escaping Progress) { self.progress = progress }

        func report(_ file: String, _ rows: Int) -> Bool {
            going.withLock { going in
                going = going && progress(file, rows)
                return going
            }
        }
    }

    static func readTable(_ schema: TableSchema, path: String, encoding: TextEncoding, progress: Progress? = nil) throws(DataError) -> Table {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(table: schema.name, file: path, line: 0, reason: "cannot read the file")
        }
        let bytes: [UInt8]
        let name = (path as NSString).lastPathComponent
        func report(_ rows: Int) throws(DataError) {
            if let progress, !progress(name, rows) { throw DataError(table: schema.name, file: path, line: 0, reason: "the load was cancelled") }
        }
        try report(0)
        do {
            bytes = try TextDecoding.utf8Bytes(data, as: encoding)
        } catch {
            throw DataError(table: schema.name, file: path, line: error.line, reason: error.description)
        }
        // Room for one row per line: arrays keep what they reserve, so the guess must not be generous.
        // A row of n columns takes at least n bytes (n - 1 commas and a line end), which bounds the
        // guess for a file of empty lines (it once reserved gigabytes and aborted under a memory limit).
        let lineCount = bytes.reduce(into: 0) { if $1 == 0x0A { $0 += 1 } }
        let capacity = min(lineCount, bytes.count / max(1, schema.columns.count) + 1)
        var builders = schema.columns.map { ColumnBuilder(type: $0.type, capacity: capacity) }
        var lines: [Int] = []
        try report(0)
        try read(bytes, schema: schema, file: path) { values, line throws(DataError) in
            for (c, value) in values.enumerated() { _ = builders[c].append(value) }
            lines.append(line)
            if lines.count & 0x3FFF == 0 { try report(lines.count) }
        }
        try report(lines.count)
        do {
            return try Table(schema: schema, columns: builders.map { $0.build() }, lines: lines)
        } catch {
            var located = error
            located.file = path
            throw located
        }
    }

    /// Rows as named values (for small inputs and tests; loading builds columns instead).
    static func parse(_ text: String, schema: TableSchema, file: String) throws(DataError) -> [DataRow] {
        var rows: [DataRow] = []
        try read(Array(text.utf8), schema: schema, file: file) { values, line throws(DataError) in
            rows.append(DataRow(Dictionary(uniqueKeysWithValues: zip(schema.columns.map(\.name), values)), line: line))
        }
        return rows
    }

    /// Reads the header and then each record, handing `row` the values in schema column order.
    private static func read(_ bytes: [UInt8], schema: TableSchema, file: String,
                             row: ([Value], Int) throws(DataError) -> Void) throws(DataError) {
        var positions: [Int]?  // for each field of a record, its column in the schema
        var values = [Value](repeating: .null, count: schema.columns.count)
        do {
            let types = schema.columns.map(\.type), kinds = types.map(Column.Kind.init)
            try CSVReader.forEachRecord(in: bytes) { (fields, line) throws(DataError) in
                guard let positions else {
                    positions = try header((0..<fields.count).map(fields.string), schema: schema, file: file, line: line)
                    return
                }
                guard fields.count == positions.count else {
                    throw DataError(table: schema.name, file: file, line: line,
                                    reason: "expected \(positions.count) fields, found \(fields.count)")
                }
                for (i, c) in positions.enumerated() {
                    let field = fields[i]
                    if let value = plainNumber(field, as: kinds[c]) {
                        values[c] = value
                        continue
                    }
                    let text = fields.string(i)
                    guard let value = value(text, as: types[c]) else {
                        throw DataError(table: schema.name, file: file, line: line, column: schema.columns[c].name,
                                        reason: "'\(TerminalText.excerpt(text))' is not \(types[c].withArticle)")
                    }
                    values[c] = value
                }
                try row(values, line)
            }
        } catch let error as DataError {
            throw error
        } catch CSVReader.Problem.unterminatedQuote(let line) {
            throw DataError(table: schema.name, file: file, line: line, reason: "a quoted field is never closed")
        } catch CSVReader.Problem.textAfterQuote(let line) {
            throw DataError(table: schema.name, file: file, line: line, reason: "text follows a closing quote (write \"\" for a quote inside a field)")
        } catch {
            throw DataError(table: schema.name, file: file, line: 0, reason: "\(error)")
        }
        if positions == nil {
            throw DataError(table: schema.name, file: file, line: 1, reason: "the file is empty; it needs a header row")
        }
    }

    /// The schema column of each header field; every column must appear exactly once.
    private static func header(_ fields: [String], schema: TableSchema, file: String, line: Int) throws(DataError) -> [Int] {
        let names = fields.map { $0.trimmingSpaces() }
        for name in names where schema.columnIndex(name) == nil {
            let hint = Suggestions.closest(to: name, in: schema.columns.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
            throw DataError(table: schema.name, file: file, line: line, column: name, reason: "\(schema.name) has no column '\(TerminalText.excerpt(name))'\(hint)")
        }
        for column in schema.columns where !names.contains(column.name) {
            throw DataError(table: schema.name, file: file, line: line, column: column.name, reason: "the header lacks the column '\(column.name)'")
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw DataError(table: schema.name, file: file, line: line, column: name, reason: "the column '\(name)' appears twice")
        }
        return names.map { schema.columnIndex($0)! }
    }

    /// A whole number or an exact figure written as plain digits (`-` before a whole number), read
    /// from its bytes with no string made; nil for anything else, which `value` reads (and gives
    /// the same value for these).
    static func plainNumber(_ field: UnsafeBufferPointer<UInt8>, as kind: Column.Kind) -> Value? {
        guard kind == .int || kind == .figure, !field.isEmpty, field.count <= 15 else { return nil }
        var digits = field[...]
        let negative = kind == .int && digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var number = 0
        for byte in digits {
            guard byte &- UInt8(ascii: "0") < 10 else { return nil }
            number = number * 10 + Int(byte &- UInt8(ascii: "0"))  // 15 digits cannot overflow
        }
        return kind == .int ? .int(negative ? -number : number) : .figure(Figure(Double(number), .exact))
    }

    /// A field's value: empty is null; figures may carry 近, 余 or 约.
    static func value(_ text: String, as type: ValueType) -> Value? {
        if text.isEmpty { return .null }
        switch type {
        case .string: return .string(text)
        case .int: return Int(text.trimmingSpaces()).map { .int($0) }
        case .decimal: return Value.decimal(reading: Substring(text.trimmingSpaces())).map { .decimal($0) }
        case .bool:
            switch text.trimmingSpaces().lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        case .figure: return Figure(parsing: text).map { .figure($0) }
        default: return nil
        }
    }

    /// Writes every table of a store as CSV into a folder, in the form `load` reads back
    /// (null as an empty field, figures with their qualifiers).
    public static func export(_ store: Store, to directory: String) throws(AtomicFile.WriteError) {
        try AtomicFile.createDirectory(directory)
        var files: [AtomicFile] = []  // committed together: an interrupted export leaves the old files, all of them
        for table in store.tables {
            var writer = try CSVWriter(path: (directory as NSString).appendingPathComponent(table.schema.name + ".csv"),
                                   header: table.schema.columns.map(\.name))
            for row in 0..<table.rowCount {
                try writer.write(table.columns.map { $0[row].isNull ? "" : $0[row].description })
            }
            files.append(try writer.finish())
        }
        try AtomicFile.commit(files)
    }
}
