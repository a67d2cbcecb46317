import Foundation
import Testing
@testable import CentreQL

/// Completion is the engine's: the REPL only shows what these return.
@Suite struct CompletionTests {
    func complete(_ text: String, engine: Engine = Engine()) -> Completion {
        engine.completions(before: text)
    }

    @Test func tablesAtTheStart() {
        #expect(complete("").candidates == ["awards", "centres", "explain", "facts", "let", "param", "practices", "projects", "provenance", "trace"])
        #expect(complete("cen") == Completion(replacing: 3, candidates: ["centres"]))
    }

    @Test func stagesAfterAPipe() {
        #expect(complete("centres | ").candidates.contains("where"))
        #expect(complete("centres | se") == Completion(replacing: 2, candidates: ["select"]))
        #expect(complete("centres\n  | d").candidates == ["derive", "distinct"])
    }

    @Test func chartKindsThenColumnsThenBins() {
        #expect(complete("centres | chart ").candidates == ["bar", "column", "hbar", "histogram", "line", "spark"])
        #expect(complete("centres | chart h") == Completion(replacing: 1, candidates: ["hbar", "histogram"]))
        #expect(complete("centres | group district agg n = count() | chart bar di").candidates == ["district"])
        #expect(complete("centres | chart histogram id b").candidates == ["bins"])
        #expect(!complete("centres | chart line id, teams b").candidates.contains("bins"))
    }

    @Test func columnsValidAtTheCursor() {
        #expect(complete("centres | where distr") == Completion(replacing: 5, candidates: ["district", "district_en"]))
        // After select, only the selected columns remain.
        #expect(complete("centres | select name, n = count(projects) | where ").candidates.contains("n"))
        #expect(!complete("centres | select name | where ").candidates.contains("district"))
        #expect(complete("centres | where lo").candidates == ["lower"])
    }

    @Test func linksOfferTheLinkedTablesColumns() {
        #expect(complete("awards | where centre.tow") == Completion(replacing: 3, candidates: ["town", "town_en", "town_kind", "town_kind_en"]))
        #expect(complete("centres | select sum(projects.mem") == Completion(replacing: 3, candidates: ["members"]))
        #expect(complete("centres | where exists(awards where cat").candidates == ["category", "category_en"])
        #expect(complete("centres | join awards as a on a.ra").candidates == ["rank"])
    }

    @Test func valuesInsideAString() {
        #expect(complete("centres | where district == \"闵") == Completion(replacing: 1, candidates: ["闵行区\""]))
        #expect(complete("centres | where town in [\"浦江镇\", \"莘").candidates == ["莘庄镇\""])
        #expect(complete("awards | where centre.district_en == \"Xu").candidates == ["Xuhui\""])
        #expect(complete("projects | where kind == \"").candidates.count == 6)
    }

    @Test func parametersAndLets() throws {
        var engine = Engine(parameters: ["district": "闵行区"])
        _ = try engine.query("let minhang = centres | where district_en == \"Minhang\"")
        #expect(complete("centres | where district == $di", engine: engine) == Completion(replacing: 2, candidates: ["district"]))
        #expect(complete("min", engine: engine).candidates == ["minhang"])
        #expect(complete("minhang | where vol", engine: engine).candidates == ["volunteers"])
    }

    @Test func operatorsAfterAnOperand() {
        #expect(complete("centres | where town ").candidates.contains("contains"))
        #expect(complete("centres | where town st").candidates == ["starts_with"])
        // An open `if` offers the word it waits for, and only then.
        #expect(complete("centres | select x = if teams > 1 th").candidates == ["then"])
        #expect(complete("centres | select x = if teams > 1 then 1 el").candidates == ["else"])
        #expect(!complete("centres | select x = if teams > 1 then 1 else 2 ").candidates.contains("else"))
        #expect(complete("centres | select x = i").candidates == ["id", "if"])
        // A pivot's columns come from the data, and completion offers them.
        #expect(complete("awards | derive kind = centre.town_kind | pivot kind agg n = count() by category | select 街").candidates == ["街道"])
    }

    @Test func onlyTheCurrentStatementCounts() {
        #expect(complete("awards | count\ncentres | where tow").candidates == ["town", "town_en", "town_kind", "town_kind_en"])
    }
}

extension CompletionTests {
    /// A value is closed with the quote its string opened with (`'…'` was closed with `"`).
    @Test func valuesAreClosedWithTheirOwnQuote() {
        #expect(complete("centres | where district == '闵").candidates == ["闵行区'"])
        #expect(complete("centres | where district == \"闵").candidates == ["闵行区\""])
    }

    /// After an operand, only what the stage allows: no `agg` or `on` after a sort key.
    @Test func operatorsFitTheStage() {
        let sort = complete("centres | sort name ").candidates
        #expect(sort.contains("desc") && !sort.contains("agg") && !sort.contains("on"), "\(sort)")
        let group = complete("centres | group district ").candidates
        #expect(group.contains("agg") && !group.contains("desc"), "\(group)")
        let join = complete("centres | join awards as a ").candidates
        #expect(join.contains("on"), "\(join)")
        let filter = complete("centres | where id ").candidates
        #expect(filter.contains("and") && !filter.contains("agg") && !filter.contains("asc"), "\(filter)")
    }
}

extension CompletionTests {
    /// A column with more values than are listed says so (500 were listed with no notice).
    @Test func manyValuesAreCutWithANotice() throws {
        let directory = NSTemporaryDirectory() + "centreql-many-values"
        _ = try Generator(centres: 8_000, seed: 4).write(to: directory)  // 2,000 towns: more names than are listed
        let engine = Engine(store: try CSVLoader.load(directory: directory))
        let completion = complete("centres | where name == \"", engine: engine)
        #expect(completion.candidates.count == Completion.valueLimit && completion.isTruncated)
        #expect(!complete("centres | where district == \"").isTruncated)
    }
}
