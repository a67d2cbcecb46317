import Foundation

/// Loads a store from a folder of CSV files, one per table (`centres.csv`, `awards.csv`,
/// `projects.csv`, and optionally `provenance.csv`), each with a header naming the table's columns.
/// The load is all or nothing: the first problem refuses the whole folder, naming file, line and column.
public enum CSVLoader {
    public static func load(directory: String, encoding: TextEncoding = .utf8) throws(DataError) -> Store {
        var rows: [String: [DataRow]] = [:]
        for schema in Catalog.tables {
            let path = (directory as NSString).appendingPathComponent(schema.name + ".csv")
            guard FileManager.default.fileExists(atPath: path) else {
                if schema.name == "provenance" { continue }
                throw DataError(table: schema.name, file: path, line: 0, reason: "the file is missing (every folder needs \(schema.name).csv)")
            }
            rows[schema.name] = try readTable(schema, path: path, encoding: encoding)
        }
        do {
            return try Store(rows: rows)
        } catch {
            var located = error
            located.file = (directory as NSString).appendingPathComponent(error.table + ".csv")
            throw located
        }
    }

    static func readTable(_ schema: TableSchema, path: String, encoding: TextEncoding) throws(DataError) -> [DataRow] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(table: schema.name, file: path, line: 0, reason: "cannot read the file")
        }
        let text: String
        do {
            text = try TextDecoding.decode(data, as: encoding)
        } catch {
            throw DataError(table: schema.name, file: path, line: error.line, reason: error.description)
        }
        return try parse(text, schema: schema, file: path)
    }

    static func parse(_ text: String, schema: TableSchema, file: String) throws(DataError) -> [DataRow] {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(in: text)
        } catch {
            switch error {
            case .unterminatedQuote(let line):
                throw DataError(table: schema.name, file: file, line: line, reason: "a quoted field is never closed")
            case .textAfterQuote(let line):
                throw DataError(table: schema.name, file: file, line: line, reason: "text follows a closing quote (write \"\" for a quote inside a field)")
            }
        }
        guard let header = records.first else {
            throw DataError(table: schema.name, file: file, line: 1, reason: "the file is empty; it needs a header row")
        }
        let names = header.fields.map { $0.trimmingSpaces() }
        for name in names where schema.columnIndex(name) == nil {
            let hint = Suggestions.closest(to: name, in: schema.columns.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
            throw DataError(table: schema.name, file: file, line: header.line, column: name, reason: "\(schema.name) has no column '\(name)'\(hint)")
        }
        for column in schema.columns where !names.contains(column.name) {
            throw DataError(table: schema.name, file: file, line: header.line, column: column.name, reason: "the header lacks the column '\(column.name)'")
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw DataError(table: schema.name, file: file, line: header.line, column: name, reason: "the column '\(name)' appears twice")
        }
        var rows: [DataRow] = []
        rows.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                throw DataError(table: schema.name, file: file, line: record.line,
                                reason: "expected \(names.count) fields, found \(record.fields.count)")
            }
            var values: [String: Value] = [:]
            for (name, text) in zip(names, record.fields) {
                let type = schema.columns[schema.columnIndex(name)!].type
                guard let value = value(text, as: type) else {
                    throw DataError(table: schema.name, file: file, line: record.line, column: name,
                                    reason: "'\(text)' is not \(type.withArticle)")
                }
                values[name] = value
            }
            rows.append(DataRow(values, line: record.line))
        }
        return rows
    }

    /// A field's value: empty is null; figures may carry 近, 余 or 约.
    static func value(_ text: String, as type: ValueType) -> Value? {
        if text.isEmpty { return .null }
        switch type {
        case .string: return .string(text)
        case .int: return Int(text.trimmingSpaces()).map { .int($0) }
        case .decimal: return Double(text.trimmingSpaces()).flatMap { $0.isFinite ? .decimal($0) : nil }
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
        for table in store.tables {
            var writer = try CSVWriter(path: (directory as NSString).appendingPathComponent(table.schema.name + ".csv"),
                                   header: table.schema.columns.map(\.name))
            for row in 0..<table.rowCount {
                try writer.write(table.columns.map { $0[row].isNull ? "" : $0[row].description })
            }
            try writer.close()
        }
    }
}
