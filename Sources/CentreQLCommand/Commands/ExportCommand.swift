import ArgumentParser
import CentreQL
import CentreQLPostgres
import CentreQLSQLite
import Foundation

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the data as CSV files (one per table) into a folder.")

    @Argument(help: ArgumentHelp("The folder to write.", valueName: "DIR"))
    var directory: String?

    @Option(help: ArgumentHelp("Write an SQLite database instead (the tables of `centreql schema --sql`), for --engine sqlite:FILE.", valueName: "FILE"))
    var sqlite: String?

    @Option(help: ArgumentHelp("Load the data into a PostgreSQL database instead (replacing its CentreQL tables), for --engine postgres:CONNINFO.", valueName: "CONNINFO"))
    var postgres: String?

    @OptionGroup var data: DataOptions

    func validate() throws {
        if [directory, sqlite, postgres].compactMap({ $0 }).count != 1 {
            throw ValidationError("give one of: a folder for CSV files, --sqlite FILE.db, --postgres CONNINFO")
        }
    }

    func run() throws {
        let engine = try data.engine()
        if let sqlite {
            do {
                try SQLiteDatabase.write(engine.store, to: sqlite)
            } catch {
                Terminal.printError("centreql: \(error)")
                throw ExitCode(1)
            }
            for table in engine.store.tables { print("\(table.schema.name): \(table.rowCount) rows") }
            return
        }
        if let postgres {
            do {
                try PostgresDatabase(postgres).load(engine.store)
            } catch {
                Terminal.printError("centreql: \(error)")
                throw ExitCode(1)
            }
            for table in engine.store.tables { print("\(table.schema.name): \(table.rowCount) rows") }
            return
        }
        guard let directory else { return }
        do {
            try CSVLoader.export(engine.store, to: directory)
        } catch {
            Terminal.printError("centreql: \(error)")
            throw ExitCode(1)
        }
        for table in engine.store.tables {
            print("\(table.schema.name).csv: \(table.rowCount) rows")
        }
    }
}
