/// Text operations that must count as a reader does: by characters (grapheme clusters), not bytes.
enum TextMatching {
    /// Why a pattern is not a valid regular expression, or nil if it is.
    static func problem(inPattern pattern: String) -> String? {
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    static func matches(_ text: String, pattern: String) throws -> Bool {
        let regex = try Regex(pattern)
        return text.contains(regex)
    }
}
