import Testing
@testable import CentreQL

@Suite struct PatternTests {
    @Test(arguments: [
        ("镇$", "吴泾镇", true), ("^吴", "吴泾镇", true), ("^泾", "吴泾镇", false), ("泾", "吴泾镇", true),
        ("^.{3}$", "吴泾镇", true), ("^.{2}$", "吴泾镇", false), ("a|b", "xbx", true), ("^(ab)+$", "ababab", true),
        ("^(ab)+$", "ababa", false), ("colou?r", "color", true), ("\\d{4}年", "2019年", true), ("\\d", "二〇一九", false),
        ("[A-Z][a-z]+", "Wujing", true), ("^[^a-z]+$", "ABC", true), ("^[^a-z]+$", "AbC", false), ("\\w+", "_", true),
        ("\\s", "a b", true), ("\\S", "   ", false), ("a.c", "a\nc", false), ("x*", "", true), ("^$", "", true),
        ("\\.", "1+7+N", false), ("\\+", "1+7+N", true), ("1\\+\\d\\+N", "1+7+N", true), ("[-+]", "a-b", true),
        ("e\u{301}", "caf\u{E9}", true),  // characters compare as a reader sees them (é written two ways)
        ("(?:ab){2,3}$", "xababab", true), ("^a{2,}$", "a", false), ("^a{2,}$", "aaaa", true), ("a{,2}", "a{,2}", true),
    ])
    func matching(_ pattern: String, _ text: String, _ expected: Bool) throws {
        #expect(try Pattern(pattern).matches(text) == expected)
    }

    @Test(arguments: ["(a", "a)", "*a", "a{3,1}", "[abc", "\\q", "a{2000}", "(?=a)", "\\", "^*", "[z-a]"])
    func invalidPatternsAreRefusedWithAReason(_ pattern: String) {
        #expect(TextMatching.problem(inPattern: pattern) != nil)
    }

    @Test func patternsThatBacktrackingEnginesCannotFinishStillAnswer() throws {
        // Exponential for a backtracking matcher; linear here. The test has no time limit: it must simply return.
        let text = String(repeating: "a", count: 200)
        #expect(try Pattern("^(a*)*b$").matches(text) == false)
        #expect(try Pattern("^(a|aa)*c$").matches(text) == false)
        #expect(try Pattern("^(a|a)*$").matches(text) == true)
    }
}
