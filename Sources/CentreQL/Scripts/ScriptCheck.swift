/// Saved scripts that check themselves, in the spirit of sqllogictest: after a statement, a comment
/// block that starts with `# ----` holds the output the statement must produce (a table, or the
/// error it must report). The script still runs as an ordinary script, since the block is a comment.
///
/// ```
/// # How many centres won an award?
/// centres | count
/// # ----
/// #  count
/// # -------
/// #     40
/// # (1 row)
/// ```
public enum ScriptCheck {
    public static let marker = "# ----"

    /// One statement's expected and actual output.
    public struct Case: Sendable {
        /// 1-based line of the statement's first line.
        public let line: Int
        public let expected: [String]?
        public let actual: [String]
        /// 0-based line range of the expected block, marker included; where a new block would go if none.
        let block: Range<Int>

        public var passed: Bool { expected == actual }
    }

    public struct Report: Sendable {
        public let cases: [Case]
        public var failures: [Case] { cases.filter { !$0.passed && !($0.expected == nil && $0.actual.isEmpty) } }
        public var passed: Bool { failures.isEmpty }
    }

    /// Runs the script statement by statement and pairs each output with its expected block.
    /// Messages in the blocks name the line and column only, so a script checks whatever its file is called.
    public static func check(_ source: SourceText, engine: Engine = Engine()) -> Report {
        var engine = engine
        let lines = source.text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        var cases: [Case] = []
        let renderer = DiagnosticRenderer(source: source, displayName: "")
        engine.run(source) { result in
            var actual: [String]
            switch result.outcome {
            case .rows(let rows): actual = OutputFormat.table.render(rows).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            case .failed(let diagnostics): actual = diagnostics.flatMap { renderer.render($0).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
            case .defined: actual = []
            }
            for note in result.notes { actual += renderer.render(note).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
            let start = source.location(of: result.extent.start)
            let lastLine = source.location(of: max(result.extent.start, result.extent.end - 1)).line  // 1-based
            let (expected, block) = expectedBlock(in: lines, after: lastLine)
            cases.append(Case(line: start.line, expected: expected, actual: actual, block: block))
        }
        return Report(cases: cases)
    }

    /// The block after 1-based line `line`: the marker line, then comment lines up to a blank or non-comment line.
    static func expectedBlock(in lines: [String], after line: Int) -> ([String]?, Range<Int>) {
        let markerIndex = line  // 0-based index of the line after the statement
        guard markerIndex < lines.count, lines[markerIndex].trimmingTrailingSpaces() == marker else {
            return (nil, markerIndex..<markerIndex)
        }
        var end = markerIndex + 1
        var expected: [String] = []
        while end < lines.count, lines[end].hasPrefix("#") {
            let body = lines[end].dropFirst()
            expected.append(String(body.hasPrefix(" ") ? body.dropFirst() : body))
            end += 1
        }
        return (expected, markerIndex..<end)
    }

    /// The script with every block rewritten to the actual output (and added where missing).
    public static func updated(_ source: SourceText, report: Report) -> String {
        var lines = source.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for item in report.cases.reversed() where !(item.expected == nil && item.actual.isEmpty) {
            let block = [marker] + item.actual.map { $0.isEmpty ? "#" : "# " + $0 }
            lines.replaceSubrange(item.block.clamped(to: 0..<lines.count), with: block)
        }
        return lines.joined(separator: "\n")
    }

    /// A readable difference: expected lines marked `-`, actual lines marked `+`, shared lines indented.
    public static func diff(expected: [String], actual: [String]) -> String {
        // Longest common subsequence; scripts' outputs are small.
        let n = expected.count, m = actual.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = expected[i] == actual[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, expected[i] == actual[j] {
                out.append("  " + expected[i]); i += 1; j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                out.append("- " + expected[i]); i += 1
            } else {
                out.append("+ " + actual[j]); j += 1
            }
        }
        return out.joined(separator: "\n")
    }
}
