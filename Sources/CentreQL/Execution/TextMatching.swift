/// Regular-expression matching for `matches`, on `Pattern` (which cannot backtrack forever).
enum TextMatching {
    /// Why a pattern is not valid, or nil if it is.
    static func problem(inPattern pattern: String) -> String? {
        do {
            _ = try Pattern(pattern)
            return nil
        } catch {
            return error.description
        }
    }

    /// For a pattern known only when the query runs (a parameter or a column); literal patterns are
    /// compiled by the checker.
    static func matches(_ text: String, pattern: String) throws -> Bool {
        try Pattern(pattern).matches(text)
    }
}
