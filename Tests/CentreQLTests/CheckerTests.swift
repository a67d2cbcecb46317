import Testing
@testable import CentreQL

@Suite struct CheckerTests {
    static let cases = CorpusCase.load("Tests/CentreQLTests/Corpus/errors.txt")

    @Test(arguments: cases)
    func errorCorpus(_ item: CorpusCase) {
        #expect(diagnosticCodes(item.input) == item.header)
    }

    @Test func everyCodeInMessagesIsExercised() {
        // Keeps the corpus honest: a new message without a test case fails here.
        let source = Repository.read("Sources/CentreQL/Diagnostics/Messages.swift")
        let defined = Set(source.matches(of: /code: "(E\d+)"/).map { String($0.output.1) })
        let tested = Set(Self.cases.flatMap(\.header) + ParserTests.cases.flatMap { Array($0.header.dropFirst()) })
            .union(["E005", "E402", "E404", "E405"])  // covered in LexerTests, CommandTests and EvaluatorTests; E404 needs a pattern that only fails at run time
            .union(["E109", "E110", "E406", "E407", "E408", "E111"])  // the limits, covered in HostileInputTests
            .union(["E601"])  // compiling to SQL, covered in SQLDifferentialTests
        #expect(defined.subtracting(tested).sorted() == [])
    }

    /// The fuzzer's find: the note on a text no row holds searched the values with Foundation's
    /// `contains`, which failed on a literal holding NULs. The statement runs, with its note.
    @Test func aLiteralWithNULsIsSearchedByCodePoints() throws {
        var engine = Engine()
        var outcomes = 0
        engine.run(SourceText("\u{A}# Only three centres are described with figures. A chart keeps a figure's wording beside i�s bar,\u{A}# and lists a centre without the figure as missing: it is not drawn as 0.\u{A}centres | where town in [\u{22}吴泾镇\u{22}, \u{22}浦江镇\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{22}, \u{22}莘庄镇\u{22}] | sort id | chart bar town, stations")) { _ in outcomes += 1 }
        #expect(outcomes == 1)
    }

    @Test func didYouMeanAndAvailableColumns() {
        let diagnostic = firstDiagnostic("centres | where distrct == \"闵行区\"")
        #expect(diagnostic?.hint?.hasPrefix("did you mean 'district'?") == true)
        #expect(diagnostic?.hint?.contains("town_kind") == true)
        #expect(diagnostic?.fixIt == "district")
        #expect(firstDiagnostic("centers")?.fixIt == "centres")
        #expect(firstDiagnostic("centres | select lenght(name)")?.fixIt == "length")
    }

    /// The lines of the first diagnostic a script produces, rendered as the command prints it.
    private func renderedLines(_ script: String) -> [String] {
        let source = SourceText(script, name: "t.cql")
        var engine = Engine()
        var rendered = ""
        engine.run(source) { result in
            if case .failed(let d) = result.outcome, rendered.isEmpty { rendered = DiagnosticRenderer(source: source).render(d[0]) }
        }
        return rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func caretIsAlignedUnderChineseText() {
        let lines = renderedLines("centres | where 区 == \"闵行区\" and distrct == 1")
        #expect(lines[0] == "t.cql:1:17: error[E202]: unknown column '区' in centres")
        #expect(lines[2] == "1 | centres | where 区 == \"闵行区\" and distrct == 1")
        // 区 is two columns wide, so the caret line has two carets under it.
        #expect(lines[3] == "  |                 ^^")
    }

    @Test func caretUnderSpanAfterChineseText() {
        let lines = renderedLines("centres | where district == \"闵行区\" and distrct == 1")
        // 闵行区 takes six columns, so the carets start after the display width of everything before distrct.
        #expect(lines[3] == "  | " + String(repeating: " ", count: DisplayWidth.of("centres | where district == \"闵行区\" and ")) + "^^^^^^^")
        #expect(lines.last == "  = fix: centres | where district == \"闵行区\" and district == 1")
    }

    @Test func errorsInIndependentStatementsAreAllReported() {
        #expect(diagnosticCodes("centres | where nope == 1\ncentres | count\nawards | select nada") == ["E202", "E202"])
    }

    @Test func outputColumnNames() throws {
        var engine = Engine()
        let result = try engine.query("awards | select rank, centre.name, n = centre.id + 1, centre.district | take 1")
        #expect(result.columns.map(\.name) == ["rank", "name", "n", "district"])
        #expect(result.columns.map(\.type) == [.int, .string, .int, .string])
    }

    @Test func parametersFromTheCommandLineAreTyped() throws {
        var engine = Engine(parameters: ["d": "闵行区", "n": "2"])
        let result = try engine.query("centres | where district == $d | take $n | select id")
        #expect(result.rows == [[.int(19)], [.int(24)]])
        #expect(diagnosticCodes("param n: int = 1\ncentres | take $n", parameters: ["n": "x"]) == ["E402", "E401"])
    }

    @Test func letAndParamPersistAcrossRuns() throws {
        var engine = Engine()
        _ = try engine.query("let m = centres | where district_en == \"Minhang\"\nparam k: int = 1")
        #expect(try engine.query("m | take $k | select town").rows == [[.string("吴泾镇")]])
        _ = try engine.query("let m = centres | where district_en == \"Qingpu\"")
        #expect(try engine.query("m | select town").rows == [[.string("徐泾镇")]])
    }

    private func firstDiagnostic(_ script: String) -> Diagnostic? {
        var engine = Engine()
        do {
            _ = try engine.query(script)
            return nil
        } catch {
            return error.diagnostics.first
        }
    }
}

/// Found by the fuzzer (it runs each input twice, with and without indexes, and compares): `$q` was
/// equally close to `$p` and `$n`, and which one was suggested followed the order of a dictionary's
/// keys, which differs from one dictionary to another.
@Suite struct SuggestionOrderTests {
    @Test func theSameMistakeGetsTheSameSuggestionEveryTime() throws {
        var seen = Set<String>()
        for _ in 0..<30 {
            var engine = Engine(parameters: ["district": "闵行区", "n": "3"])
            _ = try? engine.query("param p: string = \"a\"")
            do {
                _ = try engine.query("centres | take 1 | select x = $p + $q")
                Issue.record("$q is not a parameter")
            } catch {
                seen.insert(error.diagnostics.map { $0.hint ?? "" }.joined())
            }
        }
        #expect(seen == ["did you mean $n?"], "\(seen)")
    }
}
