import ArgumentParser
import CentreQL
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic data set with the built-in schema (load it with --data DIR).")

    @Option(help: "How many centres (about 2 awards and 5 projects each).")
    var centres: Int

    @Option(help: "The random seed: the same seed always gives the same files.")
    var seed: UInt64 = 2019

    @Argument(help: ArgumentHelp("The folder to write.", valueName: "DIR"))
    var directory: String

    func validate() throws {
        guard centres > 0 else { throw ValidationError("--centres must be at least 1") }
    }

    func run() throws {
        let start = ContinuousClock.now
        let counts: Generator.Counts
        do {
            counts = try Generator(centres: centres, seed: seed).write(to: directory)
        } catch {
            Terminal.printError("centreql: \(error)")
            throw ExitCode(1)
        }
        print("wrote \(counts.centres) centres, \(counts.awards) awards, \(counts.projects) projects to \(directory) in \(String(format: "%.1f", (ContinuousClock.now - start).inSeconds)) s")
    }
}
