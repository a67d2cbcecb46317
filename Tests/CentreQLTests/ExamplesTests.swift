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

/// The lessons as `.lesson` poses them: questions from the comments, answers from the queries, and an
/// answer accepted whatever its column names and column order, with row order only where it sorts.
@Suite struct LessonTests {
    @Test func lessonsHaveQuestionsAndTheirOwnQueriesAnswerThem() throws {
        let lessons = Lesson.all(in: Repository.root.appendingPathComponent("Examples").path)
        #expect(lessons.count >= 20)
        for lesson in lessons {
            for (index, question) in lesson.questions.enumerated() {
                var engine = Engine()
                #expect(!question.text.isEmpty && !question.text.contains("# ----"))
                #expect(lesson.accepts(try engine.query(question.statement), question: index), "\(lesson.name) \(index + 1)")
            }
        }
    }

    @Test func answersAreComparedByValuesNotNames() throws {
        let lesson = try #require(Lesson.all(in: Repository.root.appendingPathComponent("Examples").path).first { $0.number == 5 })
        var engine = Engine()
        #expect(lesson.accepts(try engine.query("centres | group district agg c = count() | sort c desc, district | select c, district"), question: 0))
        #expect(!lesson.accepts(try engine.query("centres | group district agg c = count() | sort district"), question: 0))
        #expect(!lesson.accepts(try engine.query("centres | group district agg c = count() | sort c desc, district | take 3"), question: 0))
        let shape = lesson.hint(for: try engine.query("centres | count"), question: 0, attempts: 1)
        #expect(shape.hasPrefix("not yet: the answer has 16 rows of 2 columns (district, n); yours has 1 row of 1 column"))
        #expect(lesson.hint(for: try engine.query("centres | count"), question: 0, attempts: 3).contains("sort n desc, district"))
    }
}
