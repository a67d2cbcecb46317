import Testing
@testable import CentreQL

/// Every saved script in Examples/ checks itself against its `# ----` blocks, as `centreql check` does.
@Suite struct ExamplesTests {
    static let files = Repository.files(in: "Examples", ending: ".cql")

    @Test func thereAreAtLeastFifteenLessons() {
        #expect(Self.files.count >= 15)
    }

    @Test(arguments: files)
    func example(_ path: String) {
        let source = SourceText(Repository.read(String(path.dropFirst(Repository.root.path.count + 1))), name: path)
        let name = String(path.split(separator: "/").last!)
        let report = ScriptCheck.check(source, displayName: name)
        #expect(report.cases.contains { $0.expected != nil }, "no expected blocks in \(name)")
        for failure in report.failures {
            let message = "\(name):\(failure.line)\n" + ScriptCheck.diff(expected: failure.expected ?? [], actual: failure.actual)
            Issue.record("\(message)")
        }
    }

    @Test func examplesTogetherUseEveryStageLinkAndFunction() {
        let text = Self.files.map { Repository.read(String($0.dropFirst(Repository.root.path.count + 1))) }.joined(separator: "\n")
        let words = ["where", "select", "derive", "group", "agg", "sort", "take", "count", "distinct", "join", "let", "param",
                     "centre.", "awards", "projects", "exists(", "sum(", "avg(", "min(", "max(", "??", " in [", "contains",
                     "starts_with", "ends_with", "matches", "lower(", "upper(", "length(", "round(", "abs(", "coalesce(",
                     "qualifier(", "amount(", "error[E0", "error[E1", "error[E2", "error[E3"]
        for word in words {
            #expect(text.contains(word), "no example uses \(word)")
        }
    }
}
