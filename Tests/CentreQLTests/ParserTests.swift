import Testing
@testable import CentreQL

@Suite struct ParserTests {
    static let cases = CorpusCase.load("Tests/CentreQLTests/Corpus/syntax.txt")

    @Test(arguments: cases)
    func corpusCase(_ item: CorpusCase) {
        let (_, diagnostics) = Parser.parseScript(SourceText(item.input))
        if item.header.first == "accept" {
            #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        } else {
            #expect(diagnostics.map(\.code) == Array(item.header.dropFirst()))
        }
    }

    @Test func corpusIsNotEmpty() {
        #expect(Self.cases.count > 40)
        #expect(Self.cases.contains { $0.header.first == "reject" })
    }

    @Test func precedence() throws {
        let (script, _) = Parser.parseScript(SourceText("centres | where not a == 1 or b and c ?? d + 2 * 3 > 0"))
        guard case .query(let pipeline) = script.statements[0].kind, case .where(let e) = pipeline.stages[0].kind else {
            Issue.record("not a where stage"); return
        }
        #expect(render(e) == "((not (a == 1)) or (b and ((c ?? (d + (2 * 3))) > 0)))")
    }

    @Test func recoveryReportsEveryBrokenStatementAndKeepsTheGoodOnes() {
        let units = Parser.parse(SourceText("centres | wher x\ncentres | count\nawards | selct y\nawards | take 1"))
        #expect(units.count == 4)
        #expect(units.map { $0.statement != nil } == [false, true, false, true])
        #expect(units.flatMap(\.diagnostics).map(\.code) == ["E103", "E103"])
    }

    @Test func fieldNamesAndSortDirections() throws {
        let (script, diagnostics) = Parser.parseScript(SourceText("awards | select n = rank, category | sort n desc, category asc"))
        #expect(diagnostics.isEmpty)
        guard case .query(let pipeline) = script.statements[0].kind,
              case .select(let fields) = pipeline.stages[0].kind,
              case .sort(let keys) = pipeline.stages[1].kind else { Issue.record("shape"); return }
        #expect(fields.map { $0.name?.text } == ["n", nil])
        #expect(keys.map(\.isDescending) == [true, false])
    }

    @Test func aggregateCallWithWhere() {
        let (script, _) = Parser.parseScript(SourceText("centres | select count(projects where kind == \"联盟\")"))
        guard case .query(let p) = script.statements[0].kind, case .select(let f) = p.stages[0].kind,
              case .call(let name, let args, let filter) = f[0].expression.kind else { Issue.record("shape"); return }
        #expect(name.text == "count" && args.count == 1 && filter != nil)
    }

    private func render(_ e: Expression) -> String {
        switch e.kind {
        case .name(let n): return n
        case .integer(let i): return String(i)
        case .binary(let op, let l, let r): return "(\(render(l)) \(op.rawValue) \(render(r)))"
        case .unary(let op, let x): return "(\(op.rawValue) \(render(x)))"
        default: return "?"
        }
    }
}
