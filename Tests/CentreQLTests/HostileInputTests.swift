import Foundation
import Testing
@testable import CentreQL

/// Whatever people paste and whatever files they have: CentreQL never crashes, hangs, corrupts data
/// or loses work, and every refusal says what was wrong and where. One suite per group of the issue;
/// coverage-guided fuzzing of the same paths is `scripts/fuzz` (run by `make test`).
@Suite struct HostileInputTests {

    // MARK: Queries: limits

    /// Each of these once overflowed the stack (the chains, found while writing these tests) or could:
    /// they must all end in E108, whatever the operator.
    @Test(arguments: [
        ("centres | where ", "(", "true", ")"),
        ("centres | where ", "not ", "true", ""),
        ("centres | select x = ", "-", "1", ""),
        ("centres | select x = 1", " + 1", "", ""),
        ("centres | select x = null", " ?? 1", "", ""),
        ("awards | select x = centre", ".centre", "", ""),
        ("centres | where id in ", "[", "", "]"),
        ("centres | select x = ", "length(", "\"\"", ")"),
    ])
    func deepNestingIsRefusedNotFatal(_ prefix: String, _ open: String, _ middle: String, _ close: String) {
        let depth = 50_000
        let script = prefix + String(repeating: open, count: depth) + middle + String(repeating: close, count: depth) + " | count"
        #expect(diagnosticCodes(script).first == "E108")
        // One level under the limit is fine, so the limit is where it says it is.
        let shallow = prefix + String(repeating: open, count: 90) + middle + String(repeating: close, count: 90)
        #expect(!diagnosticCodes(shallow).contains("E108"))
    }

    @Test func longListsAndStatementsAreRefusedWithTheirLimit() {
        let items = { (n: Int) in "centres | where id in [" + Array(repeating: "1", count: n).joined(separator: ",") + "] | count" }
        #expect(diagnosticCodes(items(Parser.maximumListItems)) == [])
        #expect(diagnosticCodes(items(Parser.maximumListItems + 1)) == ["E109"])
        let long = "centres | where name == \"" + String(repeating: "x", count: Parser.maximumStatementLength) + "\" | count"
        #expect(diagnosticCodes(long) == ["E110"])
        // The statement after a refused one still runs.
        var engine = Engine()
        var outcomes: [String] = []
        engine.run(SourceText(long + "\ncentres | count")) { result in
            switch result.outcome {
            case .rows(let rows): outcomes.append(rows.rows.description)
            case .failed(let diagnostics): outcomes.append(diagnostics.map(\.code).joined())
            case .defined: break
            }
        }
        #expect(outcomes == ["E110", "[[40]]"])
    }

    @Test func integerOverflowIsAnErrorNeverAWrap() {
        #expect(diagnosticCodes("centres | select x = 9223372036854775808 | take 1") == ["E005"])
        #expect(diagnosticCodes("centres | select x = -9223372036854775807 - 2 | take 1") == ["E403"])
        #expect(diagnosticCodes("centres | select x = 9223372036854775807 + 1 | take 1") == ["E403"])
        #expect(diagnosticCodes("centres | select x = 4611686018427387904 * 2 | take 1") == ["E403"])
        #expect(diagnosticCodes("centres | group agg s = sum(4611686018427387904) | take 1") == ["E403"])
        #expect(diagnosticCodes("centres | select x = 9223372036854775807 * 1.0 | take 1") == [])
    }

    @Test func divisionByZeroIsNullAsDocumented() throws {
        #expect(try rows("centres | take 1 | select a = 1 / 0, b = 7 % 0, c = 5.0 / 0, d = 0 / 0") == [["null", "null", "null", "null"]])
        #expect(Repository.read("README.md").contains("dividing by zero"))
    }

    @Test func hugeTakeIsBoundedByTheRows() throws {
        #expect(try rows("centres | take 9223372036854775807 | count") == [["40"]])
        #expect(try rows("centres | sort name | take 9223372036854775807 | count") == [["40"]])
        #expect(diagnosticCodes("centres | sort name | take -5 | count") == ["E321"])
    }

    /// Patterns that make backtracking engines run for ages are linear here (a Pike VM).
    @Test(arguments: ["(a*)*b", "(a|a)*b", "(a|aa)*c", "^(a+)+$x"])
    func pathologicalPatternsFinish(_ pattern: String) throws {
        let subject = String(repeating: "a", count: 5_000)
        #expect(try rows("centres | take 1 | select m = \"\(subject)\" matches \"\(pattern)\"") == [["false"]])
    }

    @Test func aTimeLimitStopsAQueryAndTheSessionGoesOn() throws {
        var engine = Engine()
        engine.timeLimit = .milliseconds(50)
        let runaway = "centres | join awards as a on true | join projects as p on true | join centres as c on true | count"
        do {
            _ = try engine.query(runaway)
            Issue.record("the runaway join finished inside the limit")
        } catch {
            #expect(error.diagnostics.map(\.code) == ["E406"])
            #expect(error.diagnostics[0].message.contains("0.05 s"))
        }
        #expect(try engine.query("centres | count").rows == [[.int(40)]])
    }

    @Test func theTimeoutOptionBoundsEachStatementOfAScript() throws {
        let runaway = "centres | join awards as a on true | join projects as p on true | join centres as c on true | count"
        let o = try CommandTests().run(["--timeout", "0.2", "-c", runaway + "\ncentres | count"])
        #expect(o.status == 1)
        #expect(o.stderr.contains("error[E406]: the query was stopped at its time limit of 0.2 s"))
        #expect(o.stdout.contains("    40"))  // the next statement ran
        #expect(try CommandTests().run(["--timeout", "0", "-c", "centres | count"]).stderr.contains("--timeout needs a number of seconds above 0"))
    }

    @Test func cancellingFromAnotherThreadStopsARunningQuery() throws {
        var engine = Engine()
        let cancellation = Cancellation()
        engine.cancellation = cancellation
        let canceller = Thread { usleep(50_000); cancellation.cancel() }
        canceller.start()
        let runaway = "centres | join awards as a on true | join projects as p on true | join centres as c on true | join awards as d on true | count"
        #expect(throws: QueryError.self) { try engine.query(runaway) }
        cancellation.reset()
        #expect(try engine.query("awards | count").rows == [[.int(40)]])
    }

    @Test func aJoinWithoutAConditionIsBounded() throws {
        var engine = Engine()
        engine.joinRowLimit = 1_000
        do {
            _ = try engine.query("centres | join awards as a on true | count")
            Issue.record("1600 rows passed a limit of 1000")
        } catch {
            #expect(error.diagnostics.map(\.code) == ["E407"])
        }
        #expect(try engine.query("centres | join awards as a on a.centre_id == id | count").rows == [[.int(40)]])
    }

    /// Found by the fuzzer: an error at the very end of the input crashed the renderer.
    @Test(arguments: ["centres |", "centres | where", "centres | where name ==", "centres | select x = (", "let", "centres | take"])
    func anErrorAtTheEndOfTheInputIsShown(_ script: String) {
        let rendered = renderedDiagnostics(script)
        #expect(rendered.count == 1)
        #expect(rendered.first?.contains("1 | \(script)") == true)
    }

    // MARK: Script files

    private func runScript(_ bytes: [UInt8]) throws -> CommandTests.Outcome {
        let path = NSTemporaryDirectory() + "centreql-hostile-\(UUID().uuidString).cql"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try CommandTests().run([path])
        return CommandTests.Outcome(status: outcome.status, stdout: outcome.stdout,
                                    stderr: outcome.stderr.replacingOccurrences(of: path, with: "t.cql"))
    }

    @Test func invalidUTF8InAScriptIsLocated() throws {
        let o = try runScript(Array("centres | count\ncentres | where name == \"".utf8) + [0xC3, 0x28] + Array("\"\n".utf8))
        #expect(o.status == 2)
        #expect(o.stderr.hasPrefix("t.cql:2:26: error: the text is not UTF-8: byte 0xC3 at line 2, column 26"))
    }

    @Test func aScriptInGB18030IsNamedAsSuch() throws {
        let gb: [UInt8] = Array("centres | where district == \"".utf8) + [0xC3, 0xF6, 0xD0, 0xD0, 0xC7, 0xF8] + Array("\" | count\n".utf8)  // 闵行区
        let o = try runScript(gb)
        #expect(o.status == 2)
        #expect(o.stderr.contains("it looks like GB18030"))
    }

    @Test func nulBytesAreLocatedErrors() throws {
        let o = try runScript(Array("centres | count\ncentres |".utf8) + [0] + Array(" count\n".utf8))
        #expect(o.status == 1)
        #expect(o.stdout.contains("40"))  // the first statement ran
        #expect(o.stderr.hasPrefix("t.cql:2:10: error[E001]: unexpected character U+0000"))
        #expect(!o.stderr.contains("\0"))
    }

    @Test func byteOrderMarkAndCRLFAreReadCorrectly() throws {
        let o = try runScript([0xEF, 0xBB, 0xBF] + Array("centres\r\n  | where district == \"闵行区\"\r\n  | count\r\ncentres | take 1 | select id\r\n".utf8))
        #expect(o.status == 0)
        #expect(o.stdout == " count\n-------\n     3\n(1 row)\n\n id\n----\n  1\n(1 row)\n")
    }

    @Test func anUnterminatedStringAtTheEndOfTheFileIsLocated() throws {
        let o = try runScript(Array("centres | count\ncentres | where name == \"吴泾".utf8))
        #expect(o.status == 1)
        #expect(o.stderr.hasPrefix("t.cql:2:25: error[E002]: this string is never closed"))
    }

    // MARK: Data files

    private func folder(_ files: [String: [UInt8]]) throws -> String {
        let directory = NSTemporaryDirectory() + "centreql-data-\(UUID().uuidString)"
        try CSVLoader.export(Store.builtIn, to: directory)
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name)) }
        return directory
    }

    private func gb18030(_ text: String) throws -> [UInt8] {
        // The system's iconv, independent of the decoder under test.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let bytes = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        return bytes
    }

    @Test func gb18030FilesLoadWhenTheEncodingIsGivenAndAreNamedWhenNot() throws {
        let original = try folder([:])
        var files: [String: [UInt8]] = [:]
        for table in Catalog.builtIn.tables.map(\.name) {
            files[table + ".csv"] = try gb18030(try String(contentsOfFile: original + "/\(table).csv", encoding: .utf8))
        }
        let converted = try folder(files)
        let store = try CSVLoader.load(directory: converted, encoding: .gb18030)
        var fromGB = Engine(store: store), builtIn = Engine()
        for query in ["centres | select name, volunteers, beneficiaries", "projects | select name, theme, note", "awards | select category, title"] {
            #expect(try fromGB.query(query) == builtIn.query(query))
        }
        #expect {
            _ = try CSVLoader.load(directory: converted)
        } throws: { error in
            let error = error as! DataError
            return error.file?.hasSuffix("centres.csv") == true && error.line == 2
                && error.reason.contains("it looks like GB18030") && error.reason.contains("--encoding gb18030")
        }
        #expect(TextEncoding(name: "GBK") == .gb18030 && TextEncoding(name: "utf8") == .utf8 && TextEncoding(name: "latin1") == nil)
    }

    @Test func utf16IsNamedByItsByteOrderMark() throws {
        let directory = try folder(["provenance.csv": [0xFF, 0xFE] + Array("f\0i\0e\0l\0d\0".utf8)])
        #expect {
            _ = try CSVLoader.load(directory: directory)
        } throws: { error in (error as! DataError).reason.contains("UTF-16 (little-endian)") }
    }

    /// Values of the right type but outside what the column can mean are refused with file, line and column.
    @Test(arguments: [
        ("awards.csv", "rank", "0", "rank must be at least 1"),
        ("awards.csv", "year", "1850", "year must be between 1949 and 2100"),
        ("centres.csv", "volunteers", "-5", "volunteers must be at least 0"),
        ("centres.csv", "town_kind", "村", "town_kind must be one of 街道, 镇, 新区, 社区"),
        ("projects.csv", "kind", "project", "kind must be one of 项目"),
        ("centres.csv", "id", "0", "id must be at least 1"),
    ])
    func valuesOutsideAColumnsDomainAreRefused(_ file: String, _ column: String, _ value: String, _ reason: String) throws {
        let original = try folder([:])
        var lines = try String(contentsOfFile: original + "/" + file, encoding: .utf8).components(separatedBy: "\r\n")
        let header = lines[0].components(separatedBy: ",")
        let position = header.firstIndex(of: column)!
        var fields = lines[3].components(separatedBy: ",")  // plain fields in these rows: no quoted commas before the column
        fields[position] = value
        lines[3] = fields.joined(separator: ",")
        let directory = try folder([file: Array(lines.joined(separator: "\r\n").utf8)])
        #expect {
            _ = try CSVLoader.load(directory: directory)
        } throws: { error in
            let error = error as! DataError
            return error.file?.hasSuffix(file) == true && error.line == 4 && error.column == column && error.reason.contains(reason)
        }
    }

    // MARK: Writing files

    @Test func anAtomicFileReplacesTheTargetWholeOrNotAtAll() throws {
        let directory = NSTemporaryDirectory() + "centreql-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/out.txt"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        let abandoned = try AtomicFile(path: path)
        try abandoned.write("half of a new")
        abandoned.discard()  // as if the write failed midway
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        let file = try AtomicFile(path: path)
        try file.write("new\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")  // nothing shows until commit
        try file.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.txt"])  // no temporary left
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile(path: directory + "/missing/out.txt") }
    }

    @Test func aWriteThatFailsMidwayIsReportedAndLeavesNoHalfFile() throws {
        let directory = NSTemporaryDirectory() + "centreql-full-\(UUID().uuidString)"
        // A 4 KB file-size limit stands in for a full disk: the first CSV is larger than that.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -f 4; exec \"$0\" export \"$1\"", CommandTests.binary, directory]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.contains("cannot write \(directory)/centres.csv: File too large"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [])
    }

    // MARK: Security

    @Test func noSourceFileRunsAShellOrReachesTheNetwork() {
        let enumerator = FileManager.default.enumerator(atPath: Repository.path("Sources"))
        let sources = (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") || $0.hasSuffix(".h") }
        #expect(sources.count > 30)
        for path in sources {
            let text = Repository.read("Sources/" + path)
            for forbidden in ["/bin/sh", "system(", "popen(", "URLSession", "socket(", "connect(", "getaddrinfo"] {
                #expect(!text.contains(forbidden), "\(path) contains \(forbidden)")
            }
            // The only program started is the pager the user chose, started directly with its words as arguments.
            if text.contains("Process()") { #expect(path.hasSuffix("REPL/REPL.swift"), "\(path) starts a process") }
        }
        let commands = Repository.read("Sources/CentreQLCommand/REPL/MetaCommands.swift")
        #expect(!commands.contains("case shell") && !commands.contains(" system"))
    }

    @Test(arguments: ["\"; centres | count; \"", "' OR 1=1 --", "\\\" \\\\ \\n", "$district", "Robert'); DROP TABLE centres;--", "a\u{1B}[2Jb\u{7}"])
    func parameterValuesAreAlwaysData(_ text: String) throws {
        var engine = Engine(parameters: ["x": text])
        #expect(try engine.query("centres | where name == $x | count").rows == [[.int(0)]])
        #expect(try engine.query("centres | take 1 | select v = $x").rows == [[.string(text)]])
        #expect(try engine.query("centres | take 1 | select n = length($x)").rows == [[.int(text.count)]])
    }

    @Test func stringLiteralsHoldQuotesBackslashesAndPipes() throws {
        #expect(try rows(#"centres | take 1 | select v = "a \"quoted\" | \\ pipe""#) == [[#"a "quoted" | \ pipe"#]])
    }

    @Test func terminalOutputEscapesControlCharactersInData() throws {
        let hostile = "evil\u{1B}[2J\u{1B}]0;title\u{7}\r"
        var engine = Engine(parameters: ["x": hostile])
        let result = try engine.query("centres | take 1 | select v = $x")
        for format in [OutputFormat.table, .line, .markdown] {
            let text = format.render(result)
            #expect(!text.contains("\u{1B}") && !text.contains("\u{7}") && !text.contains("\r"), "\(format)")
            #expect(text.contains("evil\\u{1B}[2J"), "\(format)")
        }
        #expect(!OutputFormat.json.render(result).contains("\u{1B}"))
        #expect(OutputFormat.csv.render(result, options: TableOptions(toTerminal: true)).contains("evil\\u{1B}"))
        #expect(OutputFormat.csv.render(result).contains(hostile))  // a CSV file keeps the data as it is
        // Diagnostics quote the source line, escaped the same way.
        let source = SourceText("centres | where name == \"\u{1B}[2J\" | selec name")
        var diagnostics: [Diagnostic] = []
        var engine2 = Engine()
        engine2.run(source) { if case .failed(let d) = $0.outcome { diagnostics += d } }
        let rendered = diagnostics.map(DiagnosticRenderer(source: source).render).joined()
        #expect(!rendered.isEmpty && !rendered.contains("\u{1B}"))
    }
}
