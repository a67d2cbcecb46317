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
        let report = ScriptCheck.check(source)
        #expect(report.cases.contains { $0.expected != nil }, "no expected blocks in \(name)")
        for failure in report.failures {
            let message = "\(name):\(failure.line)\n" + ScriptCheck.diff(expected: failure.expected ?? [], actual: failure.actual)
            Issue.record("\(message)")
        }
    }

    @Test func examplesTogetherUseEveryStageLinkAndFunction() {
        let text = Self.files.map { Repository.read(String($0.dropFirst(Repository.root.path.count + 1))) }.joined(separator: "\n")
        let words = StageName.names + ["agg", "let", "param", "centre.", "awards", "projects", "??", " in [", "contains",
                     "starts_with", "ends_with", "matches", "error[E0", "error[E1", "error[E2", "error[E3"]
            + AggregateFunction.allCases.map { $0.rawValue + "(" }
        for word in words {
            #expect(text.contains(word), "no example uses \(word)")
        }
        // A text predicate may be written as an operator (`town contains "镇"`).
        for function in ScalarFunction.allCases {
            #expect(text.contains(function.rawValue + "(") || text.contains(" \(function.rawValue) "), "no example uses \(function.rawValue)")
        }
    }
}
