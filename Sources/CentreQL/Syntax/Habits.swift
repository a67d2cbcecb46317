/// Habits from SQL and other languages written inside a pipeline (`&&`, `<>`, `IS NULL`, `LIKE`,
/// `BETWEEN`, `count(*)`, `group by`, `select *`, `in (…)`, a group without `agg`): recognised in a
/// statement that did not parse, each reported once as E113 with its CentreQL spelling as the fix.
/// Only when the statement with every fix applied parses do they replace the parser's errors, so
/// each fix shown is one that works.
enum Habits {
    /// A habit: what to look for (in the statement's text with strings blanked out, case ignored),
    /// how it is written in CentreQL, and what to say.
    private struct Rule {
        let pattern: Regex<AnyRegexOutput>
        /// The CentreQL text for a match (`original` is the matched text as written, strings included).
        let rewrite: (_ original: String, _ groups: [String]) -> String?
        let message: (String) -> String

        init(_ pattern: String, message: @escaping (String) -> String, rewrite: @escaping (String, [String]) -> String?) {
            self.pattern = try! Regex(pattern).ignoresCase()
            self.rewrite = rewrite
            self.message = message
        }
    }

    static let maximumLength = 2_000
    private static let aggregates = "count|sum|avg|min|max|median|count_distinct|percentile|string_agg"
    private static let operand = #"[\p{L}\p{N}_.]+|\$[\p{L}\p{N}_]+|"\x01*"|'\x01*'"#

    nonisolated(unsafe) private static let rules: [Rule] = [
        Rule("&&", message: { _ in "'&&' is written 'and' in CentreQL" }) { _, _ in "and" },
        Rule(#"\|\|"#, message: { _ in "'||' is written 'or' in CentreQL ('|' joins stages; + joins text)" }) { _, _ in "or" },
        Rule("<>", message: { _ in "'<>' is written '!=' in CentreQL" }) { _, _ in "!=" },
        Rule(#"\bis\s+not\s+null\b"#, message: { _ in "'IS NOT NULL' is written '!= null' in CentreQL" }) { _, _ in "!= null" },
        Rule(#"\bis\s+null\b"#, message: { _ in "'IS NULL' is written '== null' in CentreQL" }) { _, _ in "== null" },
        Rule(#"\bcount\s*\(\s*\*\s*\)"#, message: { _ in "'count(*)' is written 'count()' in CentreQL" }) { _, _ in "count()" },
        Rule(#"\b(group|sort)\s+by\b"#, message: { m in "'\(m)' is written '\(m.split(separator: " ")[0].lowercased())' in CentreQL: the stage takes its keys at once" }) { _, g in g[1].lowercased() },
        Rule(#"\border\s+by\b"#, message: { _ in "'order by' is the stage 'sort' in CentreQL" }) { _, _ in "sort" },
        Rule(#"\s*\|\s*select\s+\*(?=\s*(\||$))"#, message: { _ in "'select *' is not needed: a pipeline keeps every column until a select names some" }) { _, _ in "" },
        Rule(#"\bin\s*\(([^()|]*)\)"#, message: { _ in "a list is written in square brackets: in [a, b] ('in (…)' takes a pipeline)" }) { _, g in
            "in [" + g[1].trimmingSpaces() + "]"
        },
        Rule(#"(\#(operand))\s+not\s+like\s+("\x01*"|'\x01*')"#, message: { _ in "'NOT LIKE' is written with not and contains, starts_with, ends_with or matches in CentreQL" }) { original, g in
            pattern(of: original).map { "not (" + SQLHabits.like(g[1], $0) + ")" }
        },
        Rule(#"\blike\s+("\x01*"|'\x01*')"#, message: { _ in "'LIKE' is written contains, starts_with, ends_with or matches in CentreQL" }) { original, _ in
            pattern(of: original).map { String(SQLHabits.like("", $0).drop { $0 == " " }) }
        },
        Rule(#"(\#(operand))\s+between\s+(\#(operand))\s+and\s+(\#(operand))"#, message: { _ in "'BETWEEN' is written as two comparisons in CentreQL" }) { _, g in
            "(\(g[1]) >= \(g[2]) and \(g[1]) <= \(g[3]))"
        },
        Rule(#"\bgroup\s+([^|()]*?)\s+(?=[\p{L}_][\p{L}\p{N}_]*\s*=\s*(\#(aggregates))\s*\()"#,
             message: { _ in "a group's aggregates come after 'agg': group KEYS agg NAME = AGGREGATE" }) { original, g in
            g[1].contains(try! Regex(#"\bagg\b"#).ignoresCase()) ? nil : original.trimmingSpaces() + " agg "
        },
    ]

    /// The habits in a statement whose parse failed, as diagnostics with fixes, or nil when none is
    /// found or the statement with every fix applied still does not parse.
    static func diagnostics(in source: SourceText, extent: SourceRange) -> [Diagnostic]? {
        // Habits are looked for in what a person types: a generated statement of pages is left as it is
        // (the patterns' cost grows with the statement's length).
        guard extent.end - extent.start <= maximumLength else { return nil }
        let original = Array(source.scalars[extent.start..<min(extent.end, source.scalars.count)])
        // Strings and comments blanked (same length), so nothing inside them is taken for a habit.
        var masked = String.UnicodeScalarView()
        var quote: Unicode.Scalar?
        var inComment = false
        for scalar in original {
            if inComment {
                if scalar == "\n" { inComment = false }
                masked.append(scalar == "\n" ? scalar : " ")
            } else if let open = quote {
                if scalar == open || (open == "\"" && scalar == "\n") { quote = nil; masked.append(scalar) } else { masked.append("\u{1}") }
            } else {
                if scalar == "\"" || scalar == "'" { quote = scalar }
                if scalar == "#" { inComment = true; masked.append(" "); continue }
                masked.append(scalar)
            }
        }
        let text = String(masked)
        var found: [(range: Range<Int>, fix: String, message: String)] = []
        for rule in rules {
            // A match's place as scalar offsets, the same in the masked and the original text.
            func offsets(_ range: Range<String.Index>) -> Range<Int> {
                let lower = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
                return lower..<(lower + text.unicodeScalars.distance(from: range.lowerBound, to: range.upperBound))
            }
            func written(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(original[range])) }
            for match in text.matches(of: rule.pattern) {
                let place = offsets(match.range)
                guard !found.contains(where: { $0.range.overlaps(place) }) else { continue }
                // Groups as written, strings included.
                let groups = match.output.map { group in group.range.map { written(offsets($0)) } ?? "" }
                let whole = written(place)
                guard let fix = rule.rewrite(whole, groups) else { continue }
                found.append((place, fix, rule.message(whole.trimmingSpaces())))
            }
        }
        guard !found.isEmpty else { return nil }
        found.sort { $0.range.lowerBound < $1.range.lowerBound }
        // Only fixes that together make a statement that parses are offered.
        var fixed = String.UnicodeScalarView(), position = 0
        for habit in found {
            fixed.append(contentsOf: original[position..<habit.range.lowerBound])
            fixed.append(contentsOf: habit.fix.unicodeScalars)
            position = habit.range.upperBound
        }
        fixed.append(contentsOf: original[position...])
        guard Parser.parse(SourceText(String(fixed))).allSatisfy({ $0.diagnostics.isEmpty }) else { return nil }
        return found.map { habit in
            let range = SourceRange(extent.start + habit.range.lowerBound, extent.start + habit.range.upperBound)
            return .habit(habit.message, range: range, fixIt: habit.fix)
        }
    }

    /// The text inside the quotes of a `LIKE 'pattern'` match (its last string).
    private static func pattern(of written: String) -> String? {
        guard let close = written.last, close == "\"" || close == "'" else { return nil }
        let body = written.dropLast()
        guard let open = body.lastIndex(of: close) else { return nil }
        return String(body[body.index(after: open)...])
    }
}
