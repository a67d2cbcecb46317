import Foundation

/// A lesson of `Examples/` as questions for `.lesson` in the REPL: each query of the lesson that gives
/// rows is asked in the words of the comment above it, and answered by its rows. A student's answer is
/// right when its rows are the answer's: column names and the order of columns are free, the order of
/// rows counts only where the lesson's query sorts.
public struct Lesson: Sendable {
    /// From the file's name: `23-seeing-the-answer.cql` is lesson 23, `seeing-the-answer`.
    public let number: Int
    public let name: String
    /// The first comment line ("Lesson 23: seeing what a query does, …").
    public let title: String
    public let questions: [Question]

    public struct Question: Sendable {
        /// The comment lines above the query.
        public let text: String
        public let statement: String
        public let answer: ResultSet
        /// Whether the row order counts (the lesson's query sorts).
        public let isOrdered: Bool
        /// The stages the lesson's query uses, in order (the second hint).
        public let stages: [String]
    }

    /// The lesson in a file, its answers computed on `engine` (the built-in data); nil if the file is
    /// not a lesson (no number, or no question).
    public static func load(path: String, engine: Engine = Engine()) -> Lesson? {
        let file = (path as NSString).lastPathComponent
        guard file.hasSuffix(".cql"), let dash = file.firstIndex(of: "-"), let number = Int(file[..<dash]),
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let source = SourceText(text, name: file)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The first comment line that is not the `#!` line, without "Lesson N:".
        var title = lines.first { $0.hasPrefix("#") && !$0.hasPrefix("#!") }.map { String($0.drop { $0 == "#" || $0 == " " }) } ?? file
        if title.hasPrefix("Lesson"), let colon = title.firstIndex(of: ":") { title = String(title[title.index(after: colon)...].drop { $0 == " " }) }
        var engine = engine
        let catalog = engine.store.catalog
        var questions: [Question] = []
        engine.run(source) { result in
            guard case .rows(let rows) = result.outcome, rows.trace == nil else { return }
            let statement = source.text(of: result.extent).trimmingCharacters(in: .whitespacesAndNewlines)
            // Only what a student can answer in a fresh session: a query from a table, no parameter.
            let parsed = Parser.parse(SourceText(statement))
            guard parsed.count == 1, let tree = parsed[0].statement, case .query(let pipeline) = tree.kind,
                  catalog.tableIndex(pipeline.source.text) != nil, !statement.contains("$") else { return }
            // The comment lines just above it, without the expected block of the query before.
            var index = source.location(of: result.extent.start).line - 2
            var asked: [String] = []
            while index >= 0, lines[index].hasPrefix("#"), !lines[index].hasPrefix(ScriptCheck.marker) {
                asked.insert(String(lines[index].dropFirst().drop { $0 == " " }), at: 0)
                index -= 1
            }
            guard !asked.isEmpty, index < 0 || !lines[index].hasPrefix("#") else { return }
            questions.append(Question(text: asked.joined(separator: "\n"), statement: statement, answer: rows,
                                      isOrdered: pipeline.stages.contains { $0.name == .sort },
                                      stages: pipeline.stages.map(\.name.rawValue)))
        }
        guard !questions.isEmpty else { return nil }
        return Lesson(number: number, name: String(file.dropFirst(file.distance(from: file.startIndex, to: dash) + 1).dropLast(4)),
                      title: title, questions: questions)
    }

    /// The lessons in a folder, by number.
    public static func all(in directory: String) -> [Lesson] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.sorted().compactMap { load(path: directory + "/" + $0) }.sorted { $0.number < $1.number }
    }

    /// Whether `result` answers question `index`.
    public func accepts(_ result: ResultSet, question index: Int) -> Bool {
        Self.same(result, questions[index].answer, ordered: questions[index].isOrdered)
    }

    /// The hint after `attempts` wrong answers: the shape of the answer, then the stages to use, then the query.
    public func hint(for result: ResultSet, question index: Int, attempts: Int) -> String {
        let question = questions[index]
        let answer = question.answer
        switch attempts {
        case ...1:
            let rows = answer.rows.count, columns = answer.columns.count
            let yours = "yours has \(result.rows.count) row\(result.rows.count == 1 ? "" : "s") of \(result.columns.count) column\(result.columns.count == 1 ? "" : "s")"
            return "not yet: the answer has \(rows) row\(rows == 1 ? "" : "s") of \(columns) column\(columns == 1 ? "" : "s") (\(answer.columns.map(\.name).joined(separator: ", "))); \(yours)"
                + (question.isOrdered ? ", and the order of the rows counts" : "")
        case 2:
            return "not yet: the lesson's query uses " + (question.stages.isEmpty ? "no stage, only the table" : question.stages.joined(separator: " | "))
        default:
            return "the lesson's query is: \(question.statement)"
        }
    }

    /// Rows equal with the columns matched by their values (names and order free).
    static func same(_ mine: ResultSet, _ answer: ResultSet, ordered: Bool) -> Bool {
        guard mine.columns.count == answer.columns.count, mine.rows.count == answer.rows.count else { return false }
        func column(_ set: ResultSet, _ c: Int) -> [String] { set.rows.map { $0[c].description }.sorted() }
        // Each answer column matched to a column of mine with the same values; ties tried in order.
        var used = Set<Int>()
        var mapping: [Int] = []
        for a in answer.columns.indices {
            let values = column(answer, a)
            let candidates = mine.columns.indices.filter { !used.contains($0) && column(mine, $0) == values }
            // Prefer the column of the same name, then the same place.
            guard let pick = candidates.first(where: { mine.columns[$0].name == answer.columns[a].name }) ?? candidates.first(where: { $0 == a }) ?? candidates.first
            else { return false }
            used.insert(pick)
            mapping.append(pick)
        }
        let rows = mine.rows.map { row in mapping.map { row[$0].description } }
        let expected = answer.rows.map { row in row.map(\.description) }
        return ordered ? rows == expected : rows.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
