import Testing
@testable import CentreQL

@Suite struct LexerTests {
    func kinds(_ text: String) -> [TokenKind] {
        Lexer.tokenize(SourceText(text)).tokens.map(\.kind)
    }

    @Test func pipelineTokens() {
        #expect(kinds("centres | where id >= 3") == [.identifier, .pipe, .where, .identifier, .greaterEqual, .integer, .end])
    }

    @Test func operatorsAndKeywords() {
        #expect(kinds("== != <= < > >= ?? + - * / % = : ; , . ( ) [ ]") ==
            [.equal, .notEqual, .lessEqual, .less, .greater, .greaterEqual, .coalesce, .plus, .minus, .star, .slash,
             .percent, .assign, .colon, .semicolon, .comma, .dot, .leftParen, .rightParen, .leftBracket, .rightBracket, .end])
        #expect(kinds("count counts contains starts_with") == [.count, .identifier, .contains, .starts_with, .end])
    }

    @Test func stringEscapesAndUnicode() {
        let tokens = Lexer.tokenize(SourceText(#""闵行\n\"区\"\u{4E2D}" '\''"#)).tokens
        #expect(tokens[0].value == "闵行\n\"区\"中")
        #expect(tokens[1].value == "'")
    }

    @Test func numbers() {
        let tokens = Lexer.tokenize(SourceText("12 1_000 3.25 7.x")).tokens
        #expect(tokens.map(\.kind) == [.integer, .integer, .decimal, .integer, .dot, .identifier, .end])
        #expect(tokens[1].value == "1000")
    }

    @Test func newlinesEndStatementsExceptNextToPipesAndInsideBrackets() {
        #expect(kinds("a\nb") == [.identifier, .newline, .identifier, .end])
        #expect(kinds("a |\nb") == [.identifier, .pipe, .identifier, .end])
        #expect(kinds("a\n\n# note\n  | b") == [.identifier, .pipe, .identifier, .end])
        #expect(kinds("f(1,\n2)") == [.identifier, .leftParen, .integer, .comma, .integer, .rightParen, .end])
        #expect(kinds("\n\na\n\n") == [.identifier, .newline, .end])
    }

    @Test func commentsAndByteOrderMark() {
        #expect(kinds("\u{FEFF}#!/usr/bin/env centreql\ncentres # rest") == [.identifier, .end])
    }

    @Test func chineseIdentifiers() {
        let tokens = Lexer.tokenize(SourceText("闵行 = 1")).tokens
        #expect(tokens[0].kind == .identifier && tokens[0].lexeme == "闵行")
    }

    @Test func fullwidthPunctuationIsReportedWithTheAsciiItMeant() {
        let (_, diagnostics) = Lexer.tokenize(SourceText("centres ｜ count"))
        #expect(diagnostics.map(\.code) == ["E001"])
        #expect(diagnostics[0].fixIt == "|")
    }

    @Test func curlyQuotesStillReadTheString() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceText("name == “吴泾”"))
        #expect(diagnostics.map(\.code) == ["E003"])
        #expect(tokens[2].kind == .string && tokens[2].value == "吴泾")
    }

    @Test func integerLiteralOverflowIsAnError() {
        #expect(Lexer.tokenize(SourceText("99999999999999999999")).diagnostics.map(\.code) == ["E005"])
    }

    /// A date literal is read whole, so a wrong one is one error that names it and what is wrong;
    /// a valid one ends after its ten characters (`@2019-12-31-7` is a date minus 7).
    @Test func dateLiterals() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceText("@2019-12-31-7"))
        #expect(diagnostics.isEmpty && tokens.map(\.kind) == [.date, .minus, .integer, .end] && tokens[0].value == "2019-12-31")
        for (text, hint) in [("@2019-02-29", "February 2019 has 28 days"), ("@2020-04-31", "April 2020 has 30 days"),
                             ("@2019-13-01", "months are numbered 01 to 12"), ("@0000-01-01", "years run from 0001 to 9999"),
                             ("@2019-1-1", "write a date as @ and then YYYY-MM-DD, for example @2019-12-31"), ("@", "write a date")] {
            let diagnostics = Lexer.tokenize(SourceText(text)).diagnostics
            #expect(diagnostics.map(\.code) == ["E007"], "\(text)")
            #expect(diagnostics.first?.message == "\(text) is not a date")
            #expect(diagnostics.first?.hint?.hasPrefix(hint) == true, "\(text): \(diagnostics.first?.hint ?? "")")
        }
    }

    @Test func incompleteInputForTheInteractiveSession() {
        #expect(Lexer.isIncomplete("centres |"))
        #expect(Lexer.isIncomplete("centres | select town,"))
        #expect(Lexer.isIncomplete("centres | where town in [\"a\","))
        #expect(Lexer.isIncomplete("centres | where name == \"吴"))
        #expect(!Lexer.isIncomplete("centres | count"))
        #expect(!Lexer.isIncomplete("centres # | not a pipe"))
    }

    @Test func rangesAreInScalarsAndLinesAndColumnsAreOneBased() {
        let source = SourceText("centres\n| where 区 == 1")
        let token = Lexer.tokenize(source).tokens.first { $0.lexeme == "区" }!
        let location = source.location(of: token.range.start)
        #expect(location.line == 2 && location.column == 9)
    }
}

/// The REPL colours what is typed from these spans; they come from the lexer itself.
@Suite struct SyntaxHighlightingTests {
    private func kinds(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return SyntaxHighlighting.spans(of: text).map { "\($0.kind):" + String(String.UnicodeScalarView(scalars[$0.range])) }
    }

    @Test func eachKindOfToken() {
        #expect(kinds("centres | where teams > 5 and name contains \"吴\" | derive r = round(1.5, $n) # 注")
                == ["keyword:where", "number:5", "keyword:and", "keyword:contains", "string:\"吴\"", "keyword:derive",
                    "function:round", "number:1.5", "parameter:$n", "comment:# 注"])
    }

    @Test func problemsAreWhatCannotStand() {
        #expect(kinds("centres | where (id == 1") == ["keyword:where", "problem:(", "number:1"])
        #expect(kinds("centres | where id == 1)") == ["keyword:where", "number:1", "problem:)"])
        #expect(kinds("centres | where id in [1, 2)") == ["keyword:where", "keyword:in", "problem:[", "number:1", "number:2", "problem:)"])
        #expect(kinds("centres | where name == \"open") == ["keyword:where", "problem:\"open"])
        #expect(kinds("centres ｜ count") == ["problem:｜", "keyword:count"])
        // A `#` inside a string is not a comment; brackets nest.
        #expect(kinds("centres | where name == \"#1\" and ((id == 2))") == ["keyword:where", "string:\"#1\"", "keyword:and", "number:2"])
    }
}
