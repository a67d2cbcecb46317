import Foundation
import Testing
@testable import CentreQL

@Suite struct PresentationTests {
    let result = ResultSet(
        columns: [ResultColumn(name: "name", type: .string), ResultColumn(name: "n", type: .int), ResultColumn(name: "v", type: .figure)],
        rows: [
            [.string("吴泾镇"), .int(7), .figure(Figure(18000, .moreThan))],
            [.string("e\u{301}a, \"b\""), .int(12345), .null],
        ]
    )

    @Test func displayWidths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("闵行区") == 6)
        #expect(DisplayWidth.of("e\u{301}") == 1)          // combining acute accent
        #expect(DisplayWidth.of("ｶ") == 1)                 // halfwidth katakana
        #expect(DisplayWidth.of("Ａ") == 2)                // fullwidth Latin
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("“创新、创优”") == 1 + 4 + 2 + 4 + 1)  // curly quotes are narrow, 、 is wide
    }

    @Test func truncationNeverSplitsAWideCharacter() {
        #expect(DisplayWidth.truncate("闵行区吴泾镇", to: 6) == "闵行…")
        #expect(DisplayWidth.truncate("闵行区吴泾镇", to: 5) == "闵行…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
    }

    @Test func tableAlignsByDisplayWidthAndRightAlignsNumbers() {
        let text = OutputFormat.table.render(result)
        let expected = [
            " name    |     n |       v",
            "---------+-------+---------",
            " 吴泾镇  |     7 | 18000余",
            " e\u{301}a, \"b\" | 12345 |    null",
            "(2 rows)",
        ]
        #expect(text == expected.joined(separator: "\n"))
        // The header and every row have the same display width (the rule has one more trailing "-").
        let lines = text.split(separator: "\n").map(String.init)
        let widths = Set([lines[0], lines[2], lines[3]].map { DisplayWidth.of($0) })
        #expect(widths == [DisplayWidth.of(lines[1]) - 1])
    }

    @Test func maxRowsSaysHowManyWereNotShown() {
        let text = OutputFormat.table.render(result, options: TableOptions(maxRows: 1))
        #expect(text.hasSuffix("(2 rows), 1 not shown (.maxrows)"))
    }

    @Test func csvQuotesOnlyWhenNeededAndNullIsEmpty() throws {
        let text = OutputFormat.csv.render(result)
        #expect(text == "name,n,v\r\n吴泾镇,7,18000余\r\n\"e\u{301}a, \"\"b\"\"\",12345,")
        let records = try CSVReader.records(in: text)
        #expect(records.map(\.fields) == [["name", "n", "v"], ["吴泾镇", "7", "18000余"], ["e\u{301}a, \"b\"", "12345", ""]])
    }

    @Test func jsonIsReadBackExactly() throws {
        let text = OutputFormat.json.render(result)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [[String: Any]]
        #expect(parsed.count == 2)
        #expect(parsed[0]["name"] as? String == "吴泾镇")
        let figure = parsed[0]["v"] as! [String: Any]
        #expect(figure["amount"] as? Int == 18000 && figure["qualifier"] as? String == "余")
        #expect(parsed[1]["v"] is NSNull)
        #expect(parsed[1]["name"] as? String == "e\u{301}a, \"b\"")
        for line in OutputFormat.jsonl.render(result).split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
        }
        #expect(JSONFormatter.string("a\u{1}\n") == "\"a\\u0001\\n\"")
    }

    @Test func markdownEscapesPipes() {
        let r = ResultSet(columns: [ResultColumn(name: "a|b", type: .string)], rows: [[.string("x|y")]])
        #expect(OutputFormat.markdown.render(r) == "| a\\|b |\n| --- |\n| x\\|y |")
    }

    @Test func controlCharactersInDataAreShownNotObeyed() {
        let r = ResultSet(columns: [ResultColumn(name: "s", type: .string)], rows: [[.string("a\u{1B}[2Jb\n")]])
        #expect(OutputFormat.table.render(r).contains("a\\u{1B}[2Jb\\n"))
    }

    @Test func decimalsAndFigures() {
        #expect(Value.decimal(2).description == "2.0")
        #expect(Value.decimal(2.5).description == "2.5")
        #expect(Figure(62000, .nearly).description == "近62000")
        #expect(Figure(890, .nearlyMoreThan).description == "近890余")
        for figure in [Figure(62000, .nearly), Figure(890, .nearlyMoreThan), Figure(190000, .about), Figure(1.5, .moreThan), Figure(3)] {
            #expect(Figure(parsing: figure.description) == figure)
        }
        #expect(Figure(parsing: "余18000") == nil)
        #expect(Figure(parsing: "") == nil)
    }
}

@Suite struct TableFittingTests {
    @Test func wideTablesFitTheTerminalCuttingByDisplayWidth() throws {
        var engine = Engine()
        let result = try engine.query("centres | where district_en == \"Minhang\" | select name, town, district_en")
        let text = OutputFormat.table.render(result, options: TableOptions(maxLineWidth: 40))
        for line in text.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 40) }
        #expect(text.contains("…"))
        #expect(text.contains(" 吴泾镇 "))   // short columns are left whole
    }

    @Test func nullsAreColouredOnlyWhenAsked() {
        let r = ResultSet(columns: [ResultColumn(name: "v", type: .figure)], rows: [[.null]])
        #expect(OutputFormat.table.render(r, options: TableOptions(colorsNull: true)).contains("\u{1B}[2mnull\u{1B}[0m"))
        #expect(!OutputFormat.table.render(r).contains("\u{1B}"))
    }
}

extension TableFittingTests {
    /// A result wider than the terminal, as DuckDB shows one (issue 12, fault 3): numbers and short
    /// text whole (`18000余` was cut to `1800…`, `null` to `nu…`), the middle columns elided with one
    /// `…` column, and the footer saying how many are shown.
    @Test(arguments: [60, 80, 100, 140])
    func wideResultsKeepColumnsWholeAndElideTheMiddle(_ width: Int) throws {
        var engine = Engine()
        let result = try engine.query("centres | where id == 19 or id < 3")
        let text = OutputFormat.table.render(result, options: TableOptions(maxLineWidth: width))
        let lines = text.split(separator: "\n").map(String.init)
        for line in lines { #expect(DisplayWidth.of(line) <= width, "\(line)") }
        #expect(lines.last?.hasPrefix("(3 rows, 19 columns (") == true, "\(lines.last ?? "")")
        // Every number shown is whole: no cell of a numeric column ends in "…".
        let header = lines[0].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        for line in lines[2..<5] {
            for (cell, name) in zip(line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }, header)
            where name != "…" && name != "name" && name != "district" && name != "town" && name != "model" {
                #expect(!cell.hasSuffix("…") || cell == "…", "\(name): \(cell)")
            }
        }
        #expect(!text.contains("nu…") && !text.contains("1800…"))
    }

    @Test func aResultThatFitsIsNotElided() throws {
        var engine = Engine()
        let result = try engine.query("centres | take 2 | select id, town")
        let text = OutputFormat.table.render(result, options: TableOptions(maxLineWidth: 80))
        #expect(!text.contains("…") && text.hasSuffix("(2 rows)"))
    }
}

/// `chart`: drawn in the formats for people, its rows in the formats for programs, the bars scaled to
/// the line and cut at `.maxrows`. (What each kind draws is in Corpus/queries/charts.cql.)
@Suite struct ChartTests {
    func chart(_ query: String) throws -> ResultSet {
        var engine = Engine()
        return try engine.query(query)
    }

    @Test func formatsForProgramsGiveTheRowsDrawn() throws {
        let result = try chart(#"centres | where town in ["吴泾镇", "堡镇"] | sort id | chart bar town, volunteers"#)
        #expect(result.chart == ChartSpec(kind: .bar, bins: nil))
        #expect(OutputFormat.csv.render(result) == "town,volunteers\r\n吴泾镇,18000余\r\n堡镇,")
        #expect(OutputFormat.jsonl.render(result).contains(#""town":"堡镇","volunteers":null"#))
        // A histogram's data is its bins.
        let histogram = try chart("centres | chart histogram id bins 2")
        #expect(OutputFormat.csv.render(histogram) == "from,to,count\r\n1.0,21.0,20\r\n21.0,41.0,20")
    }

    @Test func barsFillTheLineAndStopAtMaxRows() throws {
        let result = try chart("centres | sort id | take 4 | chart bar town, id")
        for width in [50, 120] {
            let lines = OutputFormat.table.render(result, options: TableOptions(maxLineWidth: width)).split(separator: "\n")
            #expect(lines.count == 5)
            // The longest bar reaches the end of the line (its value written after it).
            #expect(DisplayWidth.of(String(lines[4])) == width)
            #expect(lines.allSatisfy { DisplayWidth.of(String($0)) <= width })
        }
        let cut = OutputFormat.table.render(result, options: TableOptions(maxRows: 2)).split(separator: "\n")
        #expect(cut.count == 4 && cut[3] == "… 2 more not shown")
    }

    @Test func aChartIsTheLastStageOfAQueryOnly() {
        for (query, code) in [("centres | chart bar town, id | take 1", "E340"), ("let x = centres | chart spark id", "E340"),
                              ("centres | where id in (centres | chart spark id)", "E340"), ("centres | chart pie town, id", "E341"),
                              ("centres | chart bar town", "E342"), ("centres | chart bar id, town", "E343"),
                              ("centres | chart spark id bins 3", "E344"), ("centres | chart histogram id bins 0", "E344")] {
            var engine = Engine()
            #expect(throws: QueryError.self) { try engine.query(query) }
            do { _ = try engine.query(query) } catch { #expect(error.diagnostics.first?.code == code, "\(query)") }
        }
    }
}
