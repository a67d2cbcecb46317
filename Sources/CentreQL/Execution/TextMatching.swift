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

    static func matches(_ text: String, pattern: String) throws -> Bool {
        try Pattern(pattern).matches(text)
    }
}
