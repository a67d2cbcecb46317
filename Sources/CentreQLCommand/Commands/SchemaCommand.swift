import ArgumentParser
import CentreQL
import Foundation

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Describe the tables: columns, types and links.")

    @Argument(help: ArgumentHelp("Only these tables.", valueName: "TABLE"))
    var tables: [String] = []

    @Flag(help: "Print CREATE TABLE and CREATE INDEX statements instead (load `centreql export` files into them).")
    var sql = false

    @Option(help: "The SQL dialect for --sql: sqlite or postgres.")
    var dialect: SQLDialect = .sqlite

    @OptionGroup var data: DataOptions

    func run() throws {
        let store = try data.engine().store
        if sql { return print(SQLSchema.statements(dialect, catalog: store.catalog)) }
        var chosen: [TableSchema] = []
        for name in tables {
            guard let table = store.catalog.table(named: name) else {
                throw ValidationError("unknown table '\(name)'; the tables are " + store.catalog.tableNames.joined(separator: ", "))
            }
            chosen.append(table)
        }
        print(SchemaDescription.text(for: chosen.isEmpty ? store.catalog.tables : chosen, store: store))
    }
}
