import Foundation
import Testing
@testable import CentreQL

/// Runs one corpus through the Swift parser and through Grammar/centreql.lark (with Lark, in Python)
/// and fails if they disagree on what is accepted.
@Suite struct GrammarConformanceTests {
    /// Every example script, every parser test input, and a few more inputs to reject.
    static func corpus() -> [String] {
        var inputs = ParserTests.cases.map(\.input)
        inputs += ExamplesTests.files.map { Repository.read(String($0.dropFirst(Repository.root.path.count + 1))) }
        inputs += CorpusCase.load("Tests/CentreQLTests/Corpus/errors.txt").map(\.input)
        inputs += [
            "", "\n\n", "centres |", "| centres", "centres | where", "centres | take", "centres ||", "centres | select",
            "centres | group", "centres | group d agg", "centres | sort", "centres | join", "centres | join a on",
            "centres | select (a", "centres | select a)", "centres | select [1, 2", "centres | where a == == b",
            "centres | where a.1", "centres | select x = ", "let x", "param", "param x:", "centres | where $", "centres | select f(,)",
            "centres | select f(1,)", "centres | select count(where)", "centres | select -", "centres | where not", "123",
            "\"text\"", "centres | sort a asc desc", "centres | where a ?? ?? b", "centres | select a.b.c.d",
            "centres | select x = f(a where b, c)", "centres | select [,]", "centres | select [1,]", "centres;;awards",
            "centres | select d = @2019-12-31 - 7", "centres | select d = @2019-12-31-7", "centres | select @2019-1-1",
            "centres | select @", "centres | select @@2019-12-31", "centres | select @2019-12-31x",
            "centres | select town,\n  district", "centres | select town,\n\n  # a comment\n  district", "centres | select town\n, district",
            "centres | select town,", "awards | group category agg n = count(),\n  m = max(rank)",
            "trace centres | take 1", "trace", "trace trace centres", "trace explain centres",
        ]
        return inputs
    }

    @Test func swiftParserAndLarkGrammarAgree() throws {
        let inputs = Self.corpus()
        let swiftVerdicts = inputs.map { input in
            // Number sizes, nesting depth and the days in a month are limits, not syntax: the grammar
            // does not check them (it reads @2019-02-30 as a date's shape).
            let source = SourceText(input)
            return Parser.parseScript(source).diagnostics.filter { diagnostic in
                if diagnostic.code == "E007", source.slice(diagnostic.range.start..<diagnostic.range.end).wholeMatch(of: /@\d{4}-\d{2}-\d{2}/) != nil { return false }
                return diagnostic.code != "E005" && diagnostic.code != "E108"
            }.isEmpty
        }
        let larkVerdicts = try lark(inputs)
        #expect(larkVerdicts.count == inputs.count)
        var disagreements = 0
        for (index, input) in inputs.enumerated() where index < larkVerdicts.count && swiftVerdicts[index] != larkVerdicts[index] {
            disagreements += 1
            Issue.record("Swift \(swiftVerdicts[index] ? "accepts" : "rejects"), Lark \(larkVerdicts[index] ? "accepts" : "rejects"):\n\(input)")
        }
        #expect(disagreements == 0)
        #expect(swiftVerdicts.contains(true) && swiftVerdicts.contains(false))
    }

    /// The grammar's stages are the vocabulary's, each rule starting with its keyword, and the words
    /// the grammar quotes are the lexer's reserved words.
    @Test func theGrammarsStagesAndKeywordsAreTheVocabularys() throws {
        let grammar = Repository.read("Grammar/centreql.lark")
        let rule = try #require(grammar.range(of: #"\nstage:[^:]*?\n(?=\w+_stage:)"#, options: .regularExpression))
        let alternatives = grammar[rule].dropFirst("\nstage:".count).split(whereSeparator: { " |\n".contains($0) }).map(String.init)
        #expect(alternatives == StageName.names.map { $0 + "_stage" })
        for name in StageName.names {
            #expect(grammar.contains("\n\(name)_stage: \"\(name)\""), "no rule \(name)_stage starting with \"\(name)\"")
        }
        let quoted = Set(grammar.matches(of: /"([a-z_]+)"/).map { String($0.1) })
        #expect(quoted == Set(TokenKind.keywords.keys))
    }

    private func lark(_ inputs: [String]) throws -> [Bool] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.path("Grammar/conformance.py")]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: inputs))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Issue.record("Grammar/conformance.py failed (is lark installed? `make test` installs it):\n\(problems)")
            return []
        }
        return try JSONSerialization.jsonObject(with: data) as? [Bool] ?? []
    }
}
