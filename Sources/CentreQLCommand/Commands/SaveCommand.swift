import ArgumentParser
import CentreQL
import Foundation

/// `centreql save FILE [--data DIR]`: the data as one snapshot file, which `--data FILE` opens
/// without reading CSV.
struct Save: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the data (built-in, or --data DIR) as one snapshot file, which --data FILE and .load FILE open at once.")

    @Argument(help: ArgumentHelp("The snapshot file to write (replaced whole, or left as it was if writing fails).", valueName: "FILE"))
    var file: String

    @OptionGroup var data: DataOptions

    func run() throws {
        let store = try data.engine().store
        let start = ContinuousClock.now
        do {
            try Snapshot.write(store, to: file)
        } catch {
            Terminal.printError("centreql: \(error)")
            throw ExitCode(1)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        print("saved " + store.tables.map { "\($0.schema.name) \($0.rowCount)" }.joined(separator: ", ")
              + " to \(file): \(size) bytes in \(String(format: "%.2f", (ContinuousClock.now - start).inSeconds)) s")
    }
}
