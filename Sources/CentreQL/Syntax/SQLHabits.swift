/// A statement written in SQL, as people who know SQL (or sqlite3, psql, DuckDB) type it: recognised
/// by its first word, and, for a plain `SELECT … FROM … [WHERE …] [ORDER BY …] [LIMIT …]`, shown as
/// the same question in CentreQL (the fix-it). Anything else gets the shape of a pipeline.
enum SQLHabits {
    /// Words that start an SQL statement and never a CentreQL one.
    static let starts: Set<String> = ["select", "with", "insert", "update", "delete", "create", "drop", "alter",
                                      "pragma", "show", "describe", "attach", "vacuum"]

    /// Whether a statement starting with this token could be SQL (cheap: no copy for a lower-case name).
    static func mayStart(_ token: Token) -> Bool {
        guard token.kind == .identifier || token.kind == .select else { return false }
        return starts.contains(token.lexeme) || token.lexeme.utf8.first.map { (0x41...0x5A).contains($0) } == true
    }

    /// The diagnostic for a statement that starts like SQL, or nil.
    static func diagnostic(_ tokens: ArraySlice<Token>) -> Diagnostic? {
        guard let first = tokens.first, starts.contains(first.lexeme.lowercased()) else { return nil }
        let words = tokens.map { $0.lexeme.lowercased() }
        // `select` alone is a CentreQL stage written first; with FROM after it, it is SQL.
        if words[0] == "select", !words.contains("from") { return nil }
        let range = first.range.to(tokens.last!.range)
        return .writtenInSQL(verb: first.lexeme.uppercased(), translation: words[0] == "select" ? translate(Array(tokens)) : nil, range: range)
    }

    /// `SELECT cols FROM table [WHERE cond] [ORDER BY keys] [LIMIT n]` as a pipeline; nil for more.
    static func translate(_ tokens: [Token]) -> String? {
        let words = tokens.map { $0.lexeme.lowercased() }
        guard let from = words.firstIndex(of: "from"), from + 1 < tokens.count, tokens[from + 1].kind == .identifier else { return nil }
        let clauses = ["where", "order", "limit"]
        func clause(_ name: String) -> ArraySlice<Token>? {
            guard let start = words[(from + 2)...].firstIndex(of: name) else { return nil }
            let end = words[(start + 1)...].firstIndex { clauses.contains($0) && $0 != name } ?? tokens.count
            return tokens[(start + 1)..<end]
        }
        // Only these clauses, in this order, right after the table.
        let known = Set(["where", "order", "by", "limit", "asc", "desc", "and", "or", "not", "is", "null", "in"])
        if words[(from + 2)...].contains(where: { ["group", "having", "join", "union", "like", "as", "on", "distinct", "offset"].contains($0) }) { return nil }
        if from + 2 < tokens.count, !known.contains(words[from + 2]) { return nil }
        var stages = [tokens[from + 1].lexeme]
        if let condition = clause("where") {
            guard let text = expression(condition) else { return nil }
            stages.append("where " + text)
        }
        if var keys = clause("order") {
            guard keys.first?.lexeme.lowercased() == "by" else { return nil }
            keys = keys.dropFirst()
            stages.append("sort " + keys.map { token in
                let word = token.lexeme.lowercased()
                return token.kind == .comma ? "," : (word == "asc" || word == "desc" ? " " + word : token.lexeme)
            }.joined().replacingOccurrences(of: ",", with: ", "))
        }
        let columns = tokens[1..<from]
        if !(columns.count == 1 && columns.first?.kind == .star) {
            guard let text = expression(columns) else { return nil }
            stages.append("select " + text)
        }
        if let limit = clause("limit") {
            guard limit.count == 1, limit.first?.kind == .integer else { return nil }
            stages.append("take " + limit.first!.lexeme)
        }
        return stages.joined(separator: " | ")
    }

    /// Text as a CentreQL string literal (backslashes and quotes escaped).
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// An SQL expression in CentreQL's spelling: `=` is `==`, `<>` is `!=`, `IS [NOT] NULL` is
    /// `== null` (`!= null`), keywords in lower case, strings in double quotes.
    static func expression(_ tokens: ArraySlice<Token>) -> String? {
        var parts: [String] = []
        var index = tokens.startIndex
        while index < tokens.endIndex {
            let token = tokens[index]
            let word = token.lexeme.lowercased()
            let next = index + 1 < tokens.endIndex ? tokens[index + 1].lexeme.lowercased() : ""
            switch token.kind {
            case .assign: parts.append("==")
            case .less where next == ">": parts.append("!="); index += 1
            case .string: parts.append(quoted(token.value))
            case .comma:
                if parts.isEmpty { return nil }  // `SELECT , …` is not a list to translate (the fuzzer found it)
                parts[parts.count - 1] += ","
            default:
                if word == "is" {
                    if next == "not" { parts.append("!="); index += 1 } else { parts.append("==") }
                } else if ["and", "or", "not", "null", "true", "false", "in"].contains(word) {
                    parts.append(word)
                } else if token.kind == .semicolon {
                    break
                } else {
                    parts.append(token.lexeme)
                }
            }
            index += 1
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ").replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
    }
}
