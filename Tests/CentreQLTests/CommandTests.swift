import Foundation
import Testing

/// The `centreql` command as a user runs it: exit codes, standard output and standard error.
@Suite struct CommandTests {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var binary: String {
        let candidates = [Repository.path(".build/debug/centreql")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// A child that exits before reading all its input must fail a test, not kill the test process.
    static let brokenPipesAreErrors: Void = { signal(SIGPIPE, SIG_IGN) }()

    func run(_ arguments: [String], input: String? = nil) throws -> Outcome {
        _ = Self.brokenPipesAreErrors
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = Repository.root
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try inp.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "run `swift build` first (make test does)")
    }

    @Test func oneOffQuery() throws {
        let o = try run(["-c", "centres | where district_en == \"Minhang\" | select town"])
        #expect(o.status == 0)
        #expect(o.stdout == " town\n--------\n 吴泾镇\n 浦江镇\n 莘庄镇\n(3 rows)\n")
        #expect(o.stderr.isEmpty)
    }

    /// `-c` and files together: the `-c` text, then each file, in one session, in every mode
    /// (`-c` once ran alone while `--emit-sql` compiled both).
    @Test func commandTextThenFilesInEveryMode() throws {
        let file = NSTemporaryDirectory() + "centreql-after-c-\(UUID().uuidString).cql"
        try "big | count\n".write(toFile: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let ran = try run(["-c", "let big = centres | where id > 30", file])
        #expect(ran.status == 0 && ran.stdout.contains("    10"), "\(ran.stderr)")
        let sql = try run(["--emit-sql", "-c", "let big = centres | where id > 30", file])
        #expect(sql.status == 0 && sql.stdout.components(separatedBy: "WITH").count == 2, "\(sql.stderr)")
    }

    /// Dot-commands in a script or on standard input run as in a session (they were refused), so a
    /// session copied from `.history` replays; an unknown one makes the exit status 1.
    @Test func dotCommandsInScriptsAndStandardInput() throws {
        let script = ".mode csv\ncentres | where district_en == \"Minhang\" | select town\n.param set n 2\ncentres | take $n | count\n"
        let ran = try run([], input: script)
        #expect(ran.status == 0 && ran.stdout == "town\r\n吴泾镇\r\n浦江镇\r\n莘庄镇\ncount\r\n2\n", "\(ran.stdout.debugDescription) \(ran.stderr)")
        let bad = try run([], input: ".nosuch\ncentres | count\n")
        #expect(bad.status == 1 && bad.stderr.contains("unknown command '.nosuch'") && !bad.stderr.contains("\u{1B}"), "\(bad.stderr)")
        #expect(bad.stdout.contains("40"))
    }

    @Test func standardInputWhenNotATerminal() throws {
        let o = try run([], input: "centres | count\nawards | count\n")
        #expect(o.status == 0)
        #expect(o.stdout == " count\n-------\n    40\n(1 row)\n\n count\n-------\n    40\n(1 row)\n")
    }

    @Test func errorsGoToStandardErrorWithFileLineColumnAndCode() throws {
        let file = NSTemporaryDirectory() + "centreql-\(UUID().uuidString).cql"
        try "centres | count\ncentres | where distrct == 1\n".write(toFile: file, atomically: true, encoding: .utf8)
        let o = try run([file])
        #expect(o.status == 1)
        #expect(o.stdout.contains("40"))
        #expect(o.stderr.hasPrefix("\(file):2:17: error[E202]: unknown column 'distrct' in centres\n"))
    }

    @Test func parametersAndFormats() throws {
        let o = try run(["-c", "param d: string = \"徐汇区\"\ncentres | where district == $d | select id", "--param", "d=闵行区", "--format", "csv"])
        #expect(o.status == 0)
        #expect(o.stdout == "id\r\n19\r\n24\r\n38\n")
        let j = try run(["-c", "centres | where id == 19 | select volunteers", "--format", "jsonl"])
        #expect(j.stdout == "{\"volunteers\":{\"amount\":18000,\"qualifier\":\"余\"}}\n")
        let bad = try run(["-c", "param n: int = 1\ncentres | take $n", "--param", "n=many"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("error[E402]: --param n=many is not an int"))
    }

    @Test func usageErrorsAndMissingFiles() throws {
        #expect(try run(["--format", "yaml", "-c", "centres"]).status != 0)
        #expect(try run(["--param", "nodelimiter", "-c", "centres"]).status != 0)
        let missing = try run(["/no/such/file.cql"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read '/no/such/file.cql'"))
    }

    @Test func dataFolderLoadsAndBadFolderIsRefused() throws {
        let directory = NSTemporaryDirectory() + "centreql-data-\(UUID().uuidString)"
        #expect(try run(["export", directory]).status == 0)
        #expect(try run(["--data", directory, "-c", "projects | count"]).stdout.contains("43"))
        try "id,name\n".write(toFile: directory + "/centres.csv", atomically: true, encoding: .utf8)
        let bad = try run(["--data", directory, "-c", "centres | count"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("centres.csv:1: error[E501]: column"))
    }

    @Test func checkReportsDifferencesWithADiff() throws {
        let file = NSTemporaryDirectory() + "centreql-check-\(UUID().uuidString).cql"
        try "centres | count\n# ----\n#  count\n# -------\n#     41\n# (1 row)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let o = try run(["check", file])
        #expect(o.status == 1)
        #expect(o.stdout.contains("-     41\n+     40"))
        #expect(o.stdout.hasSuffix("0 passed, 1 failed\n"))
        #expect(try run(["check", "--update", file]).status == 0)
        let fixed = try run(["check", file])
        #expect(fixed.status == 0 && fixed.stdout == "1 passed, 0 failed\n")
    }
}
