import Foundation
import Testing
@testable import CentreQL

/// Query semantics, written in the language itself: Tests/CentreQLTests/Corpus/queries/ holds a file
/// per feature of queries with their expected output in `# ----` blocks, checked as `centreql check` does.
@Suite struct EvaluatorTests {
    static let corpus = Repository.corpus("queries")

    @Test func theCorpusHasAFilePerFeature() {
        #expect(Self.corpus.count >= 10)
    }

    @Test(arguments: corpus)
    func queryCorpus(_ path: String) {
        let text = Repository.read(path)
        let name = (path as NSString).lastPathComponent
        let report = ScriptCheck.check(SourceText(text))
        #expect(report.cases.contains { $0.expected != nil }, "\(path) has no case with expected output")
        for failure in report.failures {
            let message = "\(path):\(failure.line)\n" + ScriptCheck.diff(expected: failure.expected ?? [], actual: failure.actual)
            Issue.record("\(message)")
        }
    }

    @Test func nullRules() throws {
        #expect(try rows("centres | take 1 | select a = null == null, b = volunteers == null, c = volunteers > 0, d = volunteers ?? 0") ==
            [["true", "true", "false", "0"]])
        #expect(try rows("centres | group town_kind agg s = sum(volunteers), a = avg(volunteers), m = max(stations), c = count(volunteers) | where town_kind == \"镇\"") ==
            [["镇", "18000余", "18000余", "80", "1"]])
        #expect(try rows("centres | where town_kind == \"新区\" | group town_kind agg s = sum(volunteers)") == [["新区", "null"]])
    }

    @Test func figuresKeepQualifiersThroughArithmetic() throws {
        #expect(try rows("centres | where id == 19 | select a = volunteers + 1, b = volunteers + beneficiaries, c = teams + social_orgs, d = amount(volunteers), q = qualifier(beneficiaries)") ==
            [["18001余", "约80000", "105", "18000.0", "近"]])
    }

    /// Which comparisons the report's wording settles (each of 余, 近, 约 against numbers below, at
    /// and above its amount), and that the engine's one order answers the settled ones as the wording does.
    @Test func theWordingSettlesSomeComparisonsAndLeavesOthersOpen() {
        let cases: [(Figure, BinaryOperator, Double, open: Bool, verdict: Bool)] = [
            (Figure(18000, .moreThan), .greater, 18000, false, true), (Figure(18000, .moreThan), .equal, 18000, false, false),
            (Figure(18000, .moreThan), .less, 18000, false, false), (Figure(18000, .moreThan), .greaterEqual, 18000, false, true),
            (Figure(18000, .moreThan), .greater, 19000, true, false), (Figure(18000, .moreThan), .less, 20000, false, true),
            (Figure(18000, .moreThan), .greater, 17000, false, true), (Figure(18000, .moreThan), .lessEqual, 19800, false, true),
            (Figure(62000, .nearly), .less, 62000, false, true), (Figure(62000, .nearly), .greater, 61000, true, true),
            (Figure(62000, .nearly), .greaterEqual, 62000, false, false), (Figure(62000, .nearly), .greater, 50000, false, true),
            (Figure(190000, .about), .greater, 180000, true, true), (Figure(190000, .about), .equal, 190000, true, false),
            (Figure(190000, .about), .greater, 100000, false, true), (Figure(190000, .about), .notEqual, 300000, false, true),
            (Figure(890, .nearlyMoreThan), .less, 900, true, true), (Figure(890, .exact), .equal, 890, false, true),
        ]
        for (figure, op, number, open, verdict) in cases {
            #expect(FigureWording.leavesOpen(op, figure, number) == open, "\(figure) \(op.rawValue) \(number)")
            #expect(Value.compares(op, .figure(figure), .decimal(number)) == verdict, "\(figure) \(op.rawValue) \(number)")
        }
        // One order: == agrees with sorting and grouping (an exact figure is its number).
        #expect(Value.queryEquals(.figure(Figure(2, .exact)), .int(2)) && !Value.queryEquals(.figure(Figure(2, .about)), .int(2)))
        #expect(Value.compare(.figure(Figure(5, .nearly)), .int(5)) < 0 && Value.compare(.figure(Figure(5, .moreThan)), .decimal(5)) > 0)
    }

    /// A derive named like a column of the table takes that column's place in the result: no result
    /// has two columns of one name (JSON would keep only one of them).
    @Test func aDeriveNamedLikeAColumnReplacesItInPlace() throws {
        var engine = Engine()
        let result = try engine.query("centres | derive town = district, id = id * 10 | take 2")
        let names = result.columns.map(\.name)
        #expect(names == (try engine.query("centres | take 1")).columns.map(\.name))
        let town = try #require(names.firstIndex(of: "town")), id = try #require(names.firstIndex(of: "id"))
        #expect(result.rows.map { [$0[id].description, $0[town].description] } == [["10", "嘉定区"], ["20", "长宁区"]])
        #expect(Set(names).count == names.count)
    }

    @Test func integerOverflowIsAnErrorAndDivisionByZeroIsNull() throws {
        #expect(diagnosticCodes("centres | select x = 9223372036854775807 + 1") == ["E403", ])
        #expect(try rows("centres | take 1 | select a = 1 / 0, b = 7 / 2, c = 7 % 0, d = -7 % 3") == [["null", "3.5", "null", "-1"]])
    }

    @Test func lengthCountsCharactersAsAReaderDoes() throws {
        #expect(try rows("centres | where id == 19 | select length(town), length(name), length(\"e\u{301}\")") == [["3", "14", "1"]])
    }

    @Test func sortIsStableAndNullsComeLast() throws {
        let ids = try rows("centres | sort volunteers desc, stations | take 4 | select id").map { $0[0] }
        // desc puts null first (the reverse of ascending, where null is last).
        #expect(ids.count == 4)
        #expect(try rows("centres | sort stations | take 3 | select id, stations") == [["38", "53"], ["24", "80"], ["1", "null"]])
    }

    @Test func regularExpressions() throws {
        #expect(try rows("centres | where name matches \"^(嘉定|青浦)区.*镇\" | select town") == [["安亭镇"], ["南翔镇"], ["徐泾镇"]])
    }

    @Test func aCancelledQueryReportsItAndTheEngineStaysUsable() throws {
        var engine = Engine()
        let cancellation = Cancellation()
        engine.cancellation = cancellation
        cancellation.cancel()
        #expect(throws: QueryError.self) { try engine.query("centres | join awards as a on true | count") }
        do { _ = try engine.query("centres | count") } catch { #expect(error.diagnostics.map(\.code) == ["E405"]) }
        cancellation.reset()
        #expect(try engine.query("centres | join awards as a on true | count").rows == [[.int(1600)]])
    }

    /// Grouping by text columns goes by dictionary codes; it must give what grouping by values gives
    /// (`??` makes a key an expression, which takes the general path).
    @Test func groupingByCodesMatchesGroupingByValues() throws {
        let directory = NSTemporaryDirectory() + "centreql-coded-keys"
        _ = try Generator(centres: 500, seed: 5).write(to: directory)
        var engine = Engine(store: try CSVLoader.load(directory: directory))
        let pairs = [
            ("awards | group centre.district, category agg n = count()", "awards | group district = centre.district ?? \"\", category = category ?? \"\" agg n = count()"),
            ("centres | group town_kind agg n = count(), v = sum(amount(volunteers))", "centres | group town_kind = town_kind ?? \"\" agg n = count(), v = sum(amount(volunteers))"),
            ("projects | group theme, centre.town agg n = count()", "projects | group theme = theme ?? \"-\", town = centre.town ?? \"-\" agg n = count()"),
        ]
        for (coded, general) in pairs {
            let a = try engine.query(coded), b = try engine.query(general)
            #expect(a.rows.count > 3)
            #expect(a.rows.map { $0.map(\.description) } == b.rows.map { $0.map { $0.description == "-" ? "null" : $0.description } })
        }
        // Nulls form a group of their own (the built-in projects have no theme where the report gives none).
        var builtIn = Engine()
        let themes = try builtIn.query("projects | group theme agg n = count()").rows
        #expect(themes.contains { $0[0] == .null })
        #expect(themes.map { $0.map(\.description) } == (try builtIn.query("projects | group theme = theme ?? \"null\" agg n = count()").rows.map { $0.map(\.description) }))
    }

    /// Top-N keeps few rows while reading; it must give what a full stable sort and take give.
    @Test(arguments: [1, 3, 7, 12])
    func topNMatchesSortThenTake(_ n: Int) throws {
        let directory = NSTemporaryDirectory() + "centreql-topn-\(n)"
        _ = try Generator(centres: 300, seed: 11).write(to: directory)
        var engine = Engine(store: try CSVLoader.load(directory: directory))
        for keys in ["beneficiaries desc", "beneficiaries", "kind, members desc", "theme desc, centre_id"] {
            let top = try engine.query("projects | sort \(keys) | take \(n) | select id")
            let all = try engine.query("projects | sort \(keys) | select id")
            #expect(top.rows == Array(all.rows.prefix(n)), "sort \(keys) | take \(n)")
        }
    }
}

/// A pipeline read as a list (`x in (…)`) answers as `==` does, whichever form it is kept in: a list
/// of whole numbers keeps only an integer set (a bitmap over a compact range, hashed otherwise).
@Suite struct ValueListTests {
    /// Every probe answered by the list as by comparing it with each value in turn.
    func expectAgreement(_ values: [Value], probes: [Value]) {
        let list = ValueList(values)
        for probe in probes {
            #expect(list.contains(probe) == values.contains { Value.queryEquals($0, probe) }, "\(probe) in \(values.prefix(5))")
        }
    }

    static let probes: [Value] = [
        .null, .int(0), .int(1), .int(3), .int(64), .int(65), .int(-5), .int(1 << 40), .int(Int.max), .int(Int.min),
        .decimal(3), .decimal(3.5), .decimal(-5), .decimal(0x1p53), .decimal(Double(Int.max)),
        .figure(Figure(3, .exact)), .figure(Figure(3, .nearly)), .figure(Figure(3, .moreThan)), .string("3"), .bool(true),
    ]

    @Test func compactWholeNumbers() {
        expectAgreement([.int(1), .int(3), .int(64), .int(3)], probes: Self.probes)
        expectAgreement([.int(1), .null, .int(-5)], probes: Self.probes)
    }

    @Test func spreadWholeNumbers() {
        expectAgreement([.int(1), .int(1 << 40), .int(Int.max), .int(Int.min)], probes: Self.probes)
        expectAgreement([.int(1 << 53), .int((1 << 53) + 1)], probes: Self.probes + [.decimal(0x1p53), .int((1 << 53) + 1)])
    }

    @Test func otherValues() {
        expectAgreement([.decimal(3), .string("3"), .null], probes: Self.probes)
        expectAgreement([.figure(Figure(3, .nearly)), .int(64)], probes: Self.probes)
        expectAgreement([], probes: Self.probes)
    }
}

/// A query's result is kept column by column and gives its rows on demand: the same rows, in order,
/// as a result made from rows, and equal to it.
@Suite struct ResultSetTests {
    @Test func columnsGiveTheRowsInOrder() throws {
        var engine = Engine()
        let result = try engine.query("centres | sort id | take 3 | select id, district, n = count(projects)")
        #expect(result.rowCount == 3)
        let rows = result.rows
        #expect(rows.count == 3 && rows.allSatisfy { $0.count == 3 })
        #expect(rows.map { $0[0] } == [.int(1), .int(2), .int(3)])
        #expect(result.rows == rows)  // read again: the same rows
        #expect(result == ResultSet(columns: result.columns, rows: rows))
        #expect(result != ResultSet(columns: result.columns, rows: Array(rows.reversed())))
    }

    @Test func aResultWithoutRowsOrColumns() throws {
        var engine = Engine()
        let none = try engine.query("centres | where id < 0 | select id")
        #expect(none.rowCount == 0 && none.rows.isEmpty)
        let counted = try engine.query("centres | count")
        #expect(counted.rows == [[.int(40)]])
    }
}
