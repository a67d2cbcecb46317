/// The schema in words: each table's columns with their types, and its links. Used by
/// `centreql schema` (and the README's schema section, which a test keeps in step with it).
public enum SchemaDescription {
    public static func text(for tables: [TableSchema], store: Store? = nil) -> String {
        tables.map { table in
            var lines = ["\(table.name): \(table.summary)" + (store?.table(named: table.name).map { " (\($0.rowCount) rows)" } ?? "")]
            let width = table.columns.map { DisplayWidth.of($0.name) }.max() ?? 0
            for column in table.columns {
                var about = column.summary
                if let unit = column.unit { about += " · unit \(unit)" }
                if let scope = column.scope { about += " · \(scope)" }
                if case .added(let rule)? = column.origin { about += " · added: \(rule)" }
                lines.append("  " + DisplayWidth.pad(column.name, to: width) + "  " + DisplayWidth.pad(column.type.description, to: 7) + "  " + about)
            }
            for link in table.links {
                let how = switch link.kind {
                case .toOne(let column): "one \(link.target) row, through \(column)"
                case .toMany(let column): "many \(link.target) rows, through their \(column)"
                }
                lines.append("  link " + link.name + " → " + how)
            }
            for index in table.indexes {
                lines.append("  index \(index.kind.rawValue) (\(index.columns.joined(separator: ", ")))")
            }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
