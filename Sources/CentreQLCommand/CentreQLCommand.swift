import ArgumentParser
import CentreQL
import Foundation

@main
struct CentreQLCommand: ParsableCommand {
    static func main() {
        // Past a file-size limit a write fails with EFBIG, reported like a full disk, instead of killing the process.
        signal(SIGXFSZ, SIG_IGN)
        PendingFiles.removeOnTermination()  // a killed export or .output leaves no temporary file behind
        Terminal.reportFailedOutputAtExit()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "centreql",
        abstract: "Ask questions of Shanghai's 2019 community volunteer service demonstration centres.",
        discussion: """
            With no FILE and no -c, reads queries from standard input, or opens an interactive \
            session when standard input is a terminal.
            Examples:
              centreql -c 'centres | where district_en == "Minhang" | select name'
              centreql lesson.cql --param district=闵行区 --format csv
              centreql check Examples/*.cql
            """,
        version: "0.1.0",
        subcommands: [Run.self, Check.self, Export.self, Schema.self, Generate.self, Save.self, ExplainError.self],
        defaultSubcommand: Run.self
    )
}

/// Options every command that runs queries shares.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("Load the data from a folder of CSV files, or a snapshot file (centreql save), instead of the built-in set.", valueName: "DIR|FILE"))
    var directory: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("Give a parameter a value (repeatable).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("The encoding of the --data CSV files: utf-8 (the default) or gb18030 (also gbk, gb2312).", valueName: "NAME"))
    var encoding: String = "utf-8"

    @Option(help: ArgumentHelp("Stop any query that runs longer than this (error E406), and go on with the next.", valueName: "SECONDS"))
    var timeout: Double?

    func validate() throws {
        if TextEncoding(name: encoding) == nil {
            throw ValidationError("unknown encoding '\(encoding)'; CentreQL reads utf-8 and gb18030 (also called gbk or gb2312)")
        }
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            throw ValidationError("--timeout needs a number of seconds above 0, as in --timeout 5 (got \(timeout))")
        }
    }

    /// Past a century is "no limit" in practice; Duration's milliseconds would overflow near 1e16 s.
    var timeLimit: Duration? { timeout.map { .milliseconds(Int((min($0, 3.2e9) * 1000).rounded(.up))) } }

    func engine() throws -> Engine {
        var values: [String: String] = [:]
        for assignment in parameters {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--param needs NAME=VALUE, as in --param district=闵行区 (got '\(assignment)')")
            }
            let name = String(assignment[..<equals])
            // A name the language can write as $name: letters, digits and _, not starting with a digit.
            guard Engine.isParameterName(name) else {
                throw ValidationError("--param \(TerminalText.escapingControlCharacters(name)) is not a parameter name (letters, digits and _, as in --param district=闵行区)")
            }
            values[name] = String(assignment[assignment.index(after: equals)...])
        }
        let store: Store
        if let directory, Snapshot.isSnapshot(directory) {
            do {
                store = try Snapshot.read(directory)
            } catch {
                Terminal.printError("centreql: \(directory): \(error.description)")
                throw ExitCode(2)
            }
        } else if let directory {
            do {
                store = try CSVLoader.load(directory: directory, encoding: TextEncoding(name: encoding) ?? .utf8)
            } catch {
                Terminal.printError(error.description)
                throw ExitCode(2)
            }
        } else {
            store = .builtIn
        }
        var engine = Engine(store: store, parameters: values)
        engine.timeLimit = timeLimit
        return engine
    }
}

extension OutputFormat: ExpressibleByArgument {}
