/// The store's tables as SQL: CREATE TABLE and CREATE INDEX statements, with a figure as two columns
/// (its amount, and `<name>_qualifier`: '' exact, 近, 余, 约 or 近余), so the CSV files that
/// `centreql export` writes can be moved into SQLite or PostgreSQL and queried with `--emit-sql` output.
public enum SQLSchema {
    public static func statements(_ dialect: SQLDialect, catalog: Catalog) -> String {
        var statements: [String] = []
        for table in catalog.tables {
            var columns: [String] = []
            for column in table.columns {
                let type = switch column.type {
                case .int: column.name == "id" ? "INTEGER PRIMARY KEY" : dialect.rules.integerType
                case .decimal, .figure: dialect.rules.realType
                case .bool: "BOOLEAN"
                default: "TEXT"
                }
                columns.append("  \(column.name) \(type)")
                if column.type == .figure { columns.append("  \(column.name)_qualifier TEXT") }
            }
            var indexed = table.indexes.map(\.columns)
            for link in table.links {
                guard case .toOne(let column) = link.kind else { continue }
                columns.append("  FOREIGN KEY (\(column)) REFERENCES \(link.target) (id)")
                indexed.append([column])  // the link index: a centre finds its awards and projects
            }
            statements.append("CREATE TABLE \(table.name) (\n" + columns.joined(separator: ",\n") + "\n);")
            for columns in indexed {
                statements.append("CREATE INDEX \(table.name)_\(columns.joined(separator: "_")) ON \(table.name) (\(columns.joined(separator: ", ")));")
            }
        }
        return statements.joined(separator: "\n")
    }
}
